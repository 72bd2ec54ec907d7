"""Page-shaped reads for claims. `claim_view` loads everything a claim page, the
assessor's page and the APEL PDF show in a fixed number of queries, whatever the
number of outcomes and items: the matrix rows (one per outcome, with its evidence and
the rules-of-evidence facts), the matrix columns (each item once), and the transcript.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from badges.models import Badge
from portfolio.apel.evidence import Evidence, currency_cutoff, evidence_of, evidence_summary
from portfolio.apel.suggestions import Suggestion, suggestions_for
from portfolio.apel.transcript import Transcript, transcript_build
from portfolio.models import Attestation, Claim, ClaimEvent, ClaimOutcome, Mapping


def outcome_anchor(code: str) -> str:
    """The id of an outcome's section on a claim page, from its code: anything outside
    [A-Za-z0-9-] is written as _<hex>_, so two codes never share one."""
    return "outcome-" + re.sub(r"[^A-Za-z0-9-]", lambda m: f"_{ord(m.group()):x}_", code)


@dataclass
class Row:
    """One outcome of the claim: the learner's case and the assessor's judgement."""

    answer: ClaimOutcome
    mappings: list[Mapping]
    evidence: list[Evidence]
    flags: dict[str, bool]
    keys: set[str] = field(default_factory=set)  # the columns this row has evidence in

    @property
    def outcome(self) -> Any:
        return self.answer.outcome

    @property
    def anchor(self) -> str:
        return outcome_anchor(self.answer.outcome.code)


@dataclass
class ClaimView:
    claim: Claim
    rows: list[Row]
    columns: list[Evidence]  # each mapped item once, in order of first mapping
    transcript: Transcript
    suggestions: list[Suggestion]
    # Evidence mapped when the claim was submitted and no longer there (deleted by the
    # learner since): each {"outcome", "kind", "title"} as the history recorded it.
    removed: list[dict[str, str]] = field(default_factory=list)

    @property
    def gaps(self) -> int:
        return sum(1 for r in self.rows if r.flags["none"])

    @property
    def single(self) -> int:
        return sum(1 for r in self.rows if r.flags["single"])

    @property
    def only_self(self) -> int:
        return sum(1 for r in self.rows if r.flags["only_self"])

    @property
    def covered(self) -> int:
        return len(self.rows) - self.gaps

    @property
    def judged(self) -> int:
        return sum(1 for r in self.rows if r.answer.judgement)


def claims_of(*, learner: Any) -> QuerySet[Claim]:
    return Claim.objects.filter(learner=learner).select_related("programme__institution")


def claim_owned(*, learner: Any, public_id: Any) -> Claim:
    """The learner's own claim, or 404 (another learner's claim is 'not found' too)."""
    return get_object_or_404(claims_of(learner=learner), public_id=public_id)


def _mappings() -> QuerySet[Mapping]:
    shown = Attestation.objects.shown()
    return Mapping.objects.select_related(
        "artefact", "reflection", "badge", "showcase_item"
    ).prefetch_related(
        Prefetch("artefact__attestations", queryset=shown),
        Prefetch("reflection__attestations", queryset=shown),
    )


def claim_view(*, claim: Claim, suggest: bool = False) -> ClaimView:
    """Everything about one claim. `suggest` adds alignment suggestions among the
    learner's badges (for the learner's draft only: one more query)."""
    programme = claim.programme
    answers = list(
        ClaimOutcome.objects.filter(claim=claim)
        .select_related("outcome__course")
        .prefetch_related(Prefetch("mappings", queryset=_mappings()))
    )
    cutoff = currency_cutoff(programme)
    rows, columns, seen = [], [], {}
    for answer in answers:
        mappings = list(answer.mappings.all())
        evidence = [evidence_of(m, cutoff, claim.submitted_at) for m in mappings]
        for item in evidence:
            if item.key not in seen:
                seen[item.key] = item
                columns.append(item)
        rows.append(Row(answer, mappings, evidence, evidence_summary(evidence)))
        rows[-1].keys = {e.key for e in evidence}
    badges = [c.item for c in columns if isinstance(c.item, Badge)]
    notes = {n.badge_id: n for n in claim.credential_notes.all()}
    transcript = transcript_build(
        badges=badges,
        notes=notes,
        credits_sought=_credits_sought(answers),
        credit_cap=programme.credit_cap,
    )
    suggestions: list[Suggestion] = []
    if suggest and not claim.is_frozen:
        # public_id too: a page offering a suggestion names the badge by it (loading it
        # afterwards cost a query per suggestion).
        owned = list(
            Badge.objects.filter(owner_id=claim.learner_id).only(
                "pk", "public_id", "name", "details"
            )
        )
        mapped = {(r.answer.pk, m.badge_id) for r in rows for m in r.mappings if m.badge_id}
        suggestions = suggestions_for(answers=answers, badges=owned, mapped=mapped)
    removed = _removed_since_submitted(claim, rows) if claim.submitted_at else []
    return ClaimView(claim, rows, columns, transcript, suggestions, removed)


def _removed_since_submitted(claim: Claim, rows: list[Row]) -> list[dict[str, str]]:
    """The submitted evidence (as the history recorded it) that is no longer mapped:
    deleting an item deletes its mappings, even in a submitted claim (one query)."""
    event = claim.events.filter(kind="submitted").order_by("-at", "-pk").first()
    detail = event.detail if event is not None and isinstance(event.detail, dict) else {}
    there = {(r.outcome.code, key) for r in rows for key in r.keys}
    return [
        entry
        for entry in detail.get("evidence") or []
        if isinstance(entry, dict) and (entry.get("outcome"), entry.get("key")) not in there
    ]


def _credits_sought(answers: list[ClaimOutcome]) -> Decimal | None:
    """The credits the claim asks for: its outcomes' credits, or where outcomes carry
    none, the credits of the courses they belong to (each course once)."""
    total, courses, known = Decimal(0), {}, False
    for answer in answers:
        outcome = answer.outcome
        if outcome.credits is not None:
            total += outcome.credits
            known = True
        elif outcome.course is not None and outcome.course.credits is not None:
            courses[outcome.course.pk] = outcome.course.credits
    if courses:
        total += sum(courses.values(), Decimal(0))
        known = True
    return total if known else None


def claim_versions(*, claim: Claim) -> QuerySet[Claim]:
    return Claim.objects.filter(series=claim.series, learner_id=claim.learner_id).order_by(
        "-version"
    )


def claim_history(*, claim: Claim) -> QuerySet[ClaimEvent]:
    return claim.events.all()
