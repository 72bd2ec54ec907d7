"""Fixtures that start real services for the tests that need them.

`celery_worker` starts a real `celery worker` process on the configured broker, pointed
at the test database. It runs only when CELERY_BROKER_URL is set and the database is
one a second process can open (not SQLite's in-memory test database); otherwise the
tests that use it are skipped with the reason. CI sets both (see .ci/run).
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from portfolio.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    queue: str
    mail_dir: Path
    log: Path

    def wait_for_mail(self, *, to: str, timeout: float = 30.0) -> str:
        """Poll the worker's mail folder until a message to `to` appears; return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for path in sorted(self.mail_dir.glob("*.log")):
                text = path.read_text()
                if f"To: {to}" in text:
                    return text
            if self.process.poll() is not None:
                pytest.fail(f"Celery worker exited early:\n{self.log.read_text()}")
            time.sleep(0.1)
        pytest.fail(f"No mail to {to} from the worker in {timeout}s:\n{self.log.read_text()}")


def _test_database_url() -> str:
    """DATABASE_URL pointing at the test database pytest-django created."""
    source = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(source._replace(path="/" + settings.DATABASES["default"]["NAME"]))


@pytest.fixture(scope="session")
def celery_worker(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Worker]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("needs CELERY_BROKER_URL (a real broker); CI sets it, see README")
    if connection.vendor == "sqlite":
        pytest.skip("a worker process cannot open SQLite's in-memory test database")

    queue = f"test-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path_factory.mktemp("worker-mail")
    log = tmp_path_factory.mktemp("worker-log") / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    # This process publishes to the worker's private queue, so no other worker on the
    # same broker (a developer's `make worker`) can take these tasks.
    celery_app.conf.task_default_queue = queue
    hostname = f"{queue}@localhost"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portfolio", "worker", "--pool=solo",
             "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-Q", queue, "-n", hostname, "--loglevel=INFO"],
            cwd=BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_until_ready(process, hostname, log)
        yield Worker(process=process, queue=queue, mail_dir=mail_dir, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        celery_app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE


def _wait_until_ready(process: subprocess.Popen[bytes], hostname: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Celery worker did not start:\n{log.read_text()}")
        if celery_app.control.ping(destination=[hostname], timeout=1.0):
            return
    process.kill()
    pytest.fail(f"Celery worker not ready within 60s:\n{log.read_text()}")
