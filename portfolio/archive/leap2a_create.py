"""Making one thing from one Leap2A entry, through the same services a learner's own
upload, reflection, badge import or showcase edit goes through (see `leap2a_import`)."""

from __future__ import annotations

import mimetypes
import re
from datetime import date
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from artefacts.models import Artefact
from artefacts.services import (
    Details,
    artefact_create_file,
    artefact_create_link,
    artefact_create_text,
)
from badges.baking import PNG_SIGNATURE, extract, looks_like_svg
from badges.forms import MAX_BAKED_IMAGE_BYTES
from badges.models import Badge
from badges.services import badges_import
from core.html import LONGEST_BRACKET_RUN
from core.models import Visibility
from core.uploads import extension_of
from portfolio.archive.leap2a_feed import Entry
from portfolio.archive.leap2a_html import html_to_markdown, html_to_text
from portfolio.archive.leap2a_pages import Outline
from portfolio.archive.leap2a_plan import Planned
from portfolio.archive.leap2a_report import IMPORTED, SKIPPED, ReportLine
from portfolio.archive.safezip import SafeZip
from portfolio.models import Section, Showcase
from portfolio.showcases import services as showcases
from reflections.models import Reflection
from reflections.services import ReflectionInput, reflection_create

# The limits the learner's own forms set (reflections, showcase summary, intro, caption).
TEXT_LIMIT = 200_000
SUMMARY_LIMIT, INTRO_LIMIT, CAPTION_LIMIT = 20_000, 10_000, 2_000
_LONG_BRACKET_RUN = re.compile(r"([\[(<{])\1{" + str(LONGEST_BRACKET_RUN - 1) + ",}")


class Source(Protocol):
    owner: Any
    archive: SafeZip


class Skip(Exception):
    """This entry is not imported; `str()` says why, for the report."""


def artefact(source: Source, planned: Planned) -> Artefact:
    entry = planned.entry
    if planned.role == "file":
        name = _upload_name(planned.member, entry)
        return _file(source, planned.member, name, details(entry, default_title=""))
    if planned.role == "link":
        if not valid_url(planned.url):
            raise Skip(_("Its address is not a web address (http or https) we can link to."))
        return artefact_create_link(
            owner=source.owner, url=planned.url, details=details(entry, default_title="")
        )
    return artefact_create_text(
        owner=source.owner,
        body_markdown=body(entry),
        details=details(entry, default_title=_("Untitled piece")),
    )


def attachment(source: Source, planned: Planned, member: str) -> Artefact:
    """A file an entry encloses besides its own (a journal entry's attachment)."""
    name = member.rsplit("/", 1)[-1]
    visibility = details(planned.entry, default_title="").visibility
    return _file(source, member, name, Details(title=name, visibility=visibility))


def _file(source: Source, member: str, name: str, about: Details) -> Artefact:
    upload = source.archive.extract(member)
    try:
        upload.name = name
        return artefact_create_file(owner=source.owner, upload=upload, details=about)
    finally:
        upload.close()


def badge(source: Source, planned: Planned) -> tuple[Badge, list[ReportLine]]:
    """The badge enclosed, checked again as a fresh import is. A credential record (CLR)
    gives several; the first stands for the entry, the others are reported."""
    member = source.archive.members[planned.member]
    if member.size > MAX_BAKED_IMAGE_BYTES:
        raise Skip(_("Its badge file is larger than any badge we accept."))
    with source.archive.open(member.name) as stream:
        data = stream.read()
    image = b""
    if data.startswith(PNG_SIGNATURE) or looks_like_svg(data):
        payload, kind, image = extract(data, filename=member.name).payload, Badge.Source.IMAGE, data
    else:
        try:
            payload = data.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise Skip(_("Its badge file is neither an image, JSON nor a signed token.")) from None
        kind = Badge.Source.JSON if payload.startswith("{") else Badge.Source.JWS
    entry = planned.entry
    result = badges_import(
        owner=source.owner,
        payload=payload,
        source=kind,
        image=image,
        visibility=_visibility(entry),
        note=entry.extension.get("note", "")[:5000],
    )
    lines = [ReportLine("badge", str(b), IMPORTED) for b in result.imported[1:]]
    lines += [ReportLine("badge", name, SKIPPED, reason) for name, reason in result.refused]
    return result.imported[0], lines


def reflection(source: Source, planned: Planned, artefacts: list[Artefact]) -> Reflection:
    entry = planned.entry
    data = ReflectionInput(
        title=entry.title[:200] or _("Untitled reflection"),
        body_markdown=body(entry),
        written_on=_day(entry),
        visibility=_visibility(entry),
        tags=tuple(entry.tags),
        artefacts=list(dict.fromkeys(artefacts)),
    )
    return reflection_create(owner=source.owner, data=data)


def showcase(source: Source, planned: Planned, outline: Outline) -> tuple[Showcase, list[Section]]:
    entry = planned.entry
    summary = entry.extension.get("markdown") or html_to_markdown(entry.summary.html)
    theme = entry.extension.get("theme", "")
    made = showcases.showcase_create(
        owner=source.owner,
        title=entry.title[:200] or _("Imported page"),
        audience=entry.extension.get("audience", "")[:200],
        summary=_tamed(summary)[:SUMMARY_LIMIT],
        theme=theme if theme in Showcase.Theme.values else Showcase.Theme.CLASSIC,
    )
    sections = [
        showcases.section_add(
            showcase=made,
            heading=section.heading[:200] or made.title,
            intro=_tamed(section.intro)[:INTRO_LIMIT],
        )
        for section in outline.sections
    ]
    return made, sections


def item(section: Section, target: Any, *, caption: str) -> None:
    showcases.items_add(section=section, targets=[target], caption=caption[:CAPTION_LIMIT])


def stored_names(thing: Any) -> list[str]:
    if isinstance(thing, Artefact):
        return thing.stored_names
    if isinstance(thing, Badge):
        return [str(f.name) for f in (thing.original_image, thing.display_image) if f]
    return []


# --- Reading an entry -------------------------------------------------------------------


def details(entry: Entry, *, default_title: str) -> Details:
    return Details(
        title=(entry.extension.get("title") or entry.title)[:200] or default_title,
        description=html_to_text(entry.summary.html),
        learned_on=_day(entry),
        visibility=_visibility(entry),
        tags=tuple(entry.tags),
    )


def body(entry: Entry) -> str:
    """The entry's text as Markdown: our own export carries its Markdown source; anything
    else is converted from its (X)HTML content."""
    text = entry.extension.get("markdown") or html_to_markdown(entry.content.html)
    if len(text) > TEXT_LIMIT:
        raise Skip(
            _("Its text is longer than the %(limit)s characters a reflection can hold.")
            % {"limit": f"{TEXT_LIMIT:,}"}
        )
    return _tamed(text)


def valid_url(url: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return len(url) <= 2000


def _tamed(text: str) -> str:
    """Long runs of one bracket make Markdown rendering crawl; the forms refuse them, and an
    import shortens them (nobody reads a hundred "(" in a row)."""
    return _LONG_BRACKET_RUN.sub(lambda m: m.group(1) * (LONGEST_BRACKET_RUN - 1), text)


def _visibility(entry: Entry) -> str:
    private = entry.category("audience") == "Private"
    return Visibility.PRIVATE if private else Visibility.TUTORS


def _day(entry: Entry) -> date | None:
    if entry.start is not None:
        return entry.start
    return entry.published.date() if entry.published is not None else None


def _upload_name(member: str, entry: Entry) -> str:
    """The file's own name: Mahara names enclosed files "<id>-<title>", where the title
    is usually the file name; ours keep the learner's file name. A name without an
    extension gets the one its enclosure's type calls for."""
    base = member.rsplit("/", 1)[-1]
    name = entry.title if entry.title and base.endswith(f"-{entry.title}") else base
    if not extension_of(name):
        mime = next((link.type for link in entry.links_of("enclosure") if link.type), "")
        guessed = mimetypes.guess_extension(mime.split(";")[0].strip()) if mime else None
        name += guessed or ""
    return name
