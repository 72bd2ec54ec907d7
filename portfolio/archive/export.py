"""'Download everything': the archive of a learner's whole account, made on the export
machinery (an `Export` of kind ARCHIVE_ZIP: the same task, progress, list, storage,
idempotency and sweep as the PDFs).

The ZIP is written to a temporary file from storage streams, chunk by chunk, so memory
does not grow with the size of the files; it is then stored under the name fixed when
the export was asked for. An archive is a private copy for its owner, not a document
issued to others: its SHA-256 and size are recorded and shown to the owner, but it has
no verification code printed in it and no verification page.
"""

import hashlib
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio.archive.collect import Contents, archive_contents
from portfolio.archive.manifest import FORMAT, KINDS, VERSION
from portfolio.archive.offline import OfflinePages
from portfolio.archive.serialise import artefact_record, badge_record, reflection_record
from portfolio.archive.serialise_portfolio import (
    attestation_record,
    claim_record,
    goal_record,
    item_ids,
    meeting_record,
    programme_record,
    showcase_record,
    thread_record,
)
from portfolio.archive.writer import ArchiveWriter
from portfolio.exports.documents import Progress, every
from portfolio.models import Export, ExportKind, ExportState
from portfolio.models.exports import new_file_name

RUNNING = (ExportState.QUEUED, ExportState.RENDERING)


class ArchiveRequestRefused(Exception):
    """The message says why, for the learner."""


@transaction.atomic
def archive_export_request(*, owner: Any, request_key: str = "") -> Export:
    """Queue an archive of the owner's account, once: the same `request_key` (a double
    click, a resent form) gives back the same export, and so does asking again while
    one is being made."""
    if not (getattr(owner, "is_active", False) and getattr(owner, "is_learner", False)):
        raise ArchiveRequestRefused(_("Only a learner can download their account."))
    key = hashlib.sha256(
        f"{owner.pk}:{ExportKind.ARCHIVE_ZIP}:{request_key or uuid.uuid4()}".encode()
    ).hexdigest()
    existing = Export.objects.filter(idempotency_key=key).first() or (
        Export.objects.filter(owner=owner, kind=ExportKind.ARCHIVE_ZIP, state__in=RUNNING).first()
    )
    if existing is not None:
        return existing
    export = Export.objects.create(
        owner=owner,
        kind=ExportKind.ARCHIVE_ZIP,
        title=_("Everything in your portfolio"),
        file_name=new_file_name("zip"),
        idempotency_key=key,
        stage=_("Waiting to start"),
    )
    from portfolio.exports.services import export_enqueue

    export_enqueue(export)
    return export


def archive_build(*, export: Export, report: Progress) -> Path:
    """Write the archive of the export's owner to a temporary file and return it; the
    caller stores it and removes its folder (`path.parent`)."""
    folder = Path(tempfile.mkdtemp(prefix="archive-", dir=settings.FILE_UPLOAD_TEMP_DIR))
    target = folder / "archive.zip"
    try:
        report(_("Reading your portfolio"), 0, 0)
        contents = archive_contents(owner=export.owner)
        with ArchiveWriter(target) as writer:
            records = _write_records(writer, contents, report)
            report(_("Making the offline copy"), 0, 0)
            pages = OfflinePages(writer)
            pages.write_stylesheets()
            for showcase in contents.showcases:
                pages.write_showcase(showcase)
            pages.write_index(contents.showcases, export.owner)
            writer.add_manifest(_manifest(export, records, writer.files))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return target


def _write_records(
    writer: ArchiveWriter, contents: Contents, report: Progress
) -> dict[str, list[dict[str, Any]]]:
    stage = _("Copying your files")
    total = len(contents.artefacts) + len(contents.reflections) + len(contents.badges)
    tick = every(total, report, stage)
    report(stage, 0, total)
    done = 0
    records: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    for artefact in contents.artefacts:
        records["artefacts"].append(artefact_record(writer, artefact))
        done += 1
        tick(done)
    for reflection in contents.reflections:
        records["reflections"].append(reflection_record(writer, reflection))
        done += 1
        tick(done)
    for badge in contents.badges:
        latest = contents.latest_checks.get(badge.pk)
        records["badges"].append(badge_record(writer, badge, latest))
        done += 1
        tick(done)
    items = item_ids(contents.showcases)
    records["showcases"] = [showcase_record(s) for s in contents.showcases]
    records["programmes"] = [programme_record(p) for p in contents.programmes]
    records["claims"] = [claim_record(c, items) for c in contents.claims]
    records["attestations"] = [attestation_record(a) for a in contents.attestations]
    records["feedback"] = [thread_record(t) for t in contents.threads]
    records["goals"] = [goal_record(g) for g in contents.goals]
    records["meetings"] = [meeting_record(m) for m in contents.meetings]
    return records


def _manifest(
    export: Export, records: dict[str, list[dict[str, Any]]], files: list[dict[str, Any]]
) -> dict[str, Any]:
    owner = export.owner
    return {
        "format": FORMAT,
        "version": VERSION,
        "archive_id": str(export.public_id),
        "exported_at": timezone.now().isoformat(),
        "generator": {"name": "Learner Portfolio", "site": settings.SITE_URL},
        "account": {"id": str(owner.public_id), "name": owner.display_name},
        "counts": {kind: len(records[kind]) for kind in KINDS},
        **records,
        "files": files,
    }
