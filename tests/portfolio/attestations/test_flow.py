"""The whole round trip: the learner asks, the attester gets the email, opens the link
without an account, attests (or declines); the learner is told; the link is used up;
the attester can withdraw from their confirmation email."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from portfolio.models import Attestation, AttestationRequest, Notification, NotificationKind
from tests.conftest import People
from tests.portfolio.attestations.helpers import (
    WITHDRAW_RE,
    answer_url,
    ask_by_email,
    attest_form,
    emails_to,
)
from tests.portfolio.showcase_data import pdf_artefact, reflection

pytestmark = pytest.mark.django_db


def test_the_request_email_carries_a_single_use_link(
    client: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    item = pdf_artefact(people.learner)
    asked, token = ask_by_email(client, people.learner, item, django_capture_on_commit_callbacks)

    [message] = emails_to("jane.smith@acme.com")
    assert item.title in message.body
    assert "I supervised this work." in message.body
    assert "Could you vouch for my site survey?" in message.body
    assert message.reply_to == [people.learner.email]
    assert asked.token_hash and token not in asked.token_hash  # only the hash is kept

    page = client.get(answer_url(token))
    assert page.status_code == 200
    assert item.title in page.content.decode()
    assert "acme.com" in page.content.decode()  # what will be shown, before confirming
    assert page["Cache-Control"] == "private, no-store"
    assert page["X-Robots-Tag"] == "noindex, nofollow"


def test_attesting_records_the_statement_tells_the_learner_and_uses_up_the_link(
    client: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    item = pdf_artefact(people.learner)
    asked, token = ask_by_email(client, people.learner, item, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(answer_url(token), attest_form(name="J. Smith"))

    assert response.status_code == 200
    [attestation] = Attestation.objects.all()
    assert attestation.artefact == item
    assert attestation.name == "J. Smith"
    assert attestation.email_domain == "acme.com"
    assert attestation.statement == "I supervised this project."
    assert attestation.comment_html == "<p>A <em>careful</em> piece of work.</p>"
    assert len(attestation.fingerprint) == 64
    asked.refresh_from_db()
    assert asked.state == AttestationRequest.State.ATTESTED
    [note] = Notification.objects.filter(recipient=people.learner, kind=NotificationKind.ATTESTED)
    assert "J. Smith" in note.text
    # used: a second visit or post says so, with a 410, and records nothing more
    again = client.post(answer_url(token), attest_form())
    assert again.status_code == 410
    assert "already been answered" in again.content.decode()
    assert Attestation.objects.count() == 1


def test_declining_records_nothing_shown_and_tells_the_learner(
    client: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    item = reflection(people.learner)
    asked, token = ask_by_email(client, people.learner, item, django_capture_on_commit_callbacks)

    response = client.post(answer_url(token), {"action": "decline", "reason": "Not my team."})

    assert response.status_code == 200
    assert not Attestation.objects.exists()
    asked.refresh_from_db()
    assert asked.state == AttestationRequest.State.DECLINED
    assert asked.decline_reason == "Not my team."
    assert Notification.objects.filter(
        recipient=people.learner, kind=NotificationKind.ATTESTATION_DECLINED
    ).exists()
    assert client.get(answer_url(token)).status_code == 410
    client.force_login(people.learner)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Declined" in page and "Not my team." in page


def test_the_attester_can_withdraw_from_their_confirmation_email(
    client: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    item = pdf_artefact(people.learner)
    _asked, token = ask_by_email(client, people.learner, item, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(answer_url(token), attest_form())
    [confirmation] = [m for m in emails_to("jane.smith@acme.com") if "You attested" in m.subject]
    withdraw_url = WITHDRAW_RE.search(confirmation.body)
    assert withdraw_url
    path = f"/attest/withdraw/{withdraw_url.group(1)}/"

    assert "Withdraw my attestation" in client.get(path).content.decode()
    assert client.post(path).status_code == 200

    attestation = Attestation.objects.get()
    assert attestation.withdrawn_at is not None
    client.force_login(people.learner)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "withdrew their attestation" in page


def test_the_request_is_emailed_once_however_often_its_task_runs(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    from portfolio.attestations import services
    from portfolio.attestations.tasks import request_email_sweep_task, request_email_task

    item = pdf_artefact(people.learner)
    asked = services.request_create(
        learner=people.learner,
        item=item,
        name="Jane",
        email="jane@acme.com",
        role="Manager",
        statement="Yes.",
    )  # its task is queued on commit, which this test never reaches
    with django_capture_on_commit_callbacks(execute=True):
        assert request_email_task(asked.pk) == 1
        assert request_email_task(asked.pk) == 0
        assert request_email_sweep_task() == 0  # nothing left to send
    assert len(emails_to("jane@acme.com")) == 1
