"""Page-shaped reads for assessors: who may be chosen, the claims an assessor was
given, the one rule for whether an assignment still gives access, and everything the
assessor's page shows of a claim (a fixed number of queries, whatever its size).

An account assessor reaches a claim while their assignment is not revoked and they are
an active member of the programme's institution with the assessor role: suspending
them, or changing their role, ends their access at once. A link reaches its claim
until it expires or is revoked. Either reaches the files of exactly the items mapped in
that claim, and nothing else of the learner's.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from accounts.institutions.models import Membership, MembershipRole, MembershipState
from artefacts.models import Artefact
from badges.models import Badge
from portfolio.apel.evidence import Evidence
from portfolio.apel.selectors import ClaimView, Row, claim_view
from portfolio.models import Claim, ClaimAssessor, ClaimState, Mapping
from portfolio.showcases.services import token_hash

LINK_ROUTE = "assess_link"  # /apel/assess/<token>/...
ACCOUNT_ROUTE = "assess_claim"  # /apel/assess/claims/<claim public_id>/...


def _assessor_membership(user: Any, institution: Any) -> Exists:
    return Exists(
        Membership.objects.filter(
            user=user,
            institution=institution,
            role=MembershipRole.ASSESSOR,
            state=MembershipState.ACTIVE,
        )
    )


def _learner_membership(claim: Claim, institution_id: int) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user_id=claim.learner_id, institution_id=institution_id, state=MembershipState.ACTIVE
    )


def learner_is_member(*, claim: Claim) -> bool:
    """Whether the claim's learner is an active member of its programme's institution."""
    institution_id = claim.programme.institution_id
    return institution_id is not None and _learner_membership(claim, institution_id).exists()


def assessors_available(*, claim: Claim) -> QuerySet[Any]:
    """The people the learner may choose: active assessors of the programme's
    institution (none for a programme the learner entered), never the learner. None
    either once the learner is no longer an active member of the institution: a
    suspended member is hidden from its staff, so sends them nothing."""
    institution_id = claim.programme.institution_id
    if institution_id is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(_assessor_membership(OuterRef("pk"), institution_id))
        .filter(Exists(_learner_membership(claim, institution_id)))
        .exclude(pk=claim.learner_id)
        .order_by("name", "email")
    )


def _account_assignments(user: Any) -> QuerySet[ClaimAssessor]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ClaimAssessor.objects.none()
    return ClaimAssessor.objects.filter(
        _assessor_membership(user, OuterRef("claim__programme__institution_id")),
        user=user,
        revoked_at__isnull=True,
    ).exclude(claim__state__in=[ClaimState.DRAFT, ClaimState.WITHDRAWN])


def claims_to_assess(*, user: Any) -> QuerySet[ClaimAssessor]:
    """The claims given to this account assessor, newest first, each with its learner,
    programme and how many of its outcomes are judged (one query)."""
    return (
        _account_assignments(user)
        .select_related("claim__learner", "claim__programme")
        .annotate(
            outcome_count=Count("claim__answers"),
            judged_count=Count("claim__answers", filter=~Q(claim__answers__judgement="")),
        )
        .order_by("-claim__submitted_at", "-pk")
    )


def _loaded() -> QuerySet[ClaimAssessor]:
    return ClaimAssessor.objects.select_related("claim__learner", "claim__programme__institution")


def assignment_for_user(*, user: Any, public_id: Any) -> ClaimAssessor | None:
    """The account assessor's standing assignment to this claim, or None (not theirs,
    revoked, or they are no longer an active assessor of the institution)."""
    try:
        wanted = uuid.UUID(str(public_id))
    except ValueError:
        return None
    found = _account_assignments(user).select_related(
        "claim__learner", "claim__programme__institution"
    )
    return found.filter(claim__public_id=wanted).order_by("-created_at").first()


@dataclass(frozen=True)
class LinkState:
    assessor: ClaimAssessor | None  # None: no such link
    active: bool


def assignment_for_token(*, token: str) -> LinkState:
    """The assignment a link opens and whether it still works (one query)."""
    if not token or len(token) > 100:
        return LinkState(None, False)
    found = _loaded().filter(token_hash=token_hash(token)).first()
    if found is None:
        return LinkState(None, False)
    assessing = found.claim.state in (ClaimState.SUBMITTED, ClaimState.ASSESSED)
    return LinkState(found, found.is_active and assessing)


def assessors_of(*, claim: Claim) -> QuerySet[ClaimAssessor]:
    """Everyone the claim was sent to, for the learner's "Assessors" section."""
    return claim.assessors.order_by("-created_at")


def assessed_artefact(*, assessor: ClaimAssessor, public_id: Any) -> Artefact:
    """An artefact mapped in the assessor's claim (Artefact.DoesNotExist otherwise:
    another item of the same learner is as unknown as a made-up one)."""
    mapped = Mapping.objects.filter(answer__claim_id=assessor.claim_id, artefact=OuterRef("pk"))
    return Artefact.objects.filter(Exists(mapped)).get(public_id=public_id)


def assessed_badge(*, assessor: ClaimAssessor, public_id: Any) -> Badge:
    mapped = Mapping.objects.filter(answer__claim_id=assessor.claim_id, badge=OuterRef("pk"))
    return Badge.objects.filter(Exists(mapped)).get(public_id=public_id)


# --- The assessor's page ---------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """Where this assessor's pages are: under their link's token or, for an account
    assessor, under the claim's public id."""

    name: str  # LINK_ROUTE or ACCOUNT_ROUTE
    key: str

    def url(self, part: str = "", *args: Any) -> str:
        return reverse(f"apel:{self.name}{'_' + part if part else ''}", args=[self.key, *args])

    def maker(self, part: str) -> Callable[[Any], str]:
        """A function from an item's public_id to its URL: reversed once, then formatted
        per item (a page of 200 items has several hundred links)."""
        mark = "00000000-0000-0000-0000-000000000000"
        head, _mark, tail = self.url(part, mark).partition(mark)
        return lambda public_id: f"{head}{public_id}{tail}"


@dataclass
class Shown:
    """One mapped item as the assessor's page shows it, with where to open it."""

    evidence: Evidence
    anchor: str
    file_url: str = ""
    thumbnail_url: str = ""
    badge_url: str = ""
    image_url: str = ""

    @property
    def item(self) -> Any:
        return self.evidence.item


@dataclass
class Block:
    """One outcome: the learner's case, its evidence and the judgement form."""

    number: int
    row: Row
    items: list[Shown] = field(default_factory=list)
    posted: Any = None  # a JudgementForm refused for this outcome, shown with its errors

    @property
    def answer(self) -> Any:
        return self.row.answer

    @property
    def pieces(self) -> list[tuple[Mapping, Shown]]:
        """Each mapping of the outcome with its item as shown."""
        return list(zip(self.row.mappings, self.items, strict=True))

    @property
    def chosen(self) -> str:
        if self.posted is not None:
            return str(self.posted.data.get("judgement", ""))
        return str(self.answer.judgement)

    @property
    def comment(self) -> str:
        if self.posted is not None:
            return str(self.posted.data.get("comment", ""))
        return str(self.answer.judgement_comment)

    @property
    def errors(self) -> list[str]:
        if self.posted is None:
            return []
        return [str(e) for errors in self.posted.errors.values() for e in errors]


@dataclass
class AssessorPage:
    assessor: ClaimAssessor
    route: Route
    view: ClaimView
    blocks: list[Block]
    items: list[Shown]

    @property
    def claim(self) -> Claim:
        return self.view.claim

    @property
    def can_judge(self) -> bool:
        return self.assessor.is_active and self.claim.state in (
            ClaimState.SUBMITTED,
            ClaimState.ASSESSED,
        )

    @property
    def unjudged(self) -> int:
        return len(self.blocks) - self.view.judged


def assessor_page(*, assessor: ClaimAssessor, route: Route) -> AssessorPage:
    """The claim as its assessor sees it: claim_view (read-only, no suggestions) and
    each mapped item once, with its file, thumbnail, badge page and image URLs."""
    view = claim_view(claim=assessor.claim)
    file_url, thumbnail_url = route.maker("file"), route.maker("thumbnail")
    badge_url, image_url = route.maker("badge"), route.maker("badge_image")
    shown: dict[str, Shown] = {}
    for evidence in view.columns:
        item = evidence.item
        entry = Shown(evidence, anchor=evidence.key.replace(":", "-"))
        if isinstance(item, Artefact) and item.kind == Artefact.Kind.FILE:
            entry.file_url = file_url(item.public_id)
            if item.is_image and item.preview == Artefact.Preview.READY and item.thumbnail:
                entry.thumbnail_url = thumbnail_url(item.public_id)
        elif isinstance(item, Badge):
            entry.badge_url = badge_url(item.public_id)
            if item.display_image:
                entry.image_url = image_url(item.public_id)
        shown[evidence.key] = entry
    blocks = [
        Block(number, row, [shown[e.key] for e in row.evidence])
        for number, row in enumerate(view.rows, start=1)
    ]
    return AssessorPage(assessor, route, view, blocks, list(shown.values()))
