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

import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db.models import Prefetch
from django.utils import timezone

from artefacts.models import Artefact
from artefacts.selectors import artefacts_owned
from badges.baking import PNG_SIGNATURE
from badges.models import Badge
from badges.selectors import badges_owned
from portfolio.archive import leap2a_entries as entries
from portfolio.archive.leap2a_writer import FeedWriter
from portfolio.models import Section, Showcase, ShowcaseItem
from reflections.selectors import reflections_filtered

Progress = Callable[[int, int], None]
_CHUNK = 1024 * 1024
_HEAD = 512
# Already compressed: stored as they are, so exporting spends no time deflating them.
_STORED_MEDIA = frozenset({"image", "audio", "video"})


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
    jobs: list[tuple[str, Callable[[bytes], str], Callable[[], IO[bytes]], bool]] = []
    for artefact in data.artefacts:
        if artefact.kind == Artefact.Kind.FILE and artefact.file:
            name = f"files/{artefact.public_id.hex}/{artefact.original_filename or 'file'}"
            stored = artefact.media in _STORED_MEDIA
            jobs.append((entries.entry_id(artefact), _fixed(name), _opener(artefact.file), stored))
    for badge in data.badges:
        namer, opener = _badge_file(badge)
        jobs.append((entries.entry_id(badge), namer, opener, False))
    for done, (entry, namer, opener, stored) in enumerate(jobs, 1):
        try:
            with opener() as source:
                head = source.read(_HEAD)
                info = zipfile.ZipInfo(namer(head), timezone.now().timetuple()[:6])
                info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
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
