"""The records of an archive's manifest, made from the rows (and their stored files
written into the archive on the way). docs/archive-format.md names every field."""

import json
import logging
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

from artefacts.models import Artefact
from badges.models import Badge, Verification
from portfolio.archive.manifest import (
    artefact_file,
    badge_folder,
    reflection_files,
    relative,
)
from portfolio.archive.writer import ArchiveWriter
from portfolio.exports.documents import clean_html
from reflections.models import Reflection

logger = logging.getLogger(__name__)


def when(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def number(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def ref(target: Any) -> dict[str, str] | None:
    """What a showcase item, mapping or thread points at: its kind and archive id."""
    if target is None:
        return None
    kind = {Artefact: "artefact", Reflection: "reflection", Badge: "badge"}[type(target)]
    return {"kind": kind, "id": str(target.public_id)}


def artefact_record(writer: ArchiveWriter, artefact: Artefact) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": str(artefact.public_id),
        "kind": artefact.kind,
        "title": artefact.title,
        "description": artefact.description,
        "learned_on": when(artefact.learned_on),
        "visibility": artefact.visibility,
        "tags": [tag.name for tag in artefact.tags.all()],
        "created_at": when(artefact.created_at),
        "content_changed_at": when(artefact.content_changed_at),
        "url": artefact.url,
        "text_markdown": artefact.body_markdown,
        "file": None,
    }
    if artefact.kind == Artefact.Kind.FILE:
        record["file"] = _stored(writer, artefact)
    return record


def _stored(writer: ArchiveWriter, artefact: Artefact) -> dict[str, Any] | None:
    path = artefact_file(artefact.public_id, artefact.original_filename or "file")
    try:
        with artefact.file.open("rb") as source:
            entry = writer.add_stream(path, source, size=artefact.size)
    except OSError:
        # Storage lost it: the manifest says so, and the import skips the artefact.
        logger.exception("Archive: the file of artefact %s could not be read", artefact.pk)
        return None
    return {
        "path": path,
        "original_filename": artefact.original_filename,
        "content_type": artefact.content_type,
        "sha256": entry["sha256"],
        "size": entry["size"],
    }


def reflection_record(writer: ArchiveWriter, reflection: Reflection) -> dict[str, Any]:
    markdown, html = reflection_files(reflection.public_id)
    writer.add_text(markdown, reflection.body_markdown)
    page = render_to_string(
        "archive/offline/reflection.html",
        {
            "reflection": reflection,
            "body": clean_html(reflection.body_html),
            "css": [relative(path, start=html) for path in ("offline/site.css",)],
        },
    )
    writer.add_text(html, page)
    return {
        "id": str(reflection.public_id),
        "title": reflection.title,
        "written_on": when(reflection.written_on),
        "visibility": reflection.visibility,
        "tags": [tag.name for tag in reflection.tags.all()],
        "artefacts": [str(a.public_id) for a in reflection.artefacts.all()],
        "markdown": markdown,
        "html": html,
        "created_at": when(reflection.created_at),
        "content_changed_at": when(reflection.content_changed_at),
    }


def badge_record(
    writer: ArchiveWriter, badge: Badge, latest: Verification | None
) -> dict[str, Any]:
    """The badge as imported (its payload and image byte for byte), what the learner
    added, and its latest verification report."""
    folder = badge_folder(badge.public_id)
    payload_path = f"{folder}/payload.{_payload_extension(badge)}"
    writer.add_bytes(payload_path, badge.original_payload.encode("utf-8"))
    image_path = None
    if badge.original_image:
        with badge.original_image.open("rb") as source:
            image_path = f"{folder}/image.{_image_extension(source.read(16))}"
            source.seek(0)
            writer.add_stream(image_path, source, size=badge.original_image.size)
    report = {
        "status": latest.status if latest else badge.status,
        "reason": latest.reason if latest else badge.status_reason,
        "checked_at": when(latest.checked_at if latest else badge.last_checked_at),
        "issuer_identity": latest.issuer_identity if latest else badge.issuer_identity,
        "checks": latest.checks if latest else badge.checks,
        "report": latest.report if latest else badge.report,
    }
    verification_path = f"{folder}/verification.json"
    writer.add_text(verification_path, json.dumps(report, ensure_ascii=False, indent=1))
    return {
        "id": str(badge.public_id),
        "source": badge.source,
        "payload": payload_path,
        "image": image_path,
        "verification": verification_path,
        "name": badge.name,
        "issuer_name": badge.issuer_name,
        "issued_at": when(badge.issued_at),
        "expires_at": when(badge.expires_at),
        "spec_version": badge.spec_version,
        "status": badge.status,
        "last_checked_at": when(badge.last_checked_at),
        "note": badge.note,
        "visibility": badge.visibility,
        "created_at": when(badge.created_at),
    }


def _image_extension(head: bytes) -> str:
    """What a badge image's first bytes say it is (it was stored without an extension)."""
    for signature, extension in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return extension
    return "webp" if head[8:12] == b"WEBP" else "svg"


_IMAGE_SIGNATURES = ((b"\x89PNG", "png"), (b"\xff\xd8", "jpg"), (b"GIF8", "gif"))


def _payload_extension(badge: Badge) -> str:
    if badge.source == Badge.Source.URL:
        return "txt"
    return "json" if badge.original_payload.lstrip().startswith("{") else "jws"
