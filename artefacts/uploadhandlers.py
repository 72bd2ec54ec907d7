"""Uploads stream to a temporary file as they arrive, hashed on the way, and a file over
the size limit is dropped as soon as it crosses it: nothing is read whole into memory."""

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Adds `sha256` to each uploaded file. Files over ARTEFACT_MAX_UPLOAD_BYTES are
    skipped; their names and the reason are listed in `request.upload_refusals`."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.hasher = hashlib.sha256()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        limit = settings.ARTEFACT_MAX_UPLOAD_BYTES
        if self.received > limit:
            refusals = getattr(self.request, "upload_refusals", [])
            refusals.append(
                (
                    self.file_name,
                    _("This file is larger than the %(limit)s limit. Upload a smaller copy.")
                    % {"limit": filesizeformat(limit)},
                )
            )
            self.request.upload_refusals = refusals  # type: ignore[union-attr]
            raise SkipFile
        self.hasher.update(raw_data)
        super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> Any:
        uploaded = super().file_complete(file_size)
        uploaded.sha256 = self.hasher.hexdigest()  # type: ignore[union-attr]
        return uploaded
