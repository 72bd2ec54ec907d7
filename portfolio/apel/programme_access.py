"""The one rule for who may read a programme: a learner-entered programme only its
learner; an institution's programme its active members once it is published, and its
active admins always (they are the ones who write it)."""

from typing import Any

from django.db.models import Q, QuerySet

from accounts.institutions.models import Membership, MembershipRole, MembershipState
from portfolio.models import Programme


def programmes_visible_to(user: Any) -> QuerySet[Programme]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Programme.objects.none()
    active = Membership.objects.filter(user=user, state=MembershipState.ACTIVE)
    member_of = active.values("institution_id")
    admin_of = active.filter(role=MembershipRole.ADMIN).values("institution_id")
    return Programme.objects.filter(
        Q(entered_by=user)
        | Q(institution__in=member_of, published_at__isnull=False)
        | Q(institution__in=admin_of)
    )


def programme_visible_to(*, programme: Programme, user: Any) -> bool:
    return programmes_visible_to(user).filter(pk=programme.pk).exists()
