"""Badge data baked into images (Open Badges 2.0 and 3.0 "baking"): reading it, and writing it.

A PNG carries the data in a text chunk (`iTXt`, or legacy `tEXt`/`zTXt`) with the keyword
`openbadges` or `openbadgecredential`; an SVG in an `openbadges:assertion` or
`openbadges:credential` element. Reading never decodes a pixel: PNG chunks are walked by
their declared lengths, and only a badge chunk is read, within a size cap that also bounds
its decompressed size. SVG is parsed with entity declarations, internal DTD subsets and
external references refused, and with a cap on size and nesting depth.
"""

from __future__ import annotations

import io
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from defusedxml import DefusedXmlException
from defusedxml.common import DTDForbidden
from defusedxml.ElementTree import DefusedXMLParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORDS = ("openbadges", "openbadgecredential")
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
OB2_NS = "http://openbadges.org"
OB3_NS = "https://purl.imsglobal.org/ob/v3p0"  # what OB 3.0 bakers (and the fixtures) use
BADGE_NAMESPACES = frozenset({OB2_NS, OB3_NS})
SVG_BADGE_ELEMENTS = ("assertion", "credential")

_TEXT_CHUNKS = frozenset({b"tEXt", b"zTXt", b"iTXt"})
_KEYWORD_PEEK = 80  # a PNG keyword is 1-79 bytes, then a NUL
_MAX_PNG_CHUNK = 2**31 - 1  # the PNG specification's limit on a chunk length
_MAX_SVG_DEPTH = 100
_SKIP_BLOCK = 64 * 1024


class BakingError(ValueError):
    """Plain words for the learner: what was wrong, what to do."""


class NoBadgeData(BakingError):
    """A readable image with no badge baked into it."""


@dataclass(frozen=True)
class Baked:
    payload: str  # the baked text, stripped: JSON, a compact JWS/JWT, or a hosted assertion URL
    keyword: str  # "openbadges" or "openbadgecredential" (PNG), "assertion"/"credential" (SVG)
    image_type: str  # "png" or "svg"


def extract(data: bytes, *, filename: str = "") -> Baked:
    """The badge data baked into a PNG or SVG image, judged by its content. `filename` is only
    a hint, used when the content does not say it is SVG but the name does."""
    if data.startswith(PNG_SIGNATURE):
        return extract_from_png(data)
    if looks_like_svg(data) or filename.lower().endswith(".svg"):
        return extract_from_svg(data)
    raise _refused(
        _("Only PNG and SVG badge images can carry badge data, and this file is neither.")
    )


def looks_like_svg(data: bytes) -> bool:
    """Whether `data` starts like an XML document and has an <svg element in it."""
    head = data[:1024].removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<") and (b"<svg" in data or b":svg" in data)


# --- PNG -------------------------------------------------------------------------------------


def extract_from_png(data: bytes | BinaryIO, *, max_chunk_bytes: int = 1_000_000) -> Baked:
    """The badge data in a PNG's first badge text chunk, from bytes or a binary file (read from
    its current position). Other chunks, pixel data included, are skipped without being read.
    A badge chunk over `max_chunk_bytes`, or whose text would inflate past it, is refused."""
    source = _Source(io.BytesIO(data) if isinstance(data, bytes) else data)
    if source.read(len(PNG_SIGNATURE)) != PNG_SIGNATURE:
        raise _refused(_("This file is not a PNG image."))
    first = True
    while True:
        length, kind = struct.unpack(">I4s", source.read(8))
        if length > _MAX_PNG_CHUNK or (first and kind != b"IHDR"):
            raise _damaged_png()
        source.require(length + 4)  # the data and its CRC
        first = False
        if kind == b"IEND":
            break
        if kind in _TEXT_CHUNKS:
            found = _badge_chunk(source, kind, length, max_chunk_bytes)
            if found is not None:
                return found
        else:
            source.skip(length + 4)
    raise _refused(_("This image has no badge data baked into it."), NoBadgeData)


def _badge_chunk(source: _Source, kind: bytes, length: int, cap: int) -> Baked | None:
    """The badge in this text chunk, or None (the chunk skipped) if it is some other text."""
    head = source.read(min(length, _KEYWORD_PEEK))
    keyword = head.split(b"\0", 1)[0]
    if b"\0" not in head or keyword.decode("latin-1") not in PNG_KEYWORDS:
        source.skip(length - len(head) + 4)
        return None
    if length > cap:
        raise _refused(
            _(
                "The badge data in this image is larger than %(limit)s, more than any real "
                "badge needs, so it was not read."
            )
            % {"limit": filesizeformat(cap)}
        )
    body = head + source.read(length - len(head))
    (crc,) = struct.unpack(">I", source.read(4))
    if zlib.crc32(kind + body) != crc:
        raise _refused(_("The badge data in this image is damaged."))
    text = _chunk_text(kind, body[len(keyword) + 1 :], cap)
    if not text.strip():
        raise _refused(_("The badge data in this image is empty."))
    return Baked(payload=text.strip(), keyword=keyword.decode("latin-1"), image_type="png")


def _chunk_text(kind: bytes, rest: bytes, cap: int) -> str:
    """The text of a tEXt, zTXt or iTXt chunk, given what follows its keyword's NUL."""
    if kind == b"tEXt":
        return _latin1_or_utf8(rest)
    if kind == b"zTXt":
        if rest[:1] != b"\0":  # compression method 0 (zlib) is the only one defined
            raise _damaged_png()
        return _latin1_or_utf8(_inflate(rest[1:], cap))
    flag, method, rest = rest[:1], rest[1:2], rest[2:]
    parts = rest.split(b"\0", 2)  # language tag, translated keyword, text
    if flag not in (b"\0", b"\1") or method != b"\0" or len(parts) != 3:
        raise _damaged_png()
    text = _inflate(parts[2], cap) if flag == b"\1" else parts[2]
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        raise _damaged_png() from None


def _inflate(compressed: bytes, cap: int) -> bytes:
    """`compressed` inflated, producing at most `cap` + 1 bytes whatever it claims."""
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(compressed, cap + 1)
    except zlib.error:
        raise _damaged_png() from None
    if len(text) > cap:
        raise _refused(
            _(
                "The badge data in this image unpacks to more than %(limit)s, far more than "
                "any real badge needs, so it was not read."
            )
            % {"limit": filesizeformat(cap)}
        )
    if not inflater.eof:
        raise _damaged_png()
    return text


def _latin1_or_utf8(text: bytes) -> str:
    # tEXt and zTXt are Latin-1 by the PNG specification, but some bakers write UTF-8;
    # text that decodes as UTF-8 is very unlikely to have been meant as Latin-1.
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        return text.decode("latin-1")


class _Source:
    """A PNG read strictly from a binary file: a short read means the file is cut short.
    Skipping seeks (bytes are wrapped in BytesIO, which shares rather than copies them)."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self._left: int | None = None
        if file.seekable():
            at = file.tell()
            self._left = file.seek(0, io.SEEK_END) - at
            file.seek(at)

    def read(self, size: int) -> bytes:
        self.require(size)
        data = self._file.read(size)
        self._consumed(len(data))
        if len(data) != size:
            raise _damaged_png()
        return data

    def skip(self, size: int) -> None:
        self.require(size)
        if self._left is not None:
            self._file.seek(size, io.SEEK_CUR)
            self._consumed(size)
            return
        while size:  # a stream that cannot seek: read and drop, a block at a time
            block = self._file.read(min(size, _SKIP_BLOCK))
            if not block:
                raise _damaged_png()
            size -= len(block)

    def require(self, size: int) -> None:
        """Refuse now if fewer than `size` bytes are left (when the file can tell)."""
        if self._left is not None and self._left < size:
            raise _damaged_png()

    def _consumed(self, size: int) -> None:
        if self._left is not None:
            self._left -= size


def bake_png(image_png: bytes, payload: str, *, keyword: str = "openbadges") -> bytes:
    """`image_png` with `payload` in an uncompressed iTXt chunk right after IHDR, replacing any
    badge chunk it had. Nothing else changes."""
    if keyword not in PNG_KEYWORDS:
        raise ValueError(f"A baked PNG's keyword is one of {PNG_KEYWORDS}, not {keyword!r}.")
    if not image_png.startswith(PNG_SIGNATURE):
        raise _refused(_("This file is not a PNG image."))
    badge = keyword.encode("latin-1") + b"\0\0\0\0\0" + payload.strip().encode("utf-8")
    baked = [PNG_SIGNATURE]
    at = len(PNG_SIGNATURE)
    while True:
        if at + 12 > len(image_png):
            raise _damaged_png()
        length, kind = struct.unpack(">I4s", image_png[at : at + 8])
        end = at + 12 + length
        if end > len(image_png) or (at == len(PNG_SIGNATURE) and kind != b"IHDR"):
            raise _damaged_png()
        body = image_png[at + 8 : end - 4]
        if not (kind in _TEXT_CHUNKS and body.split(b"\0", 1)[0].decode("latin-1") in PNG_KEYWORDS):
            baked.append(image_png[at:end])
        if kind == b"IHDR":
            baked.append(png_chunk(b"iTXt", badge))
        if kind == b"IEND":
            return b"".join(baked)
        at = end


def png_chunk(kind: bytes, body: bytes) -> bytes:
    """One PNG chunk: length, type, data and CRC."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _damaged_png() -> BakingError:
    return _refused(_("This PNG image is damaged or cut short, so its badge data can't be read."))


# --- SVG -------------------------------------------------------------------------------------


def extract_from_svg(data: bytes, *, max_bytes: int = 5_000_000) -> Baked:
    """The badge data in an SVG's first `openbadges:assertion` or `openbadges:credential`
    element: its text (JSON or a JWS/JWT), or else its `verify` attribute (a hosted assertion's
    URL, or a JWS)."""
    for element in parse_svg(data, max_bytes=max_bytes).iter():
        namespace, name = split_name(element.tag)
        if namespace in BADGE_NAMESPACES and name in SVG_BADGE_ELEMENTS:
            payload = (element.text or "").strip() or element.get("verify", "").strip()
            if not payload:
                raise _refused(_("The badge data in this image is empty."))
            return Baked(payload=payload, keyword=name, image_type="svg")
    raise _refused(_("This image has no badge data baked into it."), NoBadgeData)


def bake_svg(svg: bytes, payload: str, *, credential: bool = False) -> bytes:
    """`svg` with `payload` baked in as the root's first child, replacing any badge element it
    had: an OB 3.0 `openbadges:credential` if `credential`, else an OB 2.0
    `openbadges:assertion` (JSON as its text, a URL or JWS as its `verify` attribute).
    The drawing is re-serialised, so comments and any DOCTYPE are not kept."""
    root = parse_svg(svg)
    for parent in list(root.iter()):
        for child in list(parent):
            if split_name(child.tag)[0] in BADGE_NAMESPACES:
                parent.remove(child)
    payload = payload.strip()
    if credential:
        element = ET.Element(f"{{{OB3_NS}}}credential")
        element.text = payload
    else:
        element = ET.Element(f"{{{OB2_NS}}}assertion")
        if payload.startswith("{"):
            element.text = payload
        else:
            element.set("verify", payload)
    element.tail = root.text
    root.insert(0, element)
    return svg_to_bytes(root)


def parse_svg(data: bytes, *, max_bytes: int = 5_000_000) -> ET.Element:
    """The root of an SVG document, parsed safely: no entity declarations or expansion, no
    internal DTD subset, nothing fetched, limited size and nesting depth.

    A plain DOCTYPE naming the W3C's SVG DTD is allowed, as many drawing programs write
    one (it is never loaded).
    """
    if len(data) > max_bytes:
        raise _unopened(
            _("This SVG image is larger than %(limit)s, so it was not opened.")
            % {"limit": filesizeformat(max_bytes)}
        )
    parser = _SvgParser(
        target=_DepthLimitedBuilder(),
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
    )
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except DefusedXmlException:
        raise _unopened(
            _(
                "This SVG image declares a document type or XML entities of its own, which "
                "a badge image never needs, so it was not opened."
            )
        ) from None
    except _TooDeep:
        raise _unopened(_("This SVG image is nested too deeply to open safely.")) from None
    except ET.ParseError:
        raise _unopened(_("This SVG image is damaged: it is not well-formed XML.")) from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise _unopened(_("This file is not an SVG image."))
    return root


def svg_to_bytes(root: ET.Element) -> bytes:
    """`root` serialised with the usual prefixes (SVG as the default namespace, `xlink`,
    `openbadges`) rather than ElementTree's `ns0`. Renames `root`'s tags in place."""
    prefixes: dict[str, str] = {XML_NS: "xml"}
    preferred = {SVG_NS: "", XLINK_NS: "xlink", OB2_NS: "openbadges", OB3_NS: "openbadges"}

    def prefixed(name: str) -> str:
        namespace, local = split_name(name)
        if namespace is None:
            return local
        if namespace not in prefixes:
            prefix = preferred.get(namespace, "ns")
            if prefix in prefixes.values() or prefix == "ns":
                prefix = f"ns{len(prefixes)}"
            prefixes[namespace] = prefix
        prefix = prefixes[namespace]
        return f"{prefix}:{local}" if prefix else local

    for element in root.iter():
        if not isinstance(element.tag, str):  # a comment or processing instruction
            continue
        if split_name(element.tag)[0] is None and element is not root:
            element.set("xmlns", "")  # keep it out of the default (SVG) namespace
        element.tag = prefixed(element.tag)
        element.attrib = {prefixed(name): value for name, value in element.attrib.items()}
    for namespace, prefix in prefixes.items():
        if namespace != XML_NS:
            root.set(f"xmlns:{prefix}" if prefix else "xmlns", namespace)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def split_name(name: object) -> tuple[str | None, str]:
    """(namespace, local name) of an ElementTree tag or attribute name."""
    if not isinstance(name, str):
        return None, ""
    if name.startswith("{"):
        namespace, _brace, local = name[1:].partition("}")
        return namespace, local
    return None, name


_W3C_DTD = re.compile(r"https?://www\.w3\.org/")


class _SvgParser(DefusedXMLParser):
    def defused_start_doctype_decl(
        self, name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool
    ) -> None:
        if has_internal_subset or (sysid is not None and not _W3C_DTD.match(sysid)):
            raise DTDForbidden(name, sysid, pubid)


class _TooDeep(Exception):
    pass


class _DepthLimitedBuilder(ET.TreeBuilder):
    """A tree builder that refuses elements nested more than _MAX_SVG_DEPTH deep, which no
    drawing needs and which would exhaust recursion in serialising or sanitising."""

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0

    def start(self, tag: str, attrs: dict[str, str], /) -> ET.Element:
        self._depth += 1
        if self._depth > _MAX_SVG_DEPTH:
            raise _TooDeep
        return super().start(tag, attrs)

    def end(self, tag: str, /) -> ET.Element:
        self._depth -= 1
        return super().end(tag)


def _refused(problem: str, error: type[BakingError] = BakingError) -> BakingError:
    """A refusal to read badge data: the problem, and what the learner can do instead."""
    advice = _(
        "Download the badge image from your issuer's site again, or paste the badge URL or "
        "JSON instead."
    )
    return error(f"{problem} {advice}")


def _unopened(problem: str) -> BakingError:
    """A refusal to open an SVG at all, for reading its badge or for showing it."""
    advice = _("Download the badge image from your issuer's site again.")
    return BakingError(f"{problem} {advice}")
