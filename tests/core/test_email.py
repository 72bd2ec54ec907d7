"""Mail is queued on commit: a rolled-back write sends nothing."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

from core.email import email_enqueue, email_from_payload, email_to_payload


def _message() -> EmailMessage:
    return EmailMessage("Subject", "Body", "from@example.org", ["to@example.org"])


@pytest.mark.django_db(transaction=True)
def test_mail_is_sent_after_the_transaction_commits() -> None:
    with transaction.atomic():
        email_enqueue(_message())
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["Subject"]


@pytest.mark.django_db(transaction=True)
def test_no_mail_leaves_when_the_transaction_rolls_back() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        email_enqueue(_message())
        raise RuntimeError("the write that triggered the mail failed")
    assert mail.outbox == []


def test_a_message_survives_the_trip_through_a_task_argument() -> None:
    original = EmailMultiAlternatives(
        "Sujet é", "Plain", "from@example.org", ["to@example.org"], reply_to=["r@example.org"]
    )
    original.attach_alternative("<p>HTML</p>", "text/html")
    copy = email_from_payload(email_to_payload(original))
    assert (copy.subject, copy.body, copy.to, copy.reply_to) == (
        "Sujet é", "Plain", ["to@example.org"], ["r@example.org"],
    )  # fmt: skip
    assert copy.alternatives[0][:2] == ("<p>HTML</p>", "text/html")
