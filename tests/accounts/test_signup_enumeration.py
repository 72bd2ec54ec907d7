"""Signing up with an address that already has an account costs the same work as signing
up with a new one: one password hash, one email queued for after the request, the same
answer. (The timings themselves are measured outside the tests.)"""

import re
from typing import Any, ClassVar

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import LearnerFactory

PASSPHRASE = "a-long-unusual-passphrase"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


class CountingHasher(MD5PasswordHasher):
    """A real (fast) hasher that counts the passwords it hashes."""

    algorithm = "counting_md5"
    hashed: ClassVar[list[str]] = []

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.hashed.append(password)
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings) -> type[CountingHasher]:
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.hashed = []
    return CountingHasher


def _sign_up(client: Client, email: str, capture: Any) -> dict[str, Any]:
    """What one sign-up did: hashes, mail sent during the request, mail queued, answer."""
    before = len(CountingHasher.hashed)
    outbox_before = len(mail.outbox)
    with capture(execute=False) as callbacks:
        response = client.post(
            reverse("account_signup"),
            {"name": "Nia", "email": email, "password1": PASSPHRASE, "password2": PASSPHRASE},
        )
    sent_during_request = len(mail.outbox) - outbox_before
    for callback in callbacks:
        callback()
    page = client.get(response["Location"])
    client.cookies.clear()
    return {
        "hashes": CountingHasher.hashed[before:],
        "sent_during_request": sent_during_request,
        "queued": [m.to for m in mail.outbox[outbox_before:]],
        "status": response.status_code,
        "location": response["Location"],
        "page": CSRF_TOKEN.sub("", page.content.decode().replace(email, "EMAIL")),
    }


def test_a_taken_address_costs_the_same_work_and_answer_as_a_new_one(
    client: Client, db: None, counting_hasher: type, django_capture_on_commit_callbacks: Any
) -> None:
    LearnerFactory.create(email="taken@example.org")
    new = _sign_up(client, "new@example.org", django_capture_on_commit_callbacks)
    taken = _sign_up(client, "taken@example.org", django_capture_on_commit_callbacks)

    assert new["hashes"] == [PASSPHRASE]
    assert taken["hashes"] == [PASSPHRASE]
    # Both emails leave after the request, through the same queue, one each.
    assert new["sent_during_request"] == taken["sent_during_request"] == 0
    assert new["queued"] == [["new@example.org"]]
    assert taken["queued"] == [["taken@example.org"]]
    assert (new["status"], new["location"]) == (taken["status"], taken["location"])
    assert new["page"] == taken["page"]
