"""Deciding, before anything is written, what each entry of a Leap2A feed becomes here,
and checking that every file it points at is inside the archive.

Every enclosure (and out-of-line content, ``content src``) of every entry is resolved
against the archive first: one that points outside it, or names a file it does not hold,
refuses the whole import (`ArchiveRefused`), since that archive was damaged or tampered
with. A link to another entry of the feed is a reference, never a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portfolio.archive.leap2a_feed import Entry, Feed
from portfolio.archive.safezip import ArchiveRefused, SafeZip

# What each Mahara plugin's entries are, when they are something we do not keep.
_MAHARA_SKIPPED = {
    "comment": gettext_lazy("a comment"),
    "annotation": gettext_lazy("an annotation"),
    "peerassessment": gettext_lazy("a peer assessment"),
    "internal": gettext_lazy("a profile field"),
    "resume": gettext_lazy("a résumé item"),
    "plans": gettext_lazy("a plan or task"),
}
# Pages Mahara makes for every account, not showcases of the learner's choosing.
_MAHARA_OWN_PAGES = {
    "profile": gettext_lazy("your Mahara profile page"),
    "dashboard": gettext_lazy("your Mahara dashboard"),
    "grouphomepage": gettext_lazy("a Mahara group's home page"),
}
PERSON_KEPT = gettext_lazy(
    "Your account keeps its own name and email: the learner's details in the file were not copied."
)


@dataclass
class Planned:
    entry: Entry
    role: str = ""  # file, link, text, badge, reflection, showcase, collection, journal,
    #                 folder, person, other
    reason: str = ""  # why an "other" (or person, journal, folder) entry is not imported
    member: str = ""  # the archive file of a file or badge entry
    attachments: list[str] = field(default_factory=list)  # further enclosed files
    refs: list[str] = field(default_factory=list)  # ids of entries it links to
    url: str = ""  # a link artefact's address


@dataclass
class Plan:
    feed: Feed
    planned: list[Planned]

    def __post_init__(self) -> None:
        self.by_id = {p.entry.id: p for p in self.planned}

    def with_role(self, *roles: str) -> list[Planned]:
        return [p for p in self.planned if p.role in roles]

    def members(self) -> list[str]:
        """Every archive file an import would store, each once."""
        names = [p.member for p in self.planned if p.member] + [
            name for p in self.planned for name in p.attachments
        ]
        return list(dict.fromkeys(names))


def plan_import(feed: Feed, archive: SafeZip, *, base: str) -> Plan:
    ids = {entry.id for entry in feed.entries}
    planned = []
    for entry in feed.entries:
        files, refs = _targets(entry, ids, archive, base)
        item = Planned(entry=entry, refs=refs)
        item.role, item.reason = _role(entry, feed)
        if item.role == "resource":
            item.role, item.member, files = _resource(entry, files, item)
        item.attachments = files
        planned.append(item)
    return Plan(feed=feed, planned=planned)


def _targets(
    entry: Entry, ids: set[str], archive: SafeZip, base: str
) -> tuple[list[str], list[str]]:
    files: list[str] = []
    refs: list[str] = []
    if entry.content.src:
        files.append(_member(archive, entry.content.src, base))
    for link in entry.links:
        if link.rel not in ("enclosure", "related") or not link.href:
            continue
        if link.href in ids:
            refs.append(link.href)
        elif link.rel == "enclosure":
            files.append(_member(archive, link.href, base))
    return list(dict.fromkeys(files)), list(dict.fromkeys(refs))


def _member(archive: SafeZip, href: str, base: str) -> str:
    """The archive file a link names (as written, else percent-decoded, as Mahara
    writes names with spaces either way). Raises ArchiveRefused for anything else."""
    try:
        return archive.resolve(href, base=base)
    except ArchiveRefused:
        decoded = unquote(href)
        if decoded == href:
            raise
        return archive.resolve(decoded, base=base)


def _role(entry: Entry, feed: Feed) -> tuple[str, str]:
    types = entry.types
    if "person" in types or (feed.author_uri and entry.id == feed.author_uri):
        return "person", str(PERSON_KEPT)
    if "selection" in types or entry.blocks is not None:
        return _selection(entry)
    if (entry.mahara_plugin, entry.mahara_type) == ("internal", "html"):
        return "resource", ""  # a Mahara note: a written piece
    if entry.mahara_plugin in _MAHARA_SKIPPED:
        return "other", _("This is %(what)s from Mahara, which has no equivalent here.") % {
            "what": _MAHARA_SKIPPED[entry.mahara_plugin]
        }
    if types & {"resource", "publication"}:
        return "resource", ""
    if not types or "entry" in types:
        return "reflection", ""
    return "other", _(
        "Leap2A “%(type)s” items (activities, achievements, plans and the like) have no "
        "equivalent here."
    ) % {"type": ", ".join(sorted(types))}


def _selection(entry: Entry) -> tuple[str, str]:
    if entry.page_type in _MAHARA_OWN_PAGES:
        return "other", _("This is %(what)s, which has no equivalent here.") % {
            "what": _MAHARA_OWN_PAGES[entry.page_type]
        }
    kind = entry.category("selection_type")
    if kind == "Blog":
        return "journal", _(
            "Its entries were imported as reflections; journals are not kept apart."
        )
    if kind == "Folder":
        return "folder", _("Its files were imported as evidence; folders are not kept.")
    if kind == "Website":
        return "collection", ""
    return "showcase", ""


def _resource(entry: Entry, files: list[str], item: Planned) -> tuple[str, str, list[str]]:
    """A resource is a badge (ours), a file (its first enclosure), a link, or a text."""
    if files:
        role = "badge" if "badge" in entry.extension else "file"
        return role, files[0], files[1:]
    for link in entry.links:
        if link.rel in ("related", "alternate") and urlsplit(link.href).scheme in (
            "http",
            "https",
        ):
            item.url = link.href
            return "link", "", files
    return "text", "", files
