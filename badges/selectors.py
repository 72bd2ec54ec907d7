"""Page-shaped reads for badges."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from badges.models import Badge, Verification


def badges_owned(*, owner: Any) -> QuerySet[Badge]:
    return Badge.objects.owned_by(owner).order_by("-issued_at", "-created_at")


def badge_readable(*, user: Any, public_id: Any) -> Badge:
    """A badge this person may read, with its recent history; DoesNotExist otherwise."""
    recent = Verification.objects.order_by("-checked_at", "-pk")
    return (
        Badge.objects.readable_by(user)
        .select_related("owner")
        .prefetch_related(Prefetch("verifications", queryset=recent))
        .get(public_id=public_id)
    )


def badge_owned(*, owner: Any, public_id: Any) -> Badge:
    return Badge.objects.owned_by(owner).get(public_id=public_id)
