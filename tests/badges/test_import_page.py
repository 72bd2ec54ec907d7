"""The badge import page: which of the three ways to use, and only the chosen one counts."""

import re
from html import unescape

from django.test import Client
from django.urls import reverse

from badges.models import Badge
from tests.badges.issuers import (
    OB3,
    earner,
    earner_client,
    form_errors,
    import_badge,
    serve_ob3_issuer,
    text,
)
from tests.fakeweb import FakeWeb

__all__ = ["earner", "earner_client"]  # fixtures


def page_text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_page_says_when_to_use_each_way(earner_client: Client) -> None:
    html = earner_client.get(reverse("badges:import")).content.decode()
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
    assert [unescape(h) for h in headings] == [
        "Upload the badge image",
        "Paste the badge's JSON or signed token",
        "Give the badge's web address",
    ]
    words = page_text(html)
    assert "picture file (PNG or SVG), for example attached to the issuer's email" in words
    assert "JSON that starts with {, or a long signed token" in words
    assert "“View badge” link in the issuer's email" in words
    # A choice of method, so a browser can show just the one that applies.
    assert words.count("How do you have your badge?") == 1
    assert len(re.findall(r'<input type="radio" name="method"', html)) == 3


def test_the_chosen_way_counts_and_what_was_left_in_the_others_is_ignored(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    serve_ob3_issuer(fake_web)
    response = import_badge(
        earner_client, method="text", text=text(OB3 / "simple.json"), url="not a web address"
    )
    assert response.status_code == 302
    assert Badge.objects.count() == 1


def test_a_chosen_way_left_empty_says_what_to_give(earner_client: Client) -> None:
    response = import_badge(earner_client, method="url", text='{"left": "over"}')
    assert response.status_code == 400
    assert form_errors(response) == "Enter the badge's web address."
    assert 'id="id_url_error"' in response.content.decode()
    assert not Badge.objects.exists()


def test_without_a_choice_two_ways_at_once_are_still_refused(earner_client: Client) -> None:
    response = import_badge(earner_client, text="{}", url="https://badges.test/a/1")
    assert response.status_code == 400
    assert "Use one way at a time" in form_errors(response)
    assert "Use one way at a time" in page_text(response.content.decode())
    assert not Badge.objects.exists()


def test_without_a_choice_or_a_badge_the_page_asks_for_one(earner_client: Client) -> None:
    response = import_badge(earner_client)
    assert response.status_code == 400
    assert "Give us the badge one way" in page_text(response.content.decode())
