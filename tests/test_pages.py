"""The site's look: layout landmarks, one h1, and error pages in the site's style."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.conftest import People

PUBLIC_PAGES = ["home", "account_login", "account_signup", "account_reset_password"]


def _h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_have_landmarks_skip_link_and_one_h1(
    client: Client, db: None, name: str
) -> None:
    html = client.get(reverse(name)).content.decode()
    assert 'href="#main"' in html and '<main id="main"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html
    assert _h1_count(html) == 1
    assert '<html lang="en' in html


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("learner", "portfolio:learner_dashboard"),
        ("tutor", "accounts:tutor_dashboard"),
        ("admin", "accounts:institution_dashboard"),
        ("learner", "accounts:profile"),
        ("learner", "account_email"),
        ("learner", "account_change_password"),
        ("learner", "mfa_index"),
    ],
)
def test_signed_in_pages_have_one_h1_and_role_navigation(
    client: Client, people: People, role: str, name: str
) -> None:
    client.force_login(getattr(people, role))
    html = client.get(reverse(name)).content.decode()
    assert _h1_count(html) == 1
    assert "Sign out" in html


def test_navigation_differs_by_role(client: Client, people: People) -> None:
    client.force_login(people.tutor)
    html = client.get(reverse("accounts:tutor_dashboard")).content.decode()
    assert 'aria-current="page"' in html
    assert reverse("accounts:institution_dashboard") not in html
    client.force_login(people.admin)
    html = client.get(reverse("accounts:institution_dashboard")).content.decode()
    assert reverse("institutions:home") in html
    assert reverse("admin:index") not in html


def test_404_page_is_in_the_site_look(client: Client, db: None) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html and '<main id="main"' in html


def test_500_page_renders_without_a_request_context(db: None) -> None:
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def test_400_page_is_in_the_site_look(client: Client, db: None) -> None:
    response = client.get("/", headers={"host": "evil.example.com"})
    assert response.status_code == 400
    assert b"We could not understand that request" in response.content


def test_dates_follow_the_user_time_zone(client: Client, people: People) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    people.learner.last_login = datetime(2026, 1, 1, 23, 30, tzinfo=ZoneInfo("UTC"))
    people.learner.save()
    people.tutor.time_zone = "Asia/Tokyo"
    people.tutor.save()
    client.force_login(people.tutor)
    people.learner.refresh_from_db()  # force_login above touched only the tutor
    html = client.get(reverse("accounts:tutor_dashboard")).content.decode()
    assert "2026-01-02T08:30:00+09:00" in html


def test_british_visitors_get_british_date_formats(client: Client, people: People) -> None:
    client.force_login(people.learner)
    html = client.get(
        reverse("portfolio:learner_dashboard"), headers={"accept-language": "en-GB"}
    ).content.decode()
    assert '<html lang="en-gb"' in html
