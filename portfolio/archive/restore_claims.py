"""Recreating APEL claims as they were: every version, answer, mapping, judgement,
credential note and event, and the claim's state (a submitted claim stays frozen). Who a
claim was submitted to is not carried over (those are links to this site's assessors).

The target programme: an institution's programme still published here under the same
institution and code, with every outcome the claims answer, is used as it is; otherwise
the programme is entered again from the archive's snapshot as the learner's own."""

import uuid
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio.archive.fields import ManifestInvalid, Record
from portfolio.archive.restore import Restore, keep_dates
from portfolio.models import (
    Claim,
    ClaimEvent,
    ClaimOutcome,
    ClaimState,
    Course,
    CredentialNote,
    Judgement,
    LearningOutcome,
    Mapping,
    Programme,
    Recommendation,
)


def restore_claims(run: Restore) -> None:
    programmes = {r.required_id(): r for r in run.reader.records("programmes")}
    records = run.reader.records("claims")
    found = run.already_here(
        "claims", [r.required_id() for r in records], Claim.objects.filter(learner=run.owner)
    )
    series: dict[str, Any] = {}
    for record in sorted(records, key=lambda r: r.integer("version", minimum=1) or 1):
        source_id = record.required_id()
        if source_id in found:
            run.remember("claims", source_id, found[source_id], existing=True)
        else:
            snapshot = programmes.get(record.required_id("programme"))
            if snapshot is None:
                raise ManifestInvalid(f"{record.where}.programme", "names no programme")
            claim = _claim(run, record, _programme(run, snapshot, record), series)
            run.remember("claims", source_id, claim)
        run.tick()


def _programme(run: Restore, snapshot: Record, claim: Record) -> Programme:
    source_id = snapshot.required_id()
    if source_id in run.made.get("programmes", {}):
        return run.made["programmes"][source_id]
    codes = {a.text("outcome", required=True) for a in claim.records("answers")}
    institution = snapshot.record("institution")
    if institution is not None:
        published = Programme.objects.filter(
            institution__slug=institution.text("slug", max_length=60),
            code=snapshot.text("code", max_length=40),
            published_at__isnull=False,
        ).first()
        if published and codes <= set(published.outcomes.values_list("code", flat=True)):
            run.made.setdefault("programmes", {})[source_id] = published
            return published
    found = run.already_here(
        "programmes", [source_id], Programme.objects.filter(entered_by=run.owner)
    )
    if source_id in found:
        run.remember("programmes", source_id, found[source_id], existing=True)
        return found[source_id]
    programme = _enter_programme(run, snapshot)
    run.remember("programmes", source_id, programme)
    return programme


def _enter_programme(run: Restore, snapshot: Record) -> Programme:
    programme = Programme.objects.create(
        entered_by=run.owner,
        code=snapshot.text("code", max_length=40),
        title=snapshot.text("title", max_length=300, required=True),
        description=snapshot.text("description", max_length=100_000),
        level=snapshot.text("level", max_length=100),
        total_credits=snapshot.decimal("total_credits"),
        credit_cap=snapshot.decimal("credit_cap"),
        currency_years=snapshot.integer("currency_years", maximum=100),
    )
    courses = {}
    for n, course in enumerate(snapshot.records("courses")):
        code = course.text("code", max_length=40, required=True)
        courses[code] = Course.objects.create(
            programme=programme,
            code=code,
            title=course.text("title", max_length=300),
            credits=course.decimal("credits"),
            position=n,
        )
    for n, outcome in enumerate(snapshot.records("outcomes")):
        LearningOutcome.objects.create(
            programme=programme,
            course=courses.get(outcome.text("course", max_length=40)),
            code=outcome.text("code", max_length=40, required=True),
            text=outcome.text("text", max_length=100_000, required=True),
            credits=outcome.decimal("credits"),
            position=n,
        )
    return programme


def _claim(run: Restore, record: Record, programme: Programme, series: dict[str, Any]) -> Claim:
    previous = run.made.get("claims", {}).get(record.ident("previous", optional=True) or "")
    claim = Claim.objects.create(
        learner=run.owner,
        programme=programme,
        title=record.text("title", max_length=200, required=True),
        # One new series for the versions of one old series (that of an earlier import of
        # the previous version, when there is one).
        series=series.setdefault(
            record.text("series", max_length=64),
            previous.series if previous is not None else uuid.uuid4(),
        ),
        version=record.integer("version", minimum=1, maximum=32_000) or 1,
        previous=previous,
        state=record.choice("state", ClaimState.values),
        declaration=record.text("declaration", max_length=100_000),
        declared_at=record.moment("declared_at"),
        submitted_at=record.moment("submitted_at"),
        recommendation=record.choice("recommendation", Recommendation.values, blank=True),
        recommendation_comment=record.text("recommendation_comment", max_length=100_000),
        assessed_at=record.moment("assessed_at"),
        assessed_by=record.text("assessed_by", max_length=300),
    )
    keep_dates(claim, created_at=record.moment("created_at"))
    outcomes = {o.code: o for o in programme.outcomes.all()}
    claim.courses.set(programme.courses.filter(code__in=record.strings("courses")))
    for answer in record.records("answers"):
        _answer(run, claim, answer, outcomes)
    _notes(run, claim, record)
    for event in record.records("events"):
        kind = event.text("kind", max_length=40, required=True)
        detail = event.json_object("detail")
        ClaimEvent.objects.create(
            claim=claim,
            at=event.moment("at") or timezone.now(),
            actor=event.text("actor", max_length=300),
            kind=kind,
            detail=_renamed(run, detail) if kind == "submitted" else detail,
        )
    ClaimEvent.objects.create(
        claim=claim,
        actor=run.owner.email,
        kind="imported",
        detail={"archive": run.reader.archive_id},
    )
    return claim


def _renamed(run: Restore, detail: dict[str, Any]) -> dict[str, Any]:
    """The evidence a submission recorded, named by the items this import made, so the
    claim's pages still tell what was removed since (and nothing that was not)."""
    entries = detail.get("evidence")
    if not isinstance(entries, list):
        return detail
    renamed = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        kind, _sep, old = str(entry.get("key") or "").partition(":")
        made = run.target((kind, old)) if kind and old else None
        key = f"{kind}:{made.public_id}" if made is not None else entry.get("key")
        renamed.append({**entry, "key": key})
    return {**detail, "evidence": renamed}


def _answer(run: Restore, claim: Claim, record: Record, outcomes: dict[str, Any]) -> None:
    code = record.text("outcome", max_length=40, required=True)
    if code not in outcomes:
        raise ManifestInvalid(f"{record.where}.outcome", "is not an outcome of its programme")
    answer = ClaimOutcome.objects.create(
        claim=claim,
        outcome=outcomes[code],
        justification=record.text("justification", max_length=100_000),
        judgement=record.choice("judgement", Judgement.values, blank=True),
        judgement_comment=record.text("judgement_comment", max_length=100_000),
        judged_at=record.moment("judged_at"),
        judged_by=record.text("judged_by", max_length=300),
    )
    items = run.made.get("showcase_items", {})
    for n, mapping in enumerate(record.records("mappings")):
        target = run.target(mapping.ref())
        if target is None:
            run.report.skip(
                "claims",
                claim.title,
                _("Evidence mapped to %(code)s was left out: it was not imported.")
                % {"code": code},
            )
            continue
        place = mapping.record("showcase_item")
        item = None
        if place is not None:
            item = items.get(place.text("showcase"), {}).get(place.text("item"))
        Mapping.objects.create(
            answer=answer,
            **{f"{type(target).__name__.lower()}": target},
            showcase_item=item,
            note=mapping.text("note", max_length=100_000),
            suggested_because=mapping.text("suggested_because", max_length=500),
            position=n,
            created_at=mapping.moment("created_at") or timezone.now(),
        )


def _notes(run: Restore, claim: Claim, record: Record) -> None:
    for note in record.records("credential_notes"):
        badge = run.made.get("badges", {}).get(note.required_id("badge"))
        if badge is None:
            continue  # the badge was skipped, and the report says so
        CredentialNote.objects.create(
            claim=claim,
            badge=badge,
            study_hours=note.decimal("study_hours"),
            eqf_level=note.integer("eqf_level", maximum=8),
            credits=note.decimal("credits"),
            learning_outcomes=note.text("learning_outcomes", max_length=100_000),
        )
