"""A Leap2A import as background work, on the archive import's machinery: the upload is
stored under a random name as an `ArchiveImport` (marked as Leap2A) and queued; a task
runs `leap2a_import` with the same progress bar and refusal handling as an archive
import; the uploaded file is deleted once the run has finished, either way."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio.archive.importer import ImportRefused, archive_import_fail
from portfolio.archive.leap2a_import import feed_member, leap2a_import, leap2a_limits
from portfolio.archive.leap2a_report import report_json
from portfolio.archive.safezip import ArchiveRefused, SafeZip
from portfolio.exports.documents import every
from portfolio.models import ArchiveImport, ArchiveImportState
from portfolio.models.archive import new_upload_name

# In `ArchiveImport.archive_id`: this import's upload is a Leap2A ZIP (not our archive).
LEAP2A_IMPORT = "leap2a"


def is_leap2a(archive_import: ArchiveImport) -> bool:
    return archive_import.archive_id == LEAP2A_IMPORT


def leap2a_check(*, upload: UploadedFile) -> None:
    """The quick checks made while the learner waits: a safe ZIP holding leap2a.xml.
    Raises ArchiveRefused. Reads only the ZIP's directory."""
    upload.seek(0)
    with SafeZip(upload, limits=leap2a_limits()) as archive:
        feed_member(archive)
    upload.seek(0)


def leap2a_import_request(
    *, owner: Any, upload: UploadedFile, request_key: str = ""
) -> ArchiveImport:
    """Store the upload under a random name and queue its import, once per `request_key`
    (a resent form gives back the same import). Raises ImportRefused or ArchiveRefused."""
    if not (getattr(owner, "is_active", False) and getattr(owner, "is_learner", False)):
        raise ImportRefused(_("Only a learner can import into their portfolio."))
    key = hashlib.sha256(f"{owner.pk}:leap2a:{request_key or uuid.uuid4()}".encode()).hexdigest()
    existing = ArchiveImport.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    leap2a_check(upload=upload)
    name = default_storage.save(new_upload_name(), upload)
    try:
        with transaction.atomic():
            archive_import = ArchiveImport.objects.create(
                owner=owner,
                archive_id=LEAP2A_IMPORT,
                upload=name,
                original_name=(upload.name or "")[:255],
                size=int(upload.size or 0),
                sha256=getattr(upload, "sha256", "") or "",
                idempotency_key=key,
                stage=_("Waiting to start"),
            )
            leap2a_enqueue(archive_import.pk)
    except BaseException:
        default_storage.delete(name)
        raise
    return archive_import


def leap2a_enqueue(import_id: int) -> None:
    from portfolio.archive.leap2a_tasks import leap2a_import_task

    limit = settings.ARCHIVE_TIME_LIMIT
    transaction.on_commit(
        lambda: leap2a_import_task.apply_async(
            (import_id,), time_limit=limit, soft_time_limit=limit - 60
        )
    )


def leap2a_import_run(*, import_id: int) -> ArchiveImport | None:
    """Import one queued Leap2A upload. Does nothing for one that is not queued (done,
    being run by another task, deleted)."""
    archive_import = _claim(import_id)
    if archive_import is None:
        return None
    progress = _progress(archive_import)
    progress(_("Checking the file"), 0, 0)
    try:
        with archive_import.upload.open("rb") as stored:
            report = leap2a_import(owner=archive_import.owner, source=stored, progress=progress)
    except ArchiveRefused as refused:
        archive_import_fail(import_id=import_id, message=str(refused))
        return None
    with transaction.atomic():
        current = ArchiveImport.objects.select_for_update().filter(pk=import_id).first()
        if current is None or current.state != ArchiveImportState.RUNNING:
            return None
        current.state, current.report = ArchiveImportState.DONE, report_json(report)
        current.stage, current.finished_at = _("Imported"), timezone.now()
        current.done = current.total
        name = current.upload.name
        current.upload = ""
        current.save()
        if name:
            transaction.on_commit(lambda: default_storage.delete(name))
    return current


def _claim(import_id: int) -> ArchiveImport | None:
    with transaction.atomic():
        found = (
            ArchiveImport.objects.select_for_update(of=("self",))
            .select_related("owner")
            .filter(pk=import_id, archive_id=LEAP2A_IMPORT)
            .first()
        )
        if found is None or found.state != ArchiveImportState.QUEUED:
            return None
        found.state, found.started_at = ArchiveImportState.RUNNING, timezone.now()
        found.attempts += 1
        found.save(update_fields=["state", "started_at", "attempts", "updated_at"])
    return found


def _progress(archive_import: ArchiveImport) -> Any:
    """Progress written to the row (the page polls it), at most about 50 times a run."""
    ticks: dict[int, Any] = {}

    def write(stage: str, done: int, total: int) -> None:
        ArchiveImport.objects.filter(pk=archive_import.pk, state=ArchiveImportState.RUNNING).update(
            stage=stage[:200], done=done, total=total
        )

    def progress(stage: str, done: int, total: int) -> None:
        if not total:
            write(stage, done, total)
            return
        if total not in ticks:
            ticks[total] = every(total, write, _("Importing"))
        ticks[total](done)

    return progress
