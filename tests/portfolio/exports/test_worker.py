"""Exports rendered by a real `celery worker` on a Redis of the test's own and the test
PostgreSQL database: the progress a learner's page polls moves while it renders, and a
worker killed with kill -9 mid-render ends, after a new worker and the sweep, in exactly
one finished export or one failed record, with no stray file. Skipped on SQLite."""

import hashlib
import os
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from artefacts.models import Artefact
from portfolio.celery import app as celery_app
from portfolio.exports import services
from portfolio.models import Export, ExportState, Showcase
from tests import filemakers as make
from tests.portfolio.showcase_data import showcase_with
from tests.services import ThrowawayRedis, Worker, celery_broker, stop, worker_start

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PHOTOS = 30  # enough that "Preparing images" is seen counting up
Observed = tuple[str, str, int, int]


@pytest.fixture
def on_redis(throwaway_redis: ThrowawayRedis) -> Iterator[ThrowawayRedis]:
    """This process publishes to the throwaway Redis, on a queue of the test's own."""
    queue = f"export-{uuid.uuid4().hex[:8]}"
    # Put back what was there: the session's `celery_worker` may be consuming its own
    # private queue, which later worker tests publish to.
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
            "EXPORT_SIGNING_DEV_DIR": str(settings.EXPORT_SIGNING_DEV_DIR),
            "EXPORT_SIGNING_SELF_SIGNED": "1",
            # A task of a worker killed outright comes back after 3 s, not 15 minutes.
            "CELERY_VISIBILITY_TIMEOUT": "3",
        },
    )


def _photo_showcase(owner: Any) -> Showcase:
    photo = make.jpeg(2000, 1500)
    photos = [
        Artefact.objects.create(
            owner=owner, kind=Artefact.Kind.FILE, title=f"Photo {i}", media="image",
            file=ContentFile(photo, name="photo.jpg"), preview="ready",
        )
        for i in range(PHOTOS)
    ]  # fmt: skip
    return showcase_with(owner, {"Site photos": photos})


def _watch(
    export: Export, *, until: Callable[[Export], bool], timeout: float, log: Path
) -> list[Observed]:
    """Poll the export row as the learner's page does; every distinct state seen."""
    seen: list[Observed] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        export.refresh_from_db()
        now = (export.state, export.stage, export.done, export.total)
        if not seen or seen[-1] != now:
            seen.append(now)
        if until(export):
            return seen
        time.sleep(0.05)
    pytest.fail(f"Export not there within {timeout}s; saw {seen}:\n{log.read_text()[-4000:]}")


def _export_files() -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "exports"
    return sorted(f"exports/{p.name}" for p in folder.glob("*")) if folder.exists() else []


def test_a_worker_renders_while_the_progress_moves(
    on_redis: ThrowawayRedis, people: Any, tmp_path: Path
) -> None:
    showcase = _photo_showcase(people.learner)
    worker = _start(on_redis, tmp_path)
    try:
        export = services.export_request(owner=people.learner, showcase=showcase)
        seen = _watch(export, until=lambda e: not e.is_running, timeout=50, log=worker.log)
    finally:
        stop(worker.process, grace=20)

    assert export.state == ExportState.DONE, (export.error, worker.log.read_text()[-2000:])
    counting = [done for state, stage, done, total in seen if stage == "Preparing images"]
    assert len(set(counting)) >= 3, seen  # the bar moved, not only jumped to the end
    assert counting == sorted(counting) and max(counting) <= PHOTOS, seen
    assert {total for _, stage, _, total in seen if stage == "Preparing images"} == {PHOTOS}
    stages = [stage for _, stage, _, _ in seen]
    later = stages.index("Ready")
    assert stages.index("Preparing images") < later, seen
    assert _export_files() == [export.file.name]
    with export.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == export.sha256


def test_a_worker_killed_mid_render_ends_in_one_export_and_no_stray_file(
    on_redis: ThrowawayRedis, people: Any, tmp_path: Path
) -> None:
    showcase = _photo_showcase(people.learner)
    first = _start(on_redis, tmp_path)
    export = services.export_request(owner=people.learner, showcase=showcase)
    _watch(
        export,
        until=lambda e: e.stage == "Preparing images" and e.done >= 5,
        timeout=30,
        log=first.log,
    )
    os.kill(first.process.pid, signal.SIGKILL)  # mid-render: no warm shutdown, no ack
    first.process.wait()
    export.refresh_from_db()
    assert export.state == ExportState.RENDERING

    second = _start(on_redis, tmp_path)
    try:
        # Later, the periodic sweep finds it rendering past the hard time limit.
        time.sleep(4)  # the killed task's message comes back to the new worker first
        later = timezone.now() + timedelta(seconds=settings.EXPORT_TIME_LIMIT + 31)
        assert services.exports_sweep(now=later) == 1
        _watch(export, until=lambda e: not e.is_running, timeout=50, log=second.log)
    finally:
        stop(second.process, grace=20)

    assert Export.objects.filter(showcase=showcase).count() == 1
    export.refresh_from_db()
    if export.state == ExportState.DONE:
        assert export.attempts == 2
        assert _export_files() == [export.file.name] == [export.file_name]
        with export.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == export.sha256
    else:
        assert export.state == ExportState.FAILED and export.error
        assert _export_files() == []
