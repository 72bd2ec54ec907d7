"""Writes for exports: asking for one, rendering it (the task body), deleting,
withdrawing, and sweeping up after workers that died.

The Export row is the source of truth. Rendering claims a queued row (so a duplicated
or redelivered task does nothing), works outside any transaction in a temporary folder,
and only then stores the finished, signed file under the name chosen when the row was
made and marks the row done, in one short transaction. A file is only ever served
from a done row, so nobody can see a half-written one.
"""

import hashlib
import logging
import shutil
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio.exports import messages
from portfolio.exports.renderer import render_pdf
from portfolio.exports.showcase import showcase_document
from portfolio.exports.signing import SigningNotConfigured, sign_pdf
from portfolio.models import Export, ExportKind, ExportState, Showcase
from portfolio.showcases.versions import showcase_content_changed

logger = logging.getLogger(__name__)
RUNNING = (ExportState.QUEUED, ExportState.RENDERING)


class ExportRefused(Exception):
    """The requester may not export this: the message says why, for the learner."""


def may_export(*, user: Any, showcase: Showcase | None) -> bool:
    return (
        showcase is not None
        and getattr(user, "is_active", False)
        and getattr(user, "is_learner", False)
        and showcase.owner_id == user.pk
        and not showcase.is_archived
    )


@transaction.atomic
def export_request(*, owner: Any, showcase: Showcase, request_key: str = "") -> Export:
    """Queue an export of the showcase, once. The same `request_key` (the form's, so a
    double click or a resent POST) gives back the same export, and so does asking while
    an export of this showcase is still running."""
    if not may_export(user=owner, showcase=showcase):
        raise ExportRefused(_("Only the owner can export a showcase, and not once it is archived."))
    key = hashlib.sha256(
        f"{owner.pk}:{ExportKind.SHOWCASE_PDF}:{showcase.pk}:{request_key or uuid.uuid4()}".encode()
    ).hexdigest()
    existing = Export.objects.filter(idempotency_key=key).first() or (
        Export.objects.filter(owner=owner, showcase=showcase, state__in=RUNNING).first()
    )
    if existing is not None:
        return existing
    export = Export.objects.create(
        owner=owner,
        showcase=showcase,
        kind=ExportKind.SHOWCASE_PDF,
        title=showcase.title,
        idempotency_key=key,
        stage=_("Waiting to start"),
    )
    export_enqueue(export)
    return export


def time_limit(kind: str) -> int:
    """The hard time limit of rendering an export of this kind, in seconds."""
    if kind in (ExportKind.ARCHIVE_ZIP, ExportKind.LEAP2A_ZIP):
        return int(settings.ARCHIVE_TIME_LIMIT)
    return int(settings.EXPORT_TIME_LIMIT)


def export_enqueue(export: Export) -> None:
    """Queue the rendering of `export` once the current transaction commits, with the
    time limits of its kind (an archive of a whole account may take far longer)."""
    from portfolio.exports.tasks import export_render_task

    export_id, limit = export.pk, time_limit(export.kind)
    transaction.on_commit(
        lambda: export_render_task.apply_async(
            (export_id,), time_limit=limit, soft_time_limit=limit - 60
        )
    )


def export_render(*, export_id: int) -> Export | None:
    """Render, sign, hash and store one export. Does nothing for an export that is not
    queued (already rendered, being rendered by another task, deleted, withdrawn)."""
    export = _claim(export_id)
    if export is None:
        return None
    if export.kind == ExportKind.ARCHIVE_ZIP:
        return _render_archive(export)
    if export.kind == ExportKind.LEAP2A_ZIP:
        return _render_leap2a(export)
    showcase = export.showcase
    if not may_export(user=export.owner, showcase=showcase):
        export_fail(export_id=export.pk, message=str(messages.NOT_ALLOWED))
        return None
    assert showcase is not None
    report = _reporter(export)
    document = showcase_document(export=export, showcase=showcase, report=report)
    try:
        unsigned, signed = document.folder / "unsigned.pdf", document.folder / "signed.pdf"
        report(_("Laying out the pages"), 0, 0)
        rendered = render_pdf(
            html=document.html,
            files=document.files,
            target=unsigned,
            stylesheets=document.stylesheets,
        )
        report(_("Signing"), 0, 0)
        try:
            sign_pdf(source=unsigned, target=signed, reason=_("Issued by Learner Portfolio"))
        except SigningNotConfigured:
            logger.exception("Export %s: signing is not configured", export.pk)
            export_fail(export_id=export.pk, message=str(messages.NOT_SIGNED))
            return None
        report(_("Saving"), 0, 0)
        export.pdfa, export.pdfa_note = rendered.pdfa, rendered.pdfa_note
        return _store(export, signed)
    finally:
        document.close()


def _render_archive(export: Export) -> Export | None:
    from portfolio.archive.export import archive_build

    archive = archive_build(export=export, report=_reporter(export))
    try:
        _reporter(export)(_("Saving"), 0, 0)
        return _store(export, archive)
    finally:
        shutil.rmtree(archive.parent, ignore_errors=True)


def _render_leap2a(export: Export) -> Export | None:
    from portfolio.archive.leap2a_export import leap2a_build

    archive = leap2a_build(export=export, report=_reporter(export))
    try:
        _reporter(export)(_("Saving"), 0, 0)
        return _store(export, archive)
    finally:
        shutil.rmtree(archive.parent, ignore_errors=True)


def _claim(export_id: int) -> Export | None:
    with transaction.atomic():
        # Lock the export row only: PostgreSQL refuses FOR UPDATE on the nullable side
        # of the outer join to the showcase.
        export = (
            Export.objects.select_for_update(of=("self",))
            .select_related("owner", "showcase", "showcase__owner")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.state != ExportState.QUEUED:
            return None
        export.state = ExportState.RENDERING
        export.started_at = timezone.now()
        export.attempts += 1
        export.error = ""
        export.save(update_fields=["state", "started_at", "attempts", "error", "updated_at"])
    # A previous attempt killed while saving may have left part of a file: not served
    # (its row was never done), and removed before this attempt saves.
    default_storage.delete(export.file_name)
    return export


def _reporter(export: Export) -> Any:
    def report(stage: str, done: int, total: int) -> None:
        Export.objects.filter(pk=export.pk, state=ExportState.RENDERING).update(
            stage=stage[:200], done=done, total=total
        )

    return report


def _store(export: Export, signed: Path) -> Export | None:
    digest, size = _sha256(signed)
    with signed.open("rb") as handle:
        name = default_storage.save(export.file_name, File(handle, name=export.file_name))
    with transaction.atomic():
        current = Export.objects.select_for_update().filter(pk=export.pk).first()
        if current is None or current.state != ExportState.RENDERING:
            # Deleted, or given up by the sweep, while we rendered: keep nothing.
            transaction.on_commit(lambda: default_storage.delete(name))
            return None
        current.file.name = name
        current.sha256, current.size = digest, size
        current.pdfa, current.pdfa_note = export.pdfa, export.pdfa_note
        current.badges = export.badges
        current.state = ExportState.DONE
        current.stage, current.done, current.total = _("Ready"), 1, 1
        current.finished_at = timezone.now()
        current.save()
        if current.showcase_id:  # its share pages may offer this PDF now
            showcase_content_changed(showcase_ids=[current.showcase_id])
        messages.notify_finished(current)
    return current


def _sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@transaction.atomic
def export_fail(*, export_id: int, message: str) -> None:
    """Mark a queued or rendering export failed with a plain message for the learner;
    any part of its file is deleted once this commits."""
    export = Export.objects.select_for_update().filter(pk=export_id, state__in=RUNNING).first()
    if export is None:
        return
    export.state, export.error = ExportState.FAILED, message[:500]
    export.stage, export.finished_at = _("Failed"), timezone.now()
    export.save(update_fields=["state", "error", "stage", "finished_at", "updated_at"])
    name = export.file_name
    transaction.on_commit(lambda: default_storage.delete(name))
    messages.notify_finished(export)


@transaction.atomic
def export_delete(*, export: Export) -> None:
    """Delete the record and its file (after commit). The verification page then no
    longer knows the document."""
    names = [n for n in {export.file.name, export.file_name} if n]
    if export.showcase_id and export.state == ExportState.DONE:  # the PDF a link offers
        showcase_content_changed(showcase_ids=[export.showcase_id])
    export.delete()
    transaction.on_commit(lambda: _delete_all(names))


def _delete_all(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


@transaction.atomic
def export_withdraw(*, export: Export) -> Export:
    """The learner no longer stands by this document: the verification page says it was
    withdrawn, and the file is no longer offered anywhere (the record is kept)."""
    if export.state == ExportState.DONE:
        export.state, export.withdrawn_at = ExportState.WITHDRAWN, timezone.now()
        export.save(update_fields=["state", "withdrawn_at", "updated_at"])
    return export


def exports_sweep(*, now: Any = None) -> int:
    """Exports whose worker died: rendering for longer than the hard time limit of their
    kind. Each is queued again while it has attempts left, else marked failed. Returns
    how many."""
    now = now or timezone.now()
    archive = Q(kind__in=(ExportKind.ARCHIVE_ZIP, ExportKind.LEAP2A_ZIP))

    def started_before(kind: str) -> Q:
        return Q(started_at__lt=now - timedelta(seconds=time_limit(kind) + 30))

    stale = list(
        Export.objects.filter(state=ExportState.RENDERING)
        .filter(
            (~archive & started_before(ExportKind.SHOWCASE_PDF))
            | (archive & started_before(ExportKind.ARCHIVE_ZIP))
        )
        .values_list("pk", "attempts")
    )
    for pk, attempts in stale:
        if attempts < settings.EXPORT_MAX_ATTEMPTS:
            with transaction.atomic():
                if Export.objects.filter(pk=pk, state=ExportState.RENDERING).update(
                    state=ExportState.QUEUED, stage=_("Waiting to start again"), done=0, total=0
                ):
                    export_enqueue(Export.objects.get(pk=pk))
        else:
            export_fail(export_id=pk, message=str(messages.STOPPED))
    return len(stale)
