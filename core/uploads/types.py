"""The kinds of file we accept, and the refusal raised for everything else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MediaKind = Literal["image", "audio", "video", "pdf", "document", "text"]


@dataclass(frozen=True)
class FileType:
    """A kind of file we accept, and how we serve it."""

    key: str
    label: StrOrPromise  # plain words for learners: "JPEG image", "Word document"
    mime: str  # the Content-Type we serve it with, whatever the browser claimed
    extensions: frozenset[str]  # lower case, no dot
    media: MediaKind
    inline: bool  # a browser may show it in a page: raster images, audio, video and PDF only


class UploadRejected(ValueError):
    """An upload we refuse. The message is plain words for the learner: what was wrong and
    what to do about it."""


class UnacceptedFormat(UploadRejected):
    """A refusal of a kind of file we do not accept. `found` names what it really is, with
    its article ("an EPS (PostScript) file"), or is empty when we cannot tell; `advice`
    says what to upload instead. Lets a refusal say what a misnamed file really is."""

    def __init__(self, message: str, *, found: StrOrPromise, advice: StrOrPromise) -> None:
        super().__init__(message)
        self.found = found
        self.advice = advice


def _kind(
    key: str, label: StrOrPromise, mime: str, extensions: str, media: MediaKind, inline: bool
) -> FileType:
    return FileType(key, label, mime, frozenset(extensions.split()), media, inline)


_OOXML = "application/vnd.openxmlformats-officedocument"
_WORD, _EXCEL = f"{_OOXML}.wordprocessingml.document", f"{_OOXML}.spreadsheetml.sheet"
_POWERPOINT = f"{_OOXML}.presentationml.presentation"
ODF_MIME = "application/vnd.oasis.opendocument"

FILE_TYPES: dict[str, FileType] = {
    kind.key: kind
    for kind in (
        _kind("jpeg", _("JPEG image"), "image/jpeg", "jpg jpeg", "image", True),
        _kind("png", _("PNG image"), "image/png", "png", "image", True),
        _kind("gif", _("GIF image"), "image/gif", "gif", "image", True),
        _kind("webp", _("WebP image"), "image/webp", "webp", "image", True),
        # SVG can carry script, so it is only ever downloaded, never shown in a page.
        _kind("svg", _("SVG drawing"), "image/svg+xml", "svg", "document", False),
        _kind("mp3", _("MP3 audio file"), "audio/mpeg", "mp3", "audio", True),
        _kind("wav", _("WAV audio file"), "audio/wav", "wav", "audio", True),
        _kind("ogg", _("Ogg audio file"), "audio/ogg", "ogg oga opus", "audio", True),
        _kind("flac", _("FLAC audio file"), "audio/flac", "flac", "audio", True),
        _kind("m4a", _("M4A audio file"), "audio/mp4", "m4a", "audio", True),
        _kind("mp4", _("MP4 video"), "video/mp4", "mp4 m4v", "video", True),
        _kind("webm", _("WebM video"), "video/webm", "webm", "video", True),
        _kind("mov", _("QuickTime video"), "video/quicktime", "mov", "video", True),
        _kind("pdf", _("PDF document"), "application/pdf", "pdf", "pdf", True),
        _kind("docx", _("Word document"), _WORD, "docx", "document", False),
        _kind("xlsx", _("Excel spreadsheet"), _EXCEL, "xlsx", "document", False),
        _kind("pptx", _("PowerPoint presentation"), _POWERPOINT, "pptx", "document", False),
        _kind("odt", _("OpenDocument text"), f"{ODF_MIME}.text", "odt", "document", False),
        _kind("ods", _("OpenDocument spreadsheet"), f"{ODF_MIME}.spreadsheet", "ods",
              "document", False),
        _kind("odp", _("OpenDocument presentation"), f"{ODF_MIME}.presentation", "odp",
              "document", False),
        # One container for .doc, .xls and .ppt: label and mime come from the extension.
        _kind("ole", _("older Microsoft Office file"), "application/x-ole-storage",
              "doc xls ppt", "document", False),
        _kind("rtf", _("RTF document"), "application/rtf", "rtf", "document", False),
        _kind("text", _("plain text file"), "text/plain; charset=utf-8", "txt md csv", "text",
              False),
    )
}  # fmt: skip
ACCEPTED_EXTENSIONS: frozenset[str] = frozenset().union(
    *(t.extensions for t in FILE_TYPES.values())
)
PILLOW_FORMATS: dict[str, str] = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}
# What learners call the formats in PILLOW_FORMATS: names, the same in every language.
IMAGE_FORMAT_NAMES: dict[str, str] = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WebP"}

# The label and mime of an "ole" file, which only its extension tells apart.
OLE_BY_EXTENSION: dict[str, tuple[StrOrPromise, str]] = {
    "doc": (_("Word 97-2003 document"), "application/msword"),
    "xls": (_("Excel 97-2003 spreadsheet"), "application/vnd.ms-excel"),
    "ppt": (_("PowerPoint 97-2003 presentation"), "application/vnd.ms-powerpoint"),
}

# What a file's name says it is, for each extension we accept ("doc": a Word document).
KIND_BY_EXTENSION: dict[str, StrOrPromise] = {
    extension: OLE_BY_EXTENSION[extension][0] if kind.key == "ole" else kind.label
    for kind in FILE_TYPES.values()
    for extension in kind.extensions
}
