"""A real Celery worker process for benchmarks of background work, on a queue of its own.

The worker runs the project's own command (`celery -A portfolio worker`) with this
process's environment plus what the caller gives (database, broker, result backend), so
it reads the bench's database. Its queue's name is unique to the run, so it never takes
another worker's tasks and no other worker takes its own. Its output goes to LOG.
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from celery.result import AsyncResult

from bench.environment import BASE_DIR, BENCH_DIR
from bench.harness import BenchmarkError

LOG = BENCH_DIR / "worker.log"
STARTUP_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30


def unique_queue() -> str:
    return f"bench-{uuid.uuid4().hex[:12]}"


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    queue: str
    pool: str
    concurrency: int
    exit_code: int | None = None  # once stopped

    def wait_for(self, result: AsyncResult, *, timeout: float) -> object:
        """`result`'s value, failing early if the worker process dies meanwhile."""
        deadline = time.monotonic() + timeout
        while not result.ready():
            if self.process.poll() is not None:
                raise BenchmarkError(
                    f"The Celery worker exited with {self.process.returncode}:\n{log_tail()}"
                )
            if time.monotonic() > deadline:
                raise BenchmarkError(
                    f"The Celery worker did not answer within {timeout:.0f} s:\n{log_tail()}"
                )
            time.sleep(0.02)
        return result.get(propagate=False)


def log_tail(lines: int = 20) -> str:
    try:
        return "\n".join(LOG.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@contextmanager
def running_worker(
    *, queue: str, env: Mapping[str, str], pool: str = "threads", concurrency: int = 8
) -> Iterator[Worker]:
    """Start a worker consuming only `queue`; on leaving, stop it with SIGTERM (Celery's
    warm shutdown: it finishes the tasks it holds) and wait for it to exit."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portfolio",
        "worker",
        f"--pool={pool}",
        f"--concurrency={concurrency}",
        "-Q",
        queue,
        "-n",
        "bench@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=info",
    ]
    with LOG.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and Celery app)
            command,
            cwd=BASE_DIR,
            env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker = Worker(process=process, queue=queue, pool=pool, concurrency=concurrency)
    try:
        yield worker
    finally:
        process.terminate()
        try:
            worker.exit_code = process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
