"""Importing an archive into a learner's account: asking for it (the upload is stored
under a random name and queued), running it (the task body), and sweeping up after
workers that died.

A run is all or nothing: every record is made in one transaction, and every file it
stored is removed again if anything fails, so a refused archive leaves no rows and no
files. The uploaded archive itself is deleted once the run has finished, either way.
Records found already imported (from an earlier import of the same account, or the
account's own rows when restoring into it) are not made again.
"""

import hashlib
import logging
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from artefacts.services import storage_remaining
from core.storage import files_removed_on_error
from portfolio.archive.manifest import KINDS
from portfolio.archive.progress import Progress
from portfolio.archive.reader import ArchiveReader
from portfolio.archive.restore import Restore
from portfolio.archive.restore_claims import restore_claims
from portfolio.archive.restore_evidence import restore_evidence
from portfolio.archive.restore_people import restore_attestations, restore_review
from portfolio.archive.restore_showcases import restore_showcases
from portfolio.archive.safezip import ArchiveRefused
from portfolio.exports.documents import every
from portfolio.models import ArchiveImport, ArchiveImportState
from portfolio.models.archive import new_upload_name

logger = logging.getLogger(__name__)
RUNNING = (ArchiveImportState.QUEUED, ArchiveImportState.RUNNING)


class ImportRefused(Exception):
    """The request is refused before anything is stored; the message says why."""


def archive_check(*, upload: UploadedFile) -> None:
    """The quick checks made while the learner waits: the upload is a safe ZIP with a
    manifest of a version we read. Raises ArchiveRefused. Reads only the directory and
    the manifest."""
    upload.seek(0)
    with ArchiveReader(upload):
        pass
    upload.seek(0)


def archive_import_request(
    *, owner: Any, upload: UploadedFile, request_key: str = ""
) -> ArchiveImport:
    """Store the uploaded archive under a random name and queue its import, once per
    `request_key` (a resent form gives back the same import)."""
    if not (getattr(owner, "is_active", False) and getattr(owner, "is_learner", False)):
        raise ImportRefused(_("Only a learner can import an archive into their account."))
    key = hashlib.sha256(f"{owner.pk}:import:{request_key or uuid.uuid4()}".encode()).hexdigest()
    existing = ArchiveImport.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    archive_check(upload=upload)
    with files_removed_on_error() as saved:
        name = default_storage.save(new_upload_name(), upload)
        saved.append(name)
        with transaction.atomic():
            archive_import = ArchiveImport.objects.create(
                owner=owner,
                upload=name,
                original_name=(upload.name or "")[:255],
                size=int(upload.size or 0),
                sha256=getattr(upload, "sha256", "") or "",
                idempotency_key=key,
                stage=_("Waiting to start"),
            )
            _enqueue(archive_import.pk)
    return archive_import


def _enqueue(import_id: int) -> None:
    from portfolio.archive.tasks import archive_import_task

    limit = settings.ARCHIVE_TIME_LIMIT
    transaction.on_commit(
        lambda: archive_import_task.apply_async(
            (import_id,), time_limit=limit, soft_time_limit=limit - 60
        )
    )


def archive_import_run(*, import_id: int) -> ArchiveImport | None:
    """Import one queued archive. Does nothing for one that is not queued (done, being
    run by another task, deleted)."""
    archive_import = _claim(import_id)
    if archive_import is None:
        return None
    owner = archive_import.owner
    try:
        with archive_import.upload.open("rb") as stored, ArchiveReader(stored) as reader:
            report = _run(archive_import, owner, reader)
    except ArchiveRefused as refused:
        archive_import_fail(import_id=import_id, message=str(refused))
        return None
    with transaction.atomic():
        current = ArchiveImport.objects.select_for_update().filter(pk=import_id).first()
        if current is None or current.state != ArchiveImportState.RUNNING:
            return None
        current.state, current.report = ArchiveImportState.DONE, report
        current.archive_id = reader.archive_id
        current.source_account = reader.source_account
        current.stage, current.finished_at = _("Imported"), timezone.now()
        current.done = current.total
        current.save()
        _remove_upload(current)
    return current


def _run(archive_import: ArchiveImport, owner: Any, reader: ArchiveReader) -> dict[str, Any]:
    _refuse_over_quota(owner, reader)
    with Progress(archive_import.pk) as report:
        return _restore(archive_import, owner, reader, report)


def _restore(
    archive_import: ArchiveImport, owner: Any, reader: ArchiveReader, report: Progress
) -> dict[str, Any]:
    # Every record counts once; a claim's programme comes with the claim.
    total = sum(len(reader.records(kind)) for kind in KINDS if kind != "programmes")
    tick_every = every(total, report, _("Importing"))
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        tick_every(done)

    report(_("Checking the archive"), 0, total)
    with files_removed_on_error() as saved, transaction.atomic():
        # One import at a time per learner: a second waits here, then finds what the
        # first made (uploads take the same lock for the quota).
        list(get_user_model().objects.select_for_update().filter(pk=owner.pk).values_list("pk"))
        run = Restore(owner=owner, reader=reader, archive_import=archive_import, tick=tick)
        try:
            restore_evidence(run)
            restore_showcases(run)
            restore_claims(run)
            restore_attestations(run)
            restore_review(run)
            # Whatever the import did not read (the offline pages...) is checked too:
            # an archive changed anywhere is refused.
            reader.verify(set(reader.files) - run.read)
        finally:
            saved.extend(run.saved)
    return run.report.as_json()


def _refuse_over_quota(owner: Any, reader: ArchiveReader) -> None:
    """Refuse at once an archive whose files cannot all fit, before storing any."""
    needed = 0
    for record in reader.records("artefacts"):
        stored = record.record("file")
        if stored is not None:
            needed += reader.listed(stored.text("path"), f"{record.where}.file").size
    left = storage_remaining(owner=owner)
    if needed > left:
        raise ArchiveRefused(
            _(
                "The files in this archive need %(needed)s, but your account has %(left)s "
                "left. Delete evidence you no longer need, then import the archive again."
            )
            % {"needed": filesizeformat(needed), "left": filesizeformat(left)}
        )


def _claim(import_id: int) -> ArchiveImport | None:
    with transaction.atomic():
        found = (
            ArchiveImport.objects.select_for_update(of=("self",))
            .select_related("owner")
            .filter(pk=import_id)
            .first()
        )
        if found is None or found.state != ArchiveImportState.QUEUED:
            return None
        found.state, found.started_at = ArchiveImportState.RUNNING, timezone.now()
        found.attempts += 1
        found.save(update_fields=["state", "started_at", "attempts", "updated_at"])
    return found


@transaction.atomic
def archive_import_fail(*, import_id: int, message: str) -> None:
    """Mark a queued or running import refused, with a plain message; its uploaded
    archive is deleted once this commits."""
    found = (
        ArchiveImport.objects.select_for_update().filter(pk=import_id, state__in=RUNNING).first()
    )
    if found is None:
        return
    found.state, found.error = ArchiveImportState.FAILED, message[:1000]
    found.stage, found.finished_at = _("Refused"), timezone.now()
    found.save(update_fields=["state", "error", "stage", "finished_at", "updated_at"])
    _remove_upload(found)


def _remove_upload(archive_import: ArchiveImport) -> None:
    name = archive_import.upload.name
    if name:
        ArchiveImport.objects.filter(pk=archive_import.pk).update(upload="")
        transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def archive_import_delete(*, archive_import: ArchiveImport) -> None:
    """Forget a finished import (what it made stays); a running one is left alone."""
    if not archive_import.is_running:
        archive_import.delete()


def archive_imports_sweep(*, now: Any = None) -> int:
    """Imports whose worker died (running past the time limit): queued again while they
    have attempts left, else refused. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.ARCHIVE_TIME_LIMIT + 30)
    from portfolio.archive.leap2a_jobs import LEAP2A_IMPORT, leap2a_enqueue

    stale = list(
        ArchiveImport.objects.filter(
            state=ArchiveImportState.RUNNING, started_at__lt=cutoff
        ).values_list("pk", "attempts", "archive_id")
    )
    for pk, attempts, archive_id in stale:
        if attempts < settings.EXPORT_MAX_ATTEMPTS:
            with transaction.atomic():
                if ArchiveImport.objects.filter(pk=pk, state=ArchiveImportState.RUNNING).update(
                    state=ArchiveImportState.QUEUED, stage=_("Waiting to start again")
                ):
                    # A Leap2A upload is run by its own task (portfolio.archive.leap2a_jobs).
                    (leap2a_enqueue if archive_id == LEAP2A_IMPORT else _enqueue)(pk)
        else:
            archive_import_fail(
                import_id=pk,
                message=_("The import stopped before it finished. Upload the archive again."),
            )
    return len(stale)
