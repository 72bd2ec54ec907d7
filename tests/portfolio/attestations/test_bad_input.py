"""Bad input gets a clear message, a 4xx and nothing half-written: a non-address, a
missing statement, the rate limits (429), an attester's comment with markup in it."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from portfolio.models import Attestation, AttestationRequest
from tests.conftest import People
from tests.portfolio.attestations.helpers import (
    answer_url,
    ask_by_email,
    ask_url,
    attest_form,
    request_form,
)
from tests.portfolio.showcase_data import link_artefact, showcase_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(people: People) -> Any:
    return link_artefact(people.learner)


@pytest.mark.parametrize("email", ["jane", "jane@", "@acme.com", "jane smith@acme.com", ""])
def test_an_email_that_is_not_an_address_is_refused_clearly(
    client: Client, people: People, item: Any, email: str
) -> None:
    client.force_login(people.learner)
    response = client.post(ask_url(item), request_form(email=email))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter an email address like name@example.com." in html or (
        "Enter their email address" in html
    )
    assert not AttestationRequest.objects.exists() and not mail.outbox


def test_their_own_words_are_needed_when_chosen(client: Client, people: People, item: Any) -> None:
    client.force_login(people.learner)
    response = client.post(ask_url(item), request_form(statement_choice="custom"))
    assert response.status_code == 400
    assert "Write the statement you want them to confirm." in response.content.decode()
    assert not AttestationRequest.objects.exists()


def test_asking_the_same_person_twice_while_waiting_is_refused(
    client: Client, people: People, item: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ask_by_email(client, people.learner, item, django_capture_on_commit_callbacks)
    client.force_login(people.learner)
    response = client.post(ask_url(item), request_form(email="JANE.SMITH@acme.com"))
    assert response.status_code == 400
    assert "already asked this person" in response.content.decode()
    assert AttestationRequest.objects.count() == 1


def test_a_learner_may_send_only_so_many_requests_a_day(
    client: Client, people: People, item: Any, settings: Any
) -> None:
    settings.ATTESTATION_REQUESTS_PER_DAY = 2
    client.force_login(people.learner)
    for n in range(2):
        assert client.post(ask_url(item), request_form(email=f"p{n}@acme.com")).status_code == 302
    response = client.post(ask_url(item), request_form(email="p9@acme.com"))
    assert response.status_code == 429
    assert "as many requests for attestation as you can today" in response.content.decode()
    assert AttestationRequest.objects.count() == 2


def test_one_address_may_receive_only_so_many_requests_a_day(
    client: Client, people: People, settings: Any
) -> None:
    settings.ATTESTATION_REQUESTS_PER_RECIPIENT = 1
    client.force_login(people.learner)
    first, second = link_artefact(people.learner), link_artefact(people.learner, title="Other")
    assert client.post(ask_url(first), request_form()).status_code == 302
    client.force_login(people.classmate)
    mine = link_artefact(people.classmate)
    response = client.post(ask_url(mine), request_form())
    assert response.status_code == 429
    assert "as many requests as they can receive today" in response.content.decode()
    client.force_login(people.learner)
    assert client.post(ask_url(second), request_form()).status_code == 429
    assert AttestationRequest.objects.count() == 1


def test_the_attesters_comment_goes_through_the_markdown_safety(
    client: Client, people: People, item: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _asked, token = ask_by_email(client, people.learner, item, django_capture_on_commit_callbacks)
    comment = (
        "Good <script>alert('x')</script> work [link](javascript:alert(1)) "
        '<img src=x onerror="alert(2)"> **done**'
    )
    assert client.post(answer_url(token), attest_form(comment=comment)).status_code == 200
    attestation = Attestation.objects.get()
    assert "<script" not in attestation.comment_html
    assert "javascript:" not in attestation.comment_html
    assert "onerror" not in attestation.comment_html
    assert "<strong>done</strong>" in attestation.comment_html
    showcase = showcase_with(people.learner, {"Work": [item]})
    from portfolio.showcases import services

    shared = services.link_create(showcase=showcase, label="Acme").token
    html = client.get(reverse("share:showcase", args=[shared])).content.decode()
    assert "<strong>done</strong>" in html and "alert(" not in html


def test_the_attester_must_keep_a_statement_and_a_name(
    client: Client, people: People, item: Any, django_capture_on_commit_callbacks: Any
) -> None:
    asked, token = ask_by_email(client, people.learner, item, django_capture_on_commit_callbacks)
    response = client.post(answer_url(token), attest_form(statement="  ", name=""))
    assert response.status_code == 400
    assert "Write the statement you are making, or decline." in response.content.decode()
    assert not Attestation.objects.exists()
    asked.refresh_from_db()
    assert asked.is_open  # the link still works for a corrected answer


def test_a_tutor_sign_off_without_a_statement_is_refused(
    client: Client, people: People, item: Any
) -> None:
    client.force_login(people.tutor)
    data = {"target": f"artefact:{item.public_id}", "statement": ""}
    response = client.post(reverse("attestations:sign_off"), data, follow=True)
    assert response.status_code == 400
    assert "Write the statement you are making." in response.content.decode()
    assert not Attestation.objects.exists()


def test_with_the_cache_unreachable_asking_answers_503_and_writes_nothing(
    client: Client, people: People, item: Any, settings: Any
) -> None:
    """The rate limits fail closed: nothing is sent when they cannot be counted."""
    client.force_login(people.learner)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    response = client.post(ask_url(item), request_form())
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert not AttestationRequest.objects.exists() and not mail.outbox
