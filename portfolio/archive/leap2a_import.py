"""Importing a Leap2A ZIP (Mahara's export, or ours) into a learner's portfolio.

- Files become artefacts, through the same checks and quota as an upload
  (`artefact_create_file`); our badges become badges again, checked afresh.
- Journal entries become reflections; their text, like every piece of HTML in the file,
  is turned into Markdown (`leap2a_html`) and sanitised where all learner text is
  (`core.html.render_markdown`).
- Pages and collections become showcases with their blocks' items in order
  (`leap2a_pages`).
- Anything else is skipped, and the report says why.

A refused archive (`ArchiveRefused`: unsafe or damaged ZIP, XML with a DTD or entities,
an enclosure outside the archive...) imports nothing. Otherwise everything is written in
one transaction, and every file stored on the way is removed again if anything fails.
What was imported is recorded (`Leap2AEntry`), so the same file imported again creates
nothing new.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from artefacts.models import Artefact
from artefacts.services import storage_remaining
from badges.baking import BakingError
from badges.outcome import BadgeRejected
from core.storage import files_removed_on_error
from core.uploads import UploadRejected
from portfolio.archive import leap2a_create as create
from portfolio.archive.leap2a_feed import Leap2ARefused
from portfolio.archive.leap2a_pages import Item, outline_of, parts_of
from portfolio.archive.leap2a_parse import MAX_XML_BYTES, parse_feed
from portfolio.archive.leap2a_plan import PERSON_KEPT, Plan, Planned, plan_import
from portfolio.archive.leap2a_report import ALREADY, IMPORTED, SKIPPED, Leap2AReport
from portfolio.archive.safezip import Limits, SafeZip
from portfolio.models import Leap2AEntry, leap2a_source_key

FEED_NAMES = ("leap2a.xml", "leap2.xml", "leap.xml")  # the names Mahara looks for
Progress = Callable[[str, int, int], None]  # stage, done, total
_EVIDENCE = ("file", "badge", "link", "text")
_KIND = {"file": "artefact", "link": "artefact", "text": "artefact"}


def leap2a_import(
    *, owner: Any, source: IO[bytes], progress: Progress | None = None
) -> Leap2AReport:
    """Import the Leap2A ZIP in `source` (a readable, seekable binary file) for `owner`.
    Raises ArchiveRefused, with what is wrong in plain words, and imports nothing, for an
    archive we will not read; otherwise returns what became of each entry."""
    with SafeZip(source, limits=leap2a_limits()) as archive:
        feed_name = feed_member(archive)
        with archive.open(feed_name) as stream:
            data = b"".join(stream.chunks())
        feed = parse_feed(data)
        # Entries are known by their feed's id; a feed without one, by its exact bytes.
        feed.id = feed.id or f"urn:sha256:{hashlib.sha256(data).hexdigest()}"
        plan = plan_import(feed, archive, base=feed_name)
        importer = _Importer(owner=owner, plan=plan, archive=archive, progress=progress)
        importer.refuse_over_quota()
        with files_removed_on_error() as stored, transaction.atomic():
            importer.run(stored)
        return importer.report


def leap2a_limits() -> Limits:
    """The archive import's limits, except that one file may be as large as the whole
    upload: a file over the evidence size limit is skipped by the upload checks, with
    their reason, rather than refusing the whole file."""
    return Limits(
        max_members=settings.ARCHIVE_MAX_MEMBERS,
        max_member_bytes=settings.ARCHIVE_MAX_UPLOAD_BYTES,
        max_total_bytes=2 * settings.ARCHIVE_MAX_UPLOAD_BYTES,
    )


def feed_member(archive: SafeZip) -> str:
    """leap2a.xml at the top of the archive, or in its one top folder (an export that was
    unpacked and zipped again)."""
    for name in FEED_NAMES:
        if name in archive:
            found = name
            break
    else:
        nested = [m for m in archive.members if m.count("/") == 1 and m.endswith(FEED_NAMES)]
        if len(nested) != 1 or nested[0].rsplit("/", 1)[1] not in FEED_NAMES:
            raise Leap2ARefused(
                _(
                    "This archive has no leap2a.xml, so it is not a Leap2A export. Export your "
                    "portfolio from Mahara (or another e-portfolio) as Leap2A and upload that "
                    "ZIP file as it is."
                )
            )
        found = nested[0]
    if archive.members[found].size > MAX_XML_BYTES:
        raise Leap2ARefused(
            _("leap2a.xml is larger than the %(limit)s we read. Export your portfolio in parts.")
            % {"limit": filesizeformat(MAX_XML_BYTES)}
        )
    return found


class _Importer:
    def __init__(
        self, *, owner: Any, plan: Plan, archive: SafeZip, progress: Progress | None
    ) -> None:
        self.owner = owner
        self.plan = plan
        self.archive = archive
        self.progress = progress
        self.report = Leap2AReport(source=plan.feed.title)
        self.objects: dict[str, Any] = {}  # entry id -> what it is here now
        self.known = self._known()
        self.done = 0
        self.stored: list[str] = []

    def refuse_over_quota(self) -> None:
        """Refuse, before writing anything, an import whose new files do not fit."""
        new = [p for p in self.plan.with_role("file") if self._key(p.entry.id) not in self.known]
        members = {p.member for p in new} | {
            name for p in self.plan.planned for name in p.attachments
        }
        sizes = [self.archive.members[name].size for name in members]
        # A file over the evidence size limit is skipped, with the upload check's reason.
        needed = sum(size for size in sizes if size <= settings.ARTEFACT_MAX_UPLOAD_BYTES)
        left = storage_remaining(owner=self.owner)
        if needed > left:
            raise Leap2ARefused(
                _(
                    "The files in this archive take %(needed)s, more than the space you have "
                    "left (%(left)s). Delete evidence you no longer need, or export less."
                )
                % {"needed": filesizeformat(needed), "left": filesizeformat(left)}
            )

    def run(self, stored: list[str]) -> None:
        """Inside the import's transaction. One import at a time per learner: a second
        waits here for the first, then finds what it made (uploads take the same lock)."""
        list(get_user_model().objects.select_for_update().filter(pk=self.owner.pk).values("pk"))
        self.known = self._known()
        self.stored = stored
        for planned in self.plan.with_role(*_EVIDENCE):
            self._evidence(planned)
        for planned in self.plan.with_role("reflection"):
            self._reflection(planned)
        in_collections: set[str] = set()
        for planned in self.plan.with_role("collection"):
            in_collections.update(self._showcase(planned))
        for planned in self.plan.with_role("showcase"):
            if planned.entry.id not in in_collections:
                self._showcase(planned)
        for planned in self.plan.with_role("person", "journal", "folder", "other"):
            self.report.add(planned.role, planned.entry.title, SKIPPED, planned.reason)
            self._step(planned)
        if self.plan.feed.author_name and not self.plan.with_role("person"):
            self.report.add("person", self.plan.feed.author_name, SKIPPED, PERSON_KEPT)

    # --- One entry each ---------------------------------------------------------------

    def _evidence(self, planned: Planned) -> None:
        entry = planned.entry
        kind = _KIND.get(planned.role, planned.role)
        if self._already(planned, kind):
            return
        try:
            thing: Any
            if planned.role == "badge":
                thing, extra = create.badge(self, planned)
                self.report.lines.extend(extra)
            else:
                thing = create.artefact(self, planned)
        except (UploadRejected, BadgeRejected, BakingError, create.Skip) as why:
            self.report.add(kind, entry.title or planned.member, SKIPPED, str(why))
        else:
            self._record(entry.id, thing)
            self.report.add(kind, str(thing), IMPORTED)
        self._attachments(planned)  # further files it encloses, kept whatever became of it
        self._step(planned)

    def _reflection(self, planned: Planned) -> None:
        if self._already(planned, "reflection"):
            return
        attached = self._attachments(planned)
        linked = [self.objects.get(ref) for ref in planned.refs]
        artefacts = [a for a in [*linked, *attached] if isinstance(a, Artefact)]
        try:
            thing = create.reflection(self, planned, artefacts)
        except create.Skip as why:
            self.report.add("reflection", planned.entry.title, SKIPPED, str(why))
        else:
            self._record(planned.entry.id, thing)
            self.report.add("reflection", thing.title, IMPORTED)
        self._step(planned)

    def _showcase(self, planned: Planned) -> list[str]:
        """Returns the ids of the pages it was made from (for a collection)."""
        outline = outline_of(planned.entry, self.plan)
        if self._already(planned, "showcase"):
            return outline.pages
        showcase, sections = create.showcase(self, planned, outline)
        added = 0
        for section, source in zip(sections, outline.sections, strict=True):
            for item in source.items:
                added += self._add_item(section, item, source.heading)
        for reason in outline.skipped_blocks:
            self.report.add("item", showcase.title, SKIPPED, reason)
        self._record(planned.entry.id, showcase)
        note = _("%(items)s in %(sections)s.") % {
            "items": ngettext("%(n)d item", "%(n)d items", added) % {"n": added},
            "sections": ngettext("%(n)d section", "%(n)d sections", len(sections))
            % {"n": len(sections)},
        }
        self.report.add("showcase", showcase.title, IMPORTED, note)
        self._step(planned)
        return outline.pages

    def _add_item(self, section: Any, item: Item, heading: str) -> int:
        targets = self._targets(item.ref)
        if not targets:
            title = self.plan.by_id[item.ref].entry.title if item.ref in self.plan.by_id else ""
            reason = (
                _("It is on “%(page)s” in the file, but was not imported (see above).")
                if title
                else _("“%(page)s” shows something the file does not contain.")
            )
            self.report.add("item", title or item.ref, SKIPPED, reason % {"page": heading})
            return 0
        for target in targets:
            description = getattr(target, "description", "") if item.show_description else ""
            create.item(section, target, caption=item.caption or description)
        return len(targets)

    def _attachments(self, planned: Planned) -> list[Artefact]:
        made = []
        for member in planned.attachments:
            key = f"{planned.entry.id}#{member}"
            row = self.known.get(self._key(key))
            if row is not None and row.artefact is not None:
                made.append(row.artefact)
                continue
            name = member.rsplit("/", 1)[-1]
            try:
                artefact = create.attachment(self, planned, member)
            except UploadRejected as why:
                self.report.add("artefact", name, SKIPPED, str(why))
                continue
            self._record(key, artefact)
            note = _("Attached to “%(title)s”.") % {"title": planned.entry.title}
            self.report.add("artefact", artefact.title, IMPORTED, note)
            made.append(artefact)
        return made

    def _targets(self, ref: str, *, depth: int = 0) -> list[Any]:
        """What an item reference shows: an imported thing, or a journal's or folder's
        imported contents."""
        if ref in self.objects:
            return [self.objects[ref]]
        part = self.plan.by_id.get(ref)
        if part is None or part.role not in ("journal", "folder") or depth:
            return []
        return [t for child in parts_of(part.entry) for t in self._targets(child, depth=1)]

    # --- Bookkeeping ------------------------------------------------------------------

    def _key(self, entry_id: str) -> str:
        return leap2a_source_key(feed_id=self.plan.feed.id, entry_id=entry_id)

    def _known(self) -> dict[str, Leap2AEntry]:
        keys = [self._key(p.entry.id) for p in self.plan.planned]
        keys += [self._key(f"{p.entry.id}#{m}") for p in self.plan.planned for m in p.attachments]
        rows = Leap2AEntry.objects.filter(owner=self.owner, source_key__in=keys)
        return {
            row.source_key: row
            for row in rows.select_related("artefact", "reflection", "badge", "showcase")
        }

    def _already(self, planned: Planned, kind: str) -> bool:
        row = self.known.get(self._key(planned.entry.id))
        if row is None:
            return False
        self.objects[planned.entry.id] = row.target
        self.report.add(kind, str(row.target), ALREADY)
        if kind != "showcase":
            self._attachments(planned)
        self._step(planned)
        return True

    def _record(self, entry_id: str, thing: Any) -> None:
        self.objects[entry_id] = thing
        field = {"Artefact": "artefact", "Reflection": "reflection", "Badge": "badge"}.get(
            type(thing).__name__, "showcase"
        )
        Leap2AEntry.objects.create(
            owner=self.owner, source_key=self._key(entry_id), entry_id=entry_id[:500],
            **{field: thing},
        )  # fmt: skip
        self.stored.extend(create.stored_names(thing))

    def _step(self, planned: Planned) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(_("Importing “%(title)s”") % {"title": planned.entry.title[:80]},
                          self.done, len(self.plan.planned))  # fmt: skip
