"""The claim as data: what the APEL evidence PDF embeds (claim.json) and its verification
page offers, for an admissions system to read without retyping the PDF.

Format `learner-portfolio/apel-claim/1`, one JSON object (UTF-8, dates ISO 8601,
credits and hours as decimal strings ("6", "2.5") so nothing is rounded, absent values
null):

- `format`: the string above. A change that removes or redefines a field gets a new
  number; fields may be added within a version.
- `claim`: `id`, `series`, `version`, `previous_version`, `title`, `state`,
  `state_label`, `applicant` (`name`), `created_at`, `submitted_at`, `declaration`
  (`text` and `declared_at` as the learner confirmed them, or null for a draft).
- `programme`: `code`, `title`, `institution` (its name, or null when the learner
  entered the programme, then `learner_entered` is true), `level`, `total_credits`,
  `credit_cap`, `currency_years`, `courses` (those the claim is limited to; empty: the
  whole programme).
- `items`: each piece of evidence once, `ref` "E1", "E2", ... as the PDF numbers them,
  with `kind` (artefact, reflection, badge), `id`, `title`, `date`, `current` (inside the
  programme's currency window), `changed_after_submission` (when the learner last
  changed it, if after the claim was submitted, else null), `backing` (`kind` verified,
  badge, attested or self; `label`; `independent`), `attestations`, and for an artefact
  its `artefact_kind`, `description`, `url`, `file_name` and `file_sha256`.
- `outcomes`: in the programme's order, `code`, `text`, `credits`, `course`,
  `justification`, `evidence` (`item` ref, the learner's `note`, `suggested_because`),
  `flags` (the rules-of-evidence facts: none, single, only_self, stale) and
  `judgement` (`value`, `label`, `comment`, `judged_at`, `judged_by`) or null.
- `transcript`: `lines` per badge (`item` ref, `badge` name, and `learning_outcomes`,
  `study_hours`, `eqf_level`, `credits`, each `{value, source}` where source is
  "issuer-stated", "self-declared" or "" for not stated) and `totals`.
- `removed_after_submission`: evidence mapped when the claim was submitted and deleted
  by the learner since, each `outcome`, `kind`, `title` as the claim's history recorded.
- `assessment`: the assessor's overall `recommendation`, `label`, `comment`,
  `assessed_at`, `assessed_by`, or null.
- `badges`: per badge, `item` ref, `id`, `name`, `issuer_name`, `open_badges_version`,
  `status`, `status_label`, `last_checked_at`, `verification` (the last verification
  report), `source` (json, jws, url or image) and `original_payload`: the string the
  learner imported, exactly as imported, with `document`, the assertion or credential
  it holds (or the hosted one fetched) as parsed.

The learner's private note on a badge is not in it. Built from `claim_view`, so it
costs that selector's fixed number of queries.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from artefacts.models import Artefact
from badges.models import Badge
from portfolio.apel.evidence import Evidence
from portfolio.apel.selectors import ClaimView, claim_view
from portfolio.apel.transcript import Stated, Transcript
from portfolio.models import Attestation, Claim, ClaimOutcome

FORMAT = "learner-portfolio/apel-claim/1"
FILE_NAME = "claim.json"


def claim_data(*, claim: Claim) -> dict[str, Any]:
    return claim_data_of(view=claim_view(claim=claim))


def claim_json(*, claim: Claim) -> bytes:
    return claim_json_of(view=claim_view(claim=claim))


def claim_json_of(*, view: ClaimView) -> bytes:
    """The bytes embedded and offered: the data as indented UTF-8 JSON."""
    return json.dumps(claim_data_of(view=view), indent=2, ensure_ascii=False).encode()


def item_refs(view: ClaimView) -> dict[str, str]:
    """Each item's reference ("E1", ...) by its key, in the matrix's column order."""
    return {column.key: f"E{number}" for number, column in enumerate(view.columns, start=1)}


def claim_data_of(*, view: ClaimView) -> dict[str, Any]:
    refs = item_refs(view)
    claim = view.claim
    return {
        "format": FORMAT,
        "claim": _claim(claim),
        "programme": _programme(claim),
        "items": [_item(refs[column.key], column) for column in view.columns],
        "outcomes": [
            _outcome(row.answer, [refs[e.key] for e in row.evidence], row.mappings, row.flags)
            for row in view.rows
        ],
        "transcript": _transcript(view.transcript, refs),
        "removed_after_submission": [
            {"outcome": r.get("outcome"), "kind": r.get("kind"), "title": r.get("title")}
            for r in view.removed
        ],
        "assessment": _assessment(claim),
        "badges": [
            _badge(refs[column.key], column.item)
            for column in view.columns
            if isinstance(column.item, Badge)
        ],
    }


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Any) -> Any:
    """A Decimal as its exact value in plain digits without trailing zeros ("6", "2.5"),
    however the database stores it; an empty value as null."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return None if value == "" else value


def _claim(claim: Claim) -> dict[str, Any]:
    declared = claim.declared_at is not None
    return {
        "id": str(claim.public_id),
        "series": str(claim.series),
        "version": claim.version,
        "previous_version": claim.previous.version if claim.previous else None,
        "title": claim.title,
        "state": claim.state,
        "state_label": str(claim.get_state_display()),
        "applicant": {"name": claim.learner.display_name},
        "created_at": _when(claim.created_at),
        "submitted_at": _when(claim.submitted_at),
        "declaration": {"text": claim.declaration, "declared_at": _when(claim.declared_at)}
        if declared
        else None,
    }


def _programme(claim: Claim) -> dict[str, Any]:
    programme = claim.programme
    return {
        "code": programme.code,
        "title": programme.title,
        "institution": programme.institution.name if programme.institution else None,
        "learner_entered": programme.learner_entered,
        "level": programme.level,
        "total_credits": _number(programme.total_credits),
        "credit_cap": _number(programme.credit_cap),
        "currency_years": programme.currency_years,
        "courses": [
            {"code": c.code, "title": c.title, "credits": _number(c.credits)}
            for c in claim.courses.all()
        ],
    }


def _item(ref: str, evidence: Evidence) -> dict[str, Any]:
    item = evidence.item
    data: dict[str, Any] = {
        "ref": ref,
        "kind": evidence.kind,
        "id": str(item.public_id),
        "title": evidence.title,
        "date": _when(evidence.dated),
        "current": evidence.current,
        "changed_after_submission": _when(evidence.changed_since),
        "backing": {
            "kind": evidence.backing.kind,
            "label": str(evidence.backing.label),
            "independent": evidence.backing.independent,
        },
        "attestations": [_attestation(a) for a in evidence.backing.attestations],
    }
    if isinstance(item, Artefact):
        data.update(
            artefact_kind=item.kind,
            description=item.description,
            url=item.url or None,
            file_name=item.original_filename or None,
            file_sha256=item.sha256 or None,
        )
    return data


def _attestation(attestation: Attestation) -> dict[str, Any]:
    return {
        "name": attestation.name,
        "role": attestation.role,
        "organisation": attestation.organisation,
        "email_domain": attestation.email_domain,
        "statement": attestation.statement,
        "attested_at": _when(attestation.created_at),
        "fingerprint": attestation.fingerprint,
        "evidence_changed_since": _when(attestation.changed_since),
    }


def _outcome(
    answer: ClaimOutcome, refs: list[str], mappings: list[Any], flags: dict[str, bool]
) -> dict[str, Any]:
    outcome = answer.outcome
    judged = bool(answer.judgement)
    return {
        "code": outcome.code,
        "text": outcome.text,
        "credits": _number(outcome.credits),
        "course": outcome.course.code if outcome.course else None,
        "justification": answer.justification,
        "evidence": [
            {"item": ref, "note": m.note, "suggested_because": m.suggested_because or None}
            for ref, m in zip(refs, mappings, strict=True)
        ],
        "flags": dict(flags),
        "judgement": {
            "value": answer.judgement,
            "label": str(answer.get_judgement_display()),
            "comment": answer.judgement_comment,
            "judged_at": _when(answer.judged_at),
            "judged_by": answer.judged_by,
        }
        if judged
        else None,
    }


def _stated(stated: Stated) -> dict[str, Any]:
    return {"value": _number(stated.value), "source": stated.source}


def _transcript(transcript: Transcript, refs: dict[str, str]) -> dict[str, Any]:
    return {
        "lines": [
            {
                "item": refs[f"badge:{line.badge.public_id}"],
                "badge": line.badge.name,
                "learning_outcomes": _stated(line.outcomes),
                "study_hours": _stated(line.study_hours),
                "eqf_level": _stated(line.eqf_level),
                "credits": _stated(line.credits),
            }
            for line in transcript.lines
        ],
        "totals": {
            "credits_issuer_stated": _number(transcript.credits_issuer),
            "credits_self_declared": _number(transcript.credits_self),
            "credits_total": _number(transcript.credits_total),
            "study_hours": _number(transcript.hours),
            "credits_sought": _number(transcript.credits_sought),
            "credit_cap": _number(transcript.credit_cap),
            "over_cap": transcript.over_cap,
        },
    }


def _assessment(claim: Claim) -> dict[str, Any] | None:
    if not claim.recommendation:
        return None
    return {
        "recommendation": claim.recommendation,
        "label": str(claim.get_recommendation_display()),
        "comment": claim.recommendation_comment,
        "assessed_at": _when(claim.assessed_at),
        "assessed_by": claim.assessed_by,
    }


def _badge(ref: str, badge: Badge) -> dict[str, Any]:
    return {
        "item": ref,
        "id": str(badge.public_id),
        "name": badge.name,
        "issuer_name": badge.issuer_name,
        "open_badges_version": badge.spec_version,
        "status": badge.status,
        "status_label": str(badge.get_status_display()),
        "last_checked_at": _when(badge.last_checked_at),
        "verification": badge.report or {"status": badge.status, "checks": badge.checks},
        "source": badge.source,
        "original_payload": badge.original_payload,
        "document": badge.document,
    }
