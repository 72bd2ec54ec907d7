"""Background work for tutor review: the notification email digest (see digest.py)."""

from celery import shared_task

from portfolio.review.digest import digest_send, digest_sweep


@shared_task(acks_late=True)
def notification_digest_task(user_id: int, kind: str | None = None) -> int:
    """Email `user_id` their pending news now if their last digest is an hour old;
    otherwise leave it for the sweep. `kind` is ignored (tasks queued before the digest
    covered every kind carry it). Idempotent."""
    return digest_send(user_id=user_id)


@shared_task(acks_late=True)
def notification_digest_sweep_task() -> int:
    """The periodic sweep (Celery beat): send every digest whose hour is up."""
    return digest_sweep()
