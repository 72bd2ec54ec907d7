"""Page-shaped reads of programmes. Each runs a fixed number of queries, whatever the
number of programmes, courses and outcomes.

Who reads what: an institution's active admins read all its programmes (on the staff
pages); a learner reads the published programmes of the institutions they are an active
member of, and the programmes they entered themselves; nobody else reads any."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Institution, User
from portfolio.apel.programme_access import programmes_visible_to
from portfolio.models import Claim, Course, LearningOutcome, Programme


@dataclass
class OutcomeGroup:
    """A course and its outcomes in order; `course` is None for outcomes in no course."""

    course: Course | None
    outcomes: list[LearningOutcome] = field(default_factory=list)


def _counted(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    """With `outcome_count` and `claim_count` (subqueries, so no row multiplication)."""

    def count_of(model: Any) -> Coalesce:
        counted = (
            model.objects.filter(programme=OuterRef("pk"))
            .order_by()
            .values("programme")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return programmes.annotate(outcome_count=count_of(LearningOutcome), claim_count=count_of(Claim))


def programmes_of_institution(*, institution: Institution) -> QuerySet[Programme]:
    """All the institution's programmes, published or not (one query)."""
    return _counted(Programme.objects.filter(institution=institution)).order_by("title", "pk")


def programme_of_institution(*, institution: Institution, public_id: Any) -> Programme:
    """Programme.DoesNotExist unless it is this institution's."""
    return (
        _counted(Programme.objects.filter(institution=institution))
        .select_related("institution")
        .get(public_id=public_id)
    )


def programmes_readable_by(*, user: User) -> QuerySet[Programme]:
    """The programmes `user` may read as a learner (the rule is programme_access's)."""
    return programmes_visible_to(user)


def programmes_for_learner(*, user: User) -> QuerySet[Programme]:
    """Their institutions' published programmes, then their own (one query)."""
    return (
        _counted(programmes_readable_by(user=user))
        .select_related("institution")
        .order_by(F("institution__name").asc(nulls_last=True), "title", "pk")
    )


def programme_for_learner(*, user: User, public_id: Any) -> Programme:
    """Programme.DoesNotExist unless `user` may read it."""
    return (
        _counted(programmes_readable_by(user=user))
        .select_related("institution")
        .get(public_id=public_id)
    )


def programme_entered_by(*, user: User, public_id: Any) -> Programme:
    """Programme.DoesNotExist unless `user` entered it (the only one who may change it)."""
    return _counted(Programme.objects.filter(entered_by=user)).get(public_id=public_id)


def programme_outcome_groups(*, programme: Programme) -> list[OutcomeGroup]:
    """The programme's courses in order, each with its outcomes in order, then the
    outcomes in no course (two queries). Courses without outcomes are listed too."""
    groups = {
        course.pk: OutcomeGroup(course) for course in programme.courses.order_by("position", "pk")
    }
    loose = OutcomeGroup(None)
    for outcome in programme.outcomes.order_by("position", "pk"):
        group = groups.get(outcome.course_id) if outcome.course_id else loose
        if group is not None:
            outcome.course = group.course
            group.outcomes.append(outcome)
    return [*groups.values(), *([loose] if loose.outcomes else [])]


def programme_outcomes(*, programme: Programme) -> QuerySet[LearningOutcome]:
    """Every outcome with its course, in the order the programme's page shows them (one
    query): course after course, then the outcomes in no course."""
    return programme.outcomes.select_related("course").order_by(
        F("course__position").asc(nulls_last=True), "course_id", "position", "pk"
    )


def programme_course(*, programme: Programme, course_id: int) -> Course:
    return Course.objects.select_related("programme").get(programme=programme, pk=course_id)


def programme_outcome(*, programme: Programme, outcome_id: int) -> LearningOutcome:
    return LearningOutcome.objects.select_related("programme", "course").get(
        programme=programme, pk=outcome_id
    )
