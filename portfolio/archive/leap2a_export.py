"""A learner's portfolio as a Leap2A 2010-07 ZIP: leap2a.xml and the files it encloses.

What goes in, and as what (so that Mahara, the reference importer, rebuilds it):

- the learner: a `leap2:person` entry, named as the feed's author;
- each file artefact: a `leap2:resource` whose `enclosure` link points at its file under
  ``files/``; link and written artefacts: resources with their address or text inline;
- each reflection: a `leap2:entry`, part of one journal (a `leap2:selection` of type
  Blog), as Mahara's journal posts are;
- each badge: a resource enclosing the credential exactly as it was received (its baked
  image, or its JSON or signed token), with the issuer's statements in its content;
- each showcase: a `leap2:selection` of type Webpage whose `has_part` links list its items
  in order, with Mahara's page extension (`mahara:view`): a text block for each section,
  then a block per item, so it arrives in Mahara as a page and not only as a journal.

Markdown sources, captions and badge details travel in our own extension elements
(`leap2a_namespaces.PORTFOLIO_EXT`), which other systems ignore, so that our own importer
gives back exactly what was exported.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from artefacts.models import Artefact
from artefacts.selectors import artefacts_owned
from badges.baking import PNG_SIGNATURE
from badges.models import Badge
from badges.selectors import badges_owned
from portfolio.archive import leap2a_entries as entries
from portfolio.archive.leap2a_writer import FeedWriter
from portfolio.exports.documents import Progress as StageProgress
from portfolio.exports.documents import every
from portfolio.models import Export, ExportKind, ExportState, Section, Showcase, ShowcaseItem
from portfolio.models.exports import new_file_name
from reflections.selectors import reflections_filtered

Progress = Callable[[int, int], None]
RUNNING = (ExportState.QUEUED, ExportState.RENDERING)
_CHUNK = 1024 * 1024
_HEAD = 512


@dataclass
class ExportSummary:
    """What the archive holds, and what could not be put in it."""

    artefacts: int = 0
    reflections: int = 0
    badges: int = 0
    showcases: int = 0
    files: int = 0
    missing: list[str] = field(default_factory=list)  # titles whose file could not be read


def leap2a_export(
    *, owner: Any, destination: IO[bytes], progress: Progress | None = None
) -> ExportSummary:
    """Write the owner's portfolio to `destination` (a writable, seekable binary file) as
    a Leap2A ZIP. An artefact or badge whose stored file cannot be read is left out (and
    named in the summary) rather than failing the whole export."""
    data = _gather(owner)
    summary = ExportSummary()
    with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        files = _write_files(archive, data, summary, progress)
        with archive.open("leap2a.xml", "w", force_zip64=True) as out:
            writer = FeedWriter(out, portfolio_prefix=entries.portfolio_prefix(owner))
            entries.write_feed(writer, owner=owner, data=data, files=files, now=timezone.now())
    summary.artefacts = sum(1 for a in data.artefacts if a.pk not in data.missing_artefacts)
    summary.reflections = len(data.reflections)
    summary.badges = sum(1 for b in data.badges if b.pk not in data.missing_badges)
    summary.showcases = len(data.showcases)
    return summary


class Leap2ARequestRefused(Exception):
    """The message says why, for the learner."""


@transaction.atomic
def leap2a_export_request(*, owner: Any, request_key: str = "") -> Export:
    """Queue a Leap2A export of the owner's portfolio on the export machinery, once: the
    same `request_key` (a double click, a resent form) gives back the same export, and so
    does asking again while one is being made."""
    if not (getattr(owner, "is_active", False) and getattr(owner, "is_learner", False)):
        raise Leap2ARequestRefused(_("Only a learner can export their portfolio."))
    key = hashlib.sha256(
        f"{owner.pk}:{ExportKind.LEAP2A_ZIP}:{request_key or uuid.uuid4()}".encode()
    ).hexdigest()
    existing = Export.objects.filter(idempotency_key=key).first() or (
        Export.objects.filter(owner=owner, kind=ExportKind.LEAP2A_ZIP, state__in=RUNNING).first()
    )
    if existing is not None:
        return existing
    export = Export.objects.create(
        owner=owner,
        kind=ExportKind.LEAP2A_ZIP,
        title=_("Leap2A export of your portfolio"),
        file_name=new_file_name("zip"),
        idempotency_key=key,
        stage=_("Waiting to start"),
    )
    from portfolio.exports.services import export_enqueue

    export_enqueue(export)
    return export


def leap2a_build(*, export: Export, report: StageProgress) -> Path:
    """Write the Leap2A ZIP of the export's owner to a temporary file and return it (the
    export task body); the caller stores it and removes its folder (`path.parent`)."""
    folder = Path(tempfile.mkdtemp(prefix="leap2a-", dir=settings.FILE_UPLOAD_TEMP_DIR))
    target = folder / "leap2a.zip"
    stage = _("Copying your files")
    ticks: list[Callable[[int], None]] = []

    def progress(done: int, total: int) -> None:
        if not ticks:
            ticks.append(every(total, report, stage))
        ticks[0](done)

    try:
        report(_("Reading your portfolio"), 0, 0)
        with target.open("wb") as out:
            leap2a_export(owner=export.owner, destination=out, progress=progress)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return target


def _gather(owner: Any) -> entries.Portfolio:
    """Everything exported, in a fixed number of queries whatever the portfolio's size."""
    items = ShowcaseItem.objects.select_related("artefact", "reflection", "badge").order_by(
        "position", "pk"
    )
    sections = Section.objects.order_by("position", "pk").prefetch_related(
        Prefetch("items", queryset=items)
    )
    return entries.Portfolio(
        artefacts=list(
            artefacts_owned(owner=owner).prefetch_related("tags").order_by("created_at", "pk")
        ),
        reflections=list(
            reflections_filtered(owner=owner)
            .prefetch_related("tags", Prefetch("artefacts", queryset=Artefact.objects.only("pk")))
            .order_by("created_at", "pk")
        ),
        badges=list(badges_owned(owner=owner).order_by("created_at", "pk")),
        showcases=list(
            Showcase.objects.filter(owner=owner)
            .prefetch_related(Prefetch("sections", queryset=sections))
            .order_by("created_at", "pk")
        ),
    )


def _write_files(
    archive: zipfile.ZipFile,
    data: entries.Portfolio,
    summary: ExportSummary,
    progress: Progress | None,
) -> dict[str, str]:
    """Copy every enclosed file into the archive, streaming. Returns entry id -> name in
    the archive; records in `data` what could not be read."""
    names: dict[str, str] = {}
    jobs: list[tuple[str, Callable[[bytes], str], Callable[[], IO[bytes]]]] = []
    for artefact in data.artefacts:
        if artefact.kind == Artefact.Kind.FILE and artefact.file:
            name = f"files/{artefact.public_id.hex}/{artefact.original_filename or 'file'}"
            jobs.append((entries.entry_id(artefact), _fixed(name), _opener(artefact.file)))
    for badge in data.badges:
        namer, opener = _badge_file(badge)
        jobs.append((entries.entry_id(badge), namer, opener))
    for done, (entry, namer, opener) in enumerate(jobs, 1):
        try:
            with opener() as source:
                head = source.read(_HEAD)
                info = zipfile.ZipInfo(namer(head), timezone.now().timetuple()[:6])
                # Stored as they are: most are compressed already, and a file that would
                # deflate to a hundredth of its size would look like a ZIP bomb to an import.
                info.compress_type = zipfile.ZIP_STORED
                with archive.open(info, "w", force_zip64=True) as target:
                    target.write(head)
                    shutil.copyfileobj(source, target, _CHUNK)
        except OSError:
            data.mark_missing(entry)
            summary.missing.append(data.title_of(entry))
        else:
            names[entry] = info.filename
            summary.files += 1
        if progress is not None:
            progress(done, len(jobs))
    return names


def _fixed(name: str) -> Callable[[bytes], str]:
    return lambda _head: name


def _opener(stored: Any) -> Callable[[], IO[bytes]]:
    return lambda: stored.open("rb")


def _badge_file(badge: Badge) -> tuple[Callable[[bytes], str], Callable[[], IO[bytes]]]:
    """The credential as received: the baked image for an image import (PNG or SVG, as its
    first bytes say), else the JSON (for a hosted badge, the assertion fetched) or the
    compact signed token."""
    folder = f"files/{badge.public_id.hex}"
    if badge.source == Badge.Source.IMAGE and badge.original_image:
        return (
            lambda head: f"{folder}/badge.{'png' if head.startswith(PNG_SIGNATURE) else 'svg'}",
            _opener(badge.original_image),
        )
    if badge.source == Badge.Source.JWS:
        return _fixed(f"{folder}/badge.jws"), _bytes(badge.original_payload.encode())
    if badge.source == Badge.Source.URL:
        document = entries.json_text(badge.document).encode()
        return _fixed(f"{folder}/badge.json"), _bytes(document)
    return _fixed(f"{folder}/badge.json"), _bytes(badge.original_payload.encode())


def _bytes(data: bytes) -> Callable[[], IO[bytes]]:
    return lambda: io.BytesIO(data)
