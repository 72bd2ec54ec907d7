"""The notification email digest: at most one email an hour per person, whatever the
kinds of news.

The first news after a quiet hour is emailed at once (the task queued when it is
recorded). News arriving within the hour after an email waits in the database, and a
periodic sweep (`digest_sweep`, run by Celery beat or `manage.py send_digests`) sends it
in one email once the hour is up. No broker countdowns: the database is the source of
truth, so nothing is lost when a worker or Redis restarts, and the same code runs with
tasks in-process.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.email import email_enqueue
from core.links import absolute_url
from portfolio.models import Notification, NotificationKind, NotificationPreference

DIGEST_INTERVAL = timedelta(hours=1)

# Notifications of a kind the recipient turned email off for are never emailed.
_OPTED_OUT = Exists(
    NotificationPreference.objects.filter(
        user=OuterRef("recipient"), kind=OuterRef("kind"), email=False
    )
)


def _pending() -> QuerySet[Notification]:
    """Not yet emailed, and of a kind the recipient wants by email."""
    return Notification.objects.filter(emailed_at__isnull=True).exclude(_OPTED_OUT)


def digest_due_user_ids(*, now: datetime) -> list[int]:
    """Active people with news to email whose last digest is an hour old (or who never
    had one). One query."""
    last = (
        Notification.objects.filter(recipient=OuterRef("pk"), emailed_at__isnull=False)
        .order_by("-emailed_at")
        .values("emailed_at")[:1]
    )
    return list(
        get_user_model()
        .objects.filter(is_active=True, pk__in=_pending().values("recipient"))
        .annotate(_last_emailed=Subquery(last))
        .filter(Q(_last_emailed__isnull=True) | Q(_last_emailed__lte=now - DIGEST_INTERVAL))
        .values_list("pk", flat=True)
    )


@transaction.atomic
def digest_send(*, user_id: int, now: datetime | None = None) -> int:
    """Email `user_id` all their pending news in one message, unless they were emailed
    less than DIGEST_INTERVAL before `now`. Returns how many notifications it listed.

    Safe to run twice at once: the person's row is locked, and the notifications are
    marked emailed in the transaction that writes the message to the outbox
    (core.email), which sends it at most once after commit. A redelivered task finds
    nothing pending and sends nothing.
    """
    now = now or timezone.now()
    user = get_user_model().objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    last = (
        Notification.objects.filter(recipient=user, emailed_at__isnull=False)
        .order_by("-emailed_at")
        .values_list("emailed_at", flat=True)
        .first()
    )
    if last is not None and now - last < DIGEST_INTERVAL:
        return 0  # the sweep sends it when the hour is up
    pending = list(_pending().filter(recipient=user).order_by("created_at", "pk"))
    if not pending:
        return 0
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
    # Keyed by person and time: a second run for the same window records nothing more.
    email_enqueue(_digest_message(user, pending), key=f"digest:{user.pk}:{now.isoformat()}")
    return len(pending)


def digest_sweep(*, now: datetime | None = None) -> int:
    """Send every digest that is due. Returns how many emails were queued."""
    now = now or timezone.now()
    return sum(
        1 for user_id in digest_due_user_ids(now=now) if digest_send(user_id=user_id, now=now)
    )


def _digest_message(user: Any, notifications: list[Notification]) -> EmailMessage:
    kinds = {n.kind for n in notifications}
    with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "kind_label": NotificationKind(kinds.pop()).label if len(kinds) == 1 else "",
            "count": len(notifications),
            "items": [{"text": n.text, "url": absolute_url(n.url)} for n in notifications],
            "preferences_url": absolute_url(reverse("review:preferences")),
        }
        return EmailMessage(
            subject=render_to_string("portfolio/review/email/digest_subject.txt", context).strip(),
            body=render_to_string("portfolio/review/email/digest_body.txt", context),
            to=[user.email],
        )
