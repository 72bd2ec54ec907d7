"""Hand-made ZIP archives, good and hostile, for the archive tests."""

from __future__ import annotations

import io
import stat
import struct
import zipfile


def make_zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> io.BytesIO:
    """An archive of `members` (name -> bytes), in order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = compression
            archive.writestr(info, data)
    buffer.seek(0)
    return buffer


def with_duplicate(name: str, first: bytes, second: bytes) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, first)
        archive.writestr(name, second)  # zipfile warns, and writes it anyway
    buffer.seek(0)
    return buffer


def with_symlink(name: str, target: str, others: dict[str, bytes] | None = None) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for other, data in (others or {}).items():
            archive.writestr(other, data)
        info = zipfile.ZipInfo(name)
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, target)
    buffer.seek(0)
    return buffer


def with_overlap(members: dict[str, bytes]) -> io.BytesIO:
    """An archive whose last entry's directory record points at the first entry's data
    (the overlapping-entries ZIP bomb)."""
    data = make_zip(members, compression=zipfile.ZIP_STORED).getvalue()
    end = data.rfind(b"PK\x05\x06")
    directory_at = struct.unpack("<I", data[end + 16 : end + 20])[0]
    last = data.rfind(b"PK\x01\x02", directory_at, end)
    patched = bytearray(data)
    patched[last + 42 : last + 46] = struct.pack("<I", 0)
    return io.BytesIO(bytes(patched))


def truncated(buffer: io.BytesIO, *, keep: float = 0.6) -> io.BytesIO:
    data = buffer.getvalue()
    return io.BytesIO(data[: int(len(data) * keep)])


def flipped_byte_in(buffer: io.BytesIO, marker: bytes) -> io.BytesIO:
    """The archive with one byte of a stored member's data changed (its CRC no longer
    matches). `marker` is a byte string inside that member."""
    data = bytearray(buffer.getvalue())
    at = data.find(marker)
    assert at >= 0
    data[at] ^= 0xFF
    return io.BytesIO(bytes(data))
