"""The rendered-page cache of shared pages is never wrong (issue 19): after each kind of
change the next request shows it, link checks run before the cache, each link has its
own page and count, and the count equals the pages delivered."""

import time
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.forms import ProfileForm
from artefacts.models import Artefact
from artefacts.services import Details, artefact_delete, artefact_update
from badges.models import Badge
from badges.services import badge_reverify, badge_update
from portfolio.models import ShareLink, ShowcaseItem
from portfolio.showcases import pagecache, services
from portfolio.showcases.access import link_check
from portfolio.showcases.tasks import link_opens_fold_task
from reflections.models import Reflection
from reflections.services import ReflectionInput, reflection_update
from tests.conftest import People
from tests.factories import TutorFactory
from tests.portfolio.showcase_data import Shared, shared_showcase

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people: People) -> Shared:
    return shared_showcase(people.learner)


def page(token: str) -> str:
    return reverse("share:showcase", args=[token])


def text(client: Client, token: str) -> str:
    response = client.get(page(token))
    assert response.status_code == 200
    return response.content.decode()


def item(world: Shared, target: Any) -> ShowcaseItem:
    field = "badge" if isinstance(target, Badge) else "artefact"
    return ShowcaseItem.objects.select_related("section").get(
        section__showcase=world.showcase, **{field: target}
    )


def test_a_second_request_is_served_from_the_cache_without_reading_the_showcase(
    client: Client, world: Shared, django_assert_max_num_queries: Any
) -> None:
    first = text(client, world.token)
    with django_assert_max_num_queries(2):  # the link, and its open count
        again = text(client, world.token)
    assert again == first


def _rename_artefact(world: Shared) -> str:
    artefact_update(artefact=world.pdf, details=Details(title="Method statement"))
    return "Method statement"


def _edit_reflection(world: Shared) -> str:
    data = ReflectionInput(title="What the audit taught me", body_markdown="Check twice.")
    reflection_update(reflection=world.reflection, data=data)
    return "What the audit taught me"


def _caption(world: Shared) -> str:
    services.item_update(item=item(world, world.pdf), caption="Written on site, signed off")
    return "Written on site, signed off"


def _section(world: Shared) -> str:
    section = world.showcase.sections.get(heading="Practical work")
    services.section_update(section=section, heading="Work on site", intro="")
    return "Work on site"


def _showcase_title(world: Shared) -> str:
    showcase = world.showcase
    services.showcase_update(
        showcase=showcase, title="Apprentice role", audience="", summary="", theme="classic"
    )
    return "Apprentice role"


def _learner_name(world: Shared) -> str:
    form = ProfileForm({"name": "Ada Lovelace-Byron", "time_zone": "UTC"})
    form.instance = world.showcase.owner
    assert form.is_valid(), form.errors
    form.save()
    return "Ada Lovelace-Byron"


def _attested(world: Shared) -> str:
    from portfolio.attestations.services import attest_as_tutor

    tutor = TutorFactory.create(name="Sam Okafor")
    attest_as_tutor(
        tutor=tutor,
        item=world.pdf,
        organisation="Northtown College",
        statement="I supervised this work.",
        comment="",
    )
    return "Sam Okafor"


CHANGES_SHOWN: dict[str, Callable[[Shared], str]] = {
    "attested": _attested,
    "artefact edited": _rename_artefact,
    "reflection edited": _edit_reflection,
    "caption changed": _caption,
    "section renamed": _section,
    "showcase retitled": _showcase_title,
    "learner renamed": _learner_name,
}


@pytest.mark.parametrize("change", CHANGES_SHOWN.values(), ids=CHANGES_SHOWN.keys())
def test_the_next_request_after_a_change_shows_it(
    client: Client, world: Shared, change: Callable[[Shared], str]
) -> None:
    text(client, world.token)  # cached now
    shown = change(world)
    assert shown in text(client, world.token)


def test_the_next_request_after_a_reorder_shows_the_new_order(
    client: Client, world: Shared
) -> None:
    before = text(client, world.token)
    assert before.index("Site visit photo") < before.index("Risk assessment")
    services.item_move(item=item(world, world.pdf), by=-1)
    after = text(client, world.token)
    assert after.index("Risk assessment") < after.index("Site visit photo")


REMOVALS: dict[str, Callable[[Shared], Any]] = {
    "made private": lambda w: artefact_update(
        artefact=w.pdf, details=Details(title=w.pdf.title, visibility="private")
    ),
    "deleted": lambda w: artefact_delete(artefact=w.pdf),
    "removed from the showcase": lambda w: services.item_remove(item=item(w, w.pdf)),
}


@pytest.mark.parametrize("remove", REMOVALS.values(), ids=REMOVALS.keys())
def test_an_item_taken_away_is_gone_from_the_next_request(
    client: Client, world: Shared, remove: Callable[[Shared], Any]
) -> None:
    assert "Risk assessment" in text(client, world.token)
    remove(world)
    assert "Risk assessment" not in text(client, world.token)


def test_a_badge_made_private_is_gone_from_the_page_and_its_cached_badge_page(
    client: Client, world: Shared
) -> None:
    badge_page = reverse("share:badge", args=[world.token, world.badge.public_id])
    assert client.get(badge_page).status_code == 200
    assert world.badge.name in text(client, world.token)
    badge_update(badge=world.badge, note="", visibility="private")
    assert world.badge.name not in text(client, world.token)
    assert client.get(badge_page).status_code == 404


def test_a_re_verified_badge_shows_its_new_status_on_both_pages(
    client: Client, world: Shared
) -> None:
    # As the last check left it, before the issuer's signature could be checked again.
    Badge.objects.filter(pk=world.badge.pk).update(status="unverifiable")
    badge_page = reverse("share:badge", args=[world.token, world.badge.public_id])
    assert "Not verifiable now" in text(client, world.token)
    assert "Not verifiable now" in client.get(badge_page).content.decode()

    badge_reverify(badge_id=world.badge.pk)

    assert "Not verifiable now" not in text(client, world.token)
    assert "Not verifiable now" not in client.get(badge_page).content.decode()


def test_an_image_whose_preview_became_ready_is_shown_on_the_next_request(
    client: Client, world: Shared
) -> None:
    Artefact.objects.filter(pk=world.image.pk).update(preview=Artefact.Preview.PENDING)
    assert "Image being prepared." in text(client, world.token)
    Artefact.objects.filter(pk=world.image.pk).update(display_file="", thumbnail="")
    from artefacts.services import artefact_prepare_preview

    artefact_prepare_preview(artefact_id=world.image.pk)
    assert "Image being prepared." not in text(client, world.token)


@pytest.mark.parametrize("how", ["revoked", "expired", "archived"])
def test_a_link_that_stopped_working_answers_410_on_the_next_request(
    client: Client, world: Shared, how: str
) -> None:
    text(client, world.token)
    if how == "revoked":
        services.link_revoke(link=world.link)
    elif how == "expired":  # as when its last day has passed
        yesterday = timezone.localdate() - timedelta(days=1)
        ShareLink.objects.filter(pk=world.link.pk).update(expires_on=yesterday)
    else:
        services.showcase_archive(showcase=world.showcase, archived=True)
    response = client.get(page(world.token))
    assert response.status_code == 410
    assert "Risk assessment" not in response.content.decode()


def test_a_cached_page_still_asks_a_new_reader_for_the_passphrase(
    client: Client, world: Shared
) -> None:
    new = services.link_create(showcase=world.showcase, label="Panel", passphrase="heron dawn")
    client.post(page(new.token), {"passphrase": "heron dawn"})
    assert "Risk assessment" in text(client, new.token)  # cached now

    stranger = Client().get(page(new.token))

    assert "Risk assessment" not in stranger.content.decode()
    assert 'name="passphrase"' in stranger.content.decode()


def test_another_link_to_the_same_showcase_gets_its_own_page_and_count(
    client: Client, world: Shared
) -> None:
    second = services.link_create(showcase=world.showcase, label="Beta Ltd")
    first_page = text(client, world.token)
    second_page = text(client, second.token)

    assert world.token in first_page and second.token not in first_page
    assert second.token in second_page and world.token not in second_page
    counts = dict(ShareLink.objects.values_list("label", "open_count"))
    assert counts["Acme recruiter"] == 1 and counts["Beta Ltd"] == 1


def test_the_cache_never_holds_a_links_token(client: Client, world: Shared) -> None:
    text(client, world.token)
    link = link_check(token=world.token)
    assert link is not None
    stand_in, html, _expires_at = cache.get(pagecache.page_key(link=link, page="showcase"))
    assert world.token.encode() not in html and stand_in.encode() in html


def test_each_language_gets_its_own_dates(client: Client, world: Shared) -> None:
    issued = world.badge.issued_at
    american = client.get(page(world.token), HTTP_ACCEPT_LANGUAGE="en-us").content.decode()
    british = client.get(page(world.token), HTTP_ACCEPT_LANGUAGE="en-gb").content.decode()
    assert issued is not None
    assert issued.strftime("%b ") + str(issued.day) + "," in american
    assert f"{issued.day} {issued.strftime('%b')}" in british


# --- The open count ---------------------------------------------------------------------


@pytest.fixture
def count_in_cache(settings: Any) -> None:
    settings.SHARE_OPENS_IN_CACHE = True


def test_the_open_count_equals_the_pages_delivered_once_folded(
    client: Client, world: Shared, count_in_cache: None, django_assert_max_num_queries: Any
) -> None:
    text(client, world.token)  # the first opening: written at once
    link = ShareLink.objects.get(pk=world.link.pk)
    assert link.open_count == 1 and link.first_opened_at is not None
    for _ in range(4):
        with django_assert_max_num_queries(1):  # the link only: no write
            text(client, world.token)
    client.head(page(world.token))  # a link checker: not an opening
    assert ShareLink.objects.get(pk=world.link.pk).open_count == 1

    assert link_opens_fold_task() == 4

    folded = ShareLink.objects.get(pk=world.link.pk)
    assert folded.open_count == 5
    assert link.last_opened_at is not None and folded.last_opened_at is not None
    assert folded.last_opened_at >= link.last_opened_at
    assert link_opens_fold_task() == 0  # nothing counted twice
    assert ShareLink.objects.get(pk=world.link.pk).open_count == 5


def test_folding_keeps_each_links_count_apart(
    client: Client, world: Shared, count_in_cache: None
) -> None:
    for _ in range(3):
        text(client, world.token)
    text(client, world.other_token)
    link_opens_fold_task()
    counts = dict(ShareLink.objects.values_list("label", "open_count"))
    assert counts == {"Acme recruiter": 3, "University admissions": 1}


def test_the_owner_sees_openings_not_yet_folded(
    client: Client, world: Shared, count_in_cache: None, people: People
) -> None:
    for _ in range(3):
        text(client, world.token)
    owner = Client()
    owner.force_login(people.learner)
    links_page = reverse("showcases:links", args=[world.showcase.public_id])

    assert "3 times" in owner.get(links_page).content.decode()
    link_opens_fold_task()
    assert "3 times" in owner.get(links_page).content.decode()


def test_html_rendered_again_by_the_command_reaches_cached_pages(
    client: Client, world: Shared
) -> None:
    Reflection.objects.filter(pk=world.reflection.pk).update(body_html="<p>Old rendering</p>")
    assert "Old rendering" in text(client, world.token)  # cached now
    call_command("rerender_markdown", stdout=StringIO())
    html = text(client, world.token)
    assert "Old rendering" not in html and "<em>plan</em>" in html


# --- Each process's own memory, in front of the shared cache ----------------------------


def test_a_page_in_memory_is_served_without_the_shared_cache(
    client: Client, world: Shared, django_assert_max_num_queries: Any
) -> None:
    first = text(client, world.token)
    cache.clear()  # the shared cache lost it (evicted, restarted)
    with django_assert_max_num_queries(2):  # the link and its count: nothing rendered
        assert text(client, world.token) == first


def test_without_memory_a_page_the_shared_cache_lost_is_rendered_again(
    client: Client, world: Shared, settings: Any, django_assert_max_num_queries: Any
) -> None:
    settings.SHARE_PAGE_MEMORY_MB = 0
    first = text(client, world.token)
    with django_assert_max_num_queries(2):
        assert text(client, world.token) == first  # from the shared cache
    cache.clear()
    Reflection.objects.filter(pk=world.reflection.pk).update(title="Unbumped title")
    assert "Unbumped title" in text(client, world.token)  # rendered: nothing kept it


def test_memory_holds_no_token(client: Client, world: Shared) -> None:
    text(client, world.token)
    text(client, world.other_token)
    kept = b"".join(b"".join(page.parts) for page in pagecache._memory._pages.values())
    assert kept
    assert world.token.encode() not in kept and world.other_token.encode() not in kept


def test_a_page_is_rendered_again_a_day_after_it_was_rendered(
    client: Client, world: Shared, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anything no writer bumps the version for is bounded by a day, in memory too."""
    text(client, world.token)
    Reflection.objects.filter(pk=world.reflection.pk).update(title="Unbumped title")
    assert "Unbumped title" not in text(client, world.token)  # the kept page

    later = time.time() + pagecache.PAGE_TIMEOUT_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)  # the shared cache's clock too

    assert "Unbumped title" in text(client, world.token)


def test_memory_keeps_the_pages_used_last_within_its_budget() -> None:
    memory = pagecache._Memory()
    page = pagecache._Page(parts=(b"x" * 400,), expires_at=time.time() + 60)
    for key in ("a", "b"):
        memory.put(key, page, budget=1000)
    assert memory.get("a", now=time.time()) is page  # "a" used last, so "b" goes first
    memory.put("c", page, budget=1000)
    assert memory.get("b", now=time.time()) is None
    assert memory.get("a", now=time.time()) is page
    assert memory.get("c", now=time.time()) is page
    memory.put("too big", pagecache._Page(parts=(b"x" * 1001,), expires_at=0), budget=1000)
    assert memory.get("too big", now=0) is None
