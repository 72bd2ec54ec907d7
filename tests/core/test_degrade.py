"""With the shared cache down: pages that do not need it work, and forms whose rate limits
live in it answer 503 "try again in a minute", never 500, leaving nothing half-done.

The cache is a real Redis on a throwaway port that each test stops, as in an outage."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from portfolio.models import Notification, NotificationKind
from portfolio.review.notifications import notify
from portfolio.showcases import services
from tests.conftest import People
from tests.factories import PASSWORD
from tests.services import ThrowawayRedis
from tests.test_crawl import crawl

PORT = 6396
MESSAGE = "We can't check this right now"


@pytest.fixture
def cache_server(settings) -> Iterator[ThrowawayRedis]:
    server = ThrowawayRedis(port=PORT)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{PORT}/0",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    yield server
    server.stop()


def _text(response: Any) -> str:
    return response.content.decode()


def _assert_unavailable(response: Any) -> None:
    assert response.status_code == 503
    assert MESSAGE in _text(response)
    assert response["Retry-After"] == "60"


def test_sign_in_page_opens_but_signing_in_answers_503(
    client: Client, people: People, cache_server: ThrowawayRedis
) -> None:
    wrong = {"login": people.learner.email, "password": "wrong"}
    assert client.post(reverse("account_login"), wrong).status_code == 200
    assert redis.Redis(port=PORT).keys("*allauth*rl*")  # while up, the limits live there
    cache_server.stop()
    assert client.get(reverse("account_login")).status_code == 200

    response = client.post(
        reverse("account_login"), {"login": people.learner.email, "password": PASSWORD}
    )

    _assert_unavailable(response)
    assert "_auth_user_id" not in client.session


def test_signing_up_answers_503_and_creates_no_account(
    client: Client, db: None, cache_server: ThrowawayRedis
) -> None:
    cache_server.stop()
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Nia Newcomer",
            "email": "nia@example.org",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    _assert_unavailable(response)
    assert not User.objects.filter(email="nia@example.org").exists()
    assert mail.outbox == []


def test_password_reset_answers_503_and_sends_nothing(
    client: Client, people: People, cache_server: ThrowawayRedis
) -> None:
    cache_server.stop()
    response = client.post(reverse("account_reset_password"), {"email": people.learner.email})
    _assert_unavailable(response)
    assert mail.outbox == []


def test_the_503_page_is_in_the_site_look(
    client: Client, people: People, cache_server: ThrowawayRedis
) -> None:
    cache_server.stop()
    html = _text(client.post(reverse("account_login"), {"login": "a@b.example", "password": "x"}))
    assert '<main id="main"' in html and "<nav" in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert "Try again in a minute." in html


def test_a_passphrase_answers_503_and_does_not_unlock(
    client: Client, people: People, cache_server: ThrowawayRedis
) -> None:
    showcase = services.showcase_create(owner=people.learner, title="Placement year")
    token = services.link_create(showcase=showcase, label="Employer", passphrase="grey heron").token
    page = f"/s/{token}/"
    cache_server.stop()

    response = client.post(page, {"passphrase": "grey heron"})

    _assert_unavailable(response)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "Placement year" not in _text(client.get(page))


def test_signed_in_pages_and_notifications_work_without_the_cache(
    client: Client, people: People, cache_server: ThrowawayRedis
) -> None:
    cache_server.stop()
    notify(recipient=people.learner, kind=NotificationKind.FEEDBACK, text="Well done", url="/")
    client.force_login(people.learner)

    response = client.get(reverse("portfolio:learner_dashboard"))

    assert response.status_code == 200
    assert Notification.objects.filter(recipient=people.learner).count() == 1


def test_signing_in_works_again_once_the_cache_is_back(
    client: Client, people: People, cache_server: ThrowawayRedis
) -> None:
    cache_server.stop()
    form = {"login": people.learner.email, "password": PASSWORD}
    assert client.post(reverse("account_login"), form).status_code == 503
    cache_server.start()
    assert client.post(reverse("account_login"), form).status_code == 302


def test_no_page_fails_with_the_cache_down(
    client: Client, db: None, cache_server: ThrowawayRedis, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--quiet")
    link = services.link_create(
        showcase=User.objects.get(email="learner1@demo.example").showcases.first(), label="crawl"
    )
    cache_server.stop()

    seen = crawl(client, "/") | crawl(client, f"/s/{link.token}/")
    client.force_login(User.objects.get(email="learner1@demo.example"))
    seen |= crawl(client, "/dashboard/")

    errors = {url: status for url, status in seen.items() if status >= 500}
    assert not errors, errors
    assert len(seen) > 20
