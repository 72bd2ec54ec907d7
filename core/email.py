"""Outgoing email: rendered in the web process, sent by a Celery task after commit."""

from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction


def email_to_payload(message: EmailMessage) -> dict[str, Any]:
    """A JSON-safe copy of a message, for a task argument."""
    alternatives = getattr(message, "alternatives", [])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(content), mimetype] for content, mimetype in alternatives],
    }


def email_from_payload(payload: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload.get("cc") or None,
        bcc=payload.get("bcc") or None,
        reply_to=payload.get("reply_to") or None,
        headers=payload.get("headers") or None,
    )
    for content, mimetype in payload.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    return message


def email_enqueue(message: EmailMessage) -> None:
    """Queue the message for sending once the current transaction commits.

    Nothing is sent for a transaction that rolls back.
    """
    from core.tasks import email_send_task

    payload = email_to_payload(message)
    transaction.on_commit(lambda: email_send_task.delay(payload))
