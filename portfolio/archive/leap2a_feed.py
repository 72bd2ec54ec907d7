"""What a Leap2A feed holds, as plain data (read by `leap2a_parse`): every namespace
form already normalised, and each entry's content as HTML not yet sanitised."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from portfolio.archive.zipdirectory import ArchiveRefused


class Leap2ARefused(ArchiveRefused):
    """A Leap2A file we will not read; `str()` says what is wrong, for the learner."""


@dataclass(frozen=True)
class Link:
    rel: str  # "enclosure", "related", "alternate", or a Leap2A term ("has_part")
    href: str
    type: str = ""
    display_order: int | None = None


@dataclass(frozen=True)
class Category:
    scheme: str  # a Leap2A scheme ("selection_type"), "" for a plain tag, else as written
    term: str
    label: str = ""


@dataclass
class Block:
    """One block of a Mahara page (mahara:blockinstance)."""

    blocktype: str
    title: str
    config: dict[str, Any]
    caption: str = ""  # ours: the showcase item's caption
    markdown: str = ""  # ours: a section introduction's Markdown


@dataclass
class Text:
    """An Atom text construct (content, summary): HTML not yet sanitised, or `src`."""

    html: str = ""
    src: str = ""


@dataclass
class Entry:
    id: str
    title: str
    types: frozenset[str] = frozenset()  # Leap2A types: "entry", "resource", "selection"...
    categories: list[Category] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    content: Text = field(default_factory=Text)
    summary: Text = field(default_factory=Text)
    published: datetime | None = None
    updated: datetime | None = None
    start: date | None = None  # leap2:date point="start"
    mahara_plugin: str = ""
    mahara_type: str = ""
    blocks: list[Block] | None = None  # a Mahara page's blocks, in reading order
    page_type: str = ""  # a Mahara page's type: portfolio, profile, dashboard...
    extension: dict[str, str] = field(default_factory=dict)  # ours: markdown, note, badge...

    def category(self, scheme: str) -> str:
        return next((c.term for c in self.categories if c.scheme == scheme), "")

    @property
    def tags(self) -> list[str]:
        return [c.label or c.term for c in self.categories if not c.scheme]

    def links_of(self, rel: str) -> list[Link]:
        return [link for link in self.links if link.rel == rel]


@dataclass
class Feed:
    id: str
    title: str
    author_name: str
    author_uri: str
    entries: list[Entry]
