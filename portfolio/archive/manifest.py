"""The archive's layout: where each record's files go, and the fixed parts of its
manifest. docs/archive-format.md describes the format for people; this module is what
the writer and the reader share."""

import re
from typing import Any

FORMAT = "learner-portfolio-archive"
VERSION = 1
MANIFEST = "manifest.json"
# Record kinds, as the manifest names its lists and the import records its sources.
KINDS = (
    "artefacts",
    "reflections",
    "badges",
    "showcases",
    "programmes",
    "claims",
    "attestations",
    "feedback",
    "goals",
    "meetings",
)
OFFLINE_CSS = ("offline/site.css", "offline/showcase.css")
INDEX_PAGE = "index.html"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_file_name(name: str, *, fallback: str = "file") -> str:
    """A file name that means the same on every system and in a URL: letters, digits,
    dot, dash and underscore only, at most 100 characters, extension kept."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = _UNSAFE.sub("_", stem).strip("._-")[:80] or fallback
    extension = _UNSAFE.sub("", extension)[:10].lower()
    return f"{stem}.{extension}" if extension else stem


def artefact_file(public_id: Any, original_name: str) -> str:
    return f"files/artefacts/{public_id}/{safe_file_name(original_name)}"


def badge_folder(public_id: Any) -> str:
    return f"files/badges/{public_id}"


def reflection_files(public_id: Any) -> tuple[str, str]:
    return f"reflections/{public_id}.md", f"reflections/{public_id}.html"


def showcase_page(public_id: Any) -> str:
    return f"showcases/{public_id}.html"


def badge_page(public_id: Any) -> str:
    return f"badges/{public_id}.html"


def display_image(public_id: Any, extension: str) -> str:
    return f"offline/images/{public_id}.{extension}"


def relative(path: str, *, start: str) -> str:
    """`path` (from the archive's top) as a link from the page at `start`."""
    depth = start.count("/")
    return "../" * depth + path


PAYLOAD_EXTENSIONS = {"json": "json", "jws": "jws", "url": "txt", "image": "json"}
