"""Reading an archive for import: its manifest checked as a whole (format, version, the
list of files against what the ZIP holds), and its files read through that list only,
each checked against the SHA-256 and size the manifest gives."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile

from portfolio.archive.fields import ManifestInvalid, Record
from portfolio.archive.manifest import FORMAT, KINDS, MANIFEST, VERSION
from portfolio.archive.safezip import ArchiveRefused, Limits, SafeZip, mismatch

MANIFEST_MAX_BYTES = 64 * 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def import_limits() -> Limits:
    return Limits(
        max_members=settings.ARCHIVE_MAX_MEMBERS,
        max_member_bytes=max(settings.ARTEFACT_MAX_UPLOAD_BYTES, MANIFEST_MAX_BYTES),
        max_total_bytes=2 * settings.ARCHIVE_MAX_UPLOAD_BYTES,
    )


@dataclass(frozen=True)
class Listed:
    path: str
    sha256: str
    size: int


class ArchiveReader:
    """An open archive and its checked manifest. Use as a context manager."""

    def __init__(self, fileobj: IO[bytes]) -> None:
        self.zip = SafeZip(fileobj, limits=import_limits())
        try:
            self.manifest = _read_manifest(self.zip)
            self.files = _listed_files(self.manifest, self.zip)
        except BaseException:
            self.zip.close()
            raise
        self.archive_id = self.manifest.required_id("archive_id")
        account = self.manifest.record("account")
        if account is None:
            raise ManifestInvalid("account", "is missing")
        self.source_account = account.required_id()

    def __enter__(self) -> ArchiveReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def records(self, kind: str) -> list[Record]:
        return self.manifest.records(kind)

    def listed(self, path: str, where: str) -> Listed:
        """The manifest's entry for a file a record names; refuses a path that leads out
        of the archive or to a file the manifest does not list."""
        resolved = self.zip.resolve(path)
        if resolved not in self.files:
            raise ManifestInvalid(where, "names a file that is not listed in the manifest")
        return self.files[resolved]

    def read(self, path: str, where: str, *, limit: int) -> bytes:
        """A small file whole (a reflection's text, a badge's payload or image)."""
        entry = self.listed(path, where)
        if entry.size > limit:
            raise ArchiveRefused(f"“{path[:200]}” in the archive is larger than expected.")
        with self.zip.open(entry.path) as stream:
            data = stream.read()
            digest = stream.hexdigest()
        _check(entry, digest, len(data))
        return data

    def extract(self, path: str, where: str) -> TemporaryUploadedFile:
        """A stored file, copied to a temporary upload in chunks and checked."""
        entry = self.listed(path, where)
        return self.zip.extract(entry.path, sha256=entry.sha256, size=entry.size)

    def verify(self, paths: set[str]) -> None:
        """Check these listed files against their SHA-256 and size, reading each once."""
        for path in sorted(paths):
            entry = self.files[path]
            digest, size = hashlib.sha256(), 0
            with self.zip.open(path) as stream:
                for chunk in stream.chunks():
                    digest.update(chunk)
                    size += len(chunk)
            _check(entry, digest.hexdigest(), size)


def _check(entry: Listed, digest: str, size: int) -> None:
    if size != entry.size or digest != entry.sha256:
        raise ArchiveRefused(mismatch(entry.path))


def _read_manifest(archive: SafeZip) -> Record:
    if MANIFEST not in archive:
        raise ArchiveRefused(
            "This ZIP file has no manifest.json, so it is not an archive made by “Download "
            "everything”. Upload the ZIP file that button gave you, unchanged."
        )
    if archive.members[MANIFEST].size > MANIFEST_MAX_BYTES:
        raise ArchiveRefused("The archive's manifest.json is larger than we read.")
    with archive.open(MANIFEST) as stream:
        raw = stream.read()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ArchiveRefused(
            "The archive's manifest.json is damaged: it is not readable JSON. Download the "
            "archive again and upload that copy."
        ) from None
    manifest = Record(data, "")
    if data.get("format") != FORMAT:
        raise ArchiveRefused(
            "This ZIP file's manifest.json is not one of ours, so it is not an archive made "
            "by “Download everything”. Upload the ZIP file that button gave you, unchanged."
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ManifestInvalid("version", "must be a whole number")
    if version > VERSION:
        raise ArchiveRefused(
            f"This archive was made in a newer format (version {version}) than this site "
            f"reads (version {VERSION}). Import it on a site running a newer version of "
            "Learner Portfolio, or ask the site's administrators to update."
        )
    for kind in KINDS:
        if not isinstance(data.get(kind, []), list):
            raise ManifestInvalid(kind, "must be a list")
        seen: set[str] = set()
        for record in manifest.records(kind):
            record_id = record.required_id()
            if record_id in seen:
                raise ManifestInvalid(record.at("id"), "is the id of an earlier record too")
            seen.add(record_id)
    return manifest


def _listed_files(manifest: Record, archive: SafeZip) -> dict[str, Listed]:
    """Every file of the manifest's list, each checked to be in the archive; and every
    file in the archive checked to be in the list."""
    files: dict[str, Listed] = {}
    for entry in manifest.records("files"):
        path = entry.text("path", required=True, max_length=512)
        digest = entry.text("sha256", required=True)
        size = entry.integer("size", maximum=2**62)
        if not _SHA256.match(digest) or size is None:
            raise ManifestInvalid(entry.where, "needs a SHA-256 (64 hex digits) and a size")
        resolved = archive.resolve(path)
        if resolved in files:
            raise ManifestInvalid(entry.where, f"lists “{path[:200]}” a second time")
        files[resolved] = Listed(resolved, digest, size)
    unlisted = sorted(set(archive.members) - set(files) - {MANIFEST})
    if unlisted:
        raise ArchiveRefused(
            f"The archive holds “{unlisted[0][:200]}”, which its manifest does not list: "
            "something was added after the archive was made. Upload the archive as it was "
            "downloaded."
        )
    return files
