"""Building a showcase as a learner would: sections, items, captions, order, copies,
archiving, and share links shown once."""

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from artefacts.models import Artefact
from artefacts.services import Details, artefact_create_link, artefact_delete, artefact_update
from portfolio.models import ShareLink, Showcase, ShowcaseItem
from portfolio.showcases import services
from tests.conftest import People
from tests.portfolio.showcase_data import shared_showcase


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    """Share links and printed addresses are on the site's public address (SITE_URL),
    not the address a request happened to use."""
    settings.SITE_URL = "https://portfolio.example.org"


@pytest.fixture
def learner_client(client: Client, people: People) -> Client:
    client.force_login(people.learner)
    return client


def links(owner: Any, n: int) -> list[Artefact]:
    return [
        artefact_create_link(
            owner=owner, url=f"https://example.org/{i}", details=Details(title=f"Work {i}")
        )
        for i in range(n)
    ]


def make_showcase(owner: Any, items: int = 3) -> Showcase:
    showcase = services.showcase_create(owner=owner, title="For Acme")
    section = services.section_add(showcase=showcase, heading="Projects")
    services.items_add(section=section, targets=links(owner, items))
    return showcase


def order(showcase: Showcase) -> list[str]:
    return [str(i.artefact) for i in ShowcaseItem.objects.filter(section__showcase=showcase)
            .select_related("artefact").order_by("position")]  # fmt: skip


def test_creating_a_showcase_starts_it_with_a_section(
    learner_client: Client, people: People
) -> None:
    response = learner_client.post(
        reverse("showcases:create"),
        {
            "title": "Application to Acme Ltd",
            "audience": "Acme",
            "summary": "I **build** things",
            "theme": "modern",
        },
    )
    showcase = Showcase.objects.get(owner=people.learner)
    assert response["Location"] == showcase.get_absolute_url()
    assert showcase.summary_html == "<p>I <strong>build</strong> things</p>"
    assert showcase.sections.count() == 1


def test_a_showcase_needs_a_title(learner_client: Client) -> None:
    response = learner_client.post(reverse("showcases:create"), {"title": "", "theme": "classic"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not Showcase.objects.exists()


def test_adding_the_same_item_twice_keeps_one(learner_client: Client, people: People) -> None:
    showcase = make_showcase(people.learner, items=1)
    section = showcase.sections.get()
    artefact = Artefact.objects.get()
    learner_client.post(
        reverse("showcases:items_add", args=[showcase.public_id, section.pk]),
        {"items": [f"artefact:{artefact.public_id}"]},
    )
    assert section.items.count() == 1


def test_reorder_with_buttons_works_without_script(learner_client: Client, people: People) -> None:
    showcase = make_showcase(people.learner)
    first = ShowcaseItem.objects.order_by("position").first()
    assert first is not None
    learner_client.post(
        reverse("showcases:item_edit", args=[showcase.public_id, first.pk]), {"down": "1"}
    )
    assert order(showcase) == ["Work 1", "Work 0", "Work 2"]
    learner_client.post(
        reverse("showcases:item_edit", args=[showcase.public_id, first.pk]), {"up": "1"}
    )
    assert order(showcase) == ["Work 0", "Work 1", "Work 2"]


def test_item_and_section_numbers_are_never_grouped_in_the_page(
    learner_client: Client, people: People
) -> None:
    # Ids, form values and the picker's section number must match the #item-2041 the
    # server redirects to; with grouped numbers they read "2,041" past a thousand rows.
    showcase = make_showcase(people.learner, items=1)
    ShowcaseItem.objects.update(id=2041)
    section = showcase.sections.get()
    page = learner_client.get(showcase.get_absolute_url()).content.decode()
    assert 'id="item-2041"' in page and 'data-item-id="2041"' in page
    assert "2,041" not in page
    moved = learner_client.post(
        reverse("showcases:item_edit", args=[showcase.public_id, 2041]), {"caption": "Why"}
    )
    assert moved["Location"].endswith("#item-2041")
    assert f"?section={section.pk}" in page


def test_drag_and_drop_sends_the_new_order(learner_client: Client, people: People) -> None:
    showcase = make_showcase(people.learner)
    section = showcase.sections.get()
    ids = list(section.items.order_by("position").values_list("pk", flat=True))
    url = reverse("showcases:section_reorder", args=[showcase.public_id, section.pk])
    response = learner_client.post(url, json.dumps(ids[::-1]), content_type="application/json")
    assert response.json() == {"ok": True}
    assert order(showcase) == ["Work 2", "Work 1", "Work 0"]
    bad = learner_client.post(url, '{"not": "a list"}', content_type="application/json")
    assert bad.status_code == 400


def test_each_sections_picker_has_its_own_checkboxes(
    learner_client: Client, people: People
) -> None:
    # With one id per item for the whole page, a label in the second section named and
    # ticked the first section's checkbox.
    showcase = make_showcase(people.learner, items=2)
    services.section_add(showcase=showcase, heading="Credentials")
    page = learner_client.get(showcase.get_absolute_url()).content.decode()
    ids = re.findall(r'<input type="checkbox" name="items"[^>]* id="([^"]+)"', page)
    assert len(ids) == 2 * 2  # two artefacts in each of two sections' pickers
    assert len(set(ids)) == len(ids)
    for checkbox_id in ids:
        assert page.count(f'for="{checkbox_id}"') == 1

    (section,) = showcase.sections.filter(heading="Credentials")
    url = reverse("showcases:picker", args=[showcase.public_id])
    fragment = learner_client.get(url, {"q": "Work", "section": str(section.pk)}).content.decode()
    assert f'id="pick-{section.pk}-' in fragment
    assert learner_client.get(url, {"q": "Work", "section": "x<y"}).status_code == 200


def test_captions_and_removal(learner_client: Client, people: People) -> None:
    showcase = make_showcase(people.learner, items=2)
    item = ShowcaseItem.objects.order_by("position").first()
    assert item is not None
    url = reverse("showcases:item_edit", args=[showcase.public_id, item.pk])
    learner_client.post(url, {"caption": "Shows I can lead a team"})
    item.refresh_from_db()
    assert item.caption == "Shows I can lead a team"
    learner_client.post(url, {"remove": "1"})
    assert not ShowcaseItem.objects.filter(pk=item.pk).exists()
    assert Artefact.objects.count() == 2  # the evidence itself stays


def test_items_are_references(people: People) -> None:
    showcase = make_showcase(people.learner, items=2)
    first = Artefact.objects.get(title="Work 0")
    artefact_update(artefact=first, details=Details(title="Renamed work"))
    assert "Renamed work" in order(showcase)
    artefact_delete(artefact=first)
    assert order(showcase) == ["Work 1"]


def test_duplicate_copies_sections_and_items_but_not_links(
    learner_client: Client, people: People
) -> None:
    showcase = make_showcase(people.learner)
    services.link_create(showcase=showcase, label="HR")
    response = learner_client.post(reverse("showcases:duplicate", args=[showcase.public_id]))
    copy = Showcase.objects.exclude(pk=showcase.pk).get()
    assert response["Location"] == copy.get_absolute_url()
    assert copy.title == "For Acme (copy)"
    assert order(copy) == order(showcase)
    assert not copy.links.exists()


def test_archive_and_restore(learner_client: Client, people: People) -> None:
    showcase = make_showcase(people.learner)
    url = reverse("showcases:archive", args=[showcase.public_id])
    learner_client.post(url)
    showcase.refresh_from_db()
    assert showcase.is_archived
    learner_client.post(url)
    showcase.refresh_from_db()
    assert not showcase.is_archived


def test_sections_can_be_added_renamed_moved_and_removed(
    learner_client: Client, people: People
) -> None:
    showcase = make_showcase(people.learner)
    learner_client.post(
        reverse("showcases:section_add", args=[showcase.public_id]),
        {"heading": "Badges", "intro": ""},
    )
    first, second = showcase.sections.order_by("position")
    learner_client.post(
        reverse("showcases:section_move", args=[showcase.public_id, second.pk]), {"direction": "up"}
    )
    assert [s.heading for s in showcase.sections.order_by("position")] == ["Badges", "Projects"]
    learner_client.post(
        reverse("showcases:section_edit", args=[showcase.public_id, second.pk]),
        {"heading": "Credentials", "intro": "Checked"},
    )
    second.refresh_from_db()
    assert (second.heading, second.intro_html) == ("Credentials", "<p>Checked</p>")
    learner_client.post(
        reverse("showcases:section_edit", args=[showcase.public_id, first.pk]), {"delete": "1"}
    )
    assert showcase.sections.count() == 1
    assert Artefact.objects.count() == 3


def test_promote_items_from_the_timeline_into_a_new_showcase(
    learner_client: Client, people: People
) -> None:
    work = links(people.learner, 2)
    response = learner_client.post(
        reverse("showcases:promote"),
        {
            "items": [f"artefact:{a.public_id}" for a in work],
            "showcase": "new",
            "title": "Best of 2026",
        },
    )
    showcase = Showcase.objects.get(title="Best of 2026")
    assert response["Location"] == showcase.get_absolute_url()
    assert sorted(order(showcase)) == ["Work 0", "Work 1"]


def test_a_share_link_is_shown_once_and_only_its_hash_is_kept(
    learner_client: Client, people: People
) -> None:
    showcase = make_showcase(people.learner)
    url = reverse("showcases:links", args=[showcase.public_id])
    response = learner_client.post(
        url, {"label": "Acme HR", "expires_on": "", "passphrase": ""}, follow=True
    )
    shared = re.search(
        r'value="https://portfolio.example.org/s/([^/"]+)/"', response.content.decode()
    )
    assert shared is not None
    token = shared.group(1)
    assert len(token) >= 22  # at least 128 bits, URL-safe
    link = ShareLink.objects.get()
    assert token not in (link.token_hash, link.label) and len(link.token_hash) == 64
    assert token not in learner_client.get(url).content.decode()


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"label": "", "expires_on": ""}, "This field is required"),
        ({"label": "HR", "expires_on": "2000-01-01"}, "Choose today or a later date"),
        ({"label": "HR", "expires_on": "", "passphrase": "abc"}, "at least 6 characters"),
    ],
)
def test_bad_link_details_are_explained(
    learner_client: Client, people: People, fields: dict[str, str], says: str
) -> None:
    showcase = make_showcase(people.learner)
    response = learner_client.post(reverse("showcases:links", args=[showcase.public_id]), fields)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not ShareLink.objects.exists()


def test_promote_with_nothing_ticked_explains_and_never_follows_a_posted_next(
    learner_client: Client,
) -> None:
    response = learner_client.post(
        reverse("showcases:promote"), {"showcase": "new", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("portfolio:formative")
    assert not Showcase.objects.exists()


def test_an_unknown_token_is_a_404_that_still_keeps_out_of_search_engines(
    client: Client, db: None
) -> None:
    response = client.get(reverse("share:showcase", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private, no-store"


def test_a_shared_badge_page_tells_the_reader_whom_it_was_issued_to(
    client: Client, people: People
) -> None:
    # The stored check says "your verified email addresses", which is true for the
    # learner and wrong for the employer reading a shared link.
    people.learner.name = "Lena Learner"
    people.learner.save()
    shared = shared_showcase(people.learner)
    page = client.get(reverse("share:badge", args=[shared.token, shared.badge.public_id]))
    text = " ".join(page.content.decode().split())
    assert "Issued to Lena Learner: it names an email address they have verified with us." in text
    assert "your verified email" not in text
    # A did:key issuer is named, not offered as a link that goes nowhere.
    assert shared.badge.issuer_url.startswith("did:") and 'href="did:' not in text

    client.force_login(people.learner)
    own = client.get(shared.badge.get_absolute_url()).content.decode()
    assert "Issued to one of your verified email addresses." in own
