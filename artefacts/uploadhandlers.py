"""Uploads stream to a temporary file as they arrive, hashed on the way, and an upload over
the size limit is stopped at once: nothing is read whole into memory, and the rest of an
over-size request is never read at all."""

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Room in a request for everything but the files: the form's fields (a description is at
# most 10,000 characters) and the multipart headers of up to 50 files.
FORM_ALLOWANCE = 64 * 1024


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Adds `sha256` to each uploaded file.

    A request whose Content-Length is over ARTEFACT_MAX_UPLOAD_BYTES (plus the form's
    allowance) is stopped at its first file, before any of the file is read; a file that
    passes the limit while it arrives is stopped there. Either way the rest of the body is
    left unread, `request.upload_stopped` is True, and the file's name and the reason are
    listed in `request.upload_refusals`. Subclasses change the limit (`max_bytes`).
    """

    @property
    def max_bytes(self) -> int:
        return int(settings.ARTEFACT_MAX_UPLOAD_BYTES)

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        # Acted on at the first file, so the fields before it (the CSRF token) are read.
        self.request_too_large = content_length > self.max_bytes + FORM_ALLOWANCE
        super().handle_raw_input(input_data, META, content_length, boundary, encoding)

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "request_too_large", False):
            self._stop(file_name)
        super().new_file(field_name, file_name, *args, **kwargs)
        self.hasher = hashlib.sha256()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self._stop(self.file_name)
        self.hasher.update(raw_data)
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> Any:
        uploaded = super().file_complete(file_size)
        uploaded.sha256 = self.hasher.hexdigest()  # type: ignore[union-attr]
        return uploaded

    def _stop(self, file_name: str | None) -> None:
        limit = filesizeformat(self.max_bytes)
        request: Any = self.request
        request.upload_stopped = True
        request.upload_refusals = [
            *getattr(request, "upload_refusals", []),
            (
                file_name or _("Your upload"),
                _(
                    "This is larger than the %(limit)s limit, so nothing was added. "
                    "Upload a smaller copy, or fewer files at a time."
                )
                % {"limit": limit},
            ),
        ]
        raise StopUpload(connection_reset=True)
