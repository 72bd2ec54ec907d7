"""What first-time users of share links ran into (issue 12): a passphrase form that the
browser's own referrer policy broke, item counts multiplied by links, a reload that made
a second link, empty sections shown to employers, no way to copy a new link, and paper
copies without the badges' verification addresses."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from badges.services import badge_update
from portfolio.models import ShareLink, Showcase
from portfolio.showcases import services
from tests.conftest import People
from tests.portfolio.showcase_data import (
    Shared,
    badge,
    link_artefact,
    reflection,
    shared_showcase,
    showcase_with,
)

PASSPHRASE = "blue heron at dawn"


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    """Share links and printed addresses are on the site's public address (SITE_URL),
    not the address a request happened to use."""
    settings.SITE_URL = "https://portfolio.example.org"


@pytest.fixture
def world(people: People) -> Shared:
    return shared_showcase(people.learner)


@pytest.fixture
def learner_client(client: Client, people: People) -> Client:
    client.force_login(people.learner)
    return client


def page(token: str) -> str:
    return reverse("share:showcase", args=[token])


# --- 1. Passphrase links open; nothing leaks to other sites ------------------------------


@pytest.mark.parametrize("guarded", [False, True], ids=["showcase", "passphrase prompt"])
def test_shared_pages_keep_the_referrer_to_this_site_so_forms_carry_their_origin(
    client: Client, world: Shared, guarded: bool
) -> None:
    """Under "no-referrer" browsers send "Origin: null" with the passphrase form, and the
    CSRF check refuses it. "same-origin" sends nothing to other sites either."""
    token = world.token
    if guarded:
        token = services.link_create(
            showcase=world.showcase, label="Guarded", passphrase=PASSPHRASE
        ).token

    response = client.get(page(token))

    assert response["Referrer-Policy"] == "same-origin"
    html = response.content.decode()
    assert '<meta name="referrer" content="same-origin">' in html
    assert "no-referrer" not in html.replace("noreferrer", "")


def test_every_link_to_another_site_on_the_shared_page_sends_no_referrer(
    client: Client, people: People
) -> None:
    blog = link_artefact(people.learner, title="My blog post")
    showcase = showcase_with(people.learner, {"Writing": [blog]})
    services.item_update(item=blog.showcase_items.get(), caption="See https://example.com/x")
    token = services.link_create(showcase=showcase, label="Acme").token

    html = client.get(page(token)).content.decode()

    outside = re.findall(r'<a [^>]*href="https?://[^"]*"[^>]*>', html)
    assert outside, html
    for tag in outside:
        assert re.search(r'rel="[^"]*\bnoreferrer\b', tag), tag


def test_the_right_passphrase_passes_the_csrf_check_and_opens_the_showcase(
    world: Shared,
) -> None:
    guarded = services.link_create(showcase=world.showcase, label="Guarded", passphrase=PASSPHRASE)
    employer = Client(enforce_csrf_checks=True)
    prompt = employer.get(page(guarded.token))
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', prompt.content.decode())
    assert csrf is not None

    unlocked = employer.post(
        page(guarded.token),
        {"csrfmiddlewaretoken": csrf.group(1), "passphrase": PASSPHRASE},
        headers={"Origin": "http://testserver"},
    )

    # Post/redirect/get: a reload of the showcase does not send the passphrase again.
    assert unlocked.status_code == 302
    assert unlocked["Location"] == page(guarded.token)
    assert world.showcase.title in employer.get(unlocked["Location"]).content.decode()


def test_wrong_passphrases_lock_out_only_the_link_they_were_tried_on(world: Shared) -> None:
    first = services.link_create(showcase=world.showcase, label="First", passphrase=PASSPHRASE)
    second = services.link_create(showcase=world.showcase, label="Second", passphrase=PASSPHRASE)
    employer = Client()
    for n in range(services.PASSPHRASE_ATTEMPTS):
        employer.post(page(first.token), {"passphrase": f"guess {n}"})

    locked = employer.post(page(first.token), {"passphrase": PASSPHRASE})
    other = employer.post(page(second.token), {"passphrase": PASSPHRASE})

    assert locked.status_code == 429
    assert other.status_code == 302


# --- 4. The showcase list counts items and links apart -----------------------------------


def _showcase(owner: Any, items: int, links: int, title: str = "For Acme") -> Showcase:
    targets = [link_artefact(owner, title=f"Work {i}") for i in range(items)]
    showcase = showcase_with(owner, {"Projects": targets[::2], "More": targets[1::2]}, title)
    for n in range(links):
        services.link_create(showcase=showcase, label=f"Link {n}")
    return showcase


def test_the_showcase_list_counts_items_whatever_the_number_of_links(
    learner_client: Client, people: People
) -> None:
    _showcase(people.learner, items=6, links=3)

    html = learner_client.get(reverse("showcases:list")).content.decode()

    assert "6 items · 3 links" in html


@pytest.mark.parametrize("showcases", [1, 12])
def test_the_showcase_list_runs_the_same_queries_whatever_its_size(
    learner_client: Client, people: People, django_assert_max_num_queries: Any, showcases: int
) -> None:
    for n in range(showcases):
        _showcase(people.learner, items=2, links=2, title=f"Showcase {n}")

    # session, user; the showcases with both counts
    with django_assert_max_num_queries(3):
        response = learner_client.get(reverse("showcases:list"))

    assert response.content.decode().count("2 items · 2 links") == showcases


# --- 5. A new link is made once and shown once -------------------------------------------


def _make_link(client: Client, showcase: Showcase, label: str = "Acme HR") -> Any:
    url = reverse("showcases:links", args=[showcase.public_id])
    return client.post(url, {"label": label, "expires_on": "", "passphrase": PASSPHRASE})


def test_making_a_link_redirects_so_a_reload_makes_nothing(
    learner_client: Client, people: People
) -> None:
    showcase = _showcase(people.learner, items=1, links=0)
    links_url = reverse("showcases:links", args=[showcase.public_id])

    made = _make_link(learner_client, showcase)
    shown = learner_client.get(made["Location"]).content.decode()
    reloaded = learner_client.get(made["Location"]).content.decode()

    assert made.status_code == 302 and made["Location"] == links_url
    token = re.search(r'value="https://portfolio.example.org/s/([^/"]+)/"', shown)
    assert token is not None
    assert ShareLink.objects.get(showcase=showcase).label == "Acme HR"
    assert token.group(1) not in reloaded
    assert "Your new link" not in reloaded


def test_a_new_link_is_shown_only_on_its_own_showcases_page(
    learner_client: Client, people: People
) -> None:
    mine = _showcase(people.learner, items=1, links=0)
    other = _showcase(people.learner, items=1, links=0, title="Other")
    _make_link(learner_client, mine)

    elsewhere = learner_client.get(reverse("showcases:links", args=[other.public_id]))
    home = learner_client.get(reverse("showcases:links", args=[mine.public_id]))

    assert "Your new link" not in elsewhere.content.decode()
    assert "Your new link for Acme HR" in home.content.decode()


# --- 12. Viewers never see empty sections ------------------------------------------------


def test_viewers_see_only_sections_with_something_to_show(
    client: Client, learner_client: Client, people: People
) -> None:
    learner_client.post(reverse("showcases:create"), {"title": "For Acme", "theme": "classic"})
    showcase = Showcase.objects.get(title="For Acme")  # with its empty "My best work"
    hidden = badge(people.learner, name="Secret badge")
    shown = reflection(people.learner, title="What I learned")
    for heading, targets in (("Only private", [hidden]), ("Thinking", [shown])):
        section = services.section_add(showcase=showcase, heading=heading)
        services.items_add(section=section, targets=targets)
    badge_update(badge=hidden, note="", visibility="private")
    token = services.link_create(showcase=showcase, label="Acme").token

    preview = reverse("showcases:preview", args=[showcase.public_id])
    for html in (
        client.get(page(token)).content.decode(),
        learner_client.get(preview).content.decode(),
    ):
        assert "Thinking" in html and "What I learned" in html
        for absent in ("My best work", "Only private", "Secret badge", "Nothing in this section"):
            assert absent not in html
    editor = learner_client.get(showcase.get_absolute_url()).content.decode()
    assert "My best work" in editor and "Only private" in editor


# --- 13. The new link's block takes focus and offers "Copy link" --------------------------


def test_the_new_link_block_takes_focus_and_offers_a_copy_button(
    learner_client: Client, people: People
) -> None:
    showcase = _showcase(people.learner, items=1, links=0)

    html = learner_client.get(_make_link(learner_client, showcase)["Location"]).content.decode()

    heading = re.search(r"<h2 [^>]*>Your new link for Acme HR</h2>", html)
    assert heading is not None
    assert 'tabindex="-1"' in heading.group() and "autofocus" in heading.group()
    # Without scripts the link is plain selectable text and the button stays hidden.
    assert re.search(
        r'<input id="new-link" type="text" readonly value="https://portfolio.example.org/s/', html
    )
    button = re.search(r"<button [^>]*data-copy=\"new-link\"[^>]*>Copy link</button>", html)
    assert button is not None and " hidden>" in button.group()
    assert re.search(r'<p id="new-link-status"[^>]*role="status"', html)
    assert "js/share-link.js" in html
    assert finders.find("js/share-link.js")


# --- 18 and 19. Long URLs wrap; paper gets addresses, not buttons ------------------------


def _stylesheet(html: str, name: str) -> str:
    href = re.search(rf'href="{settings.STATIC_URL}(css/{name}[^"]*)"', html)
    assert href is not None, html
    found = finders.find(href.group(1))
    assert found, href.group(1)
    return Path(str(found)).read_text()


def _print_rules(css: str) -> str:
    start = css.index("@media print {")
    return css[start : css.index("\n}", start)]


def test_the_shared_page_prints_badge_verification_addresses_and_no_buttons(
    client: Client, world: Shared
) -> None:
    html = client.get(page(world.token)).content.decode()

    verify = reverse("share:badge", args=[world.token, world.badge.public_id])
    assert f'<span class="print-url">https://portfolio.example.org{verify}</span>' in html
    # Paper cannot download: it says which file there is instead.
    assert re.search(r'<p class="print-only">File: risk-assessment\.pdf \([^)]+\), with', html)
    rules = _print_rules(_stylesheet(html, "showcase.css"))
    hidden = re.search(r"\n\s*([^{}]*)\{ display: none; \}", rules)
    assert hidden is not None
    for what in (".button", "button", "form", "nav"):
        assert what in [s.strip() for s in hidden.group(1).split(",")]
    assert ".print-only { display: block; }" in rules
    assert re.search(r'a\[href\^="http"\][^{]*::after \{ content: " \(" attr\(href\) "\)"', rules)


def test_long_addresses_wrap_on_the_shared_page(client: Client, world: Shared) -> None:
    css = _stylesheet(client.get(page(world.token)).content.decode(), "showcase.css")

    assert ".shared-main { overflow-wrap: anywhere; }" in css
