"""Reads for the Leap2A pages: the owner's Leap2A imports, one of them, and its report as
the page shows it."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portfolio.archive.leap2a_jobs import LEAP2A_IMPORT
from portfolio.archive.leap2a_report import ALREADY, IMPORTED, Leap2AReport, ReportLine
from portfolio.models import ArchiveImport

KIND_LABELS = {
    "artefact": _("Evidence"),
    "reflection": _("Reflections"),
    "badge": _("Badges"),
    "showcase": _("Showcases"),
    "item": _("Showcase item"),
    "person": _("Learner"),
    "journal": _("Journal"),
    "folder": _("Folder"),
    "other": _("Other entry"),
}
_COUNTED = ("artefact", "reflection", "badge", "showcase")


def leap2a_imports_owned(*, owner: Any) -> QuerySet[ArchiveImport]:
    return ArchiveImport.objects.filter(owner=owner, archive_id=LEAP2A_IMPORT).defer("report")


def leap2a_import_owned(*, owner: Any, public_id: Any) -> ArchiveImport:
    return ArchiveImport.objects.filter(owner=owner, archive_id=LEAP2A_IMPORT).get(
        public_id=public_id
    )


@dataclass(frozen=True)
class Count:
    label: str
    created: int
    existing: int


@dataclass(frozen=True)
class PageLine:
    label: str
    title: str
    reason: str


@dataclass(frozen=True)
class PageReport:
    source: str
    counts: list[Count]
    imported: list[PageLine]
    skipped: list[PageLine]

    @property
    def nothing_new(self) -> bool:
        return not any(count.created for count in self.counts)


def leap2a_report_for_page(stored: dict[str, Any]) -> PageReport | None:
    if "leap2a" not in (stored or {}):
        return None
    report = Leap2AReport.from_dict(stored["leap2a"])
    counts = [
        Count(str(KIND_LABELS[kind]), report.count(kind), report.count(kind, ALREADY))
        for kind in _COUNTED
        if report.count(kind) or report.count(kind, ALREADY)
    ]
    return PageReport(
        source=report.source,
        counts=counts,
        imported=[_line(line) for line in report.of(IMPORTED)],
        skipped=[_line(line) for line in report.skipped],
    )


def _line(line: ReportLine) -> PageLine:
    return PageLine(str(KIND_LABELS.get(line.kind, line.kind)), line.title, line.reason)
