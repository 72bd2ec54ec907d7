"""A new person signs up, verifies their address from the email, and signs in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from tests.factories import PASSWORD, LearnerFactory

SIGNUP = {
    "name": "Nia Newcomer",
    "email": "nia@example.org",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


def _link_in_last_mail(pattern: str) -> str:
    # Links are on the site's public address (SITE_URL), not the request's host.
    site = re.escape(settings.SITE_URL)
    match = re.search(rf"{site}({pattern}\S*)", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_signup_verify_and_sign_in(
    client: Client, db: None, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="nia@example.org")
    assert user.role == Role.LEARNER
    assert user.name == "Nia Newcomer"
    assert mail.outbox[-1].to == ["nia@example.org"]

    # Verification is mandatory: signing in before it sends another mail, not a session.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_login"),
            {"login": SIGNUP["email"], "password": SIGNUP["password1"]},
        )
    assert "_auth_user_id" not in client.session

    confirm_url = _link_in_last_mail("/accounts/confirm-email/")
    assert client.get(confirm_url).status_code == 200  # a page with a button, not a GET side effect
    # Confirming from the browser that signed up signs the person in.
    response = client.post(confirm_url, follow=True)
    assert EmailAddress.objects.get(email="nia@example.org").verified
    assert client.session["_auth_user_id"] == str(user.pk)
    assert response.redirect_chain[-1][0] == reverse("portfolio:learner_dashboard")
    assert b"Hello, Nia Newcomer" in response.content


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"password2": "something-else-entirely"}, "You must type the same password each time"),
        ({"password1": "password", "password2": "password"}, "This password is too common"),
        ({"email": "not-an-address"}, "Enter a valid email address"),
        ({"name": ""}, "This field is required"),
    ],
)
def test_bad_signup_explains_what_is_wrong_and_creates_nobody(
    client: Client, db: None, change: dict[str, str], message: str
) -> None:
    LearnerFactory.create(email="taken@example.org")
    before = User.objects.count()
    response = client.post(reverse("account_signup"), {**SIGNUP, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == before


def test_signup_with_a_taken_address_reveals_nothing_and_warns_the_owner(
    client: Client, db: None, django_capture_on_commit_callbacks
) -> None:
    # allauth's enumeration protection: the page looks like a normal signup, and the
    # address's owner is told someone tried to register it.
    LearnerFactory.create(email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), {**SIGNUP, "email": "taken@example.org"})
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    assert mail.outbox[-1].to == ["taken@example.org"]
    assert "already" in mail.outbox[-1].body.lower()


def test_wrong_password_is_refused_with_a_message(client: Client, db: None) -> None:
    learner = LearnerFactory.create()
    response = client.post(
        reverse("account_login"), {"login": learner.email, "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert (
        "The email address and/or password you specified are not correct"
        in response.content.decode()
    )


def test_repeated_failed_sign_ins_are_rate_limited(client: Client, db: None) -> None:
    learner = LearnerFactory.create()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": learner.email, "password": "nope"})
    response = client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_sign_in_goes_through_the_rate_limited_login(client: Client, db: None) -> None:
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sign_out_needs_a_post_and_ends_the_session(client: Client, db: None) -> None:
    client.force_login(LearnerFactory.create())
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(
    client: Client, db: None, django_capture_on_commit_callbacks
) -> None:
    learner = LearnerFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": learner.email})
    reset_url = _link_in_last_mail("/accounts/password/reset/key/")
    form_url = client.get(reset_url)["Location"]
    response = client.post(
        form_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"}
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password("a-brand-new-passphrase")


def test_adding_an_email_address_sends_a_verification(
    client: Client, db: None, django_capture_on_commit_callbacks
) -> None:
    learner = LearnerFactory.create()
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_email"), {"action_add": "", "email": "second@example.org"}
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["second@example.org"]
    assert not EmailAddress.objects.get(email="second@example.org").verified


@pytest.mark.parametrize("language", ["en", "en-gb"])
def test_the_sign_in_and_sign_up_pages_use_the_house_wording_and_form_layout(
    client: Client, db: None, language: str
) -> None:
    # allauth's own strings are title case and its forms render as bare paragraphs;
    # locale/en and templates/allauth/elements/fields.html bring them into line.
    for url, heading in (("/accounts/login/", "Sign in"), ("/accounts/signup/", "Sign up")):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert re.search(rf"<h1[^>]*>\s*{heading}\s*</h1>", html), url
        assert "Sign In" not in html and "Sign Up" not in html
        assert re.search(r'<label for="id_(login|email)">Email <span class="required">', html)
    login = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert '<label for="id_remember">Remember me</label>' in login
