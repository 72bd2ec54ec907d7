"""Page-shaped reads for people and cohorts. Each runs a fixed number of queries."""

from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from accounts.models import Cohort, Institution, Membership, MembershipState, Role, User


def cohorts_for_tutor(*, tutor: User) -> QuerySet[Cohort]:
    """The cohorts a tutor teaches, each with its learners (two queries in all). Learners
    suspended in the cohort's institution are left out (in the list: suspended in any
    institution this tutor teaches in, which is the same for a tutor of one institution)."""
    through: Any = Cohort.learners.through
    enrolled = (
        through.objects.filter(cohort_id=OuterRef("pk"))
        .exclude(
            Exists(
                Membership.objects.filter(
                    user_id=OuterRef("user_id"),
                    institution_id=OuterRef("cohort__institution_id"),
                    state=MembershipState.SUSPENDED,
                )
            )
        )
        .order_by()
        .values("cohort_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    suspended_here = Membership.objects.filter(
        user_id=OuterRef("pk"),
        state=MembershipState.SUSPENDED,
        institution__cohorts__tutors=tutor,
    )
    learners = User.objects.exclude(Exists(suspended_here)).order_by("name", "email")
    return (
        Cohort.objects.taught_by(tutor)
        .annotate(learner_count=Coalesce(Subquery(enrolled, output_field=IntegerField()), 0))
        .prefetch_related(Prefetch("learners", queryset=learners))
        .order_by("name")
    )


def cohort_for_tutor(*, tutor: User, public_id: str) -> Cohort:
    """One cohort the tutor teaches; raises Cohort.DoesNotExist for any other."""
    return cohorts_for_tutor(tutor=tutor).get(public_id=public_id)


def cohorts_for_learner(*, learner: User) -> QuerySet[Cohort]:
    """The learner's cohorts, each with its tutors."""
    return (
        learner.cohorts.all()
        .prefetch_related(Prefetch("tutors", queryset=User.objects.order_by("name", "email")))
        .order_by("name")
    )


def institution_summary(*, institution: Institution | None = None) -> dict[str, int]:
    """Head counts for the institution admin's dashboard (two queries): the active
    members of `institution` by their role there (everyone on the site when None)."""
    people = User.objects.all()
    cohorts = Cohort.objects.all()
    role = "role"
    in_cohort: Any = Q(cohorts__isnull=True)
    if institution is not None:
        people = people.filter(
            memberships__institution=institution, memberships__state=MembershipState.ACTIVE
        )
        cohorts = cohorts.filter(institution=institution)
        role = "memberships__role"
        in_cohort = ~Exists(
            Cohort.learners.through.objects.filter(
                user_id=OuterRef("pk"), cohort__institution=institution
            )
        )
    counts = people.aggregate(
        learners=Count("pk", filter=Q(**{role: Role.LEARNER})),
        learners_without_cohort=Count("pk", filter=Q(in_cohort, **{role: Role.LEARNER})),
        tutors=Count("pk", filter=Q(**{role: Role.TUTOR})),
        admins=Count("pk", filter=Q(**{role: Role.ADMIN})),
    )
    counts["cohorts"] = cohorts.count()
    return counts
