"""Writes for exports: asking for one, rendering it (the task body), deleting,
withdrawing, and sweeping up after workers that died.

The Export row is the source of truth. Rendering claims a queued row (so a duplicated
or redelivered task does nothing), works outside any transaction in a temporary folder,
and only then stores the finished, signed file (and the attachment it embeds, if any)
under the names chosen when the row was made and marks the row done, in one short
transaction. A file is only ever served from a done row, so nobody can see a
half-written one. What differs between kinds of document is in `kinds`.
"""

import hashlib
import logging
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio.exports import messages
from portfolio.exports.kinds import claim_exportable, kind_of, showcase_exportable
from portfolio.exports.renderer import render_pdf
from portfolio.exports.signing import SigningNotConfigured, sign_pdf
from portfolio.models import Claim, Export, ExportKind, ExportState, Showcase
from portfolio.showcases.versions import showcase_content_changed

logger = logging.getLogger(__name__)
RUNNING = (ExportState.QUEUED, ExportState.RENDERING)


class ExportRefused(Exception):
    """The requester may not export this: the message says why, for the learner."""


@transaction.atomic
def export_request(*, owner: Any, showcase: Showcase, request_key: str = "") -> Export:
    """Queue an export of the showcase, once (see `_request`)."""
    if not showcase_exportable(user=owner, showcase=showcase):
        raise ExportRefused(_("Only the owner can export a showcase, and not once it is archived."))
    return _request(
        owner=owner,
        kind=ExportKind.SHOWCASE_PDF,
        title=showcase.title,
        request_key=request_key,
        subject={"showcase": showcase},
    )


@transaction.atomic
def export_request_claim(*, owner: Any, claim: Claim, request_key: str = "") -> Export:
    """Queue the APEL evidence PDF of the claim, once (see `_request`). Its learner may
    export it in any state, and again after each judgement."""
    if not claim_exportable(user=owner, claim=claim):
        raise ExportRefused(_("Only the learner who made a claim can export it."))
    title = _("APEL claim: %(title)s v%(version)s") % {
        "title": claim.title,
        "version": claim.version,
    }
    return _request(
        owner=owner,
        kind=ExportKind.APEL_PDF,
        title=title[:200],
        request_key=request_key,
        subject={"claim": claim},
    )


def _request(
    *, owner: Any, kind: str, title: str, request_key: str, subject: dict[str, Any]
) -> Export:
    """The export of `subject` (e.g. {"showcase": showcase}), made once. The same
    `request_key` (the form's, so a double click or a resent POST) gives back the same
    export, and so does asking while an export of the same subject is still running."""
    about = ":".join(str(target.pk) for target in subject.values())
    key = hashlib.sha256(
        f"{owner.pk}:{kind}:{about}:{request_key or uuid.uuid4()}".encode()
    ).hexdigest()
    existing = Export.objects.filter(idempotency_key=key).first() or (
        Export.objects.filter(owner=owner, kind=kind, state__in=RUNNING, **subject).first()
    )
    if existing is not None:
        return existing
    export = Export.objects.create(
        owner=owner,
        kind=kind,
        title=title,
        idempotency_key=key,
        stage=_("Waiting to start"),
        **subject,
    )
    _enqueue(export.pk)
    return export


def _enqueue(export_id: int) -> None:
    from portfolio.exports.tasks import export_render_task

    transaction.on_commit(lambda: export_render_task.delay(export_id))


def export_render(*, export_id: int) -> Export | None:
    """Render, sign, hash and store one export. Does nothing for an export that is not
    queued (already rendered, being rendered by another task, deleted, withdrawn)."""
    export = _claim(export_id)
    if export is None:
        return None
    kind = kind_of(export)
    if not kind.allowed(export):
        export_fail(export_id=export.pk, message=str(kind.not_allowed))
        return None
    report = _reporter(export)
    document = kind.build(export, report)
    try:
        unsigned, signed = document.folder / "unsigned.pdf", document.folder / "signed.pdf"
        report(_("Laying out the pages"), 0, 0)
        rendered = render_pdf(
            html=document.html,
            files=document.files,
            target=unsigned,
            stylesheets=document.stylesheets,
            attachments=[document.attachment] if document.attachment else [],
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
        attachment = document.attachment.data if document.attachment else None
        return _store(export, signed, attachment)
    finally:
        document.close()


def _claim(export_id: int) -> Export | None:
    with transaction.atomic():
        # Lock the export row only: PostgreSQL refuses FOR UPDATE on the nullable side
        # of the outer join to the showcase.
        export = (
            Export.objects.select_for_update(of=("self",))
            .select_related(
                "owner",
                "showcase",
                "showcase__owner",
                "claim__learner",
                "claim__programme__institution",
                "claim__previous",
            )
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
    _delete_all(_names(export))
    return export


def attachment_name(export: Export) -> str:
    """Where the attachment (JSON data, the only kind of file embedded) is stored: fixed
    by the PDF's name, so a worker killed while saving leaves nothing unknown."""
    return export.file_name.removesuffix(".pdf") + ".json"


def _names(export: Export) -> list[str]:
    """Every stored name the export may have: the files of a done export, and those
    chosen for it before rendering."""
    chosen = [export.file.name, export.file_name, export.attachment.name, attachment_name(export)]
    return list(dict.fromkeys(name for name in chosen if name))


def _reporter(export: Export) -> Any:
    def report(stage: str, done: int, total: int) -> None:
        Export.objects.filter(pk=export.pk, state=ExportState.RENDERING).update(
            stage=stage[:200], done=done, total=total
        )

    return report


def _store(export: Export, signed: Path, attachment: bytes | None) -> Export | None:
    digest, size = _sha256(signed)
    names = []
    if attachment is not None:
        names.append(default_storage.save(attachment_name(export), ContentFile(attachment)))
    with signed.open("rb") as handle:
        name = default_storage.save(export.file_name, File(handle, name=export.file_name))
    names.append(name)
    with transaction.atomic():
        current = Export.objects.select_for_update().filter(pk=export.pk).first()
        if current is None or current.state != ExportState.RENDERING:
            # Deleted, or given up by the sweep, while we rendered: keep nothing.
            transaction.on_commit(lambda: _delete_all(names))
            return None
        current.file.name = name
        current.sha256, current.size = digest, size
        if attachment is not None:
            current.attachment.name = names[0]
            current.attachment_sha256 = hashlib.sha256(attachment).hexdigest()
        current.pdfa, current.pdfa_note = export.pdfa, export.pdfa_note
        current.badges = export.badges
        current.state = ExportState.DONE
        current.stage, current.done, current.total = _("Ready"), 1, 1
        current.finished_at = timezone.now()
        current.save()
        kind_of(current).issued(current)
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
    names = _names(export)
    transaction.on_commit(lambda: _delete_all(names))
    messages.notify_finished(export)


@transaction.atomic
def export_delete(*, export: Export) -> None:
    """Delete the record and its files (after commit). The verification page then no
    longer knows the document."""
    names = _names(export)
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
    """Exports whose worker died: rendering for longer than the hard time limit. Each is
    queued again while it has attempts left, else marked failed. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.EXPORT_TIME_LIMIT + 30)
    stale = list(
        Export.objects.filter(state=ExportState.RENDERING, started_at__lt=cutoff).values_list(
            "pk", "attempts"
        )
    )
    for pk, attempts in stale:
        if attempts < settings.EXPORT_MAX_ATTEMPTS:
            with transaction.atomic():
                if Export.objects.filter(pk=pk, state=ExportState.RENDERING).update(
                    state=ExportState.QUEUED, stage=_("Waiting to start again"), done=0, total=0
                ):
                    _enqueue(pk)
        else:
            export_fail(export_id=pk, message=str(messages.STOPPED))
    return len(stale)
