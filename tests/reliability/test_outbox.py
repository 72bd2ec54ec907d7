"""The email outbox: each logical message is sent at most once, whoever delivers it."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from core.email import email_deliver, email_enqueue, email_outbox_sweep
from core.models import OutboundEmail
from core.tasks import email_send_task
from portfolio.review import services as review
from portfolio.review.tasks import notification_digest_task
from tests.conftest import People

pytestmark = pytest.mark.django_db


def _message(subject: str = "Your digest") -> EmailMessage:
    return EmailMessage(subject, "Body", "from@example.org", ["to@example.org"])


class SecondSenderBackend(EmailBackend):
    """A mail server during whose delivery a second worker tries the same message."""

    second_sent: bool | None = None

    def send_messages(self, messages: Any) -> int:
        outbound = OutboundEmail.objects.get()
        SecondSenderBackend.second_sent = email_deliver(outbound_id=outbound.pk)
        return super().send_messages(messages)


class DownOnceBackend(EmailBackend):
    """A mail server that cannot be reached the first time."""

    calls = 0

    def send_messages(self, messages: Any) -> int:
        DownOnceBackend.calls += 1
        if DownOnceBackend.calls == 1:
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


def test_the_same_key_twice_sends_one_email(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = email_enqueue(_message(), key="digest:7:2026-12-07T10:00")
        second = email_enqueue(_message("Again"), key="digest:7:2026-12-07T10:00")
    assert first.pk == second.pk
    assert [m.subject for m in mail.outbox] == ["Your digest"]
    first.refresh_from_db()
    assert first.status == OutboundEmail.Status.SENT and first.sent_at is not None


def test_a_redelivered_send_task_sends_nothing_more(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        outbound = email_enqueue(_message())
    assert email_send_task(outbound.pk) == 0
    assert len(mail.outbox) == 1


def test_two_workers_delivering_one_message_send_it_once(settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.SecondSenderBackend"
    outbound = email_enqueue(_message())
    mail.outbox = []  # the in-process task sent it on enqueue; start over from pending
    OutboundEmail.objects.filter(pk=outbound.pk).update(status=OutboundEmail.Status.PENDING)

    assert email_deliver(outbound_id=outbound.pk) is True
    assert SecondSenderBackend.second_sent is False
    assert len(mail.outbox) == 1


def test_every_message_carries_one_message_id_for_its_key(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_enqueue(_message(), key="share-link-first-opened:5")
    (sent,) = mail.outbox
    assert sent.extra_headers["Message-ID"].startswith("<outbox.")


def test_a_message_the_mail_server_refused_is_sent_by_the_sweep(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.DownOnceBackend"
    DownOnceBackend.calls = 0
    with django_capture_on_commit_callbacks(execute=True):
        outbound = email_enqueue(_message())
    outbound.refresh_from_db()
    assert (outbound.status, mail.outbox) == (OutboundEmail.Status.PENDING, [])
    assert "mail server down" in outbound.last_error

    assert email_outbox_sweep(now=timezone.now() + timedelta(minutes=2)) == 1
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_a_message_whose_sender_died_mid_send_is_not_sent_again() -> None:
    later = timezone.now() + timedelta(hours=1)
    outbound = OutboundEmail.objects.create(
        key="digest:1:x",
        message={"subject": "S", "body": "B", "from_email": None, "to": ["a@example.org"]},
        status=OutboundEmail.Status.SENDING,
        claimed_at=timezone.now(),
    )
    assert email_outbox_sweep(now=later) == 0
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.INTERRUPTED
    assert email_send_task(outbound.pk) == 0
    assert mail.outbox == []


def test_a_digest_task_delivered_twice_emails_once(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        review.thread_start(author=people.tutor, learner=people.learner, body="Good start")
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        notification_digest_task(people.learner.pk)
        notification_digest_task(people.learner.pk)
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.filter(key__startswith="digest:").count() == 1
