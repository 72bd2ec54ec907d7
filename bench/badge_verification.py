"""Verifying badges: hosted Open Badges 2.0 assertions and did:key Open Badges 3.0
credentials, imported in the bench process, then checked again by a real Celery worker,
in badges per second, each worker figure printed beside the previous run's.

Both issuers are listed in a bench issuer registry, so every badge ends "Verified" (the
bench issuer serves plain http on loopback, which identifies no domain).

A learner with a verified email address imports COUNT hosted Open Badges 2.0 assertions
from an issuer served by the bench itself (bench/issuer.py) with the same service the
import form uses, one after another. A Celery worker process (bench/worker.py) then
re-verifies every one through the task the daily sweep sends, CONCURRENCY at a time, and
the bench waits for every result. The floor is GETting each assertion URL once with
urllib, one after another: what fetching the badges costs before any checking. Each
verification fetches more than the assertion (its badge class and issuer, too), so the
issuer's request count per badge is printed beside the time.

The worker needs Redis at REDIS_HOST:REDIS_PORT (broker and result backend, database
REDIS_DB, a queue unique to the run); without it, or with BENCH_SKIP_WORKER=1, only the
import and the floor run. The worker uses the bench database: with SQLite that is one
file shared by the bench and the worker's threads (see POOL).
"""

import os
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass

import redis
from celery.backends.redis import RedisBackend
from django.db import connection

from accounts.models import User
from badges.models import Badge, Status
from badges.outcome import BadgeRejected
from badges.services import badge_import, verified_emails
from badges.tasks import badge_reverify_task
from bench import datagen
from bench.environment import remove_uploaded_files, reset_database
from bench.harness import BenchmarkError, format_grid
from bench.history import beside_previous
from bench.issuer import Issuer, running_issuer
from bench.worker import STARTUP_TIMEOUT_S, running_worker, unique_queue

COUNT = 100
POOL = "threads"
CONCURRENCY = 8
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = 15  # away from the development setup's database 0; the queue is unique anyway
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
RESULTS_TIMEOUT_S = 90
FLOOR_TIMEOUT_S = 5


@dataclass(frozen=True)
class Phase:
    label: str  # a word for the summary lines
    what: str
    seconds: float
    requests: Counter[str]  # what the issuer served meanwhile, by kind

    @property
    def per_second(self) -> float:
        return COUNT / self.seconds


@dataclass(frozen=True)
class WorkerRun:
    phase: Phase
    exit_code: int | None  # None: it had to be killed


@dataclass(frozen=True)
class VerificationResult:
    database: str
    imported: Phase
    imported_did_key: Phase
    floor: Phase
    workers: list[WorkerRun]
    worker_skipped: str


def skip_reason() -> str:
    """Why no part of this benchmark can run now, or "" if it can."""
    from django.conf import settings

    if not settings.OUTBOUND_FETCH_ALLOW_LOOPBACK:
        return "needs OUTBOUND_FETCH_ALLOW_LOOPBACK=1, which the bench sets when DJANGO_DEBUG=1"
    return ""


def worker_skip_reason() -> str:
    """Why the Celery worker part cannot run now, or "" if it can."""
    if os.environ.get("BENCH_SKIP_WORKER", "") not in ("", "0"):
        return "BENCH_SKIP_WORKER is set"
    client = redis.Redis(
        host=REDIS_HOST, port=REDIS_PORT, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        client.ping()
    except (redis.RedisError, OSError):
        return f"needs Redis at {REDIS_HOST}:{REDIS_PORT}"
    finally:
        client.close()
    return ""


def _check_all_verified(statuses: dict[int, object], *, what: str) -> None:
    """Time verifications that succeeded, not fast failures."""
    if len(statuses) == COUNT and all(s == Status.VERIFIED for s in statuses.values()):
        return
    counted = Counter(str(s) for s in statuses.values())
    wrong = [pk for pk, s in statuses.items() if s != Status.VERIFIED][:1]
    reasons = Badge.objects.filter(pk__in=wrong).values_list("status_reason", flat=True)
    raise BenchmarkError(
        f"{what}: {len(statuses)} of {COUNT} badges answered, statuses {dict(counted)}; "
        f"the first one's reason: {next(iter(reasons), '(none stored)')}"
    )


def _import_all(issuer: Issuer, learner: User) -> tuple[list[int], Phase]:
    served = issuer.requests.copy()
    start = time.perf_counter()
    try:
        badges = [
            badge_import(owner=learner, payload=url, source=Badge.Source.URL)
            for url in issuer.assertion_urls
        ]
    except BadgeRejected as rejected:
        raise BenchmarkError(f"badge_import refused a bench badge: {rejected}") from None
    seconds = time.perf_counter() - start
    _check_all_verified({b.pk: b.status for b in badges}, what="badge_import")
    phase = Phase(
        label="import",
        what="badge_import() in the bench process, in turn",
        seconds=seconds,
        requests=issuer.requests - served,
    )
    return [b.pk for b in badges], phase


def _fetch_floor(issuer: Issuer) -> Phase:
    served = issuer.requests.copy()
    start = time.perf_counter()
    for url in issuer.assertion_urls:
        # Plain http to the bench's own loopback server.
        with urllib.request.urlopen(url, timeout=FLOOR_TIMEOUT_S) as response:  # noqa: S310
            response.read()
    return Phase(
        label="floor",
        what="floor: GET each assertion URL with urllib, in turn",
        seconds=time.perf_counter() - start,
        requests=issuer.requests - served,
    )


def _point_celery_at(queue: str) -> None:
    """Send this process's tasks to Redis and `queue` instead of running them eagerly
    (the bench runs without CELERY_BROKER_URL, so settings make every task eager), for
    the rest of the process: Celery keeps its backend once made."""
    from portfolio.celery import app

    app.conf.update(
        broker_url=REDIS_URL,
        result_backend=REDIS_URL,
        task_always_eager=False,
        task_default_queue=queue,
    )
    if not isinstance(app.backend, RedisBackend):
        raise BenchmarkError(f"Celery's result backend is {app.backend!r}, not Redis.")


def _delete_queue(queue: str) -> None:
    """Delete the run's queue and its bindings from Redis. Kombu forgets a binding only
    through a channel that declared it, so declare it again first."""
    from portfolio.celery import app

    with app.connection_for_write() as broker:
        bound = app.amqp.queues[queue].bind(broker.default_channel)
        bound.declare()
        bound.delete()


def _reverify_on_worker(issuer: Issuer, batches: list[tuple[str, list[int]]]) -> list[WorkerRun]:
    queue = unique_queue()
    env = {
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "OUTBOUND_FETCH_ALLOW_LOOPBACK": "1",
        "DJANGO_DEBUG": "1",
    }
    _point_celery_at(queue)
    sent = []
    runs = []
    try:
        with running_worker(queue=queue, env=env, pool=POOL, concurrency=CONCURRENCY) as worker:
            # Up and consuming: a badge that does not exist is answered at once, with None.
            sent.append(badge_reverify_task.delay(0))
            worker.wait_for(sent[0], timeout=STARTUP_TIMEOUT_S)
            timed = []
            for label, badge_ids in batches:
                served = issuer.requests.copy()
                start = time.perf_counter()
                results = [badge_reverify_task.delay(pk) for pk in badge_ids]
                sent.extend(results)
                deadline = time.monotonic() + RESULTS_TIMEOUT_S
                statuses = {
                    pk: worker.wait_for(result, timeout=deadline - time.monotonic())
                    for pk, result in zip(badge_ids, results, strict=True)
                }
                seconds = time.perf_counter() - start
                _check_all_verified(statuses, what=f"badge_reverify_task ({label})")
                timed.append((label, seconds, issuer.requests - served))
    finally:
        for result in sent:
            result.forget()
        _delete_queue(queue)
    for label, seconds, requests in timed:
        phase = Phase(
            label=f"worker {label}",
            what=f"badge_reverify_task, {label}, on a Celery worker ({POOL} x{CONCURRENCY})",
            seconds=seconds,
            requests=requests,
        )
        runs.append(WorkerRun(phase=phase, exit_code=worker.exit_code))
    return runs


def _trust(*issuer_ids: str) -> None:
    from django.utils import timezone

    from badges.models import IssuerRegistry, RegistryIssuer

    registry, _created = IssuerRegistry.objects.get_or_create(
        name="Bench registry",
        defaults={"file_name": "bench.json", "format": "dcc", "fetched_at": timezone.now()},
    )
    for issuer_id in issuer_ids:
        RegistryIssuer.objects.get_or_create(registry=registry, issuer_id=issuer_id)


def _import_did_key_all(learner: User) -> tuple[list[int], Phase]:
    """COUNT Open Badges 3.0 credentials signed by one did:key issuer, imported as JSON."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from badges.didkey import did_key_from_public_key
    from bench.registry_matching import did_key_credential

    key = Ed25519PrivateKey.generate()
    _trust(did_key_from_public_key(key.public_key()))
    payloads = [did_key_credential(key, learner.email, n) for n in range(COUNT)]
    start = time.perf_counter()
    badges = [badge_import(owner=learner, payload=p, source=Badge.Source.JSON) for p in payloads]
    seconds = time.perf_counter() - start
    _check_all_verified({b.pk: b.status for b in badges}, what="badge_import (did:key)")
    phase = Phase(
        label="import did:key",
        what="badge_import() of OB 3.0 did:key credentials, in turn",
        seconds=seconds,
        requests=Counter(),
    )
    return [b.pk for b in badges], phase


def run() -> VerificationResult:
    """Flushes the database first; leaves one learner and their COUNT badges, but deletes
    every stored file (the badges' display images)."""
    reset_database()
    learner = datagen.generate(learners=1).sample_learner
    if learner.email not in verified_emails(learner):
        raise BenchmarkError(f"{learner.email} is not a verified address of its learner.")
    worker_skipped = worker_skip_reason()
    workers: list[WorkerRun] = []
    try:
        with running_issuer(recipient=learner.email, count=COUNT) as issuer:
            _trust(f"{issuer.base_url}/issuer.json")
            badge_ids, imported = _import_all(issuer, learner)
            did_key_ids, imported_did_key = _import_did_key_all(learner)
            floor = _fetch_floor(issuer)
            if not worker_skipped:
                workers = _reverify_on_worker(
                    issuer, [("hosted OB 2.0", badge_ids), ("did:key OB 3.0", did_key_ids)]
                )
    finally:
        remove_uploaded_files()
    return VerificationResult(
        database=connection.vendor,
        imported=imported,
        imported_did_key=imported_did_key,
        floor=floor,
        workers=workers,
        worker_skipped=worker_skipped,
    )


def _per_badge(requests: Counter[str]) -> str:
    kinds = ", ".join(f"{kind} {count / COUNT:g}" for kind, count in sorted(requests.items()))
    return f"{requests.total() / COUNT:g} ({kinds})"


def format_result(result: VerificationResult) -> str:
    phases = [result.imported, result.imported_did_key]
    phases += [w.phase for w in result.workers] + [result.floor]
    cells: list[tuple[str, ...]] = [
        ("badge verification", "badges", "seconds", "badges/s", "GETs/badge", "ratio to floor")
    ]
    for phase in phases:
        cells.append(
            (
                phase.what,
                str(COUNT),
                f"{phase.seconds:.2f}",
                f"{phase.per_second:.0f}",
                f"{phase.requests.total() / COUNT:g}",
                f"{phase.seconds / result.floor.seconds:.1f}x",
            )
        )
    lines = [format_grid(cells)]
    lines += [f"verification: GETs per badge, {p.label}: {_per_badge(p.requests)}" for p in phases]
    lines.append(f"verification: badge_import: all {COUNT} verified, both kinds: yes")
    if not result.workers:
        lines.append(f"badge worker: skipped: {result.worker_skipped}")
    for worker in result.workers:
        phase = worker.phase
        previous = beside_previous(
            f"{phase.label} ({result.database})", phase.per_second, "badges/s"
        )
        lines.append(f"{phase.label}: {phase.per_second:.1f} badges/s; {previous}")
    if result.workers:
        code = result.workers[-1].exit_code
        stopped = {0: "yes (exit 0)", None: "no (killed)"}.get(code, f"no (exit {code})")
        lines.append(
            f"badge worker: all {COUNT} of each kind verified: yes; database {result.database}; "
            f"stopped cleanly: {stopped}"
        )
    return "\n".join(lines)
