"""After a worker died: an archive export is swept by the archive's own (longer) time
limit, and an import left running past it is queued again once, then refused with its
uploaded archive deleted."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from portfolio.archive import importer
from portfolio.exports import services
from portfolio.models import (
    ArchiveImport,
    ArchiveImportState,
    Export,
    ExportKind,
    ExportState,
)
from portfolio.models.archive import new_upload_name
from portfolio.models.exports import new_file_name

pytestmark = pytest.mark.django_db


def _ago(seconds: int) -> Any:
    return timezone.now() - timedelta(seconds=seconds)


def _rendering_archive(owner: Any, started_at: Any) -> Export:
    return Export.objects.create(
        owner=owner,
        kind=ExportKind.ARCHIVE_ZIP,
        title="Everything",
        file_name=new_file_name("zip"),
        idempotency_key=f"stuck-{started_at.timestamp()}",
        state=ExportState.RENDERING,
        attempts=1,
        started_at=started_at,
    )


def test_an_archive_export_gets_its_own_time_limit_before_the_sweep(
    people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    busy = _rendering_archive(people.learner, _ago(settings.EXPORT_TIME_LIMIT + 60))
    dead = _rendering_archive(people.learner, _ago(settings.ARCHIVE_TIME_LIMIT + 31))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert services.exports_sweep() == 1
    assert len(queued) == 1
    busy.refresh_from_db()
    dead.refresh_from_db()
    assert busy.state == ExportState.RENDERING
    assert dead.state == ExportState.QUEUED
    assert dead.file_name.endswith(".zip")


def _running_import(owner: Any, *, attempts: int) -> ArchiveImport:
    name = default_storage.save(new_upload_name(), ContentFile(b"PK half an archive"))
    return ArchiveImport.objects.create(
        owner=owner,
        upload=name,
        idempotency_key=f"running-{attempts}",
        state=ArchiveImportState.RUNNING,
        attempts=attempts,
        started_at=_ago(settings.ARCHIVE_TIME_LIMIT + 31),
    )


def test_a_stuck_import_is_queued_again(
    people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    stuck = _running_import(people.learner, attempts=1)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert importer.archive_imports_sweep() == 1
    stuck.refresh_from_db()
    assert stuck.state == ArchiveImportState.QUEUED
    assert len(queued) == 1
    assert default_storage.exists(stuck.upload.name)


def test_an_import_stuck_again_is_refused_and_its_archive_deleted(
    people: Any, django_capture_on_commit_callbacks: Any, _media_root: Path
) -> None:
    stuck = _running_import(people.learner, attempts=settings.EXPORT_MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True):
        assert importer.archive_imports_sweep() == 1
    stuck.refresh_from_db()
    assert stuck.state == ArchiveImportState.FAILED
    assert "stopped before it finished" in stuck.error
    assert stuck.upload.name == ""
    assert not [p for p in _media_root.rglob("*") if p.is_file()]


def test_a_running_import_within_its_time_is_left_alone(people: Any) -> None:
    running = _running_import(people.learner, attempts=1)
    ArchiveImport.objects.filter(pk=running.pk).update(started_at=_ago(60))
    assert importer.archive_imports_sweep() == 0
