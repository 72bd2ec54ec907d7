"""Real faults against real processes: a worker, or one pool child of a prefork worker,
killed with kill -9 in the middle of a batch, and Redis restarted under a running worker.
Each test starts its own Redis (see tests/services.py) and workers, on the test PostgreSQL
database; skipped on SQLite."""

import os
import re
import signal
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from celery.app.control import Inspect
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from artefacts.models import Artefact
from artefacts.services import PREVIEW_RETRY_AFTER, artefact_preview_sweep
from artefacts.tasks import artefact_prepare_preview_task
from core.email import email_enqueue
from core.enqueue import task_enqueue
from core.models import OutboundEmail
from portfolio.celery import app as celery_app
from portfolio.models import Notification, NotificationKind
from portfolio.review.tasks import notification_digest_sweep_task
from tests import filemakers as make
from tests.conftest import People
from tests.services import ThrowawayRedis, Worker, celery_broker, stop, worker_start

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def on_redis(throwaway_redis: ThrowawayRedis) -> Iterator[ThrowawayRedis]:
    """This process publishes to the throwaway Redis, on a queue of the test's own."""
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    # Put back what was there: the session's `celery_worker` may be consuming its own
    # private queue, which later worker tests publish to.
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        with celery_broker(throwaway_redis.url):
            yield throwaway_redis
    finally:
        celery_app.conf.task_default_queue = previous


def _start(
    redis: ThrowawayRedis,
    tmp: Path,
    *,
    visibility_timeout: int = 3,
    pool: str = "solo",
    concurrency: int = 1,
) -> Worker:
    """A worker on `redis`. With the default `visibility_timeout`, a task of a worker
    killed outright comes back after 3 s, not 15 minutes."""
    return worker_start(
        queue=str(celery_app.conf.task_default_queue),
        tmp=tmp,
        pool=pool,
        concurrency=concurrency,
        env={
            "CELERY_BROKER_URL": redis.url,
            "CELERY_RESULT_BACKEND": redis.url,
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
        },
    )


def _wait(condition: Callable[[], bool], *, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"Not {what} within {timeout}s:\n{log.read_text()[-4000:]}")


def _message_ids(mail_dir: Path) -> Counter[str]:
    text = "".join(path.read_text() for path in mail_dir.glob("*.log"))
    return Counter(re.findall(r"Message-ID: (<outbox\.[^>]+>)", text))


def test_a_worker_killed_mid_batch_leaves_every_effect_exactly_once(
    on_redis: ThrowawayRedis, people: People, tmp_path: Path
) -> None:
    artefacts = [
        Artefact.objects.create(
            owner=people.learner, kind=Artefact.Kind.FILE, title=f"photo {i}", media="image",
            file=ContentFile(make.jpeg(1600, 1200), name="photo.jpg"), preview="pending",
        )
        for i in range(12)
    ]  # fmt: skip
    worker = _start(on_redis, tmp_path)
    for artefact in artefacts:
        task_enqueue(artefact_prepare_preview_task, artefact.pk)
    for i in range(12):
        with transaction.atomic():
            email_enqueue(
                EmailMessage(f"Note {i}", "Body", to=[f"p{i}@example.org"]), key=f"batch:{i}"
            )
    ready = Artefact.objects.filter(preview="ready")
    _wait(lambda: ready.count() >= 3, timeout=60, what="3 previews made", log=worker.log)
    os.kill(worker.process.pid, signal.SIGKILL)  # mid-batch: no warm shutdown, no ack
    worker.process.wait()

    second = _start(on_redis, tmp_path)
    try:
        # The preview the killed worker held comes back either from the broker (its
        # visibility timeout) or from the database sweep beat runs every few minutes (the
        # source of truth: it re-queues every preview still pending). Run the sweep as beat
        # would once the rest is done; the task is idempotent, so both may deliver it.
        _wait(
            lambda: ready.count() >= 11 and not OutboundEmail.objects.filter(status="pending"),
            timeout=60, what="the rest of the work done after the restart", log=second.log,
        )  # fmt: skip
        artefact_preview_sweep(now=timezone.now() + PREVIEW_RETRY_AFTER + timedelta(seconds=1))
        _wait(lambda: ready.count() == 12, timeout=60, what="every preview made",
              log=second.log)  # fmt: skip
    finally:
        stop(second.process, grace=20)

    stored = {str(p.relative_to(settings.MEDIA_ROOT)) for p in Path(settings.MEDIA_ROOT).rglob("*")
              if p.is_file() and "previews" in p.parts}  # fmt: skip
    recorded = {
        n for a in ready for n in (a.display_file.name, a.print_file.name, a.thumbnail.name)
    }
    assert stored == recorded  # no orphan copy, none missing
    sent = _message_ids(worker.mail_dir)
    assert sent and max(sent.values()) == 1  # no email twice
    rows = OutboundEmail.objects.filter(key__startswith="batch:")
    assert rows.filter(status="sent").count() == len(sent)
    # At most the one message the kill interrupted mid-send is unaccounted for.
    assert rows.exclude(status="sent").count() <= 1


def _inspect(worker: Worker) -> Inspect:
    return celery_app.control.inspect(destination=[worker.hostname], timeout=1.0)


def _pool_pids(worker: Worker) -> set[int]:
    """The pids of the worker's pool child processes, as its main process reports them."""
    reply = (_inspect(worker).stats() or {}).get(worker.hostname)
    return set(reply["pool"]["processes"]) if reply else set()


def _running_preview(worker: Worker) -> dict[str, Any] | None:
    """A preview task a pool child has started and not finished (id, args, worker_pid)."""
    for task in (_inspect(worker).active() or {}).get(worker.hostname, []):
        if task["name"] == artefact_prepare_preview_task.name and task.get("worker_pid"):
            return cast(dict[str, Any], task)
    return None


def test_a_pool_child_killed_mid_task_is_replaced_and_its_task_redelivered(
    on_redis: ThrowawayRedis, people: People, tmp_path: Path
) -> None:
    scan = make.png(6000, 4000)  # a PNG is decoded in full: about 2 s for its preview
    artefacts = [
        Artefact.objects.create(
            owner=people.learner, kind=Artefact.Kind.FILE, title=f"scan {i}", media="image",
            file=ContentFile(scan, name="scan.png"), preview="pending",
        )
        for i in range(4)
    ]  # fmt: skip
    # A long visibility timeout: the interrupted task can only come back within the test
    # because the main process rejects it to the queue (acks_late, reject_on_worker_lost).
    worker = _start(on_redis, tmp_path, visibility_timeout=900, pool="prefork", concurrency=2)
    try:
        for i, artefact in enumerate(artefacts):
            task_enqueue(artefact_prepare_preview_task, artefact.pk)
            with transaction.atomic():
                email_enqueue(
                    EmailMessage(f"Note {i}", "Body", to=[f"c{i}@example.org"]), key=f"child:{i}"
                )
        victim: dict[str, Any] = {}

        def caught() -> bool:
            victim.update(_running_preview(worker) or {})
            return bool(victim)

        def replaced() -> bool:
            return len(_pool_pids(worker) - {victim["worker_pid"]}) == 2

        _wait(caught, timeout=20, what="a preview running in a pool child", log=worker.log)
        os.kill(victim["worker_pid"], signal.SIGKILL)  # that child only, mid-task
        _wait(replaced, timeout=10, what="the killed child replaced", log=worker.log)
        ready = Artefact.objects.filter(preview="ready")
        _wait(
            lambda: ready.count() == 4 and not OutboundEmail.objects.exclude(status="sent"),
            timeout=30, what="all work done by the same worker", log=worker.log,
        )  # fmt: skip
        assert worker.process.poll() is None  # the main process never went down
    finally:
        stop(worker.process, grace=20)

    log = worker.log.read_text()
    # The task was running when its child died, and came back once to the same worker.
    assert f"pid:{victim['worker_pid']} exited with 'signal 9 (SIGKILL)'" in log
    assert "WorkerLostError" in log
    assert log.count(f"[{victim['id']}] received") == 2
    assert Artefact.objects.get(pk=victim["args"][0]).preview == "ready"
    stored = {str(p.relative_to(settings.MEDIA_ROOT)) for p in Path(settings.MEDIA_ROOT).rglob("*")
              if p.is_file() and "previews" in p.parts}  # fmt: skip
    recorded = {
        n for a in ready for n in (a.display_file.name, a.print_file.name, a.thumbnail.name)
    }
    assert stored == recorded and len(stored) == 12  # a served copy, print copy, thumbnail each
    sent = _message_ids(worker.mail_dir)
    assert len(sent) == 4 and max(sent.values()) == 1  # every email, none twice


def test_the_worker_stays_up_through_a_redis_restart_and_sends_deferred_digests(
    on_redis: ThrowawayRedis, people: People, tmp_path: Path
) -> None:
    # Emailed 1 hour less 8 seconds ago: the new feedback waits for its digest.
    Notification.objects.create(
        recipient=people.learner, kind=NotificationKind.FEEDBACK, text="Earlier", url="/",
        emailed_at=timezone.now() - timedelta(hours=1) + timedelta(seconds=8),
    )  # fmt: skip
    Notification.objects.create(
        recipient=people.learner, kind=NotificationKind.FEEDBACK, text="Deferred news", url="/"
    )
    worker = _start(on_redis, tmp_path)
    try:
        task_enqueue(notification_digest_sweep_task)  # too early: nothing is due yet
        time.sleep(1)
        on_redis.stop()
        time.sleep(1)
        on_redis.start()
        time.sleep(8)
        assert worker.process.poll() is None, worker.log.read_text()
        assert task_enqueue(notification_digest_sweep_task)
        text = worker.wait_for_mail(to=people.learner.email, timeout=30)
        assert "Deferred news" in text
        assert worker.process.poll() is None
    finally:
        stop(worker.process, grace=20)
