"""HTML from other portfolios (Leap2A content is XHTML or HTML) as Markdown, so that it
reaches our pages the way learners' own writing does: through `core.html.render_markdown`,
which sanitises it. Reflections, written pieces and showcases hold Markdown, and the
learner can go on editing what was imported as if they had typed it.

The conversion keeps what Markdown can say (paragraphs, headings, emphasis, links, lists,
quotes, code, simple tables, line breaks) and drops the rest, keeping its text: images
become their alt text, scripts and styles vanish with their content. It is not a security
boundary: every piece of text is escaped so it cannot turn into markup by accident, and
whatever it produces is sanitised by `render_markdown` like any learner's Markdown.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

from core.html import ALLOWED_PROTOCOLS

# Elements whose content is code or chrome, not prose: removed with their content.
_DROPPED = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
        "noscript", "noembed", "noframes", "template", "svg", "math", "textarea", "select",
        "title", "head", "xmp", "button", "audio", "video", "canvas", "map",
    }
)  # fmt: skip
_VOID = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param",
     "source", "track", "wbr"}
)  # fmt: skip
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "main", "aside", "nav",
        "figure", "figcaption", "address", "center", "details", "summary", "dl", "dt", "dd",
        "form", "fieldset", "legend", "ul", "ol", "li", "blockquote", "pre", "hr", "table",
        "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "body", "html",
        *_HEADINGS,
    }
)  # fmt: skip
_MAX_DEPTH = 100
_ESCAPES = str.maketrans(
    {
        "\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]",
        "&": "&amp;", "<": "&lt;", ">": "&gt;",
    }
)  # fmt: skip
_LINE_START = re.compile(r"^(#|[-+](?=\s|$))")
_NUMBERED_LINE = re.compile(r"^(\d+)\.")
_LIST_MARKER = re.compile(r"^(?:-|\d+\.) ")


class _Node:
    __slots__ = ("attrs", "children", "tag")

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []


class _TreeBuilder(HTMLParser):
    """A forgiving tree of the HTML: unknown end tags are ignored, open elements are
    closed where a browser would close them, and nesting deeper than _MAX_DEPTH is
    flattened (its text kept)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", {})
        self._open = [self.root]
        self._dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._dropping or tag in _DROPPED:
            self._dropping += tag not in _VOID
            return
        if (tag in _BLOCKS and self._open[-1].tag == "p") or (
            tag == "li" and self._open[-1].tag == "li"
        ):
            self._open.pop()
        node = _Node(tag, {name: value or "" for name, value in attrs})
        self._open[-1].children.append(node)
        if tag not in _VOID and len(self._open) < _MAX_DEPTH:
            self._open.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._dropping:
            self._dropping -= tag in _DROPPED
            return
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self._open[-1].children.append(data)


def _tree(html: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def html_to_markdown(html: str) -> str:
    """Markdown that `render_markdown` turns back into (about) the same HTML."""
    return "\n\n".join(_blocks(_tree(html))).strip()


def html_to_text(html: str) -> str:
    """The text of the HTML: paragraphs apart by a blank line, line breaks kept."""
    text = _plain(_tree(html))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- Blocks ---------------------------------------------------------------------------


def _blocks(node: _Node) -> list[str]:
    out: list[str] = []
    inline: list[_Node | str] = []
    for child in node.children:
        if isinstance(child, _Node) and child.tag in _BLOCKS:
            out.extend(_paragraph(inline))
            inline = []
            out.extend(_block(child))
        else:
            inline.append(child)
    out.extend(_paragraph(inline))
    return out


def _block(node: _Node) -> list[str]:
    if node.tag in _HEADINGS:
        text = _single_line(_inline(node.children))
        return [f"{'#' * _HEADINGS[node.tag]} {text}"] if text else []
    if node.tag in ("ul", "ol"):
        return _list(node, ordered=node.tag == "ol")
    if node.tag == "blockquote":
        inner = "\n\n".join(_blocks(node))
        return ["\n".join(f"> {line}".rstrip() for line in inner.split("\n"))] if inner else []
    if node.tag == "pre":
        code = _raw_text(node).strip("\n")
        fence = "```" if "```" not in code else "~~~~"
        return [f"{fence}\n{code}\n{fence}"] if code.strip() else []
    if node.tag == "hr":
        return ["* * *"]
    if node.tag == "table":
        return _table(node)
    return _blocks(node)


def _paragraph(inline: list[_Node | str]) -> list[str]:
    text = _inline(inline)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [_LINE_START.sub(r"\\\1", line) for line in lines if line]
    lines = [_NUMBERED_LINE.sub(r"\1\\.", line) for line in lines]
    lines = ["&#61;" + line[1:] if set(line) == {"="} else line for line in lines]
    return ["  \n".join(lines)] if lines else []


def _list(node: _Node, *, ordered: bool) -> list[str]:
    items: list[str] = []
    loose = False
    for child in node.children:
        if isinstance(child, str) or child.tag != "li":
            item = _Node("li", {})  # stray text or elements between items: an item each
            item.children.append(child)
            child = item
        first, *rest = _blocks(child) or [""]
        if not first and not rest:
            continue
        body = first
        for block in rest:  # a nested list hugs its line; anything else is a paragraph
            nested = _LIST_MARKER.match(block) is not None
            loose = loose or not nested
            body += ("\n" if nested else "\n\n") + block
        lines = body.split("\n")
        indented = [lines[0], *[f"    {line}" if line else "" for line in lines[1:]]]
        marker = f"{len(items) + 1}." if ordered else "-"
        items.append(f"{marker} " + "\n".join(indented))
    return [("\n\n" if loose else "\n").join(items)] if items else []


def _table(node: _Node) -> list[str]:
    rows = [
        [_single_line(_inline(cell.children)).replace("|", "\\|") for cell in _cells(row)]
        for row in _rows(node)
    ]
    rows = [row for row in rows if row]
    if not rows:
        return []
    width = max(len(row) for row in rows)
    padded = [row + [""] * (width - len(row)) for row in rows]
    lines = [f"| {' | '.join(padded[0])} |", "|" + " --- |" * width]
    lines += [f"| {' | '.join(row)} |" for row in padded[1:]]
    return ["\n".join(lines)]


def _rows(node: _Node) -> list[_Node]:
    rows: list[_Node] = []
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag == "tr":
                rows.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows.extend(_rows(child))
    return rows


def _cells(row: _Node) -> list[_Node]:
    return [c for c in row.children if isinstance(c, _Node) and c.tag in ("td", "th")]


# --- Inline ---------------------------------------------------------------------------


def _inline(children: list[_Node | str]) -> str:
    parts: list[str] = []
    for child in children:
        if isinstance(child, str):
            parts.append(re.sub(r"\s+", " ", child).translate(_ESCAPES))
        else:
            parts.append(_inline_node(child))
    return "".join(parts)


def _inline_node(node: _Node) -> str:
    tag = node.tag
    if tag == "br":
        return "\n"
    if tag == "img":
        return " ".join(node.attrs.get("alt", "").split()).translate(_ESCAPES)
    if tag == "code":
        return _code_span(_raw_text(node))
    inner = _inline(node.children)
    if tag in ("strong", "b"):
        return _wrap(inner, "**")
    if tag in ("em", "i"):
        return _wrap(inner, "*")
    if tag in ("del", "s", "strike", "sup", "sub"):
        name = "del" if tag in ("s", "strike") else tag
        return _wrap(inner, f"<{name}>", f"</{name}>")
    if tag == "a":
        href = _link_target(node.attrs.get("href", ""))
        text = _single_line(inner)
        return f"[{text}]({href})" if href and text else inner
    if tag in _BLOCKS:
        return f" {inner} "
    return inner


def _wrap(inner: str, start: str, end: str | None = None) -> str:
    """Markers hug the words: spaces inside the element move outside them."""
    core = inner.strip()
    if not core:
        return inner
    lead = " " if inner[:1].isspace() else ""
    trail = " " if inner[-1:].isspace() else ""
    return f"{lead}{start}{core}{end or start}{trail}"


def _code_span(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    ticks = "``" if "`" in text else "`"
    return f"{ticks} {text} {ticks}" if ticks == "``" else f"`{text}`"


def _link_target(href: str) -> str:
    """Only absolute http, https and mailto links survive (as in render_markdown)."""
    href = href.strip()
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    if scheme not in ALLOWED_PROTOCOLS:
        return ""
    return quote(href, safe="/:?#[]@!$&'*+,;=%~-._")


def _single_line(text: str) -> str:
    return " ".join(text.split())


def _raw_text(node: _Node) -> str:
    return "".join(
        child if isinstance(child, str) else ("\n" if child.tag == "br" else _raw_text(child))
        for child in node.children
    )


def _plain(node: _Node) -> str:
    parts: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(re.sub(r"[ \t\r\f\v]+", " ", child.replace("\n", " ")))
        elif child.tag == "br":
            parts.append("\n")
        elif child.tag == "img":
            parts.append(child.attrs.get("alt", ""))
        elif child.tag in _BLOCKS:
            parts.append(f"\n\n{_plain(child)}\n\n")
        else:
            parts.append(_plain(child))
    return "".join(parts)
