"""What a file's bytes say it is: signatures first, then ZIP members, then text.

Each check reads only the head of the file, or a ZIP central directory through the
`BoundedReader`, and raises UploadRejected, with advice, for formats we recognise but
do not accept.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import replace
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.uploads.reader import BoundedReader, as_io
from core.uploads.types import FILE_TYPES, ODF_MIME, FileType, UploadRejected
from core.uploads.wording import (
    SAVE_AS_IMAGE,
    SAVE_AS_PDF,
    SAVE_AS_VIDEO,
    UNPACK,
    refuse,
    refuse_unknown,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_HEAD_BYTES = 8 * 1024
# Text, accepted as text, but named for what it is when its name claims something else.
XML_TEXT = replace(FILE_TYPES["text"], label=gettext_lazy("XML file"))
_ODF_MIMETYPE_BYTES = 100


def sniff(reader: BoundedReader) -> FileType:
    """The kind of file the content of `reader` is, whatever its name."""
    head = reader.read(_HEAD_BYTES)
    if not head:
        raise UploadRejected(_("This file is empty. Check you chose the right file and try again."))
    key = _signature(head)
    if key == "zip":
        return _sniff_zip(reader)
    if key:
        return FILE_TYPES[key]
    _refuse_known_formats(head)
    if b"%PDF-" in head[:1024]:
        return FILE_TYPES["pdf"]
    return _sniff_text(head, complete=len(head) >= reader.size)


_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"OggS", "ogg"),
    (b"fLaC", "flac"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"{\\rtf", "rtf"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty archive
)


def _signature(head: bytes) -> str | None:
    for prefix, key in _SIGNATURES:
        if head.startswith(prefix):
            return key
    if head.startswith(b"RIFF"):
        return {b"WEBP": "webp", b"WAVE": "wav"}.get(head[8:12])
    if head[4:8] == b"ftyp":
        return _sniff_iso_media(head)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _sniff_ebml(head)
    if _is_id3(head) or _is_mpeg_audio_frame(head):
        return "mp3"
    return None


_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash"}
_MP4_BRANDS |= {b"M4V ", b"M4VH", b"M4VP", b"MSNV", b"mmp4", b"f4v "}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}


def _sniff_iso_media(head: bytes) -> str:
    major = head[8:12]
    box_end = min(int.from_bytes(head[:4], "big"), len(head))
    compatible = {head[i : i + 4] for i in range(16, box_end - 3, 4)}
    if major in (b"M4A ", b"M4B ") or (major in _MP4_BRANDS and b"M4A " in compatible):
        return "m4a"
    if major in _MP4_BRANDS:
        return "mp4"
    if major == b"qt  ":
        return "mov"
    if major in _HEIF_BRANDS:
        raise refuse(
            _("a HEIC or AVIF image"),
            _(
                "iPhones save photos like this. "
                "Save or export it as a JPEG or PNG image and upload that."
            ),
        )
    if major.startswith(b"3g"):
        raise refuse(_("a 3GP phone video"), SAVE_AS_VIDEO)
    raise refuse(_("an unknown video format"), SAVE_AS_VIDEO)


def _sniff_ebml(head: bytes) -> str:
    if _ebml_doctype(head) == b"webm":
        return "webm"
    raise refuse(_("a Matroska (MKV) video"), _("Save it as an MP4 or WebM video and upload that."))


def _ebml_doctype(head: bytes) -> bytes | None:
    """The DocType of an EBML header (Matroska, WebM), or None if it cannot be read."""
    try:
        size, pos = _ebml_number(head, 4)
        end = min(pos + size, len(head))
        while pos < end:
            element_id = head[pos : pos + 9 - head[pos].bit_length()]
            size, pos = _ebml_number(head, pos + len(element_id))
            if element_id == b"\x42\x82":
                return head[pos : pos + size].rstrip(b"\0")
            pos += size
    except IndexError:
        pass
    return None


def _ebml_number(data: bytes, pos: int) -> tuple[int, int]:
    """An EBML variable-length size at `pos`: (value, position after it)."""
    length = 9 - data[pos].bit_length()  # as many bytes as the first byte has leading zeros, +1
    if length > 8 or pos + length > len(data):
        raise IndexError
    value = data[pos] & (0xFF >> length)
    for byte in data[pos + 1 : pos + length]:
        value = value << 8 | byte
    return value, pos + length


def _is_id3(head: bytes) -> bool:
    return (
        head[:3] == b"ID3" and len(head) >= 10 and head[3] in (2, 3, 4) and max(head[6:10]) < 0x80
    )


def _is_mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, then no reserved values. Layer II or III only:
    Layer I is never used, and its bits would also match a UTF-16 byte-order mark."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    bitrate, sample_rate = head[2] >> 4, (head[2] >> 2) & 3
    return version != 1 and layer in (1, 2) and bitrate not in (0, 15) and sample_rate != 3


_ODF_KEYS = {f"{ODF_MIME}.{kind}".encode(): key for kind, key in (
    ("text", "odt"), ("spreadsheet", "ods"), ("presentation", "odp"))}  # fmt: skip


def _sniff_zip(reader: BoundedReader) -> FileType:
    """Office documents are ZIP files: tell them apart by their member names (OOXML) or their
    `mimetype` member (ODF). Members are never decompressed, apart from that one."""
    declared = b""
    try:
        with zipfile.ZipFile(as_io(reader)) as archive:
            names = archive.namelist()
            if "mimetype" in names and "[Content_Types].xml" not in names:
                with archive.open("mimetype") as member:
                    declared = member.read(_ODF_MIMETYPE_BYTES).strip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, ValueError):
        raise UploadRejected(
            _(
                "This file looks like a ZIP archive or an office document, but it is damaged. "
                "Open it and save it again, or upload a PDF copy instead."
            )
        ) from None
    if "[Content_Types].xml" in names:
        return _ooxml_kind(names)
    if declared in _ODF_KEYS:
        return FILE_TYPES[_ODF_KEYS[declared]]
    raise refuse(_("a ZIP archive"), _("Unzip it and upload the files inside one at a time."))


def _ooxml_kind(names: list[str]) -> FileType:
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise UploadRejected(
            _(
                "This document contains macros, which we don't accept. "
                "Save it as an ordinary document without macros and upload that."
            )
        )
    for prefix, key in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
        if any(name.startswith(prefix) for name in names):
            return FILE_TYPES[key]
    raise refuse(_("an unknown kind of office document"))


_REFUSED_SIGNATURES: tuple[tuple[tuple[bytes, ...], StrOrPromise, StrOrPromise], ...] = (
    (
        (b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe"),
        gettext_lazy("an executable program"),
        "",
    ),
    (
        (b"Rar!\x1a\x07", b"7z\xbc\xaf'\x1c", b"\x1f\x8b", b"\xfd7zXZ\0"),
        gettext_lazy("an archive"),
        UNPACK,
    ),
    ((b"II*\0", b"MM\0*"), gettext_lazy("a TIFF image"), SAVE_AS_IMAGE),
    ((b"%!PS", b"\xc5\xd0\xd3\xc6"), gettext_lazy("an EPS (PostScript) file"), SAVE_AS_PDF),
    ((b"SIMPLE  =",), gettext_lazy("a FITS image (used in astronomy)"), SAVE_AS_IMAGE),
    ((b"BLP1", b"BLP2"), gettext_lazy("a BLP texture (used in games)"), SAVE_AS_IMAGE),
    ((b"icns",), gettext_lazy("a macOS icon (ICNS)"), SAVE_AS_IMAGE),
    ((b"8BPS",), gettext_lazy("a Photoshop (PSD) file"), SAVE_AS_IMAGE),
    ((b"gimp xcf",), gettext_lazy("a GIMP (XCF) image"), SAVE_AS_IMAGE),
    ((b"\0\0\0\x0cjP  \r\n\x87\n", b"\xffO\xffQ"), gettext_lazy("a JPEG 2000 image"),
     SAVE_AS_IMAGE),
    ((b"\0\0\0\x0cJXL \r\n\x87\n", b"\xff\n"), gettext_lazy("a JPEG XL image"),
     SAVE_AS_IMAGE),
    ((b"qoif",), gettext_lazy("a QOI image"), SAVE_AS_IMAGE),
    ((b"DDS ",), gettext_lazy("a DDS texture (used in games)"), SAVE_AS_IMAGE),
    ((b"#?RADIANCE", b"#?RGBE"), gettext_lazy("an HDR image"), SAVE_AS_IMAGE),
    ((b"\xd7\xcd\xc6\x9a",), gettext_lazy("a Windows metafile (WMF)"), SAVE_AS_IMAGE),
)  # fmt: skip


def _refuse_known_formats(head: bytes) -> None:
    """Refuse, in words that help, formats people often upload by mistake."""
    for prefixes, found, advice in _REFUSED_SIGNATURES:
        if head.startswith(prefixes):
            raise refuse(found, advice)
    if head.startswith(b"MZ") and b"\0" in head[:64]:  # text never holds a NUL
        raise refuse(_("an executable program"))
    if head.startswith(b"BM") and head[6:10] == b"\0\0\0\0":
        raise refuse(_("a BMP image"), SAVE_AS_IMAGE)
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        raise refuse(_("an AVI video"), SAVE_AS_VIDEO)
    if head[:4] in (b"\0\0\1\0", b"\0\0\2\0") and head[4:6] != b"\0\0":  # and 1+ images
        raise refuse(_("a Windows icon (ICO)"), SAVE_AS_IMAGE)
    if head[128:132] == b"DICM":
        raise refuse(_("a DICOM medical image"), SAVE_AS_IMAGE)
    if head[:4] == b"\1\0\0\0" and head[40:44] == b" EMF":
        raise refuse(_("a Windows metafile (EMF)"), SAVE_AS_IMAGE)


# Markup a browser would run or render as a page. Checked only when a file is text.
_HTML_MARKERS = re.compile(
    rb"<!doctype\s+html|<(?:html|head|body|script|iframe|frame|frameset|object|embed)[\s>/]",
    re.IGNORECASE,
)


def _sniff_text(head: bytes, *, complete: bool) -> FileType:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadRejected(
            _(
                "This text file is saved as UTF-16, which we can't accept. "
                "Save it as UTF-8 text (most editors offer this under Save As) "
                "and upload it again."
            )
        )
    try:
        # Not final unless we hold the whole file: a character cut at the end of the sample
        # is held back by the decoder, not reported as an error.
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
    except UnicodeDecodeError:
        raise refuse_unknown() from None
    if "\0" in text:
        raise refuse_unknown()
    if _has_svg_root(text.removeprefix("\ufeff")):
        return FILE_TYPES["svg"]
    if _HTML_MARKERS.search(head):
        raise UploadRejected(
            _(
                "Web pages (HTML files) aren't accepted. Save the page as a PDF instead "
                "(in most browsers: Print, then Save as PDF) and upload that."
            )
        )
    if _is_xml(text.removeprefix("\ufeff")):
        return XML_TEXT
    return FILE_TYPES["text"]


# What may come before the root element of an XML file: a declaration or processing
# instruction, a comment, a DOCTYPE (whose internal subset in [...] holds ">" of its own).
_XML_PROLOG_ITEM = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.S)
_SVG_ROOT = re.compile(r"\s*<svg[\s>/]", re.IGNORECASE)


def _is_xml(text: str) -> bool:
    """Whether the text starts as XML does: a declaration, or a root element after any
    comments and DOCTYPE."""
    if text.lstrip().startswith("<?xml"):
        return True
    pos = 0
    while item := _XML_PROLOG_ITEM.match(text, pos):
        pos = item.end()
    return pos > 0 and re.match(r"\s*<[A-Za-z_]", text[pos:]) is not None


def _has_svg_root(text: str) -> bool:
    """Whether the first element, after any XML declaration, comments and DOCTYPE, is <svg>."""
    pos = 0
    while item := _XML_PROLOG_ITEM.match(text, pos):
        pos = item.end()
    return _SVG_ROOT.match(text, pos) is not None
