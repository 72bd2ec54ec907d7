"""Who reaches a showcase, and through what. Share links: every shared URL (the page, a
badge's page and image, a file and a thumbnail) against a wrong token, an expired,
revoked or archived link, a link to another showcase, and an item removed, made private
or deleted after sharing. Owner pages: every showcase URL against another learner (404),
a tutor or admin (403) and an anonymous visitor (sent to sign in)."""

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from artefacts.services import Details, artefact_delete, artefact_update
from badges.services import badge_delete, badge_update
from portfolio.models import Section, ShareLink, Showcase, ShowcaseItem
from portfolio.showcases import services
from portfolio.showcases.opens import link_opens_fold
from reflections.services import ReflectionInput, reflection_delete, reflection_update
from tests.conftest import People
from tests.portfolio.showcase_data import (
    PDF_TEXT,
    Shared,
    link_artefact,
    shared_showcase,
    showcase_with,
)

LEARNER_NAME = "Ada Okonkwo"
PASSPHRASE = "blue heron at dawn"
INACTIVE = "This link is no longer active"
PASSPHRASE_PROMPT = "This portfolio needs a passphrase"


@pytest.fixture
def world(people: People) -> Shared:
    # A plain name, so that "absent from the page" cannot pass because of HTML escaping.
    people.learner.name = LEARNER_NAME
    people.learner.save(update_fields=["name"])
    return shared_showcase(people.learner)


def titles(world: Shared) -> list[str]:
    """What the shared page shows of the learner's showcase and its four items."""
    return [
        world.showcase.title,
        world.image.title,
        world.pdf.title,
        world.reflection.title,
        world.badge.name,
    ]


def body(response: Any) -> bytes:
    """The whole response body, streamed or not. The test client closes a streamed
    response once its content is read; closing it again here would fire
    request_finished, which closes the database connection (fatal on PostgreSQL)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def text(response: Any) -> str:
    return body(response).decode()


# --- Share links ------------------------------------------------------------------------

ShareUrl = Callable[[Shared, str], str]
PAGE: ShareUrl = lambda w, token: reverse("share:showcase", args=[token])  # noqa: E731
ITEM_URLS: dict[str, ShareUrl] = {
    "badge page": lambda w, t: reverse("share:badge", args=[t, w.badge.public_id]),
    "badge image": lambda w, t: reverse("share:badge_image", args=[t, w.badge.public_id]),
    "badge report": lambda w, t: reverse("share:badge_report", args=[t, w.badge.public_id]),
    "image file": lambda w, t: reverse("share:file", args=[t, w.image.public_id]),
    "image thumbnail": lambda w, t: reverse("share:thumbnail", args=[t, w.image.public_id]),
    "pdf file": lambda w, t: reverse("share:file", args=[t, w.pdf.public_id]),
}
SHARE_URLS: dict[str, ShareUrl] = {"page": PAGE, **ITEM_URLS}

# Which shared URLs serve each item, and the title that shows it on the page.
ITEMS: dict[str, tuple[list[str], Callable[[Shared], str]]] = {
    "image": (["image file", "image thumbnail"], lambda w: w.image.title),
    "pdf": (["pdf file"], lambda w: w.pdf.title),
    "reflection": ([], lambda w: w.reflection.title),
    "badge": (["badge page", "badge image", "badge report"], lambda w: w.badge.name),
}


def get_all(client: Client, world: Shared, token: str) -> dict[str, int]:
    statuses = {}
    for name, url in SHARE_URLS.items():
        response = client.get(url(world, token))
        body(response)
        statuses[name] = response.status_code
    return statuses


def expected_ok(world: Shared, name: str, response: Any) -> None:
    """`response` is what the link should give for `name`: the item itself."""
    assert response.status_code == 200, name
    data = body(response)
    if name == "page":
        html = data.decode()
        for title in [*titles(world), LEARNER_NAME]:
            assert title in html
    elif name == "badge page":
        assert world.badge.name in data.decode()
    elif name == "badge report":
        assert response["Content-Type"].startswith("application/json")
        report = json.loads(data)
        assert report["badge"]["name"] == world.badge.name
        assert report["verification"]["status"] == "verified"
    elif name == "pdf file":
        assert response["Content-Type"] == "application/pdf"
        assert data.startswith(b"%PDF") and PDF_TEXT.encode() in data
    else:
        assert response["Content-Type"].startswith("image/")
        assert data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8")


@pytest.mark.parametrize("name", SHARE_URLS)
def test_the_link_opens_every_part_of_its_showcase(
    client: Client, world: Shared, name: str
) -> None:
    response = client.get(SHARE_URLS[name](world, world.token))

    expected_ok(world, name, response)


def test_the_shared_page_points_at_files_through_the_link_only(
    client: Client, world: Shared
) -> None:
    html = text(client.get(PAGE(world, world.token)))

    for name in ("image file", "badge page", "badge image", "pdf file"):
        assert f'"{ITEM_URLS[name](world, world.token)}"' in html
    assert f'"{reverse("artefacts:file", args=[world.image.public_id])}"' not in html
    assert f'"{reverse("badges:detail", args=[world.badge.public_id])}"' not in html


@pytest.mark.parametrize("name", SHARE_URLS)
def test_a_wrong_token_is_not_found(client: Client, world: Shared, name: str) -> None:
    wrong = secrets.token_urlsafe(24)

    assert client.get(SHARE_URLS[name](world, wrong)).status_code == 404


def _assert_inactive(world: Shared, response: Any) -> None:
    assert response.status_code == 410
    html = text(response)
    assert INACTIVE in html
    for secret in [*titles(world), LEARNER_NAME]:
        assert secret not in html


@pytest.mark.parametrize("name", SHARE_URLS)
def test_an_expired_link_shows_a_polite_page_without_naming_the_learner(
    client: Client, world: Shared, name: str
) -> None:
    expired = services.link_create(
        showcase=world.showcase,
        label="Old application",
        expires_on=timezone.localdate() - timedelta(days=1),
    )

    _assert_inactive(world, client.get(SHARE_URLS[name](world, expired.token)))


@pytest.mark.parametrize("name", SHARE_URLS)
def test_a_link_still_works_on_its_last_day(client: Client, world: Shared, name: str) -> None:
    last_day = services.link_create(
        showcase=world.showcase, label="Closing today", expires_on=timezone.localdate()
    )

    expected_ok(world, name, client.get(SHARE_URLS[name](world, last_day.token)))


@pytest.mark.parametrize("name", SHARE_URLS)
def test_a_revoked_link_is_inactive_everywhere(client: Client, world: Shared, name: str) -> None:
    services.link_revoke(link=world.link)

    _assert_inactive(world, client.get(SHARE_URLS[name](world, world.token)))


def test_revoking_stops_the_page_and_every_file_on_the_next_request(
    client: Client, people: People, world: Shared
) -> None:
    viewer = Client()
    assert set(get_all(viewer, world, world.token).values()) == {200}
    client.force_login(people.learner)

    response = client.post(
        reverse("showcases:link_revoke", args=[world.showcase.public_id, world.link.public_id])
    )

    assert response.status_code == 302
    assert set(get_all(viewer, world, world.token).values()) == {410}
    assert viewer.get(PAGE(world, world.other_token)).status_code == 200  # other links work


@pytest.mark.parametrize("name", SHARE_URLS)
def test_archiving_a_showcase_stops_its_links(client: Client, world: Shared, name: str) -> None:
    services.showcase_archive(showcase=world.showcase, archived=True)

    _assert_inactive(world, client.get(SHARE_URLS[name](world, world.token)))


def test_restoring_an_archived_showcase_brings_its_links_back(
    client: Client, people: People, world: Shared
) -> None:
    owner = Client()
    owner.force_login(people.learner)
    archive = reverse("showcases:archive", args=[world.showcase.public_id])
    owner.post(archive)
    assert set(get_all(client, world, world.token).values()) == {410}

    owner.post(archive)

    assert set(get_all(client, world, world.token).values()) == {200}


@pytest.mark.parametrize("name", ITEM_URLS)
def test_a_link_to_another_showcase_cannot_reach_this_ones_items(
    client: Client, world: Shared, name: str
) -> None:
    assert client.get(ITEM_URLS[name](world, world.other_token)).status_code == 404


def test_a_link_to_another_showcase_shows_only_that_showcase(client: Client, world: Shared) -> None:
    html = text(client.get(PAGE(world, world.other_token)))
    own_file = client.get(
        reverse("share:file", args=[world.other_token, world.other_item.public_id])
    )

    assert world.other.title in html and world.other_item.title in html
    for title in titles(world):
        assert title not in html
    assert own_file.status_code == 200
    body(own_file)


def _not_shared_any_more(client: Client, world: Shared, item: str) -> None:
    """The item is gone from the page and its URLs, and everything else still works."""
    urls, title = ITEMS[item]
    html = text(client.get(PAGE(world, world.token)))
    assert title(world) not in html
    for name, url in ITEM_URLS.items():
        response = client.get(url(world, world.token))
        body(response)
        assert response.status_code == (404 if name in urls else 200), name
    for other, (_urls, other_title) in ITEMS.items():
        if other != item:
            assert other_title(world) in html


def _item_of(world: Shared, item: str) -> ShowcaseItem:
    field = item if item in ("reflection", "badge") else "artefact"
    return ShowcaseItem.objects.get(
        section__showcase=world.showcase, **{field: getattr(world, item)}
    )


@pytest.mark.parametrize("item", ITEMS)
def test_an_item_removed_from_the_showcase_after_sharing_is_no_longer_shared(
    client: Client, world: Shared, item: str
) -> None:
    services.item_remove(item=_item_of(world, item))

    _not_shared_any_more(client, world, item)


def _make_private(world: Shared, item: str) -> None:
    if item == "badge":
        badge_update(badge=world.badge, note="", visibility="private")
    elif item == "reflection":
        reflection_update(
            reflection=world.reflection,
            data=ReflectionInput(
                title=world.reflection.title,
                body_markdown=world.reflection.body_markdown,
                visibility="private",
            ),
        )
    else:
        artefact = getattr(world, item)
        artefact_update(
            artefact=artefact, details=Details(title=artefact.title, visibility="private")
        )


@pytest.mark.parametrize("item", ITEMS)
def test_an_item_made_private_after_sharing_is_no_longer_shared(
    client: Client, world: Shared, item: str
) -> None:
    _make_private(world, item)

    _not_shared_any_more(client, world, item)


@pytest.mark.parametrize("item", ITEMS)
def test_an_item_made_private_is_left_out_of_the_owners_preview_but_kept_in_the_editor(
    client: Client, people: People, world: Shared, item: str
) -> None:
    _make_private(world, item)
    client.force_login(people.learner)

    preview = text(client.get(reverse("showcases:preview", args=[world.showcase.public_id])))
    editor = text(client.get(reverse("showcases:detail", args=[world.showcase.public_id])))

    assert ITEMS[item][1](world) not in preview
    assert ITEMS[item][1](world) in editor
    assert "Private: hidden from people you share with" in editor


@pytest.mark.parametrize("item", ITEMS)
def test_an_item_deleted_after_sharing_disappears_from_the_showcase(
    client: Client, world: Shared, item: str
) -> None:
    if item == "badge":
        badge_delete(badge=world.badge)
    elif item == "reflection":
        reflection_delete(reflection=world.reflection)
    else:
        artefact_delete(artefact=getattr(world, item))

    _not_shared_any_more(client, world, item)


# --- Headers ----------------------------------------------------------------------------

SHARED_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "private, no-store",
}
ROBOTS_META = '<meta name="robots" content="noindex, nofollow">'


@pytest.mark.parametrize("name", SHARE_URLS)
@pytest.mark.parametrize("state", ["active", "revoked", "passphrase"])
def test_every_shared_response_keeps_out_of_search_engines_referrers_and_caches(
    client: Client, world: Shared, name: str, state: str
) -> None:
    token = world.token
    if state == "revoked":
        services.link_revoke(link=world.link)
    elif state == "passphrase":
        token = services.link_create(
            showcase=world.showcase, label="Guarded", passphrase=PASSPHRASE
        ).token

    response = client.get(SHARE_URLS[name](world, token))

    locked = 200 if name == "page" else 403  # only the page asks for the passphrase
    assert response.status_code == {"active": 200, "revoked": 410, "passphrase": locked}[state]
    for header, value in SHARED_HEADERS.items():
        assert response[header] == value, header
    data = body(response)
    if response["Content-Type"].startswith("text/html"):
        assert ROBOTS_META in data.decode()


# --- Passphrases ------------------------------------------------------------------------


@pytest.fixture
def guarded(world: Shared) -> str:
    """The token of a passphrase-protected link to the learner's showcase."""
    return services.link_create(
        showcase=world.showcase, label="Guarded", passphrase=PASSPHRASE
    ).token


@pytest.mark.parametrize("name", SHARE_URLS)
def test_a_passphrase_link_shows_nothing_before_the_passphrase(
    client: Client, world: Shared, guarded: str, name: str
) -> None:
    response = client.get(SHARE_URLS[name](world, guarded))

    html = text(response)
    if name == "page":
        assert response["Content-Type"].startswith("text/html")
        assert PASSPHRASE_PROMPT in html
    else:  # files and badge pages behind a locked link: a plain refusal, no form
        assert response.status_code == 403
        assert "give its passphrase first" in html
    for secret in [*titles(world), LEARNER_NAME, PDF_TEXT]:
        assert secret not in html


def test_a_wrong_passphrase_is_refused_with_a_clear_message(
    client: Client, world: Shared, guarded: str
) -> None:
    response = client.post(PAGE(world, guarded), {"passphrase": "grey heron at dusk"})

    assert response.status_code == 403
    html = text(response)
    assert "That passphrase is not right" in html
    assert world.showcase.title not in html


def test_the_sixth_wrong_passphrase_within_15_minutes_is_refused_as_too_many(
    client: Client, world: Shared, guarded: str
) -> None:
    statuses = [
        client.post(PAGE(world, guarded), {"passphrase": f"guess {n}"}).status_code
        for n in range(5)
    ]
    sixth = client.post(PAGE(world, guarded), {"passphrase": "guess 6"})
    even_the_right_one = client.post(PAGE(world, guarded), {"passphrase": PASSPHRASE})

    assert statuses == [403] * 5
    assert sixth.status_code == 429
    assert "Too many wrong attempts" in text(sixth)
    assert even_the_right_one.status_code == 429
    assert world.showcase.title not in text(client.get(PAGE(world, guarded)))


def test_the_right_passphrase_unlocks_the_link_for_this_session_only(
    client: Client, world: Shared, guarded: str
) -> None:
    unlocked = client.post(PAGE(world, guarded), {"passphrase": PASSPHRASE})

    assert unlocked.status_code == 302 and unlocked["Location"] == PAGE(world, guarded)
    for name, url in SHARE_URLS.items():
        expected_ok(world, name, client.get(url(world, guarded)))
    assert PASSPHRASE_PROMPT in text(Client().get(PAGE(world, guarded)))


def test_an_unlocked_session_loses_access_when_the_link_is_revoked(
    client: Client, world: Shared, guarded: str
) -> None:
    client.post(PAGE(world, guarded), {"passphrase": PASSPHRASE})
    services.link_revoke(link=ShareLink.objects.get(label="Guarded"))

    assert set(get_all(client, world, guarded).values()) == {410}


def test_unlocking_one_link_does_not_unlock_another(
    client: Client, world: Shared, guarded: str
) -> None:
    second = services.link_create(showcase=world.showcase, label="Second", passphrase=PASSPHRASE)
    client.post(PAGE(world, guarded), {"passphrase": PASSPHRASE})

    assert PASSPHRASE_PROMPT in text(client.get(PAGE(world, second.token)))


# --- Opens and the first-open email -----------------------------------------------------


def test_each_page_view_counts_as_an_open_and_file_fetches_do_not(
    client: Client, world: Shared
) -> None:
    client.get(PAGE(world, world.token))
    client.get(PAGE(world, world.token))
    for url in ITEM_URLS.values():
        body(client.get(url(world, world.token)))

    link_opens_fold()  # with Redis, openings after the first are counted there first
    link = ShareLink.objects.get(pk=world.link.pk)
    assert link.open_count == 2
    assert link.first_opened_at is not None and link.last_opened_at is not None
    assert link.first_opened_at <= link.last_opened_at
    assert ShareLink.objects.get(pk=world.other_link.pk).open_count == 0


def test_inactive_links_passphrase_prompts_head_requests_and_previews_are_not_opens(
    client: Client, people: People, world: Shared, guarded: str
) -> None:
    expired = services.link_create(
        showcase=world.showcase, label="Expired", expires_on=timezone.localdate() - timedelta(1)
    )
    client.get(PAGE(world, expired.token))
    client.get(PAGE(world, guarded))
    client.post(PAGE(world, guarded), {"passphrase": "wrong guess"})
    client.head(PAGE(world, world.token))  # a link checker, not a reader
    owner = Client()
    owner.force_login(people.learner)
    owner.get(reverse("showcases:preview", args=[world.showcase.public_id]))

    assert list(ShareLink.objects.values_list("open_count", flat=True)) == [0, 0, 0, 0]


def test_the_first_open_emails_the_learner_once_when_asked(
    client: Client, people: People, world: Shared, django_capture_on_commit_callbacks: Any
) -> None:
    watched = services.link_create(
        showcase=world.showcase, label="Acme Ltd recruiter", notify_on_first_open=True
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.get(PAGE(world, watched.token))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(PAGE(world, watched.token))
        body(client.get(ITEM_URLS["pdf file"](world, watched.token)))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people.learner.email]
    assert world.showcase.title in message.subject
    assert "Acme Ltd recruiter" in message.body
    assert watched.token not in message.body
    link_opens_fold()
    assert ShareLink.objects.get(pk=watched.link.pk).open_count == 2


def test_no_email_for_a_link_made_without_the_first_open_notice(
    client: Client, world: Shared, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.get(PAGE(world, world.token))

    assert callbacks == []
    assert mail.outbox == []
    assert ShareLink.objects.get(pk=world.link.pk).open_count == 1


# --- Only the token's hash is stored ----------------------------------------------------


def _stored(link: ShareLink) -> str:
    row = ShareLink.objects.filter(pk=link.pk).values().get()
    return json.dumps(row, default=str)


def test_only_a_hash_of_the_token_is_stored_and_the_link_is_shown_once(
    client: Client, people: People, world: Shared
) -> None:
    client.force_login(people.learner)
    links = reverse("showcases:links", args=[world.showcase.public_id])

    response = client.post(links, {"label": "Acme", "passphrase": PASSPHRASE}, follow=True)

    new_url = response.context["new_link"]["url"]
    token = new_url.rstrip("/").rsplit("/", 1)[1]
    assert new_url.endswith(reverse("share:showcase", args=[token]))
    link = ShareLink.objects.get(label="Acme")
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    Client().post(new_url, {"passphrase": PASSPHRASE})  # opened and unlocked once
    for row in ShareLink.objects.all():
        stored = _stored(row)
        assert token not in stored and world.token not in stored
        assert PASSPHRASE not in stored
    assert token not in text(client.get(links))


# --- Owner pages ------------------------------------------------------------------------


def _section(world: Shared) -> Section:
    return world.showcase.sections.order_by("position", "pk")[0]


def _pdf_item(world: Shared) -> ShowcaseItem:
    return ShowcaseItem.objects.get(section__showcase=world.showcase, artefact=world.pdf)


@dataclass(frozen=True)
class Call:
    url: Callable[[Shared], str]
    post: Callable[[Shared], dict[str, Any] | list[int]] | None = None  # None: a GET
    owner_gets: int = 200


def _sc(name: str) -> Callable[[Shared], str]:
    return lambda w: reverse(f"showcases:{name}", args=[w.showcase.public_id])


def _sec(name: str) -> Callable[[Shared], str]:
    return lambda w: reverse(f"showcases:{name}", args=[w.showcase.public_id, _section(w).pk])


ITEM_EDIT = lambda w: reverse(  # noqa: E731
    "showcases:item_edit", args=[w.showcase.public_id, _pdf_item(w).pk]
)
LINK_REVOKE = lambda w: reverse(  # noqa: E731
    "showcases:link_revoke", args=[w.showcase.public_id, w.link.public_id]
)

# Every request of the owner's pages; writes use the data that would do the most harm.
SHOWCASE_CALLS: dict[str, Call] = {
    "detail": Call(_sc("detail")),
    "edit": Call(_sc("edit")),
    "edit (save)": Call(_sc("edit"), lambda w: {"title": "Renamed", "theme": "modern"}, 302),
    "picker": Call(lambda w: _sc("picker")(w) + "?q=Risk"),
    "preview": Call(_sc("preview")),
    "duplicate": Call(_sc("duplicate"), lambda w: {}, 302),
    "archive": Call(_sc("archive"), lambda w: {}, 302),
    "delete": Call(_sc("delete")),
    "delete (confirm)": Call(_sc("delete"), lambda w: {}, 302),
    "section_add": Call(_sc("section_add"), lambda w: {"heading": "More"}, 302),
    "section_edit": Call(_sec("section_edit")),
    "section_edit (delete)": Call(_sec("section_edit"), lambda w: {"delete": "1"}, 302),
    "section_move": Call(_sec("section_move"), lambda w: {"direction": "down"}, 302),
    "items_add": Call(
        _sec("items_add"), lambda w: {"items": [f"artefact:{w.other_item.public_id}"]}, 302
    ),
    "section_reorder": Call(
        _sec("section_reorder"),
        lambda w: [i.pk for i in _section(w).items.order_by("-position")],
    ),
    "item_edit": Call(ITEM_EDIT, lambda w: {"remove": "1"}, 302),
    "items_save": Call(
        _sc("items_save"),
        lambda w: {f"caption-{_pdf_item(w).pk}": "Hijacked", "remove": str(_pdf_item(w).pk)},
        302,
    ),
    "links": Call(_sc("links")),
    "links (create)": Call(_sc("links"), lambda w: {"label": "Spy"}, 302),
    "link_revoke": Call(LINK_REVOKE, lambda w: {}, 302),
}
OTHER_CALLS: dict[str, Call] = {
    "list": Call(lambda w: reverse("showcases:list")),
    "create": Call(lambda w: reverse("showcases:create")),
    "create (save)": Call(
        lambda w: reverse("showcases:create"), lambda w: {"title": "New", "theme": "classic"}, 302
    ),
    "promote": Call(
        lambda w: reverse("showcases:promote"),
        lambda w: {
            "items": [f"artefact:{w.other_item.public_id}"],
            "showcase": str(w.showcase.public_id),
        },
        302,
    ),
}
ALL_CALLS = {**SHOWCASE_CALLS, **OTHER_CALLS}


def call(client: Client, world: Shared, name: str) -> Any:
    spec = ALL_CALLS[name]
    url = spec.url(world)
    if spec.post is None:
        return client.get(url)
    data = spec.post(world)
    if isinstance(data, list):
        return client.post(url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


def state() -> tuple[list[Any], ...]:
    """Everything a showcase request could change."""
    return (
        list(
            Showcase.objects.order_by("pk").values_list("owner_id", "title", "theme", "archived_at")
        ),
        list(Section.objects.order_by("pk").values_list("showcase_id", "heading", "position")),
        list(
            ShowcaseItem.objects.order_by("pk").values_list(
                "section_id", "artefact_id", "reflection_id", "badge_id", "caption", "position"
            )
        ),
        list(ShareLink.objects.order_by("pk").values_list("label", "revoked_at")),
    )


@pytest.mark.parametrize("name", ALL_CALLS)
def test_the_owner_reaches_every_showcase_page(
    client: Client, people: People, world: Shared, name: str
) -> None:
    client.force_login(people.learner)
    before = state()

    response = call(client, world, name)

    assert response.status_code == ALL_CALLS[name].owner_gets
    # Writes change something (so "nothing changed" below means something); reads do not.
    assert (state() != before) == (ALL_CALLS[name].post is not None)


STRANGE_LEARNERS: dict[str, Callable[[People], Any]] = {
    "a classmate": lambda p: p.classmate,
    "a learner of another cohort": lambda p: p.outsider,
}
STAFF: dict[str, Callable[[People], Any]] = {
    "the learner's tutor": lambda p: p.tutor,
    "another tutor": lambda p: p.other_tutor,
    "an institution admin": lambda p: p.admin,
}


@pytest.mark.parametrize("name", SHOWCASE_CALLS)
@pytest.mark.parametrize("who", STRANGE_LEARNERS)
def test_another_learner_cannot_find_someone_elses_showcase(
    client: Client, people: People, world: Shared, name: str, who: str
) -> None:
    client.force_login(STRANGE_LEARNERS[who](people))
    before = state()

    assert call(client, world, name).status_code == 404
    assert state() == before


@pytest.mark.parametrize("who", STRANGE_LEARNERS)
def test_another_learner_cannot_promote_into_someone_elses_showcase(
    client: Client, people: People, world: Shared, who: str
) -> None:
    stranger = STRANGE_LEARNERS[who](people)
    own = link_artefact(stranger, title="Stranger's link")
    client.force_login(stranger)
    before = state()

    response = client.post(
        reverse("showcases:promote"),
        {"items": [f"artefact:{own.public_id}"], "showcase": str(world.showcase.public_id)},
    )

    assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("who", STRANGE_LEARNERS)
def test_another_learners_showcase_list_does_not_show_mine(
    client: Client, people: People, world: Shared, who: str
) -> None:
    client.force_login(STRANGE_LEARNERS[who](people))

    response = client.get(reverse("showcases:list"))

    assert response.status_code == 200
    assert world.showcase.title not in text(response)


@pytest.mark.parametrize("name", ALL_CALLS)
@pytest.mark.parametrize("who", STAFF)
def test_tutors_and_admins_are_refused_every_showcase_page(
    client: Client, people: People, world: Shared, name: str, who: str
) -> None:
    client.force_login(STAFF[who](people))
    before = state()

    assert call(client, world, name).status_code == 403
    assert state() == before


@pytest.mark.parametrize("name", ALL_CALLS)
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, world: Shared, name: str) -> None:
    before = state()

    response = call(client, world, name)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert state() == before


# --- Mixing one learner's objects into another's showcase -------------------------------


@pytest.fixture
def classmates(people: People) -> Showcase:
    """The classmate's own showcase, with one item and one link."""
    showcase = showcase_with(people.classmate, {"Mine": [link_artefact(people.classmate)]})
    services.link_create(showcase=showcase, label="Classmate's link")
    return showcase


def test_someone_elses_evidence_is_refused_when_adding_items(
    client: Client, people: People, world: Shared
) -> None:
    # Refused like evidence that does not exist, and nothing of the list is added.
    theirs = link_artefact(people.classmate, title="Classmate's evidence")
    client.force_login(people.learner)
    url = reverse("showcases:items_add", args=[world.showcase.public_id, _section(world).pk])

    alone = client.post(url, {"items": [f"artefact:{theirs.public_id}"]})
    mixed = client.post(
        url, {"items": [f"artefact:{theirs.public_id}", f"artefact:{world.other_item.public_id}"]}
    )

    assert alone.status_code == mixed.status_code == 400
    assert "Nothing was added" in text(alone)
    assert not ShowcaseItem.objects.filter(artefact=theirs).exists()
    assert not ShowcaseItem.objects.filter(artefact=world.other_item, section=_section(world))


def test_a_learner_cannot_reorder_items_in_someone_elses_section(
    client: Client, people: People, world: Shared, classmates: Showcase
) -> None:
    section = _section(world)
    theirs = list(section.items.order_by("position").values_list("pk", "position"))
    their_ids = [pk for pk, _position in reversed(theirs)]
    own_section = classmates.sections.get()
    client.force_login(people.classmate)

    through_own_showcase = client.post(
        reverse("showcases:section_reorder", args=[classmates.public_id, section.pk]),
        json.dumps(their_ids),
        content_type="application/json",
    )
    into_own_section = client.post(
        reverse("showcases:section_reorder", args=[classmates.public_id, own_section.pk]),
        json.dumps(their_ids),
        content_type="application/json",
    )

    assert through_own_showcase.status_code == 404
    assert into_own_section.status_code == 200  # their ids are ignored
    assert list(section.items.order_by("position").values_list("pk", "position")) == theirs
    assert not own_section.items.filter(pk__in=their_ids).exists()


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("section_edit", {"delete": "1"}),
        ("section_move", {"direction": "down"}),
        ("items_add", {"items": []}),
        ("item_edit", {"remove": "1"}),
        ("link_revoke", {}),
    ],
)
def test_someone_elses_section_item_or_link_cannot_be_reached_through_ones_own_showcase(
    client: Client,
    people: People,
    world: Shared,
    classmates: Showcase,
    url_name: str,
    data: dict[str, Any],
) -> None:
    target = {
        "item_edit": _pdf_item(world).pk,
        "link_revoke": world.link.public_id,
    }.get(url_name, _section(world).pk)
    client.force_login(people.classmate)
    before = state()

    response = client.post(
        reverse(f"showcases:{url_name}", args=[classmates.public_id, target]), data
    )

    assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("choice", ["", "not-a-uuid"])
def test_promoting_into_a_showcase_id_that_is_not_a_uuid_is_not_found(
    client: Client, people: People, world: Shared, choice: str
) -> None:
    client.force_login(people.learner)
    before = state()

    response = client.post(
        reverse("showcases:promote"),
        {"items": [f"artefact:{world.other_item.public_id}"], "showcase": choice},
    )

    assert response.status_code == 404
    assert state() == before
