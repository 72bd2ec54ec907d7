"""Background work shared by every app."""

from typing import Any

from celery import shared_task

from core.email import email_from_payload


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
)
def email_send_task(self: Any, payload: dict[str, Any]) -> int:
    """Send one rendered message; returns how many were sent (0 or 1).

    Retries on connection errors. An SMTP server that accepted the message before a
    retry may deliver it twice: acceptable for notification mail, and the only
    alternative (never retry) loses mail.
    """
    return email_from_payload(payload).send()
