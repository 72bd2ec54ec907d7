"""The APEL PDF made by a real `celery worker` (on a Redis of the test's own and the
test PostgreSQL database) while its task is delivered three times: one render, one
PDF and one claim.json stored, one line in the claim's history. Skipped on SQLite."""

import time
from pathlib import Path
from typing import Any

import pytest
import redis as redis_client
from django.conf import settings

from portfolio.apel.claim_json import claim_json
from portfolio.celery import app as celery_app
from portfolio.exports import services
from portfolio.exports.signing import signature_check
from portfolio.exports.tasks import export_render_task
from portfolio.models import ClaimEvent, Export, ExportState
from tests.portfolio.exports.apel_builders import small_claim
from tests.portfolio.exports.test_worker import _start, on_redis  # noqa: F401 - a fixture
from tests.services import ThrowawayRedis, Worker, stop

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _idle(redis: ThrowawayRedis, worker: Worker, timeout: float) -> None:
    """Wait until the worker has run everything sent to it: nothing left on its queue,
    nothing it holds or runs (solo pool: it answers between tasks)."""
    queue = redis_client.Redis.from_url(redis.url)
    inspect = celery_app.control.inspect(destination=[worker.hostname], timeout=1.0)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if queue.llen(worker.queue) == 0:
            held = (inspect.reserved() or {}).get(worker.hostname)
            running = (inspect.active() or {}).get(worker.hostname)
            if held == [] and running == []:
                return
        time.sleep(0.2)
    pytest.fail(f"Worker still busy after {timeout}s:\n{worker.log.read_text()[-4000:]}")


def test_a_task_delivered_three_times_makes_one_apel_pdf(
    on_redis: ThrowawayRedis,  # noqa: F811 - the fixture imported above
    people: Any,
    tmp_path: Path,
) -> None:
    built = small_claim(people.learner)
    worker = _start(on_redis, tmp_path)
    try:
        export = services.export_request_claim(owner=people.learner, claim=built.claim)
        # The same message again (a redelivery after a lost acknowledgement), twice.
        export_render_task.delay(export.pk)
        export_render_task.delay(export.pk)
        _idle(on_redis, worker, timeout=90)
    finally:
        stop(worker.process, grace=20)

    export = Export.objects.get(pk=export.pk)
    assert export.state == ExportState.DONE, (export.error, worker.log.read_text()[-2000:])
    assert export.attempts == 1
    assert ClaimEvent.objects.filter(claim=built.claim, kind="exported").count() == 1
    folder = Path(settings.MEDIA_ROOT) / "exports"
    stored_names = sorted(f"exports/{p.name}" for p in folder.glob("*"))
    assert stored_names == sorted([str(export.file.name), str(export.attachment.name)])
    with export.attachment.open("rb") as stored:
        assert stored.read() == claim_json(claim=built.claim)
    with export.file.open("rb") as pdf:
        assert signature_check(pdf.read()).intact
