"""What an account holds, described without its identifiers: two accounts with the same
content describe the same, whatever their ids."""

import hashlib
from typing import Any

from artefacts.models import Artefact
from badges.models import Badge
from portfolio.models import Attestation, Claim, FeedbackThread, Goal, ReviewMeeting, Showcase
from reflections.models import Reflection


def _sha(field: Any) -> str:
    if not field:
        return ""
    with field.open("rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest()


def _caption(item: Any) -> str | None:
    return item.caption if item is not None else None


def _title(target: Any) -> str:
    return getattr(target, "title", None) or getattr(target, "name", "")


def describe(owner: Any) -> dict[str, Any]:
    return {
        "artefacts": sorted(
            (a.kind, a.title, a.description, a.visibility, a.learned_on.isoformat(),
             a.original_filename, _sha(a.file), a.url, a.body_markdown,
             tuple(sorted(t.name for t in a.tags.all())))
            for a in Artefact.objects.filter(owner=owner)
        ),
        "reflections": sorted(
            (r.title, r.body_markdown, r.body_html, r.written_on.isoformat(), r.visibility,
             tuple(sorted(a.title for a in r.artefacts.all())),
             tuple(sorted(t.name for t in r.tags.all())))
            for r in Reflection.objects.filter(owner=owner)
        ),
        "badges": sorted(
            (b.name, b.source, b.original_payload, _sha(b.original_image), b.visibility, b.note)
            for b in Badge.objects.filter(owner=owner)
        ),
        "showcases": sorted(
            (s.title, s.audience, s.summary_markdown, s.theme, tuple(
                (section.heading, section.intro_markdown, tuple(
                    (item.kind, _title(item.target), item.caption)
                    for item in section.items.order_by("position", "pk")
                ))
                for section in s.sections.order_by("position", "pk")
            ))
            for s in Showcase.objects.filter(owner=owner)
        ),
        "claims": sorted(
            (c.title, c.state, c.version, c.declaration, c.programme.code, c.programme.title,
             tuple(
                 (a.outcome.code, a.outcome.text, a.justification, a.judgement,
                  a.judgement_comment, a.judged_by, tuple(
                      (m.kind, _title(m.target), _caption(m.showcase_item))
                      for m in a.mappings.all()
                  ))
                 for a in c.answers.select_related("outcome")
             ),
             tuple((_title(n.badge), n.study_hours, n.eqf_level, n.learning_outcomes)
                   for n in c.credential_notes.all()),
             tuple((e.kind, e.actor) for e in c.events.exclude(kind="imported")))
            for c in Claim.objects.filter(learner=owner)
        ),
        "attestations": sorted(
            (a.name, a.role, a.organisation, a.email_domain, a.statement, a.item_title,
             a.fingerprint, _title(a.item), a.created_at.isoformat())
            for a in Attestation.objects.filter(learner=owner)
        ),
        "feedback": sorted(
            (_title(t.target), t.status,
             tuple(c.body_markdown for c in t.comments.order_by("created_at", "pk")))
            for t in FeedbackThread.objects.filter(learner=owner)
        ),
        "goals": sorted((g.title, g.status) for g in Goal.objects.filter(learner=owner)),
        "meetings": sorted(
            (m.held_on.isoformat(), m.summary_markdown)
            for m in ReviewMeeting.objects.filter(learner=owner)
        ),
    }  # fmt: skip
