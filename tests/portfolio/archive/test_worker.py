"""The archive made and imported by a real `celery worker` on a Redis of the test's own and
the test PostgreSQL database: the import's progress moves while the worker runs it, and
both end done. Skipped on SQLite."""

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from artefacts.models import Artefact
from artefacts.services import Details, artefact_create_file
from portfolio.archive.export import archive_export_request
from portfolio.archive.importer import archive_import_request
from portfolio.celery import app as celery_app
from portfolio.models import ArchiveImportState, ExportState
from tests import filemakers as make
from tests.services import ThrowawayRedis, Worker, celery_broker, stop, worker_start

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FILES = 120


@pytest.fixture
def on_redis(throwaway_redis: ThrowawayRedis) -> Iterator[ThrowawayRedis]:
    queue = f"archive-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        with celery_broker(throwaway_redis.url):
            yield throwaway_redis
    finally:
        celery_app.conf.task_default_queue = previous


def _start(redis: ThrowawayRedis, tmp: Path) -> Worker:
    return worker_start(
        queue=str(celery_app.conf.task_default_queue),
        tmp=tmp,
        env={
            "CELERY_BROKER_URL": redis.url,
            "CELERY_RESULT_BACKEND": redis.url,
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        },
    )


def _until_done(row: Any, log: Path, timeout: float = 60) -> list[tuple[str, int]]:
    seen: list[tuple[str, int]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row.refresh_from_db()
        if not seen or seen[-1] != (row.stage, row.done):
            seen.append((row.stage, row.done))
        if not row.is_running:
            return seen
        time.sleep(0.02)
    pytest.fail(f"Still running after {timeout}s; saw {seen}:\n{log.read_text()[-4000:]}")


def test_a_worker_makes_the_archive_and_imports_it(
    on_redis: ThrowawayRedis, people: Any, tmp_path: Path
) -> None:
    for n in range(FILES):
        artefact_create_file(
            owner=people.learner,
            upload=make.uploaded(f"notes-{n}.txt", make.text(f"Notes number {n}\n")),
            details=Details(title=f"Notes {n}"),
        )
    worker = _start(on_redis, tmp_path)
    try:
        export = archive_export_request(owner=people.learner)
        _until_done(export, worker.log)
        assert export.state == ExportState.DONE, (export.error, worker.log.read_text()[-2000:])
        with export.file.open("rb") as stored:
            data = stored.read()
        made = archive_import_request(
            owner=people.classmate, upload=SimpleUploadedFile("mine.zip", data)
        )
        seen = _until_done(made, worker.log)
    finally:
        stop(worker.process, grace=20)

    assert made.state == ArchiveImportState.DONE, (made.error, worker.log.read_text()[-2000:])
    assert Artefact.objects.filter(owner=people.classmate).count() == FILES
    # The page saw the count move while the import's transaction was still open.
    counted = [done for stage, done in seen if stage == "Importing"]
    assert len(set(counted)) >= 2 and counted == sorted(counted), seen
    assert made.upload.name == ""
