"""Everything of one learner's that goes into their archive, read in a fixed number of
queries whatever the size of the account."""

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from artefacts.models import Artefact
from badges.models import Badge, Verification
from portfolio.models import (
    Attestation,
    Claim,
    ClaimOutcome,
    FeedbackComment,
    FeedbackThread,
    Goal,
    Mapping,
    Programme,
    ReviewMeeting,
    Section,
    Showcase,
    ShowcaseItem,
)
from reflections.models import Reflection


@dataclass
class Contents:
    artefacts: list[Artefact]
    reflections: list[Reflection]
    badges: list[Badge]
    latest_checks: dict[int, Verification]
    showcases: list[Showcase]
    programmes: list[Programme]
    claims: list[Claim]
    attestations: list[Attestation]
    threads: list[FeedbackThread]
    goals: list[Goal]
    meetings: list[ReviewMeeting]

    @property
    def item_count(self) -> int:
        return sum(
            len(group) for group in (self.artefacts, self.reflections, self.badges, self.showcases)
        )


def archive_contents(*, owner: Any) -> Contents:
    """Every record the archive holds, oldest first, with what each one refers to."""
    badges = list(Badge.objects.filter(owner=owner).order_by("created_at", "pk"))
    claims = list(_claims(owner))
    programme_ids = {claim.programme_id for claim in claims}
    return Contents(
        artefacts=list(
            Artefact.objects.filter(owner=owner)
            .prefetch_related("tags")
            .order_by("created_at", "pk")
        ),
        reflections=list(
            Reflection.objects.filter(owner=owner)
            .prefetch_related("tags", Prefetch("artefacts", queryset=_ids(Artefact)))
            .order_by("created_at", "pk")
        ),
        badges=badges,
        latest_checks=_latest_checks(badges),
        showcases=list(_showcases(owner)),
        programmes=list(
            Programme.objects.filter(pk__in=programme_ids)
            .select_related("institution")
            .prefetch_related("courses", "outcomes__course")
            .order_by("pk")
        ),
        claims=claims,
        attestations=list(
            Attestation.objects.filter(learner=owner)
            .select_related("artefact", "reflection")
            .order_by("created_at", "pk")
        ),
        threads=list(
            FeedbackThread.objects.filter(learner=owner)
            .select_related("started_by", "artefact", "reflection", "badge")
            .prefetch_related(
                Prefetch(
                    "comments",
                    queryset=FeedbackComment.objects.select_related("author", "goal").order_by(
                        "created_at", "pk"
                    ),
                )
            )
            .order_by("created_at", "pk")
        ),
        goals=list(
            Goal.objects.filter(learner=owner)
            .select_related("created_by", "meeting")
            .prefetch_related(Prefetch("evidence", queryset=_ids(Artefact)))
            .order_by("created_at", "pk")
        ),
        meetings=list(
            ReviewMeeting.objects.filter(learner=owner)
            .select_related("tutor")
            .order_by("created_at", "pk")
        ),
    )


def _ids(model: Any) -> QuerySet[Any]:
    return model.objects.only("pk", "public_id")


def _latest_checks(badges: list[Badge]) -> dict[int, Verification]:
    """Each badge's most recent verification (one query, however long the histories)."""
    latest = (
        Verification.objects.filter(badge=OuterRef("pk"))
        .order_by("-checked_at", "-pk")
        .values("pk")
    )
    ids = Badge.objects.filter(pk__in=[b.pk for b in badges]).values(latest_id=Subquery(latest[:1]))
    return {v.badge_id: v for v in Verification.objects.filter(pk__in=ids)}


def _showcases(owner: Any) -> QuerySet[Showcase]:
    items = ShowcaseItem.objects.select_related("artefact", "reflection", "badge").order_by(
        "position", "pk"
    )
    return (
        Showcase.objects.filter(owner=owner)
        .select_related("institution", "owner")
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=Section.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("items", queryset=items.prefetch_related(*_ITEM_ATTESTATIONS))
                ),
            )
        )
        .order_by("created_at", "pk")
    )


_ITEM_ATTESTATIONS = (
    Prefetch("artefact__attestations", queryset=Attestation.objects.shown()),
    Prefetch("reflection__attestations", queryset=Attestation.objects.shown()),
)


def _claims(owner: Any) -> QuerySet[Claim]:
    mappings = Mapping.objects.select_related(
        "artefact", "reflection", "badge", "showcase_item"
    ).order_by("position", "pk")
    answers = ClaimOutcome.objects.select_related("outcome").prefetch_related(
        Prefetch("mappings", queryset=mappings)
    )
    return (
        Claim.objects.filter(learner=owner)
        .select_related("programme", "previous")
        .prefetch_related(
            "courses",
            Prefetch("answers", queryset=answers),
            "credential_notes__badge",
            "events",
        )
        .order_by("series", "version", "pk")
    )
