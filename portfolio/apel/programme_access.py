"""The one rule for who may read a programme as a learner (and so claim against it): a
learner-entered programme only its learner; an institution's programme its active
members once it is published. Admins write their institution's programmes on the staff
pages, which have their own rule (staff_required)."""

from typing import Any

from django.db.models import Q, QuerySet

from accounts.institutions.models import Membership, MembershipState
from portfolio.models import Programme


def programmes_visible_to(user: Any) -> QuerySet[Programme]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Programme.objects.none()
    member_of = Membership.objects.filter(user=user, state=MembershipState.ACTIVE).values(
        "institution_id"
    )
    return Programme.objects.filter(
        Q(entered_by=user) | Q(institution_id__in=member_of, published_at__isnull=False)
    )


def programme_visible_to(*, programme: Programme, user: Any) -> bool:
    return programmes_visible_to(user).filter(pk=programme.pk).exists()
