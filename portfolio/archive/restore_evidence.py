"""Recreating the evidence of an archive: artefacts (files through the same checks and
quota as an upload), reflections, and badges (checked again, stored exactly as they
came)."""

from django.db import transaction
from django.utils.translation import gettext as _

from artefacts.models import Artefact
from artefacts.services import (
    Details,
    artefact_create_file,
    artefact_create_link,
    artefact_create_text,
)
from badges.models import Badge
from badges.outcome import BadgeRejected
from badges.services import badge_import
from core.models import Visibility
from core.uploads import UploadRejected
from portfolio.archive.fields import ManifestInvalid, Record
from portfolio.archive.restore import Restore, keep_dates
from portfolio.archive.safezip import ArchiveRefused
from reflections.models import Reflection
from reflections.services import ReflectionInput, reflection_create

TEXT_LIMIT = 16 * 1024 * 1024  # a reflection's Markdown, a badge's payload
BADGE_IMAGE_LIMIT = 16 * 1024 * 1024


def restore_artefacts(run: Restore) -> None:
    records = run.reader.records("artefacts")
    found = run.already_here(
        "artefacts", [r.required_id() for r in records], Artefact.objects.filter(owner=run.owner)
    )
    for record in records:
        source_id = record.required_id()
        if source_id in found:
            run.remember("artefacts", source_id, found[source_id], existing=True)
        elif (artefact := _artefact(run, record)) is not None:
            keep_dates(
                artefact,
                created_at=record.moment("created_at"),
                content_changed_at=record.moment("content_changed_at"),
            )
            run.remember("artefacts", source_id, artefact)
        run.tick()


def _details(record: Record) -> Details:
    return Details(
        title=record.text("title", max_length=200),
        description=record.text("description", max_length=100_000),
        learned_on=record.day("learned_on"),
        visibility=record.choice("visibility", Visibility.values),
        tags=tuple(record.strings("tags", max_length=50)),
    )


def _artefact(run: Restore, record: Record) -> Artefact | None:
    kind = record.choice("kind", Artefact.Kind.values)
    details = _details(record)
    if kind == Artefact.Kind.LINK:
        url = record.text("url", max_length=2000, required=True)
        if not url.startswith(("https://", "http://")):
            raise ManifestInvalid(f"{record.where}.url", "must be an http or https address")
        return artefact_create_link(owner=run.owner, url=url, details=details)
    if kind == Artefact.Kind.TEXT:
        body = record.text("text_markdown", max_length=TEXT_LIMIT)
        return artefact_create_text(owner=run.owner, body_markdown=body, details=details)
    stored = record.record("file")
    if stored is None:
        run.report.skip(
            "artefacts", details.title, _("Its file was missing when the archive was made.")
        )
        return None
    path = stored.text("path", required=True)
    upload = run.reader.extract(path, f"{stored.where}.path")
    run.read.add(run.reader.listed(path, stored.where).path)
    try:
        upload.name = stored.text("original_filename", max_length=255) or upload.name
        artefact = artefact_create_file(owner=run.owner, upload=upload, details=details)
    except UploadRejected as refused:
        raise ArchiveRefused(
            _("“%(title)s” in the archive can't be added to your account: %(reason)s")
            % {"title": details.title, "reason": refused}
        ) from None
    finally:
        upload.close()
    run.saved.extend(artefact.stored_names)
    return artefact


def restore_reflections(run: Restore) -> None:
    records = run.reader.records("reflections")
    found = run.already_here(
        "reflections",
        [r.required_id() for r in records],
        Reflection.objects.filter(owner=run.owner),
    )
    for record in records:
        source_id = record.required_id()
        if source_id in found:
            run.remember("reflections", source_id, found[source_id], existing=True)
            run.tick()
            continue
        path = record.text("markdown", required=True)
        body = _text(run, path, f"{record.where}.markdown")
        linked = [run.made.get("artefacts", {}).get(a) for a in record.strings("artefacts")]
        reflection = reflection_create(
            owner=run.owner,
            data=ReflectionInput(
                title=record.text("title", max_length=200, required=True),
                body_markdown=body,
                written_on=record.day("written_on"),
                visibility=record.choice("visibility", Visibility.values),
                tags=tuple(record.strings("tags", max_length=50)),
                artefacts=[a for a in linked if a is not None],
            ),
        )
        keep_dates(
            reflection,
            created_at=record.moment("created_at"),
            content_changed_at=record.moment("content_changed_at"),
        )
        run.remember("reflections", source_id, reflection)
        run.tick()


def _text(run: Restore, path: str, where: str) -> str:
    data = run.reader.read(path, where, limit=TEXT_LIMIT)
    run.read.add(run.reader.listed(path, where).path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ManifestInvalid(where, "names a file that is not UTF-8 text") from None


def restore_badges(run: Restore) -> None:
    """Each badge is imported as the learner first imported it, and so checked again
    now: one that no longer verifies for this account (revoked, or not issued to one of
    its verified email addresses) is skipped, and the report says why."""
    records = run.reader.records("badges")
    found = run.already_here(
        "badges", [r.required_id() for r in records], Badge.objects.filter(owner=run.owner)
    )
    for record in records:
        source_id = record.required_id()
        if source_id in found:
            run.remember("badges", source_id, found[source_id], existing=True)
        elif (badge := _badge(run, record)) is not None:
            keep_dates(badge, created_at=record.moment("created_at"))
            run.remember("badges", source_id, badge)
        run.tick()


def _badge(run: Restore, record: Record) -> Badge | None:
    name = record.text("name", max_length=500) or _("Untitled badge")
    payload = _text(run, record.text("payload", required=True), f"{record.where}.payload")
    image = b""
    if image_path := record.text("image"):
        image = run.reader.read(image_path, f"{record.where}.image", limit=BADGE_IMAGE_LIMIT)
        run.read.add(run.reader.listed(image_path, record.where).path)
    try:
        with transaction.atomic():  # a refusal leaves the import's transaction usable
            badge = badge_import(
                owner=run.owner,
                payload=payload,
                source=record.choice("source", Badge.Source.values),
                image=image,
                visibility=record.choice("visibility", Visibility.values),
                note=record.text("note", max_length=100_000),
            )
    except BadgeRejected as rejected:
        run.report.skip("badges", name, str(rejected))
        return None
    run.saved.extend(str(f.name) for f in (badge.original_image, badge.display_image) if f)
    return badge


def restore_evidence(run: Restore) -> None:
    restore_artefacts(run)
    restore_reflections(run)
    restore_badges(run)
