"""Opening an uploaded ZIP archive safely, and reading it member by member as streams.

Everything is checked before a single member is decompressed: the archive's own directory
(entry count, read from its end record before Python's zipfile parses the directory), every
name (no absolute paths, drive letters, backslashes, `..`, control characters, duplicates,
including duplicates that differ only in case), every entry's type (no symlinks or other
special files, no encryption, only stored or deflated data), every entry's declared sizes
(a limit per member and in total, and a limit on how much smaller compressed data may be),
and that no two entries share bytes (the overlapping-entries ZIP bomb).

While a member is read, its first bytes must not be another archive (a Word or OpenDocument
file, a ZIP inside, is let through when named so), XML in it must not declare a document
type or entities, its bytes are counted against the limits whatever its header claimed, and
its CRC is checked at the end.

Use:

    with SafeZip(fileobj, limits=Limits(...)) as archive:   # ArchiveRefused if unsafe
        for member in archive.members.values(): ...
        with archive.open("manifest.json") as stream:       # a binary stream
            data = stream.read(1024)
        upload = archive.extract("files/a.pdf", sha256=..., size=...)  # a temporary file
        name = archive.resolve("../images/x.png", base="pages/a.html")

Every refusal is an `ArchiveRefused` whose message says what is wrong, in words for the
learner; nothing here touches the database or storage.
"""

from __future__ import annotations

import hashlib
import struct
import zipfile
import zlib
from collections.abc import Iterator
from posixpath import dirname, normpath
from types import TracebackType
from typing import IO

from django.core.files.uploadedfile import TemporaryUploadedFile

from portfolio.archive.memberchecks import (
    HEAD_BYTES,
    ContentRefused,
    XmlPrologCheck,
    looks_like_xml,
    refuse_nested_archive,
)
from portfolio.archive.zipdirectory import (
    ArchiveRefused,
    Limits,
    Member,
    bomb,
    checked_members,
    refuse_too_many_entries,
)

CHUNK = 1024 * 1024
WHOLE_READ_LIMIT = 64 * 1024 * 1024


__all__ = ["ArchiveRefused", "Limits", "Member", "MemberStream", "SafeZip", "mismatch"]


class SafeZip:
    """A ZIP archive whose directory has been checked. `members` holds the files (not the
    directories), by name, in archive order. Not thread-safe: open one member at a time."""

    def __init__(self, fileobj: IO[bytes], *, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._read_total = 0
        refuse_too_many_entries(fileobj, self.limits)
        try:
            self._zip = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error):
            raise ArchiveRefused(
                "This file is not a ZIP archive, or it is damaged or incomplete (it may not "
                "have finished downloading). Download the archive again and upload that copy."
            ) from None
        try:
            self.members = checked_members(self._zip, self.limits)
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def __contains__(self, name: str) -> bool:
        return name in self.members

    def open(self, name: str) -> MemberStream:
        """A stream of the member's bytes, checked as it is read (see the module)."""
        member = self.members.get(name)
        if member is None:
            raise ArchiveRefused(f"The archive has no file named “{name[:200]}”.")
        try:
            raw = self._zip.open(member.info)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
            raise _damaged(name) from None
        return MemberStream(self, member, raw)

    def extract(
        self, name: str, *, sha256: str | None = None, size: int | None = None
    ) -> TemporaryUploadedFile:
        """The member copied to a temporary file, chunk by chunk, as an upload named after
        it, with its `sha256` set. Refuses a member whose size or SHA-256 is not the one
        given. The caller closes it (which deletes the temporary file)."""
        base = name.rsplit("/", 1)[-1]
        upload = TemporaryUploadedFile(base, "application/octet-stream", 0, None)
        try:
            with self.open(name) as stream:
                for chunk in stream.chunks():
                    upload.write(chunk)
                digest = stream.hexdigest()
            written = upload.tell()
            if (size is not None and written != size) or (
                sha256 is not None and digest != sha256.lower()
            ):
                raise ArchiveRefused(mismatch(name))
            upload.size = written
            upload.sha256 = digest  # type: ignore[attr-defined]  # read by artefact upload
            upload.seek(0)
            return upload
        except BaseException:
            upload.close()
            raise

    def resolve(self, reference: str, *, base: str = "") -> str:
        """The member a relative link `reference` (written in member `base`, or at the top
        when empty) points to. Refuses links that are absolute, go outside the archive,
        or name no file in it."""
        if reference.startswith(("/", "\\")) or ":" in reference.split("/", 1)[0]:
            raise ArchiveRefused(
                f"A link in the archive (“{reference[:200]}”) points outside the archive."
            )
        joined = normpath(f"{dirname(base)}/{reference}" if dirname(base) else reference)
        if joined.startswith("../") or joined in ("..", ".") or "\\" in joined:
            raise ArchiveRefused(
                f"A link in the archive (“{reference[:200]}”) points outside the archive."
            )
        if joined not in self.members:
            raise ArchiveRefused(
                f"A link in the archive (“{reference[:200]}”) names a file the archive "
                "doesn't contain."
            )
        return joined

    def _count(self, n: int) -> None:
        self._read_total += n
        if self._read_total > self.limits.max_total_bytes:
            raise ArchiveRefused(bomb())


class MemberStream:
    """A read-only binary stream of one member (from `SafeZip.open`)."""

    def __init__(self, archive: SafeZip, member: Member, raw: IO[bytes]) -> None:
        self._archive = archive
        self.member = member
        self._raw = raw
        self._hash = hashlib.sha256()
        self._read = 0
        self._xml: XmlPrologCheck | None = None
        try:
            self._pending = self._raw_read(HEAD_BYTES)
            refuse_nested_archive(member.name, self._pending)
            if looks_like_xml(member.name, self._pending):
                self._xml = XmlPrologCheck()
                self._xml.feed(self._pending)
        except ContentRefused as refusal:
            self.close()
            raise ArchiveRefused(_refused_member(member.name, refusal)) from None
        except BaseException:
            self.close()
            raise

    def read(self, n: int = -1) -> bytes:
        """Up to `n` bytes; all that is left when `n` is negative, which only a member of
        at most WHOLE_READ_LIMIT bytes allows (read larger ones in chunks)."""
        if n is None or n < 0:
            if self.member.size > WHOLE_READ_LIMIT:
                raise ValueError(f"{self.member.name} is too large to read whole")
            return b"".join(self.chunks())
        head = b""
        if self._pending:
            head, self._pending = self._pending[:n], self._pending[n:]
            if len(head) == n:
                return head
        data = self._raw_read(n - len(head))
        if self._xml is not None:
            try:
                self._xml.feed(data)
            except ContentRefused as refusal:
                raise ArchiveRefused(_refused_member(self.member.name, refusal)) from None
        return head + data if head else data

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        while data := self.read(size):
            yield data

    def hexdigest(self) -> str:
        """The SHA-256 of what has been read (of the whole member, once read to its end)."""
        return self._hash.hexdigest()

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> MemberStream:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _raw_read(self, n: int) -> bytes:
        try:
            data = self._raw.read(n)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            raise _damaged(self.member.name) from None
        self._read += len(data)
        if self._read > self.member.size:  # zipfile stops at the declared size; be sure
            raise ArchiveRefused(bomb())
        self._archive._count(len(data))
        self._hash.update(data)
        return data


def mismatch(name: str) -> str:
    """The refusal of a member that is not the file the archive lists (size or hash)."""
    return (
        f"“{name[:200]}” in the archive does not match the SHA-256 and size listed for it: "
        "the archive was changed or damaged after it was made. Download it again and "
        "upload that copy."
    )


def _damaged(name: str) -> ArchiveRefused:
    return ArchiveRefused(
        f"“{name[:200]}” in the archive is damaged or incomplete. Download the archive "
        "again and upload that copy."
    )


def _refused_member(name: str, refusal: ContentRefused) -> str:
    return (
        f"We don't read “{name[:200]}” in the archive: {refusal}, which we never unpack. "
        "Upload an archive without it (an archive downloaded from this site never has one)."
    )
