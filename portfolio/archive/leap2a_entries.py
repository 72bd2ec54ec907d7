"""The entries of our Leap2A export, one writer per kind of thing (see `leap2a_export`
for what becomes what, and why)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from artefacts.models import Artefact
from badges.models import Badge
from portfolio.archive import leap2a_namespaces as ns
from portfolio.archive import leap2a_writer as put
from portfolio.archive.leap2a_writer import FeedWriter, Name
from portfolio.models import Showcase, ShowcaseItem
from reflections.models import Reflection

PERSON_ID = "portfolio:person"
JOURNAL_ID = "portfolio:journal"
MAHARA_NAME_FORMAT = "6"  # Mahara's View::FORMAT_NAME_DISPLAYNAME
# Block heights on Mahara's 12-column grid, as Mahara itself sizes these blocks.
_HEIGHTS = {"text": 4, "image": 20, "blogpost": 12, "filedownload": 6}
_KIND_PREFIX = {
    Artefact: "artefact",
    Reflection: "reflection",
    Badge: "badge",
    Showcase: "showcase",
}
Thing = Artefact | Reflection | Badge | Showcase


@dataclass
class Portfolio:
    artefacts: list[Artefact]
    reflections: list[Reflection]
    badges: list[Badge]
    showcases: list[Showcase]
    missing: set[str] = field(default_factory=set)  # entry ids whose file could not be read

    def __post_init__(self) -> None:
        things: list[Thing] = [*self.artefacts, *self.badges]
        self._by_entry = {entry_id(thing): thing for thing in things}

    @property
    def missing_artefacts(self) -> set[int]:
        return {a.pk for a in self.artefacts if entry_id(a) in self.missing}

    @property
    def missing_badges(self) -> set[int]:
        return {b.pk for b in self.badges if entry_id(b) in self.missing}

    def mark_missing(self, entry: str) -> None:
        self.missing.add(entry)

    def title_of(self, entry: str) -> str:
        return str(self._by_entry[entry])


def entry_id(thing: Thing) -> str:
    return f"portfolio:{_KIND_PREFIX[type(thing)]}-{thing.public_id.hex}"


def portfolio_prefix(owner: Any) -> str:
    """What the `portfolio:` prefix of entry ids stands for: stable for the account, so the
    same thing has the same id in every export of it."""
    return f"{settings.SITE_URL}/leap2a/{owner.public_id.hex}/"


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def write_feed(
    w: FeedWriter, *, owner: Any, data: Portfolio, files: dict[str, str], now: datetime
) -> None:
    w.open("feed")
    w.element("version", ns.VERSION_2010_07, uri=ns.LEAP2)
    w.element("id", portfolio_prefix(owner).rstrip("/"))
    w.element("title", _("Portfolio of %(name)s, exported %(when)s")
              % {"name": owner.display_name, "when": date_format(now, "DATE_FORMAT")})  # fmt: skip
    w.element("updated", put.rfc3339(now))
    w.element("generator", "Learner Portfolio", {(None, "uri"): f"{settings.SITE_URL}/"})
    w.open("author")
    w.element("name", owner.display_name)
    w.element("email", owner.email)
    w.element("uri", PERSON_ID)
    w.close()
    _person(w, owner, now)
    for artefact in data.artefacts:
        if entry_id(artefact) not in data.missing:
            _artefact(w, artefact, files)
    for badge in data.badges:
        if entry_id(badge) not in data.missing:
            _badge(w, badge, files)
    if data.reflections:
        _journal(w, data.reflections, now)
    for reflection in data.reflections:
        _reflection(w, reflection, data)
    for showcase in data.showcases:
        _showcase(w, showcase, data, files)
    w.finish()


def _person(w: FeedWriter, owner: Any, now: datetime) -> None:
    put.start_entry(w, owner.display_name, PERSON_ID, now, now)
    w.element("content", "", {(None, "type"): "text"})
    put.leap_type(w, "person")
    put.category(w, "person_type", "Self")
    w.element("persondata", owner.email, {(ns.LEAP2, "field"): "email"}, uri=ns.LEAP2)
    w.close()


def _artefact(w: FeedWriter, artefact: Artefact, files: dict[str, str]) -> None:
    thing = entry_id(artefact)
    title = file_title(artefact.title, files[thing]) if thing in files else artefact.title
    put.start_entry(w, title, thing, artefact.updated_at, artefact.created_at)
    if title != artefact.title:
        put.ours(w, "title", artefact.title)
    if artefact.description:
        w.element("summary", artefact.description, {(None, "type"): "text"})
    if artefact.kind == Artefact.Kind.FILE:
        w.element("content", "", {(None, "type"): "text"})
        put.leap_type(w, "resource")
        put.mahara_plugin(w, "image" if artefact.is_image else "file", "file")
        put.link(w, "enclosure", files[thing], type=artefact.content_type, length=artefact.size)
        put.category(w, "resource_type", "Offline", label="File")
    elif artefact.kind == Artefact.Kind.LINK:
        url = escape(artefact.url)
        w.xhtml("content", f'<p><a href="{url}">{url}</a></p>')
        put.leap_type(w, "resource")
        put.link(w, "related", artefact.url)
    else:
        w.xhtml("content", artefact.body_html)
        put.leap_type(w, "resource")
        put.ours(w, "markdown", artefact.body_markdown)
    put.details(w, artefact.tags.all(), artefact.visibility, artefact.learned_on)
    w.close()


def _badge(w: FeedWriter, badge: Badge, files: dict[str, str]) -> None:
    thing = entry_id(badge)
    title = file_title(badge.name, files[thing])
    put.start_entry(w, title, thing, badge.updated_at, badge.created_at)
    if title != badge.name:
        put.ours(w, "title", badge.name)
    if badge.description:
        w.element("summary", badge.description, {(None, "type"): "text"})
    facts = [_("Issued by %(issuer)s.") % {"issuer": badge.issuer_name or _("an unnamed issuer")}]
    if badge.issued_at:
        facts.append(_("Issued on %(day)s.") % {"day": date_format(badge.issued_at)})
    facts.append(_("Status when exported: %(status)s.") % {"status": badge.get_status_display()})
    html = "".join(f"<p>{escape(fact)}</p>" for fact in facts)
    if badge.note:
        html += f"<p>{escape(badge.note)}</p>"
    w.xhtml("content", html)
    put.leap_type(w, "resource")
    name = files[thing]
    image = name.endswith((".png", ".svg"))
    put.mahara_plugin(w, "image" if name.endswith(".png") else "file", "file")
    mime = {".png": "image/png", ".svg": "image/svg+xml", ".jws": "application/jwt"}
    put.link(w, "enclosure", name, type=mime.get(name[-4:], "application/json"))
    put.category(w, "resource_type", "Offline", label=_("Open Badge") if image else "File")
    w.element("badge", "", {(None, "source"): str(badge.source)}, uri=ns.PORTFOLIO_EXT)
    put.ours(w, "note", badge.note)
    put.details(w, [], badge.visibility, badge.issued_at.date() if badge.issued_at else None)
    w.close()


def file_title(title: str, name: str) -> str:
    """A file's entry title ends with its file's extension: Mahara takes the extension
    from the title (to name the download and guess the type). Ours keeps the learner's own
    title in an extension element."""
    extension = name.rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else ""
    if not extension or title.lower().endswith(f".{extension.lower()}"):
        return title
    return f"{title}.{extension}"


def _journal(w: FeedWriter, reflections: list[Reflection], now: datetime) -> None:
    put.start_entry(w, _("Reflections"), JOURNAL_ID, now, now)
    w.element("content", "", {(None, "type"): "text"})
    put.leap_type(w, "selection")
    put.mahara_plugin(w, "blog", "blog")
    for order, reflection in enumerate(reflections, 1):
        put.link(w, "leap2:has_part", entry_id(reflection), order=order)
    put.category(w, "selection_type", "Blog")
    w.close()


def _reflection(w: FeedWriter, reflection: Reflection, data: Portfolio) -> None:
    put.start_entry(
        w, reflection.title, entry_id(reflection), reflection.updated_at, reflection.created_at
    )
    w.xhtml("content", reflection.body_html)
    put.leap_type(w, "entry")
    put.mahara_plugin(w, "blogpost", "blog")
    put.link(w, "leap2:is_part_of", JOURNAL_ID)
    for artefact in reflection.artefacts.all():
        if (thing := entry_id(artefact)) not in data.missing:
            put.link(w, "related", thing)
    put.ours(w, "markdown", reflection.body_markdown)
    put.details(w, reflection.tags.all(), reflection.visibility, reflection.written_on)
    w.close()


def _showcase(w: FeedWriter, showcase: Showcase, data: Portfolio, files: dict[str, str]) -> None:
    sections = [(s, _exported(s.items.all(), data)) for s in showcase.sections.all()]
    put.start_entry(w, showcase.title, entry_id(showcase), showcase.updated_at, showcase.created_at)
    if showcase.summary_html:
        w.xhtml("summary", showcase.summary_html)
    w.xhtml("content", _outline(sections))
    put.leap_type(w, "selection")
    order = 0
    for _section, items in sections:
        for item in items:
            order += 1
            put.link(w, "leap2:has_part", entry_id(item.target), order=order)
    put.category(w, "selection_type", "Webpage")
    view: dict[Name, str] = {
        (ns.MAHARA, "newlayout"): "1",
        (ns.MAHARA, "type"): "portfolio",
        (ns.MAHARA, "ownerformat"): MAHARA_NAME_FORMAT,
    }
    w.open("view", view, uri=ns.MAHARA)
    y = 0
    for section, items in sections:
        y = _block(w, "text", y, title=section.heading, config={"text": section.intro_html},
                   markdown=section.intro_markdown)  # fmt: skip
        for item in items:
            blocktype, config = _item_block(item, files)
            y = _block(w, blocktype, y, config=config, caption=item.caption)
    w.close()
    put.ours(w, "markdown", showcase.summary_markdown)
    put.ours(w, "audience", showcase.audience)
    put.ours(w, "theme", showcase.theme)
    w.close()


def _exported(items: Any, data: Portfolio) -> list[ShowcaseItem]:
    return [item for item in items if entry_id(item.target) not in data.missing]


def _item_block(item: ShowcaseItem, files: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """The Mahara block that shows this item: journal posts (which our reflections, links
    and written pieces become there) in a post block, images in an image block, other files
    in a download block."""
    target = item.target
    thing = entry_id(target)
    if isinstance(target, Artefact) and target.kind == Artefact.Kind.FILE:
        if target.is_image:
            return "image", {"artefactid": thing}
        return "filedownload", {"artefactids": [thing]}
    if isinstance(target, Badge):
        if files.get(thing, "").endswith(".png"):
            return "image", {"artefactid": thing}
        return "filedownload", {"artefactids": [thing]}
    return "blogpost", {"artefactid": thing}


def _block(
    w: FeedWriter,
    blocktype: str,
    y: int,
    *,
    config: dict[str, Any],
    title: str = "",
    caption: str = "",
    markdown: str = "",
) -> int:
    height = _HEIGHTS[blocktype]
    attrs: dict[Name, str] = {
        (ns.MAHARA, "blocktype"): blocktype,
        (ns.MAHARA, "blocktitle"): title,
        (ns.MAHARA, "positionx"): "0",
        (ns.MAHARA, "positiony"): str(y),
        (ns.MAHARA, "height"): str(height),
        (ns.MAHARA, "width"): "12",
    }
    w.open("blockinstance", attrs, uri=ns.MAHARA)
    for key, value in config.items():
        w.element(key, json.dumps([value]), uri=ns.MAHARA)  # as Mahara wraps settings
    put.ours(w, "caption", caption)
    put.ours(w, "markdown", markdown)
    w.close()
    return y + height


def _outline(sections: list[tuple[Any, list[ShowcaseItem]]]) -> str:
    """The showcase as plain HTML, for systems that read the content and not the page."""
    parts = []
    for section, items in sections:
        parts.append(f"<h2>{escape(section.heading)}</h2>{section.intro_html}")
        lines = [escape(str(item.target)) + (f": {escape(item.caption)}" if item.caption else "")
                 for item in items]  # fmt: skip
        if lines:
            parts.append("<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>")
    return "".join(parts)
