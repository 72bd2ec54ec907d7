"""Manifest records of what the learner built from their evidence: showcases, APEL
claims (with a snapshot of each programme), attestations, and their tutors' feedback,
goals and meetings. People other than the learner are named as they were shown, never
linked: their accounts are not in the archive."""

from typing import Any

from portfolio.archive.manifest import showcase_page
from portfolio.archive.serialise import number, ref, when
from portfolio.models import (
    Attestation,
    Claim,
    FeedbackThread,
    Goal,
    Programme,
    ReviewMeeting,
    Showcase,
)


def item_ids(showcases: list[Showcase]) -> dict[int, dict[str, str]]:
    """Each showcase item's archive id ("section.item", counted from 1 in order) with
    its showcase's, by the item's row id: what a claim's mapping refers to."""
    ids: dict[int, dict[str, str]] = {}
    for showcase in showcases:
        for s, section in enumerate(showcase.sections.all(), start=1):
            for i, item in enumerate(section.items.all(), start=1):
                ids[item.pk] = {"showcase": str(showcase.public_id), "item": f"{s}.{i}"}
    return ids


def showcase_record(showcase: Showcase) -> dict[str, Any]:
    return {
        "id": str(showcase.public_id),
        "title": showcase.title,
        "audience": showcase.audience,
        "summary_markdown": showcase.summary_markdown,
        "theme": showcase.theme,
        "archived": showcase.is_archived,
        "institution": showcase.institution.slug if showcase.institution else None,
        "page": showcase_page(showcase.public_id),
        "created_at": when(showcase.created_at),
        "sections": [
            {
                "heading": section.heading,
                "intro_markdown": section.intro_markdown,
                "items": [
                    {
                        "id": f"{s}.{i}",
                        "target": ref(item.target),
                        "caption": item.caption,
                    }
                    for i, item in enumerate(section.items.all(), start=1)
                ],
            }
            for s, section in enumerate(showcase.sections.all(), start=1)
        ],
    }


def programme_record(programme: Programme) -> dict[str, Any]:
    """A snapshot of the programme, enough to enter it again where it does not exist."""
    institution = programme.institution
    return {
        "id": str(programme.public_id),
        "institution": {"slug": institution.slug, "name": institution.name}
        if institution
        else None,
        "code": programme.code,
        "title": programme.title,
        "description": programme.description,
        "level": programme.level,
        "total_credits": number(programme.total_credits),
        "credit_cap": number(programme.credit_cap),
        "currency_years": programme.currency_years,
        "courses": [
            {"code": c.code, "title": c.title, "credits": number(c.credits)}
            for c in programme.courses.all()
        ],
        "outcomes": [
            {
                "code": o.code,
                "text": o.text,
                "credits": number(o.credits),
                "course": o.course.code if o.course else None,
            }
            for o in programme.outcomes.all()
        ],
    }


def claim_record(claim: Claim, items: dict[int, dict[str, str]]) -> dict[str, Any]:
    return {
        "id": str(claim.public_id),
        "programme": str(claim.programme.public_id),
        "title": claim.title,
        "series": str(claim.series),
        "version": claim.version,
        "previous": str(claim.previous.public_id) if claim.previous else None,
        "state": claim.state,
        "courses": [course.code for course in claim.courses.all()],
        "declaration": claim.declaration,
        "declared_at": when(claim.declared_at),
        "submitted_at": when(claim.submitted_at),
        "recommendation": claim.recommendation,
        "recommendation_comment": claim.recommendation_comment,
        "assessed_at": when(claim.assessed_at),
        "assessed_by": claim.assessed_by,
        "created_at": when(claim.created_at),
        "answers": [
            {
                "outcome": answer.outcome.code,
                "justification": answer.justification,
                "judgement": answer.judgement,
                "judgement_comment": answer.judgement_comment,
                "judged_at": when(answer.judged_at),
                "judged_by": answer.judged_by,
                "mappings": [
                    {
                        "target": ref(mapping.target),
                        "showcase_item": items.get(mapping.showcase_item_id or 0),
                        "note": mapping.note,
                        "suggested_because": mapping.suggested_because,
                        "created_at": when(mapping.created_at),
                    }
                    for mapping in answer.mappings.all()
                ],
            }
            for answer in claim.answers.all()
        ],
        "credential_notes": [
            {
                "badge": str(note.badge.public_id),
                "study_hours": number(note.study_hours),
                "eqf_level": note.eqf_level,
                "credits": number(note.credits),
                "learning_outcomes": note.learning_outcomes,
            }
            for note in claim.credential_notes.all()
        ],
        "events": [
            {"at": when(e.at), "actor": e.actor, "kind": e.kind, "detail": e.detail}
            for e in claim.events.all()
        ],
    }


def attestation_record(attestation: Attestation) -> dict[str, Any]:
    return {
        "id": str(attestation.public_id),
        "target": ref(attestation.item),
        "via": attestation.via,
        "name": attestation.name,
        "role": attestation.role,
        "organisation": attestation.organisation,
        "email_domain": attestation.email_domain,
        "statement": attestation.statement,
        "comment_markdown": attestation.comment_markdown,
        "item_title": attestation.item_title,
        "fingerprint": attestation.fingerprint,
        "given_at": when(attestation.created_at),
        "withdrawn_at": when(attestation.withdrawn_at),
    }


def _name(user: Any) -> str:
    return user.display_name if user is not None else ""


def thread_record(thread: FeedbackThread) -> dict[str, Any]:
    return {
        "id": str(thread.public_id),
        "target": ref(thread.target),
        "started_by": _name(thread.started_by),
        "status": thread.status,
        "addressed_at": when(thread.addressed_at),
        "created_at": when(thread.created_at),
        "comments": [
            {
                "author": _name(comment.author),
                "body_markdown": comment.body_markdown,
                "is_next_step": comment.is_next_step,
                "goal": str(comment.goal.public_id) if comment.goal else None,
                "created_at": when(comment.created_at),
            }
            for comment in thread.comments.all()
        ],
    }


def goal_record(goal: Goal) -> dict[str, Any]:
    return {
        "id": str(goal.public_id),
        "title": goal.title,
        "due_on": when(goal.due_on),
        "status": goal.status,
        "created_by": _name(goal.created_by),
        "meeting": str(goal.meeting.public_id) if goal.meeting else None,
        "evidence": [str(a.public_id) for a in goal.evidence.all()],
        "done_at": when(goal.done_at),
        "created_at": when(goal.created_at),
    }


def meeting_record(meeting: ReviewMeeting) -> dict[str, Any]:
    return {
        "id": str(meeting.public_id),
        "tutor": _name(meeting.tutor),
        "held_on": when(meeting.held_on),
        "summary_markdown": meeting.summary_markdown,
        "created_at": when(meeting.created_at),
    }
