"""Serving a stored file to a request that has already been allowed to read it.

Local storage: streamed by this process (with single byte ranges, so video seeks).
S3-compatible storage: a redirect to a signed URL valid for at most five minutes,
asking the store to answer with the same Content-Type and Content-Disposition.
"""

import re
from collections.abc import Iterator
from typing import IO

from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.http.request import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

SIGNED_URL_SECONDS = 300
INLINE_MEDIA = {"image", "audio", "video", "pdf"}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def serve_file(
    request: HttpRequest,
    *,
    stored: FieldFile,
    content_type: str,
    filename: str,
    inline: bool,
) -> HttpResponseBase:
    disposition = content_disposition_header(not inline, filename) or "attachment"
    if _is_s3(stored):
        url = stored.storage.url(  # type: ignore[call-arg]
            str(stored.name),
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": disposition,
                "ResponseCacheControl": "private, no-store",
            },
            expire=SIGNED_URL_SECONDS,
        )
        response: HttpResponseBase = HttpResponseRedirect(url)
    else:
        response = _stream(request, stored)
    response["Content-Type"] = content_type
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if content_type != "application/pdf":
        # Nothing served here may run script or load anything if opened directly.
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'"
        )
    return response


def _is_s3(stored: FieldFile) -> bool:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a dependency
        return False
    return isinstance(stored.storage, S3Storage) or isinstance(default_storage, S3Storage)


def _stream(request: HttpRequest, stored: FieldFile) -> HttpResponseBase:
    size = stored.size
    handle = stored.storage.open(str(stored.name), "rb")
    match = _RANGE.match(request.headers.get("Range", ""))
    if not match or not size:
        whole = FileResponse(handle)
        whole["Content-Length"] = str(size)
        whole["Accept-Ranges"] = "bytes"
        return whole
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    else:  # suffix range: the last N bytes
        start, end = max(0, size - int(last or 0)), size - 1
    if start > end or start >= size:
        handle.close()
        unsatisfiable = HttpResponse(status=416)
        unsatisfiable["Content-Range"] = f"bytes */{size}"
        return unsatisfiable
    handle.seek(start)
    part = FileResponse(_limited(handle, end - start + 1), status=206)
    part["Content-Length"] = str(end - start + 1)
    part["Content-Range"] = f"bytes {start}-{end}/{size}"
    part["Accept-Ranges"] = "bytes"
    return part


def _limited(handle: IO[bytes], remaining: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while remaining > 0:
            data = handle.read(min(chunk, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()
