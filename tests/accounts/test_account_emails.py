"""Account emails (allauth's) in our words, text and HTML, with links on SITE_URL; the
confirmation link signs in the browser that signed up; a new link can be asked for."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, LearnerFactory

SITE = "https://portfolio.example.org"
SIGNUP = {
    "name": "Nia Newcomer",
    "email": "nia@example.org",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


@pytest.fixture(autouse=True)
def _public_address(settings) -> None:
    settings.SITE_URL = SITE


def _sign_up(client: Client, capture) -> None:
    with capture(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response["Location"] == reverse("account_email_verification_sent")


def _html(message: mail.EmailMessage) -> str:
    [(html, mimetype)] = message.alternatives  # type: ignore[attr-defined]
    assert mimetype == "text/html"
    return str(html)


def test_the_confirmation_email_is_ours_with_the_link_on_the_public_address(
    client: Client, db: None, django_capture_on_commit_callbacks
) -> None:
    _sign_up(client, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject == "Confirm your email address for Learner Portfolio"
    assert "Welcome to Learner Portfolio" in message.body
    assert "Hello from" not in message.body and "testserver" not in message.body
    assert re.search(rf"{re.escape(SITE)}/accounts/confirm-email/\S+", str(message.body))
    html = _html(message)
    assert re.search(rf'<a href="{re.escape(SITE)}/accounts/confirm-email/[^"]+"', html)
    assert "Confirm your email address" in html and "testserver" not in html


def test_the_password_reset_email_is_ours_with_the_link_on_the_public_address(
    client: Client, db: None, django_capture_on_commit_callbacks
) -> None:
    learner = LearnerFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": learner.email})
    [message] = mail.outbox
    assert message.subject == "Reset your Learner Portfolio password"
    assert f"{SITE}/accounts/password/reset/key/" in message.body
    assert f'href="{SITE}/accounts/password/reset/key/' in _html(message)


def test_signing_up_with_a_taken_address_sends_our_email_with_a_reset_link(
    client: Client, db: None, django_capture_on_commit_callbacks
) -> None:
    LearnerFactory.create(email="nia@example.org")
    _sign_up(client, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject == "You already have a Learner Portfolio account"
    assert f"{SITE}/accounts/password/reset/" in message.body


def test_changing_the_password_sends_a_notification_in_our_words(
    client: Client, db: None, django_capture_on_commit_callbacks
) -> None:
    learner = LearnerFactory.create()
    client.force_login(learner)
    new = "another-long-passphrase"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": new, "password2": new},
        )
    [message] = mail.outbox
    assert message.subject == "Your Learner Portfolio password was changed"
    assert "If it was not you, reset your password now" in message.body
    assert f"{SITE}/accounts/password/reset/" in message.body
    assert "Your password was changed." in _html(message)


def test_the_confirmation_link_opened_elsewhere_confirms_but_does_not_sign_in(
    client: Client, db: None, django_capture_on_commit_callbacks
) -> None:
    _sign_up(client, django_capture_on_commit_callbacks)
    path = re.search(rf"{re.escape(SITE)}(/accounts/confirm-email/\S+)", str(mail.outbox[0].body))
    assert path
    other = Client()
    other.post(path.group(1))
    assert EmailAddress.objects.get(email="nia@example.org").verified
    assert "_auth_user_id" not in other.session


def test_the_verification_sent_page_offers_a_new_link(
    client: Client, db: None, django_capture_on_commit_callbacks
) -> None:
    _sign_up(client, django_capture_on_commit_callbacks)
    html = client.get(reverse("account_email_verification_sent")).content.decode()
    assert "Check your email" in html
    assert f'action="{reverse("accounts:verification_resend")}"' in html


def test_asking_for_a_new_link_sends_one_after_the_cooldown(
    client: Client, db: None, django_capture_on_commit_callbacks
) -> None:
    _sign_up(client, django_capture_on_commit_callbacks)
    resend = reverse("accounts:verification_resend")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend, follow=True)
    assert len(mail.outbox) == 1  # rate limited by allauth: one just went
    assert "Wait a few minutes" in response.content.decode()

    cache.clear()  # allauth's cooldown lives in the cache: as if minutes had passed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend)
    assert response["Location"] == reverse("account_email_verification_sent")
    assert [m.to for m in mail.outbox] == [["nia@example.org"], ["nia@example.org"]]
    assert User.objects.filter(email="nia@example.org").count() == 1


def test_a_new_link_needs_a_pending_sign_up_and_a_post(
    client: Client, db: None, django_capture_on_commit_callbacks
) -> None:
    resend = reverse("accounts:verification_resend")
    assert client.get(resend).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend)
    assert response["Location"] == reverse("account_login")
    assert mail.outbox == []
