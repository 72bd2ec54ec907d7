"""A Leap2A import as background work: run once, safe to run again, picked up by the
archive imports' sweep when its worker died, and a crash half way imports nothing."""

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portfolio.archive.importer import archive_imports_sweep
from portfolio.archive.leap2a_jobs import leap2a_import_request, leap2a_import_run
from portfolio.archive.leap2a_tasks import leap2a_import_task
from portfolio.models import ArchiveImport, ArchiveImportState, Showcase
from tests.portfolio.archive.leap2a_samples import nothing_imported, sample_bytes


def _queued(owner: Any, capture: Any) -> ArchiveImport:
    """An import asked for, its task not run yet."""
    upload = SimpleUploadedFile("mahara.zip", sample_bytes(), "application/zip")
    with capture(execute=False):
        return leap2a_import_request(owner=owner, upload=upload)


def test_a_queued_import_runs_once(people, django_capture_on_commit_callbacks) -> None:
    queued = _queued(people.learner, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        first = leap2a_import_run(import_id=queued.pk)
    second = leap2a_import_run(import_id=queued.pk)

    assert first is not None and first.state == ArchiveImportState.DONE
    assert first.report["created"] == {"artefacts": 2, "reflections": 8, "showcases": 1}
    assert second is None  # no longer queued: a duplicated message does nothing
    assert Showcase.objects.filter(owner=people.learner).count() == 1


def test_the_sweep_queues_a_stalled_import_again_for_the_leap2a_task(
    people, settings, django_capture_on_commit_callbacks
) -> None:
    queued = _queued(people.learner, django_capture_on_commit_callbacks)
    long_ago = timezone.now() - timedelta(seconds=settings.ARCHIVE_TIME_LIMIT + 60)
    ArchiveImport.objects.filter(pk=queued.pk).update(
        state=ArchiveImportState.RUNNING, started_at=long_ago, attempts=1
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert archive_imports_sweep() == 1

    queued.refresh_from_db()
    assert queued.state == ArchiveImportState.DONE, queued.error
    assert queued.report["leap2a"]["source"].startswith("Mahara Leap2A Export")


class _FailingStorage(FileSystemStorage):
    """A disk that fails at the first file the import stores."""

    def _save(self, name: str, content: Any) -> str:
        if name.startswith("artefacts/"):
            raise OSError("No space left on device")
        return str(super()._save(name, content))  # type: ignore[misc]


def test_a_crash_half_way_imports_nothing_and_says_so(
    people, settings, _media_root: Path, django_capture_on_commit_callbacks
) -> None:
    queued = _queued(people.learner, django_capture_on_commit_callbacks)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}._FailingStorage", "OPTIONS": {"location": _media_root}},
    }

    with django_capture_on_commit_callbacks(execute=True):
        assert leap2a_import_task(queued.pk) == "failed"

    queued.refresh_from_db()
    assert queued.state == ArchiveImportState.FAILED
    assert queued.error.startswith("Something went wrong while importing, so nothing was imported")
    assert nothing_imported(people.learner, _media_root)  # the uploaded file is gone too
