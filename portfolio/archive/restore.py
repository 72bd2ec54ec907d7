"""What one import run shares while it recreates records: the archive, the learner, what
earlier imports of the same account already made (so nothing is made twice), what this
run has made (so later records can refer to it), the stored files it has saved (removed
again if the run fails), and the report for the learner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models

from portfolio.archive.reader import ArchiveReader
from portfolio.models import ArchiveImport, ImportedRecord

Tick = Callable[[], None]


@dataclass
class Report:
    """What became of each kind of record: made here, found already here, or skipped
    (with the record's title and why)."""

    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)

    def skip(self, kind: str, title: str, reason: str) -> None:
        self.skipped.append({"kind": kind, "title": title[:200], "reason": reason[:500]})

    def as_json(self) -> dict[str, Any]:
        return {"created": self.created, "existing": self.existing, "skipped": self.skipped}


@dataclass
class Restore:
    owner: Any
    reader: ArchiveReader
    archive_import: ArchiveImport
    tick: Tick
    report: Report = field(default_factory=Report)
    saved: list[str] = field(default_factory=list)  # storage names to remove on failure
    read: set[str] = field(default_factory=set)  # archive files read and checked
    made: dict[str, dict[str, Any]] = field(default_factory=dict)  # kind -> id -> row
    _known: dict[tuple[str, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        records = ImportedRecord.objects.filter(
            owner=self.owner, source_account=self.reader.source_account
        ).values_list("kind", "source_id", "local_id")
        self._known = {(kind, source): local for kind, source, local in records}

    @property
    def same_account(self) -> bool:
        """Importing an archive of this very account (a restore): its rows still here are
        recognised by their public ids."""
        return self.reader.source_account == str(self.owner.public_id)

    def already_here(
        self, kind: str, source_ids: list[str], rows: models.QuerySet[Any]
    ) -> dict[str, Any]:
        """The rows (of `rows`, the learner's own) made from these archive records by an
        earlier import, by archive id."""
        wanted = {self._known[(kind, s)]: s for s in source_ids if (kind, s) in self._known}
        found = {wanted[row.pk]: row for row in rows.filter(pk__in=wanted)}
        if self.same_account:
            for row in rows.filter(public_id__in=[s for s in source_ids if s not in found]):
                found[str(row.public_id)] = row
        return found

    def remember(self, kind: str, source_id: str, row: Any, *, existing: bool = False) -> None:
        self.made.setdefault(kind, {})[source_id] = row
        counts = self.report.existing if existing else self.report.created
        counts[kind] = counts.get(kind, 0) + 1
        if not existing:
            ImportedRecord.objects.update_or_create(
                owner=self.owner,
                source_account=self.reader.source_account,
                kind=kind,
                source_id=source_id,
                defaults={"local_id": row.pk, "archive_import": self.archive_import},
            )

    def target(self, ref: tuple[str, str] | None) -> Any:
        """The row made from the artefact, reflection or badge a record points at, or
        None when it was skipped (or not in the archive)."""
        if ref is None:
            return None
        kind, source_id = ref
        return self.made.get(f"{kind}s", {}).get(source_id)


def keep_dates(row: Any, **dates: datetime | None) -> None:
    """Give a row just made the dates it had in the archive (its `created_at` is set on
    insert). Written with the base manager: for an attestation this is part of making it,
    not a change to a recorded one."""
    values = {name: value for name, value in dates.items() if value is not None}
    if values:
        type(row)._base_manager.filter(pk=row.pk).update(**values)
        for name, value in values.items():
            setattr(row, name, value)
