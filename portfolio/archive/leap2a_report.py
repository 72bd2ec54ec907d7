"""What a Leap2A import did with each entry of the file, for the learner to read: what
was imported, what was already here from an earlier import, and what was skipped and why.
Kept as JSON with the import (see `as_dict`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

# The archive import's names for kinds of record, which its pages count by.
_ARCHIVE_KINDS = {
    "artefact": "artefacts",
    "reflection": "reflections",
    "badge": "badges",
    "showcase": "showcases",
}
IMPORTED = "imported"
ALREADY = "already"  # imported before from the same file: nothing new was made
SKIPPED = "skipped"


@dataclass(frozen=True)
class ReportLine:
    kind: str  # artefact, reflection, badge, showcase, item, learner, journal, folder, other
    title: str
    outcome: str  # IMPORTED, ALREADY or SKIPPED
    reason: str = ""  # why it was skipped, or a note on how it was imported


@dataclass
class Leap2AReport:
    source: str = ""  # the system the file came from, as it names itself
    lines: list[ReportLine] = field(default_factory=list)

    def add(self, kind: str, title: Any, outcome: str, reason: Any = "") -> None:
        """`title` and `reason` may be lazy translations: they are kept as text."""
        self.lines.append(ReportLine(kind, str(title)[:300], outcome, str(reason)))

    def of(self, outcome: str) -> list[ReportLine]:
        return [line for line in self.lines if line.outcome == outcome]

    @property
    def imported(self) -> list[ReportLine]:
        return self.of(IMPORTED)

    @property
    def already(self) -> list[ReportLine]:
        return self.of(ALREADY)

    @property
    def skipped(self) -> list[ReportLine]:
        return self.of(SKIPPED)

    def count(self, kind: str, outcome: str = IMPORTED) -> int:
        return sum(1 for line in self.lines if line.kind == kind and line.outcome == outcome)

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "lines": [asdict(line) for line in self.lines]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Leap2AReport:
        lines = [ReportLine(**line) for line in data.get("lines", [])]
        return cls(source=str(data.get("source", "")), lines=lines)


def report_json(report: Leap2AReport) -> dict[str, Any]:
    """The report as `ArchiveImport.report` keeps it: counts and skipped entries in the
    archive import's shape (its pages read those), and every line under "leap2a"."""
    created: Counter[str] = Counter()
    existing: Counter[str] = Counter()
    for line in report.lines:
        kind = _ARCHIVE_KINDS.get(line.kind)
        if kind and line.outcome == IMPORTED:
            created[kind] += 1
        elif kind and line.outcome == ALREADY:
            existing[kind] += 1
    skipped = [
        {"kind": _ARCHIVE_KINDS.get(s.kind, s.kind), "title": s.title, "reason": s.reason}
        for s in report.skipped
    ]
    return {
        "created": dict(created),
        "existing": dict(existing),
        "skipped": skipped,
        "leap2a": report.as_dict(),
    }
