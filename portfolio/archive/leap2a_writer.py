"""Writing a Leap2A feed as a stream of XML, with the prefixes Mahara expects
(``leap2``, ``categories``, ``mahara``, ``portfolio``), and HTML we made (sanitised
output of `core.html`) embedded as XHTML."""

from __future__ import annotations

from datetime import date, datetime
from html.parser import HTMLParser
from typing import IO, Any
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesNSImpl

from core.models import Visibility
from portfolio.archive import leap2a_namespaces as ns

Name = tuple[str | None, str]  # (namespace or None, local name)

PREFIXES = {
    ns.RDF: "rdf",
    ns.LEAP2: "leap2",
    ns.CATEGORIES: "categories",
    ns.MAHARA: "mahara",
    ns.PORTFOLIO_EXT: "lp",
}
_VOID = frozenset({"br", "hr", "img", "col", "wbr"})


class FeedWriter:
    """Elements in, XML out. `open`/`close` nest; `element` writes a leaf."""

    def __init__(self, out: IO[bytes], *, portfolio_prefix: str) -> None:
        self._xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)
        self._stack: list[Name] = []
        self._xml.startDocument()
        self._xml.startPrefixMapping(None, ns.ATOM)
        for uri, prefix in PREFIXES.items():
            self._xml.startPrefixMapping(prefix, uri)
        self._xml.startPrefixMapping("portfolio", portfolio_prefix)
        self._prefixes = {**PREFIXES, ns.ATOM: None}

    def open(self, name: str, attrs: dict[Name, str] | None = None, *, uri: str = ns.ATOM) -> None:
        qualified: Name = (uri, name)
        self._xml.startElementNS(qualified, name, self._attributes(attrs or {}))
        self._stack.append(qualified)

    def close(self) -> None:
        qualified = self._stack.pop()
        self._xml.endElementNS(qualified, qualified[1])

    def element(
        self,
        name: str,
        text: str = "",
        attrs: dict[Name, str] | None = None,
        *,
        uri: str = ns.ATOM,
    ) -> None:
        self.open(name, attrs, uri=uri)
        if text:
            self._xml.characters(text)
        self.close()

    def xhtml(self, name: str, html: str) -> None:
        """An Atom text construct of type xhtml holding `html` (markup we sanitised)."""
        self.open(name, {(None, "type"): "xhtml"})
        self._xml.startPrefixMapping(None, ns.XHTML)
        self._xml.startElementNS((ns.XHTML, "div"), "div", self._attributes({}))
        _XhtmlEcho(self._xml).feed_all(html)
        self._xml.endElementNS((ns.XHTML, "div"), "div")
        self._xml.endPrefixMapping(None)
        self.close()

    def finish(self) -> None:
        while self._stack:
            self.close()
        self._xml.endDocument()

    @staticmethod
    def _attributes(attrs: dict[Name, str]) -> AttributesNSImpl:
        qnames = {key: key[1] for key in attrs}
        return AttributesNSImpl(attrs, qnames)


class _XhtmlEcho(HTMLParser):
    """Re-emits HTML as XHTML elements: void elements closed, end tags balanced."""

    def __init__(self, xml: XMLGenerator) -> None:
        super().__init__(convert_charrefs=True)
        self._xml = xml
        self._open: list[str] = []

    def feed_all(self, html: str) -> None:
        self.feed(html)
        self.close()
        while self._open:
            self._end(self._open.pop())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values: dict[Name, str] = {
            (None, name): value or "" for name, value in attrs if ":" not in name
        }
        qnames: dict[Name, str] = {key: key[1] for key in values}
        self._xml.startElementNS((ns.XHTML, tag), tag, AttributesNSImpl(values, qnames))
        if tag in _VOID:
            self._end(tag)
        else:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open:
                current = self._open.pop()
                self._end(current)
                if current == tag:
                    break

    def handle_data(self, data: str) -> None:
        self._xml.characters(data)

    def _end(self, tag: str) -> None:
        self._xml.endElementNS((ns.XHTML, tag), tag)


# --- Pieces of an entry ---------------------------------------------------------------


def start_entry(
    w: FeedWriter, title: str, thing: str, updated: datetime, published: datetime
) -> None:
    w.open("entry")
    w.element("title", title)
    w.element("id", thing)
    w.element("updated", rfc3339(updated))
    w.element("published", rfc3339(published))


def leap_type(w: FeedWriter, leap_type: str) -> None:
    w.element("type", "", {(ns.RDF, "resource"): f"leap2:{leap_type}"}, uri=ns.RDF)


def mahara_plugin(w: FeedWriter, artefact_type: str, plugin: str) -> None:
    attrs: dict[Name, str] = {(ns.MAHARA, "type"): artefact_type, (ns.MAHARA, "plugin"): plugin}
    w.element("artefactplugin", "", attrs, uri=ns.MAHARA)


def link(
    w: FeedWriter, rel: str, href: str, *, type: str = "", length: int = 0, order: int = 0
) -> None:
    attrs: dict[Name, str] = {(None, "rel"): rel, (None, "href"): href}
    if type:
        attrs[(None, "type")] = type
    if length:
        attrs[(None, "length")] = str(length)
    if order:
        attrs[(ns.LEAP2, "display_order")] = str(order)
    w.element("link", "", attrs)


def category(w: FeedWriter, scheme: str, term: str, *, label: str = "") -> None:
    attrs: dict[Name, str] = {(None, "term"): term, (None, "scheme"): f"categories:{scheme}#"}
    if label:
        attrs[(None, "label")] = label
    w.element("category", "", attrs)


def details(w: FeedWriter, tags: Any, visibility: str, start: date | None) -> None:
    """Tags (plain categories), privacy (the audience category) and the learner's date."""
    for tag in tags:
        w.element("category", "", {(None, "term"): tag.name})
    if visibility == Visibility.PRIVATE:
        category(w, "audience", "Private")
    if start is not None:
        w.element("date", start.isoformat(), {(ns.LEAP2, "point"): "start"}, uri=ns.LEAP2)


def ours(w: FeedWriter, name: str, text: str) -> None:
    if text:
        w.element(name, text, uri=ns.PORTFOLIO_EXT)


def rfc3339(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
