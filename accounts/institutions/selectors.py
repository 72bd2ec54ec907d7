"""Page-shaped reads for the staff pages. Each runs a fixed number of queries."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from accounts.institutions.models import Institution, Membership, MembershipRole
from accounts.models import Cohort, User


def administered_institutions(*, user: Any) -> QuerySet[Institution]:
    """The institutions where `user` is an active admin (none for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Institution.objects.none()
    return Institution.objects.filter(
        memberships__user=user,
        memberships__role=MembershipRole.ADMIN,
        memberships__state="active",
    ).order_by("name")


def members(*, institution: Institution, query: str = "", role: str = "") -> QuerySet[Membership]:
    """The institution's memberships, each with its person, those whose name or email
    contain `query` (one query per page)."""
    found = Membership.objects.filter(institution=institution).select_related("user")
    query = query.strip()
    if query:
        found = found.filter(Q(user__name__icontains=query) | Q(user__email__icontains=query))
    if role:
        found = found.filter(role=role)
    return found.order_by("user__name", "user__email")


def member(*, institution: Institution, public_id: Any) -> Membership:
    """One membership by its person's public id; Membership.DoesNotExist otherwise."""
    return members(institution=institution).get(user__public_id=public_id)


def cohorts(*, institution: Institution) -> QuerySet[Cohort]:
    return (
        Cohort.objects.filter(institution=institution)
        .annotate(
            learner_count=Count("learners", distinct=True),
            tutor_count=Count("tutors", distinct=True),
        )
        .order_by("archived_at", "name")
    )


def cohort(*, institution: Institution, public_id: Any) -> Cohort:
    return Cohort.objects.select_related("institution").get(
        institution=institution, public_id=public_id
    )


def cohort_people(*, cohort: Cohort, as_role: str) -> QuerySet[User]:
    field = cohort.tutors if as_role == "tutor" else cohort.learners
    return field.order_by("name", "email")


def candidates(*, cohort: Cohort, query: str, limit: int = 20) -> list[User]:
    """Active members of the cohort's institution matching `query` by name or email, who
    are not in the cohort yet (one query)."""
    query = query.strip()
    if len(query) < 2:
        return []
    return list(
        User.objects.filter(
            memberships__institution_id=cohort.institution_id,
            memberships__state="active",
        )
        .filter(Q(name__icontains=query) | Q(email__icontains=query))
        .exclude(Q(cohorts=cohort) | Q(teaching_cohorts=cohort))
        .order_by("name", "email")
        .distinct()[:limit]
    )
