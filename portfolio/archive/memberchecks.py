"""Checks on the content of one ZIP member as it streams: no archive inside the archive,
and no XML that declares a document type or entities of its own.

Both look only at what has been read so far: the head of a member for the archive
signatures, and XML only until its root element starts (a document type, and with it any
entity, can only be declared before that).
"""

from __future__ import annotations

import re
from typing import Any
from xml.parsers import expat

# Far more than any signature below needs (tar's is at byte 257).
HEAD_BYTES = 512

NESTED_EXTENSIONS = frozenset(
    [
        "zip",
        "zipx",
        "jar",
        "war",
        "ear",
        "apk",
        "gz",
        "tgz",
        "bz2",
        "tbz",
        "tbz2",
        "xz",
        "txz",
        "lz",
        "lzma",
        "zst",
        "tar",
        "7z",
        "rar",
        "cab",
        "iso",
        "dmg",
        "arj",
        "lzh",
        "cpio",
        "z",
    ]
)
# Documents that are ZIP files inside: accepted as evidence, whose upload check reads them.
ZIP_DOCUMENT_EXTENSIONS = frozenset(["docx", "xlsx", "pptx", "odt", "ods", "odp"])
XML_EXTENSIONS = frozenset(
    ["xml", "svg", "atom", "rdf", "xsl", "xslt", "xhtml", "opf", "rss", "kml"]
)

_SIGNATURES: tuple[tuple[int, bytes], ...] = (
    (0, b"PK\x03\x04"),
    (0, b"PK\x05\x06"),
    (0, b"PK\x07\x08"),
    (0, b"\x1f\x8b"),  # gzip
    (0, b"BZh"),
    (0, b"\xfd7zXZ\x00"),
    (0, b"7z\xbc\xaf\x27\x1c"),
    (0, b"Rar!\x1a\x07"),
    (0, b"\x28\xb5\x2f\xfd"),  # zstd
    (0, b"MSCF"),  # cabinet
    (257, b"ustar"),  # tar
)
_ZIP_SIGNATURE = b"PK\x03\x04"
# A DOCTYPE that names one of the W3C's public DTDs (SVG 1.1, XHTML) is never loaded by
# anything we use, and many drawing programs write one: it is allowed, as badges allow it.
_W3C_DTD = re.compile(r"^https?://www\.w3\.org/[\w./-]+\.dtd$")


class ContentRefused(Exception):
    """Why a member's content is refused, in words for the learner (without its name)."""


def extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def refuse_nested_archive(name: str, head: bytes) -> None:
    """Refuse a member that is an archive by its name or by its first bytes. A Word,
    Excel, PowerPoint or OpenDocument file is a ZIP too and is let through when its name
    says so: the upload check decides whether it really is one."""
    ext = extension(name)
    if ext in NESTED_EXTENSIONS:
        raise ContentRefused("it is an archive inside the archive")
    for offset, signature in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            if signature == _ZIP_SIGNATURE and ext in ZIP_DOCUMENT_EXTENSIONS:
                return
            raise ContentRefused("it is an archive inside the archive")


def looks_like_xml(name: str, head: bytes) -> bool:
    if extension(name) in XML_EXTENSIONS:
        return True
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith((b"<?xml", b"<!DOCTYPE", b"<!doctype", b"<svg", b"<feed")):
        return True
    return head.startswith((b"\xff\xfe<\x00", b"\xfe\xff\x00<", b"<\x00?\x00", b"\x00<\x00?"))


class XmlPrologCheck:
    """Feed a member's bytes in order; raises ContentRefused at a document type with an
    internal subset or an external reference other than a W3C DTD, or at any entity
    declaration. Stops looking once the root element has started, or once the text is
    found not to be well-formed XML before it (no conformant parser reads further)."""

    def __init__(self) -> None:
        self.done = False
        self._parser = expat.ParserCreate()
        self._parser.StartDoctypeDeclHandler = self._doctype
        self._parser.EntityDeclHandler = self._entity
        self._parser.UnparsedEntityDeclHandler = self._entity
        self._parser.ExternalEntityRefHandler = self._external
        self._parser.StartElementHandler = self._root

    def feed(self, data: bytes) -> None:
        if self.done or not data:
            return
        try:
            self._parser.Parse(data, False)
        except _RootReached:
            self.done = True
        except expat.ExpatError:
            self.done = True

    def _doctype(self, name: str, sysid: str | None, pubid: str | None, internal: int) -> None:
        if internal:
            raise ContentRefused("it is XML that declares a document type of its own (a DTD)")
        if sysid is not None and not _W3C_DTD.match(sysid):
            raise ContentRefused("it is XML that refers to an outside document type (a DTD)")

    def _entity(self, *args: Any) -> None:
        raise ContentRefused("it is XML that declares entities")

    def _external(self, *args: Any) -> int:
        raise ContentRefused("it is XML that refers to outside entities")

    def _root(self, *args: Any) -> None:
        raise _RootReached


class _RootReached(Exception):
    pass
