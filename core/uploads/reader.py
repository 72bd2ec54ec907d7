"""A read budget for one inspection, so no parser we call can read a large upload whole."""

from __future__ import annotations

from typing import IO, cast

from django.core.files.base import File

# Budget for everything one inspection reads: the head, a ZIP central directory, an image
# header (Pillow reads a whole WebP file to parse it). Far above any real header.
READ_LIMIT = 32 * 1024 * 1024


class ReadLimitExceeded(Exception):
    pass


class BoundedReader:
    """A read-only view of an upload that hands out at most `limit` bytes in total, so no
    parser we call (zipfile, Pillow) can read a large file whole."""

    def __init__(self, raw: File[bytes], *, size: int, limit: int) -> None:
        self._raw = raw
        self.size = size
        self._remaining = limit

    def read(self, n: int | None = -1, /) -> bytes:
        left_in_file = max(self.size - self.tell(), 0)
        n = left_in_file if n is None or n < 0 else min(n, left_in_file)
        if n > self._remaining:
            raise ReadLimitExceeded
        data: bytes = self._raw.read(n)
        self._remaining -= len(data)
        return data

    def seek(self, offset: int, whence: int = 0, /) -> int:
        return int(self._raw.seek(offset, whence))

    def tell(self) -> int:
        return int(self._raw.tell())

    def seekable(self) -> bool:
        return True


def as_io(reader: BoundedReader) -> IO[bytes]:
    return cast(IO[bytes], reader)  # it has every method Pillow and zipfile call


def size_of(upload: File[bytes]) -> int:
    if upload.size is not None:
        return upload.size
    size = int(upload.seek(0, 2))  # an UploadedFile made without a size
    upload.seek(0)
    return size
