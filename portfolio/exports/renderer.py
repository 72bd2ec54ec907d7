"""The one way an export becomes a PDF: WeasyPrint with a fetcher that reaches nothing
but the export's own prepared files and our bundled static assets.

WeasyPrint's default fetcher opens any URL a document names: `file:` paths on the
server, loopback and cloud metadata addresses, and it embeds whatever a
`<link rel="attachment">` or `<a rel="attachment">` points at. Here every fetch goes
through `SafeFetcher`, which knows two schemes of ours and small `data:` images, and
refuses everything else; attachment links are taken out of the document before layout,
so no file is ever embedded whatever the HTML asks for. The only files a PDF embeds are
the `Embedded` bytes our own code passes to `render_pdf` (PDF/A-3 associated files).
"""

import base64
import binascii
import logging
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

FILE_SCHEME = "export-file"
STATIC_SCHEME = "export-static"
# Static assets an export may use: its own stylesheets and the site's icons.
STATIC_ALLOWED_PREFIXES = ("css/export", "icons/")
PDFA_VARIANT = "pdf/a-3u"
PDFA_LEVEL = "PDF/A-3u"


class Refused(ValueError):
    """A URL the renderer will not fetch."""


def file_url(token: str) -> str:
    return f"{FILE_SCHEME}:{token}"


def static_url(name: str) -> str:
    return f"{STATIC_SCHEME}:{name}"


class SafeFetcher(URLFetcher):
    """Serves `export-file:<token>` from the given prepared files, `export-static:<name>`
    from the bundled static files (export stylesheets and icons only) and `data:` URLs
    of images up to a size cap. Anything else raises `Refused`, which WeasyPrint turns
    into a skipped resource. Every URL asked for is recorded in `asked`."""

    def __init__(self, *, files: Mapping[str, Path]) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False, timeout=1)
        self.files = dict(files)
        self.asked: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        self.asked.append(url[:200])
        try:
            return self._answer(url)
        except Refused:
            self.refused.append(url[:200])
            raise

    def _answer(self, url: str) -> URLFetcherResponse:
        scheme, _, rest = url.partition(":")
        scheme = scheme.lower()
        if scheme == FILE_SCHEME and rest in self.files:
            return _response(url, self.files[rest])
        allowed_static = rest.startswith(STATIC_ALLOWED_PREFIXES) and ".." not in rest
        if scheme == STATIC_SCHEME and allowed_static and (found := finders.find(rest)):
            return _response(url, Path(str(found)))
        if scheme == "data" and len(url) <= settings.EXPORT_DATA_URL_MAX_BYTES:
            decoded = _data_url(url)
            if decoded is not None and decoded[0].startswith("image/"):
                return URLFetcherResponse(url, decoded[1], headers={"Content-Type": decoded[0]})
        raise Refused(f"Not fetched: {url[:80]}")


def _data_url(url: str) -> tuple[str, bytes] | None:
    """(content type, bytes) of a `data:` URL (RFC 2397), or None if it is malformed."""
    header, comma, payload = url[len("data:") :].partition(",")
    if not comma:
        return None
    params = header.split(";")
    content_type = (params[0] or "text/plain").strip().lower()
    try:
        if params[-1].strip().lower() == "base64":
            return content_type, base64.b64decode(unquote_to_bytes(payload), validate=True)
    except (binascii.Error, ValueError):
        return None
    return content_type, unquote_to_bytes(payload)


def _response(url: str, path: Path) -> URLFetcherResponse:
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": content_type})


@dataclass(frozen=True)
class Embedded:
    """A file our code embeds in the PDF as an associated file (PDF/A-3 allows any
    type, with its relationship to the document): e.g. the APEL claim's JSON."""

    name: str
    data: bytes
    description: str
    relationship: str = "Data"  # the document is a rendering of this data (ISO 32000-2)

    def attachment(self) -> Attachment:
        # A WeasyPrint Attachment reads its source once: a fresh one for every write.
        return Attachment(
            string=self.data,
            name=self.name,
            description=self.description,
            relationship=self.relationship,
        )


@dataclass
class Rendered:
    pdfa: str = ""
    pdfa_note: str = ""
    refused: list[str] = field(default_factory=list)


def render_pdf(
    *,
    html: str,
    files: Mapping[str, Path],
    target: Path,
    stylesheets: Sequence[str] = (),
    attachments: Sequence[Embedded] = (),
) -> Rendered:
    """Lay out `html` with the named static stylesheets and write the PDF to `target`:
    tagged, with `attachments` embedded, and PDF/A-3u when WeasyPrint can make it (else
    a plain PDF, with the reason in `pdfa_note`)."""
    fetcher = SafeFetcher(files=files)
    document = HTML(string=html, url_fetcher=fetcher, base_url=None)
    _drop_attachments(document)
    styles = [CSS(url=static_url(name), url_fetcher=fetcher) for name in stylesheets]
    result = Rendered()
    laid_out = document.render(stylesheets=styles, pdf_tags=True)
    try:
        laid_out.write_pdf(
            target,
            pdf_variant=PDFA_VARIANT,
            pdf_tags=True,
            attachments=[embedded.attachment() for embedded in attachments],
        )
        result.pdfa = PDFA_LEVEL
    except Exception as error:
        logger.warning("PDF/A output failed, writing a plain PDF: %s", error)
        result.pdfa_note = f"{PDFA_LEVEL} could not be made: {error}"[:500]
        laid_out.write_pdf(
            target, pdf_tags=True, attachments=[embedded.attachment() for embedded in attachments]
        )
    result.refused = fetcher.refused
    return result


def _drop_attachments(document: HTML) -> None:
    """Take out every element that would make WeasyPrint embed a file: `<link>` of any
    kind (stylesheets come from `render_pdf`'s own list), and the `attachment` link
    type on anchors."""
    root = document.etree_element
    for parent in list(root.iter()):
        for child in list(parent):
            if not isinstance(child.tag, str):
                continue
            if child.tag == "link":
                parent.remove(child)
            elif "attachment" in child.get("rel", "").lower():
                del child.attrib["rel"]
