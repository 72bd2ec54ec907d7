"""One row per learner of a cohort, in one query whatever the cohort's size.

Only what learners share with their tutors counts: the report is about activity the
institution may see, never about what a learner keeps private."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Cohort, User
from artefacts.models import Artefact
from badges.models import Badge
from core.models import Visibility
from portfolio.models import FeedbackThread, ShareLink
from reflections.models import Reflection

WEEKS = 4
EVIDENCE: tuple[type[Artefact] | type[Reflection] | type[Badge], ...] = (
    Artefact,
    Reflection,
    Badge,
)


@dataclass(frozen=True)
class ReportRow:
    name: str
    email: str
    last_activity: datetime | None
    per_week: list[int]  # this week first
    feedback_open: int
    showcases_shared: int


def _count(queryset: Any, *, by: str, distinct: str = "pk") -> Any:
    """How many rows of `queryset` (correlated to the learner through `by`), as a
    subquery; 0 when there are none."""
    counted = queryset.order_by().values(by).annotate(n=Count(distinct, distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def cohort_report(*, cohort: Cohort, now: datetime | None = None) -> list[ReportRow]:
    now = now or timezone.now()
    annotations: dict[str, Any] = {}
    for index, model in enumerate(EVIDENCE):
        shared = model.objects.filter(owner=OuterRef("pk"), visibility=Visibility.TUTORS)
        annotations[f"last_{index}"] = Subquery(
            shared.order_by("-created_at").values("created_at")[:1]
        )
        for week in range(WEEKS):
            start, end = now - timedelta(days=7 * (week + 1)), now - timedelta(days=7 * week)
            annotations[f"w{week}_{index}"] = _count(
                shared.filter(created_at__gt=start, created_at__lte=end), by="owner_id"
            )
    annotations["feedback_open"] = _count(
        FeedbackThread.objects.filter(learner=OuterRef("pk"), status=FeedbackThread.Status.OPEN),
        by="learner_id",
    )
    today = timezone.localdate()
    live = ShareLink.objects.filter(
        showcase__owner=OuterRef("pk"), revoked_at__isnull=True, showcase__archived_at__isnull=True
    ).exclude(expires_on__lt=today)
    annotations["showcases_shared"] = _count(live, by="showcase__owner_id", distinct="showcase_id")
    learners = cohort.learners.order_by("name", "email").annotate(**annotations)
    return [_row(learner) for learner in learners]


def _row(learner: User) -> ReportRow:
    values = learner.__dict__
    lasts = [values[f"last_{i}"] for i in range(len(EVIDENCE)) if values[f"last_{i}"]]
    return ReportRow(
        name=learner.display_name,
        email=learner.email,
        last_activity=max(lasts, default=None),
        per_week=[sum(values[f"w{w}_{i}"] for i in range(len(EVIDENCE))) for w in range(WEEKS)],
        feedback_open=values["feedback_open"],
        showcases_shared=values["showcases_shared"],
    )
