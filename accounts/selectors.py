"""Page-shaped reads for people and cohorts. Each runs a fixed number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import Cohort, Role, User


def cohorts_for_tutor(*, tutor: User) -> QuerySet[Cohort]:
    """The cohorts a tutor teaches, each with its learners (two queries in all)."""
    return (
        Cohort.objects.taught_by(tutor)
        .annotate(learner_count=Count("learners", distinct=True))
        .prefetch_related(Prefetch("learners", queryset=User.objects.order_by("name", "email")))
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


def institution_summary() -> dict[str, int]:
    """Head counts for the institution admin's dashboard (two queries)."""
    counts = User.objects.aggregate(
        learners=Count("pk", filter=Q(role=Role.LEARNER)),
        learners_without_cohort=Count("pk", filter=Q(role=Role.LEARNER, cohorts__isnull=True)),
        tutors=Count("pk", filter=Q(role=Role.TUTOR)),
        admins=Count("pk", filter=Q(role=Role.ADMIN)),
    )
    counts["cohorts"] = Cohort.objects.count()
    return counts
