"""Serving a stored file to a request that has already been allowed to read it.

Every answer is inert: a `sandbox` Content-Security-Policy (no script, no plugins, an
opaque origin even if the file is opened on its own), `nosniff`, and
`Cross-Origin-Resource-Policy: same-origin`. Only raster images, audio and video are
shown in the browser; everything else, SVG and PDF included, is a download. (Chromium's
PDF viewer does not run in a sandboxed document, and a PDF outside the sandbox could run
its own JavaScript in a viewer that supports it.)

Local storage: streamed by this process, with single byte ranges so video seeks.
S3-compatible storage can be told to answer with our Content-Type, Content-Disposition and
Cache-Control, but not with a CSP or nosniff. So raster images, which a browser never runs,
are a redirect to a signed URL valid for at most five minutes; everything else is streamed
through this process from the store, a chunk at a time.
"""

import re
from collections.abc import Callable, Iterator
from typing import IO

from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.request import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

SIGNED_URL_SECONDS = 300
INLINE_MEDIA = {"image", "audio", "video"}
RASTER_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
# Even opened on its own, nothing served here may run script, load anything but itself,
# or share an origin with our pages.
FILE_POLICY = (
    "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; "
    "style-src 'unsafe-inline'; frame-ancestors 'self'"
)
_CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")

_Reader = Callable[[int, int], Iterator[bytes]]  # (first byte, last byte) -> chunks


def may_show_inline(content_type: str) -> bool:
    """Whether a browser may show a file of this type in a page rather than download it."""
    return content_type in RASTER_IMAGE_TYPES or content_type.startswith(("audio/", "video/"))


def serve_file(
    request: HttpRequest,
    *,
    stored: FieldFile,
    content_type: str,
    filename: str,
    inline: bool,
) -> HttpResponseBase:
    """The file's bytes (or, on S3, a raster image's signed URL) with the headers above.
    `inline` asks for the file to be shown; only types `may_show_inline` ever are."""
    inline = inline and may_show_inline(content_type)
    disposition = content_disposition_header(not inline, filename) or "attachment"
    response: HttpResponseBase
    if _is_s3(stored) and content_type in RASTER_IMAGE_TYPES:
        response = _redirect_to_signed_url(stored, content_type, disposition)
    elif _is_s3(stored):
        response = _stream(request, size=stored.size, read=_s3_reader(stored))
    else:
        response = _stream_local(request, stored)
    response["Content-Type"] = content_type
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    # Set here, explicitly, so no page policy added later can stand in for it.
    response["Content-Security-Policy"] = FILE_POLICY
    return response


def _is_s3(stored: FieldFile) -> bool:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a dependency
        return False
    return isinstance(stored.storage, S3Storage) or isinstance(default_storage, S3Storage)


def _redirect_to_signed_url(
    stored: FieldFile, content_type: str, disposition: str
) -> HttpResponseRedirect:
    url = stored.storage.url(  # type: ignore[call-arg]
        str(stored.name),
        parameters={
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition,
            "ResponseCacheControl": "private, no-store",
        },
        expire=SIGNED_URL_SECONDS,
    )
    return HttpResponseRedirect(url)


def _s3_reader(stored: FieldFile) -> _Reader:
    from storages.utils import clean_name

    storage = stored.storage
    key = storage._normalize_name(clean_name(str(stored.name)))  # type: ignore[attr-defined]

    def read(first: int, last: int) -> Iterator[bytes]:
        answer = storage.bucket.Object(key).get(Range=f"bytes={first}-{last}")  # type: ignore[attr-defined]
        body = answer["Body"]
        try:
            yield from body.iter_chunks(_CHUNK)
        finally:
            body.close()

    return read


def _stream_local(request: HttpRequest, stored: FieldFile) -> HttpResponseBase:
    name = str(stored.name)
    size = stored.size
    if not _RANGE.match(request.headers.get("Range", "")) or not size:
        whole = FileResponse(stored.storage.open(name, "rb"))
        whole["Content-Length"] = str(size)
        whole["Accept-Ranges"] = "bytes"
        return whole

    def read(first: int, last: int) -> Iterator[bytes]:
        handle = stored.storage.open(name, "rb")
        handle.seek(first)
        return _limited(handle, last - first + 1)

    return _stream(request, size=size, read=read)


def _stream(request: HttpRequest, *, size: int, read: _Reader) -> HttpResponseBase:
    """The whole file, or the single byte range the request asks for."""
    match = _RANGE.match(request.headers.get("Range", ""))
    if not match or not size:
        whole = StreamingHttpResponse(read(0, size - 1) if size else iter(()))
        whole["Content-Length"] = str(size)
        whole["Accept-Ranges"] = "bytes"
        return whole
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    else:  # suffix range: the last N bytes
        start, end = max(0, size - int(last or 0)), size - 1
    if start > end or start >= size:
        unsatisfiable = HttpResponse(status=416)
        unsatisfiable["Content-Range"] = f"bytes */{size}"
        return unsatisfiable
    part = StreamingHttpResponse(read(start, end), status=206)
    part["Content-Length"] = str(end - start + 1)
    part["Content-Range"] = f"bytes {start}-{end}/{size}"
    part["Accept-Ranges"] = "bytes"
    return part


def _limited(handle: IO[bytes], remaining: int) -> Iterator[bytes]:
    try:
        while remaining > 0:
            data = handle.read(min(_CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()
