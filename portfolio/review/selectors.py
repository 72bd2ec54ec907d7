"""Reads for tutor review, each a fixed number of queries whatever the data size."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Cohort, User
from artefacts.models import Artefact
from badges.models import Badge
from core.models import Visibility
from portfolio.models import (
    FeedbackComment,
    FeedbackRequest,
    FeedbackThread,
    Goal,
    ReviewMark,
    ReviewMeeting,
)
from portfolio.review.services import Target, anchor_fields, check_can_act_for, check_target
from reflections.models import Reflection

EVIDENCE_MODELS: tuple[type[Artefact] | type[Reflection] | type[Badge], ...] = (
    Artefact,
    Reflection,
    Badge,
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Threads and feedback requests a tutor may see: whole-portfolio ones, and those on
# items not made private.
_ANCHOR_VISIBLE_TO_TUTORS = (
    Q(artefact__isnull=True, reflection__isnull=True, badge__isnull=True)
    | Q(artefact__visibility=Visibility.TUTORS)
    | Q(reflection__visibility=Visibility.TUTORS)
    | Q(badge__visibility=Visibility.TUTORS)
)

Sort = Literal["attention", "name", "activity"]


@dataclass(frozen=True)
class DashboardRow:
    learner: User
    last_activity: datetime | None
    new_since_review: int
    reviewed_up_to: datetime | None
    open_feedback: int
    open_goals: int
    asked_for_feedback: bool


def _count(queryset: QuerySet[Any], owner_field: str) -> Coalesce:
    """A correlated COUNT subquery over `queryset` for the outer learner."""
    counted = (
        queryset.filter(**{owner_field: OuterRef("pk")})
        .order_by()
        .values(owner_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def tutor_dashboard_rows(
    *, tutor: User, cohort_public_id: Any = None, sort: Sort = "attention"
) -> list[DashboardRow]:
    """One row per learner of the tutor's cohorts (optionally one cohort). One query.

    Only evidence the tutor can read counts. "attention" puts learners who asked for
    feedback first, then the most new work since this tutor's review mark, then the
    most open feedback; "activity" the most recently active first; "name" A-Z.
    """
    if not getattr(tutor, "is_tutor", False):
        return []
    # Current cohorts only, and nobody suspended in the cohort's institution.
    learners = User.objects.taught_by(tutor)
    if cohort_public_id is not None:
        learners = learners.filter(
            cohorts__in=Cohort.objects.taught_by(tutor).filter(public_id=cohort_public_id)
        )
    mark = ReviewMark.objects.filter(tutor=tutor, learner=OuterRef("pk")).values("reviewed_up_to")[
        :1
    ]
    annotations: dict[str, Any] = {
        "_mark": Subquery(mark),
        "_since": Coalesce(Subquery(mark), Value(_EPOCH)),
    }
    for model in EVIDENCE_MODELS:
        name = model._meta.model_name
        shared = model.objects.filter(owner=OuterRef("pk"), visibility=Visibility.TUTORS)
        annotations[f"_last_{name}"] = Subquery(
            shared.order_by("-created_at").values("created_at")[:1]
        )
    learners = learners.annotate(**annotations)
    learners = learners.annotate(
        _new=sum(
            (
                _count(
                    model.objects.filter(
                        visibility=Visibility.TUTORS, created_at__gt=OuterRef("_since")
                    ),
                    "owner",
                )
                for model in EVIDENCE_MODELS
            ),
            start=Value(0),
        ),
        _open_feedback=_count(
            FeedbackThread.objects.filter(_ANCHOR_VISIBLE_TO_TUTORS, status="open"), "learner"
        ),
        _open_goals=_count(Goal.objects.exclude(status=Goal.Status.DONE), "learner"),
        _asked=_count(FeedbackRequest.objects.filter(resolved_at__isnull=True), "learner"),
    ).distinct()
    rows = []
    for learner in learners:
        lasts = [getattr(learner, f"_last_{m._meta.model_name}") for m in EVIDENCE_MODELS]
        rows.append(
            DashboardRow(
                learner=learner,
                last_activity=max((d for d in lasts if d is not None), default=None),
                new_since_review=learner._new,
                reviewed_up_to=learner._mark,
                open_feedback=learner._open_feedback,
                open_goals=learner._open_goals,
                asked_for_feedback=learner._asked > 0,
            )
        )
    by_name = sorted(rows, key=lambda r: (r.learner.display_name.casefold(), r.learner.pk))
    if sort == "name":
        return by_name
    if sort == "activity":
        return sorted(by_name, key=lambda r: r.last_activity or _EPOCH, reverse=True)
    return sorted(
        by_name, key=lambda r: (not r.asked_for_feedback, -r.new_since_review, -r.open_feedback)
    )


def _threads() -> QuerySet[FeedbackThread]:
    return FeedbackThread.objects.select_related(
        "learner", "started_by", "artefact", "reflection", "badge"
    ).prefetch_related(
        Prefetch("comments", queryset=FeedbackComment.objects.select_related("author", "goal"))
    )


def threads_for_item(viewer: Any, target: Target) -> list[FeedbackThread]:
    """Threads on one item, comments prefetched (two queries after the access check).
    PermissionDenied unless the viewer may read the item."""
    learner = target.owner
    check_can_act_for(viewer, learner)
    check_target(viewer, learner, target)
    return list(_threads().filter(learner=learner, **anchor_fields(target)))


def threads_for_learner(viewer: Any, learner: User) -> list[FeedbackThread]:
    """Every thread about the learner that the viewer may see: all of them for the
    learner, none on private items for a tutor."""
    check_can_act_for(viewer, learner)
    threads = _threads().filter(learner=learner)
    if viewer.pk != learner.pk:
        threads = threads.filter(_ANCHOR_VISIBLE_TO_TUTORS)
    return list(threads)


def open_requests(viewer: Any, learner: User) -> list[FeedbackRequest]:
    """The learner's unanswered requests for feedback that the viewer may see (a tutor
    does not see requests about items the learner has since made private)."""
    check_can_act_for(viewer, learner)
    requests = FeedbackRequest.objects.filter(learner=learner, resolved_at__isnull=True)
    if viewer.pk != learner.pk:
        requests = requests.filter(_ANCHOR_VISIBLE_TO_TUTORS)
    return list(requests.select_related("artefact", "reflection", "badge"))


def meetings_for(learner: User, *, viewer: Any) -> list[ReviewMeeting]:
    """The learner's review meetings, newest first, each with its tutor and the goals
    (next steps) it set. Two queries."""
    check_can_act_for(viewer, learner)
    return list(
        ReviewMeeting.objects.filter(learner=learner)
        .select_related("tutor")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("created_at", "pk")))
    )


def learning_plan(learner: User, *, viewer: Any) -> list[Goal]:
    """The learner's goals, each with the evidence the viewer may read."""
    check_can_act_for(viewer, learner)
    return list(
        Goal.objects.filter(learner=learner)
        .select_related("created_by", "meeting", "source_comment")
        .prefetch_related(
            Prefetch("evidence", queryset=Artefact.objects.readable_by(viewer).order_by("title"))
        )
    )


def goals_open(learner: User, limit: int = 5) -> list[Goal]:
    """The learner's goals not yet done, in plan order (due first). One query."""
    return list(Goal.objects.filter(learner=learner).exclude(status=Goal.Status.DONE)[:limit])


def goals_open_done(learner: User) -> dict[str, int]:
    """{"open": n, "done": m} for a chart; in-progress goals count as open."""
    counts = Goal.objects.filter(learner=learner).aggregate(
        open=Count("pk", filter=~Q(status=Goal.Status.DONE)),
        done=Count("pk", filter=Q(status=Goal.Status.DONE)),
    )
    return {"open": counts["open"], "done": counts["done"]}


def activity_by_week(learner: User, viewer: Any, weeks: int = 26) -> list[tuple[date, int]]:
    """(Monday, items the viewer can read created that week), oldest first, `weeks` long.
    Three queries."""
    check_can_act_for(viewer, learner)
    today = timezone.localdate()
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    counts = {first + timedelta(weeks=i): 0 for i in range(weeks)}
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    for model in EVIDENCE_MODELS:
        created = (
            model.objects.readable_by(viewer)
            .filter(owner=learner, created_at__gte=since)
            .values_list("created_at", flat=True)
        )
        for moment in created:
            day = timezone.localtime(moment).date()
            week = day - timedelta(days=day.weekday())
            if week in counts:
                counts[week] += 1
    return sorted(counts.items())
