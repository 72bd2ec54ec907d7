"""The checks on a ZIP archive's directory, made before any member is decompressed (see
`safezip`, which is the module to use)."""

from __future__ import annotations

import itertools
import stat
import struct
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import IO

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_LOCAL_HEADER_SIZE = 30
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


__all__ = [
    "ArchiveRefused",
    "Limits",
    "Member",
    "bomb",
    "checked_members",
    "refuse_too_many_entries",
]


class ArchiveRefused(Exception):
    """An archive we will not read. `str()` is plain words: what is wrong, and what to do."""


@dataclass(frozen=True)
class Limits:
    max_members: int = 20_000
    max_member_bytes: int = 4 * 1024**3
    max_total_bytes: int = 20 * 1024**3
    max_ratio: int = 100  # uncompressed bytes per compressed byte, for one member
    ratio_floor: int = 1024 * 1024  # smaller members may compress better than that
    max_name_length: int = 512


@dataclass(frozen=True)
class Member:
    name: str  # a relative POSIX path, checked
    size: int  # uncompressed, as declared (and enforced while reading)
    compressed_size: int
    info: zipfile.ZipInfo = field(repr=False, compare=False)


def checked_members(archive: zipfile.ZipFile, limits: Limits) -> dict[str, Member]:
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise ArchiveRefused(_too_many(limits))
    members: dict[str, Member] = {}
    seen: set[str] = set()
    folded_files: set[str] = set()
    total = 0
    for info in infos:
        name = _checked_name(info.filename, limits)
        folded = unicodedata.normalize("NFC", name.rstrip("/")).casefold()
        if folded in seen:
            raise ArchiveRefused(
                f"The archive holds “{name[:200]}” more than once (names that differ only in "
                "capitals count as the same). Make the archive again and upload that."
            )
        seen.add(folded)
        mode = info.external_attr >> 16
        if info.create_system == 3 and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
            kind = "a symbolic link" if stat.S_ISLNK(mode) else "a special file"
            raise ArchiveRefused(
                f"“{name[:200]}” in the archive is {kind}, which we never follow. "
                "Make the archive from ordinary files only."
            )
        if info.flag_bits & 0x1:
            raise ArchiveRefused(
                "The archive is password-protected, so we can't read it. "
                "Make it again without a password and upload that."
            )
        if info.compress_type not in _METHODS:
            raise ArchiveRefused(
                f"“{name[:200]}” in the archive is compressed in a way we don't read. "
                "Make the archive again with ordinary (deflate) compression."
            )
        if info.is_dir():
            continue
        if info.file_size > limits.max_member_bytes or (
            info.file_size > limits.ratio_floor
            and info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            raise ArchiveRefused(bomb())
        total += info.file_size
        if total > limits.max_total_bytes:
            raise ArchiveRefused(bomb())
        members[name] = Member(name, info.file_size, info.compress_size, info)
        folded_files.add(folded)
    _refuse_folder_and_file_clashes(members, folded_files)
    _refuse_overlaps(infos)
    return members


def _checked_name(raw: str, limits: Limits) -> str:
    unsafe = ArchiveRefused(
        f"The archive holds a file named “{raw[:200]}”, which could be written outside the "
        "folder it is unpacked into. We don't read archives with such names: make the "
        "archive again from an ordinary folder."
    )
    if not raw or len(raw) > limits.max_name_length:
        raise unsafe
    if any(ord(char) < 32 or char == "\x7f" for char in raw) or "\\" in raw:
        raise unsafe
    if raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        raise unsafe
    parts = raw.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise unsafe
    return raw


def _refuse_folder_and_file_clashes(members: dict[str, Member], files: set[str]) -> None:
    """A file "a" and a file "a/b" cannot both be unpacked (nor "A" and "a/b")."""
    for name in members:
        parts = name.split("/")
        for depth in range(1, len(parts)):
            prefix = "/".join(parts[:depth])
            if unicodedata.normalize("NFC", prefix).casefold() in files:
                raise ArchiveRefused(
                    f"The archive holds “{prefix[:200]}” both as a file and as a folder. "
                    "Make the archive again and upload that."
                )


def _refuse_overlaps(infos: list[zipfile.ZipInfo]) -> None:
    """Entries whose data overlap: a ZIP bomb that makes one compressed stream count many
    times. Every entry needs at least its local header and name before the next."""
    ordered = sorted(infos, key=lambda info: info.header_offset)
    for this, following in itertools.pairwise(ordered):
        end = (
            this.header_offset
            + _LOCAL_HEADER_SIZE
            + len(this.orig_filename.encode("utf-8", "surrogateescape"))
            + this.compress_size
        )
        if end > following.header_offset:
            raise ArchiveRefused(bomb())


def refuse_too_many_entries(fileobj: IO[bytes], limits: Limits) -> None:
    """Read the entry count from the end record, so a directory of millions of entries is
    refused before zipfile builds an object for each. Damage is left to zipfile to find."""
    try:
        end = fileobj.seek(0, 2)
        tail_size = min(end, 65_535 + 22)
        fileobj.seek(end - tail_size)
        tail = fileobj.read(tail_size)
    except OSError:
        return
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) < at + 22:
        return
    comment_length = struct.unpack("<H", tail[at + 20 : at + 22])[0]
    if at + 22 + comment_length != len(tail):
        # The last end record is not the archive's own: the file stops early, and what
        # looks like a directory is that of a ZIP stored inside it (a Word document...).
        raise ArchiveRefused(
            "This file is not a ZIP archive, or it is damaged or incomplete (it may not "
            "have finished downloading). Download the archive again and upload that copy."
        )
    count = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    directory_size = struct.unpack("<I", tail[at + 12 : at + 16])[0]
    if (count == 0xFFFF or directory_size == 0xFFFFFFFF) and (
        at >= 20 and tail[at - 20 : at - 16] == _ZIP64_LOCATOR
    ):
        zip64_end = struct.unpack("<Q", tail[at - 12 : at - 4])[0]
        try:
            fileobj.seek(zip64_end)
            record = fileobj.read(56)
        except OSError:
            return
        if len(record) == 56:
            count, directory_size = struct.unpack("<QQ", record[32:48])
    fileobj.seek(0)
    if count > limits.max_members:
        raise ArchiveRefused(_too_many(limits))
    # Each entry of the directory holds its name and at most 64 KiB of extra fields.
    # An entry of the directory is 46 bytes, its name, and a few small extra fields.
    if directory_size > count * (46 + 4 * limits.max_name_length + 4096):
        raise ArchiveRefused(bomb())


def _too_many(limits: Limits) -> str:
    return (
        f"The archive holds more than {limits.max_members:,} files, more than we read in "
        "one archive. Split it into smaller archives."
    )


def bomb() -> str:
    return (
        "The archive unpacks to far more than its own size or than we accept (a “ZIP "
        "bomb”), so we did not unpack it. If you made it yourself, make it again from "
        "ordinary files."
    )
