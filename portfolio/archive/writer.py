"""Writing an archive: a ZIP file on local disk, filled member by member from streams,
each hashed as it is written, and the list of every member for the manifest.

Stored files (the learner's evidence, badge images) are written as they are, without
compression: almost all are compressed already, and an archive whose members could
unpack to a hundred times their size would look like a ZIP bomb to the import. Text we
write (the manifest, pages, Markdown) is deflated.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import zipfile
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from portfolio.archive.manifest import MANIFEST

CHUNK = 1024 * 1024
_ZIP64_FROM = 1 << 30  # a member this large may pass the 4 GiB mark with its headers
_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the same archive twice gives the same bytes


class ArchiveWriter:
    """Use as a context manager; `files` lists each member written, in order."""

    def __init__(self, target: Path) -> None:
        self._zip = zipfile.ZipFile(target, "w", allowZip64=True)
        self.files: list[dict[str, Any]] = []
        self._names: set[str] = set()

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._zip.close()

    def add_stream(self, path: str, source: IO[bytes], *, size: int) -> dict[str, Any]:
        """Copy `source` into the archive as `path` in chunks, uncompressed."""
        info = self._info(path, zipfile.ZIP_STORED)
        digest, written = hashlib.sha256(), 0
        with self._zip.open(info, "w", force_zip64=size >= _ZIP64_FROM) as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                written += len(chunk)
        return self._listed(path, digest.hexdigest(), written)

    def add_bytes(self, path: str, data: bytes, *, compress: bool = True) -> dict[str, Any]:
        info = self._info(path, zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED)
        self._zip.writestr(info, data)
        return self._listed(path, hashlib.sha256(data).hexdigest(), len(data))

    def add_text(self, path: str, text: str) -> dict[str, Any]:
        return self.add_bytes(path, text.encode("utf-8"))

    def add_manifest(self, manifest: dict[str, Any]) -> None:
        """The manifest, last: it lists every member written before it."""
        data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=False)
        self._zip.writestr(self._info(MANIFEST, zipfile.ZIP_DEFLATED), data.encode("utf-8"))

    def _info(self, path: str, method: int) -> zipfile.ZipInfo:
        if path in self._names:
            raise ValueError(f"{path} is already in the archive")
        self._names.add(path)
        info = zipfile.ZipInfo(path, _TIMESTAMP)
        info.compress_type = method
        info.external_attr = 0o644 << 16
        return info

    def _listed(self, path: str, sha256: str, size: int) -> dict[str, Any]:
        entry = {
            "path": path,
            "sha256": sha256,
            "size": size,
            "media_type": mimetypes.guess_type(path)[0] or "application/octet-stream",
        }
        self.files.append(entry)
        return entry
