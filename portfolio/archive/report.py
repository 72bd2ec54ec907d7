"""An import's report as its page shows it: per kind of record, how many were made and
how many were already in the account, and each thing skipped with the reason."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from portfolio.archive.manifest import KINDS

KIND_LABELS = {
    "artefacts": _("Evidence"),
    "reflections": _("Reflections"),
    "badges": _("Badges"),
    "showcases": _("Showcases"),
    "programmes": _("Programmes entered for claims"),
    "claims": _("APEL claims"),
    "attestations": _("Attestations"),
    "feedback": _("Feedback conversations"),
    "goals": _("Goals"),
    "meetings": _("Review meetings"),
}
NOT_CARRIED_OVER = (
    _("Share links: share your showcases again from their pages."),
    _("Links for people to attest or withdraw an attestation: imported attestations are kept "
      "as records of what was attested."),
    _("Who your claims were submitted to, and the accounts of your tutors: their names are kept in "
      "the archive."),
)  # fmt: skip


@dataclass(frozen=True)
class Line:
    label: str
    created: int
    existing: int


@dataclass(frozen=True)
class PageReport:
    lines: list[Line]
    skipped: list[dict[str, str]]
    not_carried_over: tuple[Any, ...] = NOT_CARRIED_OVER

    @property
    def nothing_new(self) -> bool:
        return not any(line.created for line in self.lines)


def report_for_page(report: dict[str, Any]) -> PageReport | None:
    if not report:
        return None
    created, existing = report.get("created") or {}, report.get("existing") or {}
    lines = [
        Line(str(KIND_LABELS[kind]), int(created.get(kind, 0)), int(existing.get(kind, 0)))
        for kind in KINDS
        if created.get(kind) or existing.get(kind)
    ]
    skipped = [
        {**entry, "label": str(KIND_LABELS.get(entry.get("kind", ""), ""))}
        for entry in report.get("skipped") or []
    ]
    return PageReport(lines=lines, skipped=skipped)
