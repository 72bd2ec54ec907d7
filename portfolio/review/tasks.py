"""The notification email digest: at most one email per kind per hour per person."""

import logging
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.email import email_enqueue
from portfolio.models import Notification, NotificationKind
from portfolio.review.notifications import email_wanted

logger = logging.getLogger(__name__)

DIGEST_INTERVAL = timedelta(hours=1)


@shared_task(bind=True, acks_late=True)
def notification_digest_task(self: Any, user_id: int, kind: str) -> int:
    """Email `user_id` every not-yet-emailed notification of `kind`, in one message.

    If an email of this kind went to them less than DIGEST_INTERVAL ago, send nothing
    and run again when the interval is up. Idempotent: notifications are marked
    emailed in the same transaction that queues the message (locked, so two runs
    never both send them). Returns how many notifications the email listed.
    """
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or kind not in NotificationKind.values:
        return 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update()
            .filter(recipient=user, kind=kind, emailed_at__isnull=True)
            .order_by("created_at", "pk")
        )
        if not pending:
            return 0
        if not email_wanted(user=user, kind=kind):
            return 0  # opted out after these were made: they stay in-app only
        now = timezone.now()
        last = Notification.objects.filter(
            recipient=user, kind=kind, emailed_at__isnull=False
        ).aggregate(last=Max("emailed_at"))["last"]
        if last is not None and now - last < DIGEST_INTERVAL:
            wait = (last + DIGEST_INTERVAL - now).total_seconds()
            defer_digest(user_id=user_id, kind=kind, countdown=wait, eager=self.request.is_eager)
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
        email_enqueue(_digest_message(user, kind, pending))
    return len(pending)


def defer_digest(*, user_id: int, kind: str, countdown: float, eager: bool) -> None:
    """Run the digest again later. When tasks run in-process (no broker), a countdown
    is ignored and would loop, so the next notification picks the pending ones up."""
    if eager:
        logger.info("digest for user %s kind %s left for the next notification", user_id, kind)
        return
    notification_digest_task.apply_async(args=(user_id, kind), countdown=max(countdown, 1))


def _digest_message(user: Any, kind: str, notifications: list[Notification]) -> EmailMessage:
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "kind": kind,
            "kind_label": NotificationKind(kind).label,
            "count": len(notifications),
            "items": [{"text": n.text, "url": f"{site}{n.url}"} for n in notifications],
        }
        return EmailMessage(
            subject=render_to_string("portfolio/review/email/digest_subject.txt", context).strip(),
            body=render_to_string("portfolio/review/email/digest_body.txt", context),
            to=[user.email],
        )
