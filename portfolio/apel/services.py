"""Writes for claims: starting one, mapping evidence, justifying, declaring and
submitting, starting a new version, and the assessor's judgements.

A claim is frozen once submitted: every learner write here refuses a frozen claim
(`ClaimFrozen`) and the only writes left are the assessor's. Each step is recorded
as a `ClaimEvent`, the claim's history, in the same transaction.
"""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from artefacts.models import Artefact
from badges.models import Badge
from portfolio.apel.programme_access import programme_visible_to
from portfolio.models import (
    Claim,
    ClaimEvent,
    ClaimOutcome,
    ClaimState,
    Course,
    CredentialNote,
    Judgement,
    Mapping,
    Programme,
    Recommendation,
    ShowcaseItem,
)
from reflections.models import Reflection

Item = Artefact | Reflection | Badge

DECLARATION = _(
    "I declare that the evidence in this claim is my own work or is about my own "
    "achievements, that it is truthful and complete as far as I know, and that I have "
    "not knowingly included anything that is not mine. I understand that the assessor may "
    "check any of it and that a false declaration may end my application."
)


class ClaimRefused(Exception):
    """The write is not allowed; the message says why, for the person who asked."""


class ClaimFrozen(ClaimRefused):
    def __init__(self) -> None:
        super().__init__(
            _("This claim has been submitted and can no longer be changed. Start a new version.")
        )


def person_label(user: Any) -> str:
    name = getattr(user, "name", "") or ""
    email = getattr(user, "email", "") or ""
    return f"{name} <{email}>" if name else email


def _event(claim: Claim, actor: str, kind: str, **detail: Any) -> None:
    ClaimEvent.objects.create(claim=claim, actor=actor[:300], kind=kind, detail=detail)


def _draft(claim: Claim) -> None:
    """Refuse a write unless the claim is a draft, reading its state again under the
    claim's row lock (every caller is atomic): the `claim` a request loaded may predate a
    submission that has committed since, and one under way is waited for."""
    state = (
        Claim.objects.select_for_update().filter(pk=claim.pk).values_list("state", flat=True)
    ).first()
    if state is None:
        raise ClaimRefused(_("This claim has been deleted. Go back to your claims."))
    claim.state = state
    if claim.is_frozen:
        raise ClaimFrozen


@transaction.atomic
def claim_create(
    *, learner: Any, programme: Programme, title: str = "", courses: list[Course] | None = None
) -> Claim:
    """A draft claim against the programme (or the chosen courses of it), with an empty
    answer for each outcome it covers."""
    if not programme_visible_to(programme=programme, user=learner):
        raise ClaimRefused(_("That programme is not open to you."))
    chosen = [c for c in courses or [] if c.programme_id == programme.pk]
    outcomes = programme.outcomes.all()
    if chosen:
        outcomes = outcomes.filter(course__in=chosen)
    if not outcomes.exists():
        raise ClaimRefused(_("That programme has no learning outcomes to claim against yet."))
    claim = Claim.objects.create(
        learner=learner, programme=programme, title=(title or programme.title)[:200]
    )
    claim.courses.set(chosen)
    ClaimOutcome.objects.bulk_create(ClaimOutcome(claim=claim, outcome=o) for o in outcomes)
    _event(claim, person_label(learner), "created", programme=str(programme))
    return claim


@transaction.atomic
def claim_rename(*, claim: Claim, title: str) -> Claim:
    _draft(claim)
    claim.title = title.strip()[:200] or claim.title
    claim.save(update_fields=["title", "updated_at"])
    return claim


@transaction.atomic
def claim_delete(*, claim: Claim) -> None:
    """Only a draft is deleted; a submitted claim is a record of what was submitted."""
    _draft(claim)
    claim.delete()


def _owns(claim: Claim, item: Item) -> bool:
    return bool(item.owner_id == claim.learner_id)


@transaction.atomic
def mapping_add(
    *,
    answer: ClaimOutcome,
    item: Item,
    note: str = "",
    suggested_because: str = "",
    showcase_item: ShowcaseItem | None = None,
) -> Mapping:
    """Offer one of the learner's items as evidence for an outcome (once per outcome:
    mapping it again returns the existing mapping). Chosen from a showcase, the item is
    mapped with `showcase_item` (one of the learner's showcase items showing it) kept
    for its caption."""
    claim = answer.claim
    _draft(claim)
    if not _owns(claim, item):
        raise ClaimRefused(_("You can only map your own evidence."))
    field = str(item._meta.model_name)
    if showcase_item is not None and (
        showcase_item.section.showcase.owner_id != claim.learner_id
        or getattr(showcase_item, f"{field}_id") != item.pk
    ):
        raise ClaimRefused(_("That showcase item is not one of yours showing this evidence."))
    existing = Mapping.objects.filter(answer=answer, **{field: item}).first()
    if existing is not None:
        return existing
    last = answer.mappings.aggregate(last=Max("position"))["last"]
    mapping = Mapping.objects.create(
        answer=answer,
        note=note.strip(),
        suggested_because=suggested_because[:500],
        showcase_item=showcase_item,
        position=0 if last is None else last + 1,
        **{field: item},
    )
    _touch(claim)
    _event(
        claim,
        person_label(claim.learner),
        "mapped",
        outcome=answer.outcome.code,
        item=str(item),
        item_kind=field,
    )
    return mapping


@transaction.atomic
def mapping_remove(*, mapping: Mapping) -> None:
    claim = mapping.answer.claim
    _draft(claim)
    code, item = mapping.answer.outcome.code, str(mapping.target)
    mapping.delete()
    _touch(claim)
    _event(claim, person_label(claim.learner), "unmapped", outcome=code, item=item)


@transaction.atomic
def mapping_note(*, mapping: Mapping, note: str) -> Mapping:
    _draft(mapping.answer.claim)
    mapping.note = note.strip()
    mapping.save(update_fields=["note"])
    _touch(mapping.answer.claim)
    return mapping


@transaction.atomic
def answer_justify(*, answer: ClaimOutcome, justification: str) -> ClaimOutcome:
    _draft(answer.claim)
    answer.justification = justification.strip()
    answer.save(update_fields=["justification"])
    _touch(answer.claim)
    return answer


@transaction.atomic
def credential_note_set(
    *,
    claim: Claim,
    badge: Badge,
    study_hours: Decimal | None = None,
    eqf_level: int | None = None,
    credits: Decimal | None = None,
    learning_outcomes: str = "",
) -> CredentialNote | None:
    """The learner's own transcript values for a badge mapped in the claim (self-declared).
    All empty removes the note."""
    _draft(claim)
    if not _owns(claim, badge):
        raise ClaimRefused(_("You can only describe your own badges."))
    if not Mapping.objects.filter(answer__claim=claim, badge=badge).exists():
        raise ClaimRefused(
            _("That badge is not in this claim. Map it to an outcome, then add its values.")
        )
    if eqf_level is not None and not 1 <= eqf_level <= 8:
        raise ClaimRefused(_("EQF levels run from 1 to 8."))
    values = {
        "study_hours": study_hours,
        "eqf_level": eqf_level,
        "credits": credits,
        "learning_outcomes": learning_outcomes.strip(),
    }
    if not any(values.values()):
        CredentialNote.objects.filter(claim=claim, badge=badge).delete()
        return None
    note, _created = CredentialNote.objects.update_or_create(
        claim=claim, badge=badge, defaults=values
    )
    _touch(claim)
    return note


def _touch(claim: Claim) -> None:
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())


@transaction.atomic
def claim_submit(*, claim: Claim, declared: bool) -> Claim:
    """Declare and submit: the claim is frozen from here on. The declaration is kept
    as the words the learner confirmed, with the time."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _draft(claim)
    if not declared:
        raise ClaimRefused(
            _("Confirm the declaration of authenticity before you submit the claim.")
        )
    if not Mapping.objects.filter(answer__claim=claim).exists():
        raise ClaimRefused(_("Map evidence to at least one outcome before you submit."))
    now = timezone.now()
    claim.declaration, claim.declared_at = str(DECLARATION), now
    claim.state, claim.submitted_at = ClaimState.SUBMITTED, now
    claim.save(update_fields=["declaration", "declared_at", "state", "submitted_at", "updated_at"])
    _event(claim, person_label(claim.learner), "declared", declaration=claim.declaration)
    _event(claim, person_label(claim.learner), "submitted", evidence=_as_submitted(claim))
    return claim


def _as_submitted(claim: Claim) -> list[dict[str, str]]:
    """What was mapped where when the claim was submitted, kept in its history so the
    assessor can be told of evidence removed since (the claim's pages compare)."""
    mappings = Mapping.objects.filter(answer__claim=claim).select_related(
        "answer__outcome", "artefact", "reflection", "badge"
    )
    return [
        {
            "outcome": m.answer.outcome.code,
            "key": f"{m.kind}:{m.target.public_id}",
            "kind": m.kind,
            "title": str(m.target),
        }
        for m in mappings
    ]


@transaction.atomic
def claim_new_version(*, claim: Claim) -> Claim:
    """A draft copy of a submitted claim (mappings, justifications, notes), to answer
    the assessor or to change anything. Starting it twice gives the same draft."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if not claim.is_frozen:
        raise ClaimRefused(_("This claim is still a draft: change it directly."))
    existing = Claim.objects.filter(previous=claim).first()
    if existing is not None:
        return existing
    newer = Claim.objects.filter(series=claim.series).aggregate(v=Max("version"))["v"]
    copy = Claim.objects.create(
        learner=claim.learner,
        programme=claim.programme,
        title=claim.title,
        series=claim.series,
        version=(newer or claim.version) + 1,
        previous=claim,
    )
    copy.courses.set(claim.courses.all())
    answers = list(claim.answers.prefetch_related("mappings"))
    created = ClaimOutcome.objects.bulk_create(
        ClaimOutcome(claim=copy, outcome_id=a.outcome_id, justification=a.justification)
        for a in answers
    )
    Mapping.objects.bulk_create(
        Mapping(
            answer=new,
            artefact_id=m.artefact_id,
            reflection_id=m.reflection_id,
            badge_id=m.badge_id,
            showcase_item_id=m.showcase_item_id,
            note=m.note,
            suggested_because=m.suggested_because,
            position=m.position,
        )
        for old, new in zip(answers, created, strict=True)
        for m in old.mappings.all()
    )
    CredentialNote.objects.bulk_create(
        CredentialNote(
            claim=copy,
            badge_id=n.badge_id,
            study_hours=n.study_hours,
            eqf_level=n.eqf_level,
            credits=n.credits,
            learning_outcomes=n.learning_outcomes,
        )
        for n in claim.credential_notes.all()
    )
    _event(copy, person_label(claim.learner), "new_version", previous=claim.version)
    return copy


def _judgeable(claim: Claim) -> None:
    if claim.state not in (ClaimState.SUBMITTED, ClaimState.ASSESSED):
        raise ClaimRefused(_("Only a submitted claim can be judged."))


@transaction.atomic
def judgement_record(
    *, answer: ClaimOutcome, judgement: str, comment: str, by: str
) -> ClaimOutcome:
    """The assessor's judgement of one outcome (changing it is recorded too)."""
    _judgeable(answer.claim)
    if judgement not in Judgement.values:
        raise ClaimRefused(_("Choose meets, partly meets or not yet met."))
    answer.judgement, answer.judgement_comment = judgement, comment.strip()
    answer.judged_at, answer.judged_by = timezone.now(), by[:300]
    answer.save(update_fields=["judgement", "judgement_comment", "judged_at", "judged_by"])
    _touch(answer.claim)
    _event(
        answer.claim,
        by,
        "judged",
        outcome=answer.outcome.code,
        judgement=judgement,
        comment=answer.judgement_comment,
    )
    return answer


@transaction.atomic
def recommendation_record(*, claim: Claim, recommendation: str, comment: str, by: str) -> Claim:
    """The assessor's overall recommendation: the claim is assessed."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _judgeable(claim)
    if recommendation not in Recommendation.values:
        raise ClaimRefused(_("Choose a recommendation."))
    claim.recommendation, claim.recommendation_comment = recommendation, comment.strip()
    claim.assessed_at, claim.assessed_by = timezone.now(), by[:300]
    claim.state = ClaimState.ASSESSED
    claim.save(
        update_fields=[
            "recommendation",
            "recommendation_comment",
            "assessed_at",
            "assessed_by",
            "state",
            "updated_at",
        ]
    )
    _event(
        claim,
        by,
        "recommended",
        recommendation=recommendation,
        comment=claim.recommendation_comment,
    )
    return claim


def event_record(*, claim: Claim, actor: str, kind: str, **detail: Any) -> None:
    """A history line written by another capability (an export, an assessor link)."""
    _event(claim, actor, kind, **detail)
