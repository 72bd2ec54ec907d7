"""The rules of evidence as data: for each mapped item, its date and whether it is
current (inside the programme's currency window), and what backs it (a verified badge,
a badge with another status, attestations, or only the learner's word). Nothing is
hidden: an assessor sees every fact the learner sees."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from artefacts.models import Artefact
from badges.models import Badge, Status
from portfolio.models import Attestation, Mapping, Programme
from reflections.models import Reflection

Item = Artefact | Reflection | Badge


@dataclass(frozen=True)
class Backing:
    """What stands behind an item beyond the learner's own word."""

    kind: str  # "verified", "badge", "attested", "self"
    label: str
    independent: bool  # a verified badge or a standing attestation
    attestations: list[Attestation] = field(default_factory=list)


@dataclass(frozen=True)
class Evidence:
    item: Item
    kind: str  # "artefact", "reflection", "badge"
    key: str  # e.g. "artefact:<public_id>", unique in a claim
    title: str
    dated: date | None
    current: bool  # False when older than the programme's currency window
    backing: Backing
    # When its content last changed, if that was after the claim was submitted.
    changed_since: Any = None


def item_date(item: Item) -> date | None:
    if isinstance(item, Artefact):
        return item.learned_on
    if isinstance(item, Reflection):
        return item.written_on
    issued = item.issued_at
    return timezone.localdate(issued) if issued else None


def currency_cutoff(programme: Programme, today: date | None = None) -> date | None:
    """The oldest date evidence may have for this programme, or None (no window)."""
    if not programme.currency_years:
        return None
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - programme.currency_years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - programme.currency_years, day=28)


def backing_of(item: Item) -> Backing:
    """Reads prefetched `attestations` on artefacts and reflections (no query when the
    selector prefetched them)."""
    if isinstance(item, Badge):
        if item.status == Status.VERIFIED:
            return Backing("verified", _("Badge verified"), True)
        return Backing(
            "badge", _("Badge: %(status)s") % {"status": item.get_status_display()}, False
        )
    standing = [a for a in item.attestations.all() if not a.is_withdrawn]
    if standing:
        names = ", ".join(a.name for a in standing)
        label = _("Attested by %(names)s") % {"names": names}
        return Backing("attested", label, True, standing)
    return Backing("self", _("Self-declared"), False)


def evidence_of(mapping: Mapping, cutoff: date | None, submitted_at: Any = None) -> Evidence:
    item = mapping.target
    dated = item_date(item)
    changed = getattr(item, "content_changed_at", None)  # badges: never edited
    return Evidence(
        item=item,
        kind=mapping.kind,
        key=f"{mapping.kind}:{item.public_id}",
        title=str(getattr(item, "title", "") or getattr(item, "name", "")),
        dated=dated,
        current=cutoff is None or (dated is not None and dated >= cutoff),
        backing=backing_of(item),
        changed_since=changed if submitted_at and changed and changed > submitted_at else None,
    )


def evidence_summary(evidence: list[Any]) -> dict[str, bool]:
    """The matrix's flags for one outcome's evidence."""
    return {
        "none": not evidence,
        "single": len(evidence) == 1,
        "only_self": bool(evidence) and not any(e.backing.independent for e in evidence),
        "stale": any(not e.current for e in evidence),
    }
