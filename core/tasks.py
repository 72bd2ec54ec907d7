"""Background work shared by every app."""

import uuid
from typing import Any

from celery import shared_task

from core.email import email_deliver, email_outbox_sweep
from core.models import OutboundEmail


@shared_task
def email_send_task(outbound_id: int | dict[str, Any]) -> int:
    """Send one outbox message (core.email); returns how many were sent (0 or 1).

    No retry here: a failed send leaves the row pending and the sweep tries again, so
    nothing waits in the broker. A payload dict is a task queued before the outbox
    existed: it is recorded as a new message and sent.
    """
    if isinstance(outbound_id, dict):
        outbound_id = OutboundEmail.objects.create(
            key=f"message:{uuid.uuid4().hex}", message=outbound_id
        ).pk
    return int(email_deliver(outbound_id=outbound_id))


@shared_task
def email_outbox_sweep_task() -> int:
    """The periodic sweep (Celery beat): queue again what a lost task left unsent."""
    return email_outbox_sweep()
