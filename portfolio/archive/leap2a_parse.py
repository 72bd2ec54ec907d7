"""Reading a Leap2A 2010-07 feed (leap2a.xml) into plain data, safely.

The XML goes through defusedxml with document types refused outright (and so entities
and external references too: they can only be declared in one), under caps on size,
nesting depth and element count. What comes out is plain data: `Feed` and its `Entry`s,
with every namespace form already normalised (see `leap2a_namespaces`), and each entry's
content as an HTML string that has not been sanitised yet (the importer does that).
"""

from __future__ import annotations

import html
import io
import json
import re
import xml.etree.ElementTree as ET  # only for ParseError and tostring: parsing is defused
from datetime import date, datetime
from typing import Any

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import iterparse

from portfolio.archive import leap2a_namespaces as ns
from portfolio.archive.leap2a_feed import Block, Category, Entry, Feed, Leap2ARefused, Link, Text

MAX_XML_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 200
MAX_ELEMENTS = 500_000


def parse_feed(data: bytes) -> Feed:
    """The feed in `data`. Raises Leap2ARefused, with the reason, for anything that is not
    a well-formed Leap2A 2010-07 feed within our limits."""
    if len(data) > MAX_XML_BYTES:
        raise Leap2ARefused(
            f"leap2a.xml is larger than the {MAX_XML_BYTES // (1024 * 1024)} MB we read. "
            "Export your portfolio in smaller parts (for example page by page)."
        )
    # Mahara reads &nbsp; although XML does not define it; so do we, as a character.
    root, prefixes = _parse(data.replace(b"&nbsp;", b"&#160;"))
    if root.tag != f"{{{ns.ATOM}}}feed":
        raise Leap2ARefused(
            "leap2a.xml is XML, but not a Leap2A feed (its first element is not an Atom "
            "feed). Upload the archive exactly as the other system exported it."
        )
    _check_version(root, prefixes)
    author = root.find(f"{{{ns.ATOM}}}author")
    entries = [_entry(element, prefixes) for element in root.findall(f"{{{ns.ATOM}}}entry")]
    seen: set[str] = set()
    for entry in entries:
        if not entry.id:
            raise Leap2ARefused(
                f"An entry in leap2a.xml (“{entry.title[:100]}”) has no id, which every "
                "Leap2A entry needs. The file is damaged or was edited by hand."
            )
        if entry.id in seen:
            raise Leap2ARefused(
                f"Two entries in leap2a.xml have the same id (“{entry.id[:200]}”). The file "
                "is damaged or was edited by hand."
            )
        seen.add(entry.id)
    return Feed(
        id=_text(root, "id"),
        title=_text(root, "title"),
        author_name=_text(author, "name") if author is not None else "",
        author_uri=_text(author, "uri") if author is not None else "",
        entries=entries,
    )


def _parse(data: bytes) -> tuple[ET.Element, dict[str, str]]:
    prefixes: dict[str, str] = {}
    root: ET.Element | None = None
    depth = count = 0
    events = ("start-ns", "start", "end")
    try:
        for event, item in iterparse(io.BytesIO(data), events=events, forbid_dtd=True):
            if event == "start-ns":
                prefix, uri = item
                prefixes.setdefault(prefix, uri)
            elif event == "start":
                root = item if root is None else root
                depth, count = depth + 1, count + 1
                if depth > MAX_DEPTH or count > MAX_ELEMENTS:
                    raise Leap2ARefused(
                        "leap2a.xml is nested more deeply, or holds more elements, than any "
                        "portfolio needs, so we did not read it."
                    )
            else:
                depth -= 1
    except DTDForbidden:
        raise Leap2ARefused(
            "leap2a.xml declares a document type (a DTD). Leap2A files never need one, and "
            "we don't read files that do. Export your portfolio again and upload that."
        ) from None
    except (EntitiesForbidden, ExternalReferenceForbidden):
        raise Leap2ARefused(
            "leap2a.xml declares entities or refers to outside files, which Leap2A files "
            "never need, so we did not read it. Export your portfolio again and upload that."
        ) from None
    except ET.ParseError as error:
        line = error.position[0] if error.position else 0
        raise Leap2ARefused(
            f"leap2a.xml is not well-formed XML (the problem is on line {line}): it may be "
            "damaged or cut short. Export your portfolio again and upload the new archive."
        ) from None
    if root is None:  # iterparse raises on empty input; kept for the type checker
        raise Leap2ARefused("leap2a.xml is empty.")
    return root, prefixes


def _check_version(root: ET.Element, prefixes: dict[str, str]) -> None:
    version = next(
        (child for child in root if _is(child, ns.is_leap2, "version")),
        None,
    )
    if version is None:
        if any(ns.is_leap2(uri) for uri in prefixes.values()):
            return  # 2010-07 namespaces without the (recommended) version element
        raise Leap2ARefused(
            "This is an Atom feed but not Leap2A 2010-07 (it has neither the version element "
            "nor the Leap2A namespaces). We read Leap2A 2010-07, which Mahara writes."
        )
    written = (version.text or "").strip()
    if written.rstrip("/") != ns.VERSION_2010_07.rstrip("/"):
        raise Leap2ARefused(
            f"This file says it is Leap2A version “{written[:100]}”; we read Leap2A "
            "2010-07, which Mahara and most e-portfolio systems write."
        )


def _entry(element: ET.Element, prefixes: dict[str, str]) -> Entry:
    entry = Entry(id=_text(element, "id"), title=_title(element))
    types, categories, links = set(), [], []
    for child in element:
        namespace, local = ns.split_tag(child.tag)
        if namespace == ns.RDF and local == "type":
            term = ns.leap_term(child.get(f"{{{ns.RDF}}}resource", ""), prefixes)
            if term:
                types.add(term)
        elif namespace == ns.ATOM and local == "category":
            categories.append(_category(child, prefixes))
        elif namespace == ns.ATOM and local == "link":
            links.append(_link(child, prefixes))
        elif namespace == ns.ATOM and local in ("content", "summary"):
            setattr(entry, local, _text_construct(child))
        elif namespace == ns.ATOM and local in ("published", "updated"):
            setattr(entry, local, _datetime(child.text))
        elif ns.is_leap2(namespace) and local == "date":
            if _leap_attribute(child, "point") == "start":
                entry.start = _date(child.text)
        elif ns.is_mahara(namespace) and local == "artefactplugin":
            entry.mahara_plugin = _mahara_attribute(child, "plugin")
            entry.mahara_type = _mahara_attribute(child, "type")
        elif ns.is_mahara(namespace) and local == "view":
            entry.blocks = _blocks(child)
            entry.page_type = _mahara_attribute(child, "type")
        elif namespace == ns.PORTFOLIO_EXT:
            entry.extension[local] = child.get("source") or (child.text or "")
    entry.types, entry.categories, entry.links = frozenset(types), categories, links
    return entry


def _category(element: ET.Element, prefixes: dict[str, str]) -> Category:
    scheme = element.get("scheme", "")
    return Category(
        scheme=ns.category_scheme(scheme, prefixes) or scheme if scheme else "",
        term=element.get("term", "").strip(),
        label=element.get("label", "").strip(),
    )


def _link(element: ET.Element, prefixes: dict[str, str]) -> Link:
    rel = element.get("rel", "alternate").strip()
    order = _leap_attribute(element, "display_order")
    return Link(
        rel=ns.leap_term(rel, prefixes) or rel,
        href=element.get("href", "").strip(),
        type=element.get("type", "").strip(),
        display_order=int(order) if order.isdigit() else None,
    )


def _blocks(view: ET.Element) -> list[Block]:
    """The page's blocks in reading order: by row then column on a grid page (newer
    Mahara), in document order (row, column, position) on an older one."""
    placed: list[tuple[tuple[int, int, int], Block]] = []
    for index, element in enumerate(view.iter()):
        namespace, local = ns.split_tag(element.tag)
        if not (ns.is_mahara(namespace) and local == "blockinstance"):
            continue
        block = Block(
            blocktype=_mahara_attribute(element, "blocktype"),
            title=_mahara_attribute(element, "blocktitle"),
            config={},
        )
        for child in element:
            child_ns, name = ns.split_tag(child.tag)
            if ns.is_mahara(child_ns):
                value = _json_first(child.text or "")
                if value is not None:
                    block.config[name] = value
            elif child_ns == ns.PORTFOLIO_EXT and name in ("caption", "markdown"):
                setattr(block, name, child.text or "")
        y, x = _mahara_attribute(element, "positiony"), _mahara_attribute(element, "positionx")
        key = (int(y), int(x), index) if y.isdigit() and x.isdigit() else (0, 0, index)
        placed.append((key, block))
    return [block for _key, block in sorted(placed, key=lambda pair: pair[0])]


def _json_first(text: str) -> Any:
    """Mahara wraps every block setting as a JSON list of one value; None if it isn't."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value[0] if isinstance(value, list) and value else None


def _text_construct(element: ET.Element) -> Text:
    kind = (element.get("type") or "text").strip().lower()
    src = element.get("src", "").strip()
    if kind == "xhtml":
        wrapper = next((child for child in element if ns.split_tag(child.tag)[1] == "div"), None)
        return Text(html=_inner_html(wrapper if wrapper is not None else element), src=src)
    text = "".join(element.itertext())
    if kind in ("html", "text/html"):
        return Text(html=text, src=src)
    return Text(html=_plain_to_html(text), src=src)


def _inner_html(element: ET.Element) -> str:
    """The element's children as HTML, namespaces dropped (XHTML is HTML in XML clothes)."""
    for node in element.iter():
        node.tag = ns.split_tag(node.tag)[1] if isinstance(node.tag, str) else node.tag
        for name in [key for key in node.attrib if key.startswith("{")]:
            node.attrib[ns.split_tag(name)[1]] = node.attrib.pop(name)
    parts = [html.escape(element.text or "", quote=False)]
    parts += [ET.tostring(child, encoding="unicode", method="html") for child in element]
    return "".join(parts)


def _plain_to_html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line.strip()) for line in p.splitlines()) + "</p>"
        for p in paragraphs
    )


def _title(element: ET.Element) -> str:
    title = element.find(f"{{{ns.ATOM}}}title")
    if title is None:
        return ""
    text = "".join(title.itertext())
    if (title.get("type") or "").lower() == "html":
        text = re.sub(r"<[^>]*>", " ", text)
        text = html.unescape(text)
    return " ".join(text.split())


def _text(element: ET.Element | None, local: str) -> str:
    if element is None:
        return ""
    child = element.find(f"{{{ns.ATOM}}}{local}")
    return " ".join((child.text or "").split()) if child is not None else ""


def _is(element: ET.Element, namespace_test: Any, local: str) -> bool:
    namespace, name = ns.split_tag(element.tag)
    return bool(namespace_test(namespace)) and name == local


def _leap_attribute(element: ET.Element, local: str) -> str:
    for key, value in element.attrib.items():
        namespace, name = ns.split_tag(key)
        if name == local and ns.is_leap2(namespace):
            return value.strip()
    return ""


def _mahara_attribute(element: ET.Element, local: str) -> str:
    for key, value in element.attrib.items():
        namespace, name = ns.split_tag(key)
        if name == local and (ns.is_mahara(namespace) or not namespace):
            return value.strip()
    return ""


def _datetime(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _date(text: str | None) -> date | None:
    value = (text or "").strip()
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
