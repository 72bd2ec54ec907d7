"""In-app notifications for tutor review, and the hourly email digest they feed.

`notify` is called from inside the services' transactions; the digest task is only
enqueued once that transaction commits, with the recipient's id (see digest.py for the
once-an-hour rule). Each person's unread count is cached, and the cache is cleared
whenever their notifications are written.
"""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.degrade import optional_cache as cache
from core.enqueue import task_enqueue_on_commit
from portfolio.models import Notification, NotificationKind, NotificationPreference

NOTIFICATION_TEXT_MAX = 500
UNREAD_CACHE_SECONDS = 300


def email_wanted(*, user: Any, kind: str) -> bool:
    """Email is on for every kind unless the user turned it off."""
    wanted = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("email", flat=True)
        .first()
    )
    return True if wanted is None else bool(wanted)


@transaction.atomic
def notification_preference_set(*, user: Any, kind: str, email: bool) -> None:
    if kind not in NotificationKind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": email})


def notify(*, recipient: Any, kind: str, text: str, url: str) -> Notification:
    """Record a notification and, if the recipient wants email for this kind, queue the
    digest task after commit. `text` must be plain text; it is escaped wherever shown."""
    if kind not in NotificationKind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, text=_shorten(text), url=url
    )
    if email_wanted(user=recipient, kind=kind):
        from portfolio.review.tasks import notification_digest_task

        # The broker being down is logged, not raised: the digest sweep sends it later.
        task_enqueue_on_commit(notification_digest_task, recipient.pk)
    _forget_unread(recipient.pk)
    return notification


def unread_count(user: Any) -> int:
    """How many of the user's notifications are unread; cached (no query on a hit)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return int(count)


def notifications_for(user: Any, limit: int = 20) -> list[Notification]:
    """The newest notifications first, read or not."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Notification.objects.filter(recipient=user)[:limit])


def unread_for(user: Any, limit: int = 5) -> list[Notification]:
    """The newest unread notifications; no query when the cached count is nought."""
    if not unread_count(user):
        return []
    return list(Notification.objects.filter(recipient=user, read_at__isnull=True)[:limit])


@transaction.atomic
def mark_read(user: Any, ids: Iterable[UUID | str] | None = None) -> int:
    """Mark the user's notifications with these public ids read, or all when `ids` is
    None. Other people's ids are ignored. Returns how many changed."""
    if not getattr(user, "is_authenticated", False):
        return 0
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(public_id__in=list(ids))
    changed = unread.update(read_at=timezone.now())
    if changed:
        _forget_unread(user.pk)
    return changed


@transaction.atomic
def mark_read_for_page(user: Any, path: str) -> int:
    """Mark read the user's notifications that link to `path` (with or without a
    #fragment): opening the page is reading the news. No query when nothing is unread."""
    if not unread_count(user):
        return 0
    changed = (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .filter(Q(url=path) | Q(url__startswith=f"{path}#"))
        .update(read_at=timezone.now())
    )
    if changed:
        _forget_unread(user.pk)
    return changed


def _unread_key(user_pk: int) -> str:
    return f"review:unread:{user_pk}"


def _forget_unread(user_pk: int) -> None:
    """Clear the cached count now and again after commit, so a concurrent reader that
    cached the old count before this transaction committed is corrected."""
    key = _unread_key(user_pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= NOTIFICATION_TEXT_MAX:
        return text
    return text[: NOTIFICATION_TEXT_MAX - 1] + "…"
