"""The names learners' files came with: made safe to keep and show, and their extensions."""

from __future__ import annotations

import re
import unicodedata

_MAX_NAME_CHARS = 200

# Bidirectional controls can make "gpj.exe" display as "exe.jpg".
_BIDI_CONTROLS = dict.fromkeys(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def safe_display_name(name: str) -> str:
    """The original file name, made safe to store and show: the last path part only, with
    no control or bidirectional characters, single spaces, no leading dots and at most 200
    characters (keeping the extension). "file" if nothing is left. Still escape it for HTML."""
    name = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    name = "".join(" " if c.isspace() else c for c in name)
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cs"))
    name = " ".join(name.translate(_BIDI_CONTROLS).split()).lstrip(". ")
    if len(name) > _MAX_NAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            name = stem[: _MAX_NAME_CHARS - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:_MAX_NAME_CHARS].rstrip()
    return name or "file"


def extension_of(name: str) -> str:
    """The extension of a file name, lower case, without the dot; "" if it has none."""
    base = re.split(r"[\\/]", name)[-1].strip()
    stem, dot, extension = base.rpartition(".")
    if not dot or not stem.strip(". "):  # ".bashrc" is a name without an extension
        return ""
    return extension.strip().lower()
