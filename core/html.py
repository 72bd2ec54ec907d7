"""Learner-written Markdown to safe HTML: the one place this happens.

The pipeline is Markdown (with raw HTML passed through, as Markdown does) ->
a first bleach pass that deletes elements whose content is code rather than
prose -> a second, strict bleach pass (the allowlist below) that also adds
``rel`` to every link and linkifies bare URLs. The strict pass alone makes the
output safe; the first pass only keeps script and style source from showing
up as visible text once their tags are stripped.
"""

import re
from collections.abc import Iterator, MutableMapping
from functools import partial
from html import unescape
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

import markdown
from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

if TYPE_CHECKING:
    from html5lib.filters.base import Filter
else:
    # bleach vendors html5lib; this is the import its docs give for custom filters.
    from bleach.html5lib_shim import Filter

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i",
        "code", "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead",
        "tbody", "tr", "th", "td", "del", "sup", "sub",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, list[str]] = {
    "a": ["href", "title"],
    "th": ["align"],
    "td": ["align"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"

# Elements whose content is code, not prose: removed together with their content.
_DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed",
        "applet", "noscript", "noembed", "noframes", "template", "svg", "math",
        "textarea", "select", "title", "xmp",
    }
)  # fmt: skip
# Tags that do not separate words when the HTML is flattened to text.
_INLINE_TAGS = frozenset({"a", "strong", "em", "b", "i", "code", "del", "sup", "sub"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# A URL scheme as browsers read it, once tabs and newlines are gone (WHATWG URL).
_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_URL_IGNORED_RE = re.compile(r"[\t\n\r]")
_URL_TRIMMED = "".join(map(chr, range(0x21)))  # C0 controls and space

# bleach's link attributes: (namespace, name) -> value.
_LinkAttrs = MutableMapping[tuple[str | None, str], str]


def render_markdown(text: str) -> str:
    """Markdown -> sanitised HTML, safe to insert into a page (callers mark_safe the result).

    Headings start at ``<h2>`` because the page owns the ``<h1>``: the levels the text
    uses, in order, become h2, h3... (so ``##`` alone gives ``<h2>``, and ``#`` then
    ``###`` give ``<h2>`` then ``<h3>``), which keeps the page's outline free of gaps.
    Images become their alt text. A link needs an absolute http, https or mailto URL
    (otherwise only its text is kept) and gets ``rel="nofollow noopener noreferrer"``;
    bare URLs become links.
    Lists are read as GitHub and most editors read them: a list may follow a paragraph
    line without a blank line between (an ordered one only when it starts at 1, as in
    CommonMark, so "2026. A good year" stays a sentence), and a nested item needs only
    to be indented past its parent's marker (two spaces will do).
    Blank input gives ``""``.
    """
    if not text.strip():
        return ""
    rendered = markdown.markdown(
        escape_unclosed_brackets(text),
        extensions=[
            FencedCodeExtension(),
            TableExtension(use_align_attribute=True),
            SaneListExtension(),
            _LearnerTextExtension(),
        ],
        output_format="html",
    )
    # bleach cleaners hold parser state, so each call builds its own.
    without_code = Cleaner(
        tags=ALLOWED_TAGS | _DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        filters=[_DropWithContentFilter],
    ).clean(rendered)
    return (
        Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            filters=[
                partial(
                    LinkifyFilter,
                    # The stub says callbacks never return None; bleach unwraps the link if they do.
                    callbacks=[_link_attributes],  # type: ignore[list-item]
                    skip_tags={"pre", "code"},
                )
            ],
        )
        .clean(without_code)
        .strip()
    )


# Python-Markdown spends quadratic time on "[" that never closes (Python-Markdown#798):
# 4,000 of them take seconds. An unclosed "[" can never start a link, so escaping it
# changes nothing a reader sees; below the threshold (all real writing) text is untouched.
UNCLOSED_BRACKETS_ESCAPED_ABOVE = 100
# bleach's linkify is quadratic over a long run of "("; forms refuse such runs.
LONGEST_BRACKET_RUN = 100
_BRACKET_RUN_RE = re.compile(r"([\[(<{])\1{" + str(LONGEST_BRACKET_RUN - 1) + ",}")


def escape_unclosed_brackets(text: str) -> str:
    """Backslash-escape every "[" without a matching "]", when there are many (linear)."""
    unclosed: list[int] = []
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            unclosed.append(index)
        elif char == "]" and unclosed:
            unclosed.pop()
        index += 1
    if len(unclosed) <= UNCLOSED_BRACKETS_ESCAPED_ABOVE:
        return text
    pieces, start = [], 0
    for position in unclosed:
        pieces.append(text[start:position])
        pieces.append("\\")
        start = position
    pieces.append(text[start:])
    return "".join(pieces)


def bracket_run(text: str) -> str | None:
    """The bracket character repeated LONGEST_BRACKET_RUN+ times in a row, if any."""
    match = _BRACKET_RUN_RE.search(text)
    return match.group(1) if match else None


def markdown_to_text(text: str) -> str:
    """The rendered text without markup, whitespace collapsed, for search and summaries.

    The result is plain text, not HTML: escape it (templates do) before display.
    """
    extractor = _TextExtractor()
    extractor.feed(render_markdown(text))
    extractor.close()
    return " ".join("".join(extractor.parts).split())


class _LearnerTextExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Priority 10: after fenced code (25) and raw HTML blocks (20) are set aside.
        md.preprocessors.register(_ListPreprocessor(md), "learner_lists", 10)
        # Priority 15: after inline patterns (20) have created the <img> elements.
        md.treeprocessors.register(_LearnerTextTreeprocessor(md), "learner_text", 15)


# A list item as written: its indent, and its number if ordered (Python-Markdown reads
# only "1." style, not "1)").
_LIST_ITEM_RE = re.compile(r"^( *)(?:[-*+]|(\d{1,9})\.)[ \t]+\S")
_RULE_RE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
_NESTED_INDENT = 4  # what Python-Markdown needs for a nested list


class _ListPreprocessor(Preprocessor):
    """Rewrite list lines into the shape Python-Markdown needs: a blank line before a
    list that follows a paragraph, and four spaces per nesting level. Runs after fenced
    code has been set aside, so code is never touched."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        # The open list's levels: (indent as written, indent given to Markdown).
        levels: list[tuple[int, int]] = []
        after_blank = True
        for line in lines:
            match = _LIST_ITEM_RE.match(line)
            indent = len(match.group(1)) if match else 0
            starts_list = (
                match is not None
                and not levels
                and indent <= 3
                and (after_blank or match.group(2) in (None, "1"))
            )
            if match is None or _RULE_RE.match(line) or not (levels or starts_list):
                if not line.strip():
                    after_blank = True
                else:
                    if after_blank and not line.startswith((" ", "\t")):
                        levels = []  # a new paragraph ends the list
                    after_blank = False
                out.append(line)
                continue
            if starts_list and not after_blank:
                out.append("")
            while levels and indent < levels[-1][0]:
                levels.pop()
            if not levels:
                levels = [(indent, 0)]
            elif indent > levels[-1][0]:
                levels.append((indent, levels[-1][1] + _NESTED_INDENT))
            out.append(" " * levels[-1][1] + line[indent:])
            after_blank = False
        return out


class _LearnerTextTreeprocessor(Treeprocessor):
    """Renumber headings from h2 without gaps; turn images into their alt text."""

    def run(self, root: Element) -> None:
        used = sorted({element.tag for element in root.iter() if element.tag in _HEADINGS})
        levels = {tag: _HEADINGS[min(rank + 1, 5)] for rank, tag in enumerate(used)}
        for element in root.iter():
            if element.tag in levels:
                element.tag = levels[element.tag]
            elif element.tag == "img":
                # A <span> is not in the allowlist, so bleach strips it and keeps the text.
                element.tag = "span"
                element.text = element.get("alt", "")
                element.attrib.clear()


class _DropWithContentFilter(Filter):
    """Remove the elements in ``_DROPPED_WITH_CONTENT`` and everything inside them.

    The token stream comes from walking a parsed tree, so start and end tags
    are balanced and a depth count finds the matching end tag.
    """

    def __iter__(self) -> Iterator[dict[str, Any]]:
        depth = 0
        for token in super().__iter__():
            kind = token["type"]
            if depth:
                depth += {"StartTag": 1, "EndTag": -1}.get(kind, 0)
            elif kind in ("StartTag", "EmptyTag") and token["name"] in _DROPPED_WITH_CONTENT:
                depth = 1 if kind == "StartTag" else 0
            else:
                yield token


def _link_attributes(attrs: _LinkAttrs, new: bool = False) -> _LinkAttrs | None:
    """bleach linkify callback: unwrap links without an absolute allowed URL; set rel; no target.

    bleach has already removed disallowed schemes but lets relative URLs through;
    those mean nothing in a shared showcase or a PDF export, and refusing them also
    refuses the encodings (``&#0000106avascript:``) that only bleach reads as relative.
    """
    if not _has_allowed_scheme(attrs.get((None, "href"), "")):
        return None
    attrs[(None, "rel")] = LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


def _has_allowed_scheme(href: str) -> bool:
    url = _URL_IGNORED_RE.sub("", unescape(href)).strip(_URL_TRIMMED)
    match = _SCHEME_RE.match(url)
    return match is not None and match.group(1).lower() in ALLOWED_PROTOCOLS


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _INLINE_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _INLINE_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
