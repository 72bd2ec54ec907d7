"""Outgoing email through an outbox: each message is a row (`OutboundEmail`) written in
the transaction that decided to send it, and a Celery task sends it after commit.

At most once, not at least once. A sender claims the row (pending -> sending) in one
conditional UPDATE before talking to the mail server and marks it sent straight after;
a second sender (a redelivered task, the sweep, another worker) finds the row claimed or
sent and does nothing. The price: a worker killed between the claim and the mark leaves
the row "sending", and we cannot know whether the server took the message. After
SENDING_STALE_AFTER the sweep marks it "interrupted" and logs an error, and it is not
sent again: a lost notification is preferred to the same email twice. A send that
raised (the server refused or could not be reached) is known not to have gone, so the
row goes back to pending and the sweep tries again, up to MAX_ATTEMPTS.
"""

import hashlib
import logging
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from core.enqueue import task_enqueue, task_enqueue_on_commit
from core.models import OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=1)  # a pending row this old is queued again by the sweep
# Longer than any send can take (the task time limit): a row still "sending" after this
# was claimed by a sender that died.
SENDING_STALE_AFTER = timedelta(minutes=15)


def email_to_payload(message: EmailMessage) -> dict[str, Any]:
    """A JSON-safe copy of a message, for the outbox row."""
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


def email_enqueue(message: EmailMessage, *, key: str | None = None) -> OutboundEmail:
    """Record the message in the outbox and queue its sending once the current
    transaction commits. Nothing is sent for a transaction that rolls back.

    `key` names the logical message ("digest:<user>:<time>"): a second call with the
    same key records and sends nothing. Without a key every call is a new message.
    """
    from core.tasks import email_send_task

    outbound, created = OutboundEmail.objects.get_or_create(
        key=key or f"message:{uuid.uuid4().hex}",
        defaults={"message": email_to_payload(message)},
    )
    if created:
        task_enqueue_on_commit(email_send_task, outbound.pk)
    return outbound


def email_deliver(*, outbound_id: int) -> bool:
    """Send one outbox message unless another sender has claimed or sent it. Returns
    True when this call handed it to the mail server. Call outside a transaction, so
    the claim and the mark are each committed at once."""
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(
        pk=outbound_id, status=OutboundEmail.Status.PENDING
    ).update(status=OutboundEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False
    outbound = OutboundEmail.objects.get(pk=outbound_id)
    message = email_from_payload(outbound.message)
    # The same id on every copy lets mail software drop a duplicate if one ever leaves.
    message.extra_headers.setdefault("Message-ID", _message_id(outbound))
    try:
        message.send()
    except Exception as error:  # refused or unreachable: known not to have gone
        gave_up = outbound.attempts >= MAX_ATTEMPTS
        OutboundEmail.objects.filter(pk=outbound_id).update(
            status=OutboundEmail.Status.FAILED if gave_up else OutboundEmail.Status.PENDING,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        logger.warning("Email %s not sent (attempt %s): %s", outbound.key, outbound.attempts, error)
        return False
    OutboundEmail.objects.filter(pk=outbound_id).update(
        status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def email_outbox_sweep(*, now: Any = None) -> int:
    """Queue again every pending message its task did not send (lost task, broker down
    at enqueue, failed attempt), and mark messages whose sender died mid-send as
    interrupted. Returns how many were queued."""
    from core.tasks import email_send_task

    now = now or timezone.now()
    stale = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - SENDING_STALE_AFTER
    )
    for key in stale.values_list("key", flat=True):
        logger.error("Email %s was interrupted while sending; it is not sent again.", key)
    stale.update(status=OutboundEmail.Status.INTERRUPTED)
    due = OutboundEmail.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - RETRY_AFTER),
        status=OutboundEmail.Status.PENDING,
        created_at__lt=now - RETRY_AFTER,
    )
    ids = list(due.order_by("created_at").values_list("pk", flat=True)[:1000])
    return sum(1 for outbound_id in ids if task_enqueue(email_send_task, outbound_id))


def _message_id(outbound: OutboundEmail) -> str:
    digest = hashlib.sha256(outbound.key.encode()).hexdigest()[:20]
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<outbox.{outbound.pk}.{digest}@{domain}>"
