"""Reading a Mahara page (or collection of pages) as the sections and items of a showcase.

A page's blocks are read in order (row by row). A text block starts a section: its title
is the heading, its text the introduction. Any other block adds the evidence it shows
(`artefactid` or `artefactids` in its settings) to the current section, or to a first
section named after the page when no text block came before it. A block that shows
nothing we hold (a profile, a feed, a map...) is noted as skipped.

A selection without Mahara's page extension is one section of its `has_part` items, in
their `leap2:display_order`. A collection (selection type Website) is one showcase whose
sections are its pages' sections, page after page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from portfolio.archive.leap2a_feed import Block, Entry
from portfolio.archive.leap2a_html import html_to_markdown
from portfolio.archive.leap2a_plan import Plan

_TEXT_BLOCKS = frozenset({"text", "textbox"})


@dataclass
class Item:
    ref: str  # the id of the entry it shows
    caption: str = ""
    show_description: bool = False  # Mahara shows the file's description as its caption


@dataclass
class SectionOutline:
    heading: str
    intro: str = ""  # Markdown
    items: list[Item] = field(default_factory=list)


@dataclass
class Outline:
    sections: list[SectionOutline] = field(default_factory=list)
    skipped_blocks: list[str] = field(default_factory=list)  # why, for the report
    pages: list[str] = field(default_factory=list)  # ids of the pages it was made from


def outline_of(entry: Entry, plan: Plan) -> Outline:
    """The sections of the showcase a page, selection or collection entry becomes."""
    outline = Outline()
    if plan.by_id[entry.id].role == "collection":
        loose = SectionOutline(heading=entry.title or _("Items"))
        for ref in parts_of(entry):
            part = plan.by_id.get(ref)
            if part is not None and part.role == "showcase":
                outline.pages.append(ref)
                _page(part.entry, outline)
            else:
                loose.items.append(Item(ref))
        if loose.items:
            outline.sections.insert(0, loose)
        return outline
    _page(entry, outline)
    return outline


def _page(entry: Entry, outline: Outline) -> None:
    heading = entry.title or _("Untitled page")
    if entry.blocks is None:
        section = SectionOutline(heading=heading)
        section.items = [Item(ref) for ref in parts_of(entry)]
        outline.sections.append(section)
        return
    current: SectionOutline | None = None
    for block in entry.blocks:
        if block.blocktype in _TEXT_BLOCKS:
            current = SectionOutline(
                heading=block.title or heading,
                intro=block.markdown or html_to_markdown(str(block.config.get("text") or "")),
            )
            outline.sections.append(current)
            continue
        refs = _block_refs(block)
        if not refs:
            outline.skipped_blocks.append(
                _("A “%(type)s” block on “%(page)s” shows nothing that can be imported.")
                % {"type": block.blocktype or _("unnamed"), "page": heading}
            )
            continue
        if current is None:
            current = SectionOutline(heading=heading)
            outline.sections.append(current)
        shows_description = bool(block.config.get("showdescription"))
        current.items += [Item(ref, block.caption, shows_description) for ref in refs]


def _block_refs(block: Block) -> list[str]:
    single: Any = block.config.get("artefactid")
    several: Any = block.config.get("artefactids")
    refs = [single] if isinstance(single, str) else []
    if isinstance(several, list):
        refs += [ref for ref in several if isinstance(ref, str)]
    return refs


def parts_of(entry: Entry) -> list[str]:
    """The entry's `has_part` links, by display order where given, else as written."""
    links = list(enumerate(entry.links_of("has_part")))
    links.sort(key=lambda pair: (pair[1].display_order is None, pair[1].display_order, pair[0]))
    return [link.href for _index, link in links if link.href]
