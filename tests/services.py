"""Fixtures that start real services for the tests that need them.

`celery_worker` starts a real `celery worker` process on the configured broker, pointed
at the test database. It runs only when CELERY_BROKER_URL is set and the database is
one a second process can open (not SQLite's in-memory test database); otherwise the
tests that use it are skipped with the reason. CI sets both (see .ci/run).

`s3_server` starts a real S3-compatible server (moto in server mode) on loopback, and
`s3_storage` gives a test a fresh bucket on it as Django's default storage, configured as
portfolio/settings.py configures S3 in production. Nothing of boto or storage is mocked:
files go over HTTP to that server and back.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import boto3
import kombu.pools
import pytest
import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from pytest_django import Settings
from storages.backends.s3 import S3Storage

from portfolio.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    queue: str
    mail_dir: Path
    media_root: Path
    log: Path
    hostname: str

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


def stop(process: subprocess.Popen[bytes], *, grace: float) -> None:
    """Ask a service process to stop; kill it if it has not within `grace` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


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

    # This process publishes to the worker's private queue, so no other worker on the
    # same broker (a developer's `make worker`) can take these tasks.
    queue = f"test-{uuid.uuid4().hex[:12]}"
    celery_app.conf.task_default_queue = queue
    worker = worker_start(queue=queue, tmp=tmp_path_factory.mktemp("worker"))
    try:
        yield worker
    finally:
        stop(worker.process, grace=20)
        celery_app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE


def worker_start(
    *,
    queue: str,
    tmp: Path,
    pool: str = "solo",
    concurrency: int = 1,
    env: dict[str, str] | None = None,
) -> Worker:
    """Start `celery worker` on `queue`, on the test database, mail to files in
    `tmp/mail`, media in `tmp/media`; return once it answers a ping. `pool="prefork"`
    with `concurrency` > 1 runs tasks in that many pool child processes."""
    mail_dir, media_root = tmp / "mail", tmp / "media"
    mail_dir.mkdir(exist_ok=True)
    media_root.mkdir(exist_ok=True)
    log = tmp / f"worker-{uuid.uuid4().hex[:6]}.log"
    full_env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "DJANGO_MEDIA_ROOT": str(media_root),
        **(env or {}),
    }
    hostname = f"{queue}-{uuid.uuid4().hex[:4]}@localhost"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portfolio", "worker", f"--pool={pool}",
             f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-Q", queue, "-n", hostname, "--loglevel=INFO"],
            cwd=BASE_DIR, env=full_env, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
    _wait_until_ready(process, hostname, log)
    return Worker(
        process=process, queue=queue, mail_dir=mail_dir, media_root=media_root, log=log,
        hostname=hostname,
    )  # fmt: skip


def _wait_until_ready(process: subprocess.Popen[bytes], hostname: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Celery worker did not start:\n{log.read_text()}")
        if celery_app.control.ping(destination=[hostname], timeout=1.0):
            return
    process.kill()
    pytest.fail(f"Celery worker not ready within 60s:\n{log.read_text()}")


# --- Broker -----------------------------------------------------------------------------

# Nothing listens here (a port reserved for these tests): a broker that is down.
CLOSED_BROKER_URL = "redis://127.0.0.1:6395/0"


@contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """Publish this process's tasks to `url` (not in-process) inside the block, as the
    web process does in production with CELERY_BROKER_URL set."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager)
    _drop_broker_connections()
    conf.update(broker_url=url, task_always_eager=False)
    try:
        with pytest.MonkeyPatch.context() as patch:
            # Celery reads these variables before its own setting (as CI sets the first),
            # so without this the block would go on publishing to the environment's broker.
            patch.setenv("CELERY_BROKER_URL", url)
            patch.delenv("CELERY_BROKER_READ_URL", raising=False)
            patch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
            yield
    finally:
        _drop_broker_connections()
        conf.update(broker_url=saved[0], task_always_eager=saved[1])


def _drop_broker_connections() -> None:
    kombu.pools.reset()  # connections are pooled process-wide, keyed by broker URL
    # Celery caches both pools on first use; clearing them makes it read broker_url again.
    celery_app._pool = None  # type: ignore[attr-defined]
    celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]


@pytest.fixture
def broker_down() -> Iterator[None]:
    """The broker is unreachable for the test: every publish fails."""
    with celery_broker(CLOSED_BROKER_URL):
        yield


@dataclass
class ThrowawayRedis:
    """A redis-server of our own on its own port, for tests that stop it (an outage) or
    restart it; never the machine's shared one. `persistent` gives it the persistence
    README "Workers and Redis" asks for (append-only file in `folder`), so a restart
    keeps its queues; `extra` are more server arguments (e.g. a memory limit)."""

    port: int
    folder: Path | None = None
    persistent: bool = False
    extra: tuple[str, ...] = ()
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        durable = (
            ("--dir", str(self.folder), "--appendonly", "yes", "--appendfsync", "everysec",
             "--maxmemory-policy", "noeviction")
            if self.persistent and self.folder is not None
            else ("--appendonly", "no")
        )  # fmt: skip
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             *durable, *self.extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, grace=10)
            self.process = None


@pytest.fixture
def throwaway_redis(tmp_path: Path) -> Iterator[ThrowawayRedis]:
    """A Redis for fault tests to restart; never the machine's shared one. The port is
    reserved for these tests (RELIABILITY_REDIS_PORT, default 6391)."""
    if connection.vendor == "sqlite":
        pytest.skip("a worker process cannot open SQLite's in-memory test database")
    server = ThrowawayRedis(
        port=int(os.environ.get("RELIABILITY_REDIS_PORT", "6391")),
        folder=tmp_path,
        persistent=True,
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- S3 ---------------------------------------------------------------------------------

S3_ACCESS_KEY = "test-access-key"
S3_SECRET_KEY = "test-secret-key"  # moto accepts any; the tests check signatures with it
# Loopback never goes through a proxy, whatever the environment says.
LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The endpoint URL of an S3-compatible server (moto) listening on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("s3-server") / "moto.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            cwd=BASE_DIR, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_until_answering(process, endpoint, log)
        yield endpoint
    finally:
        stop(process, grace=10)


def _wait_until_answering(process: subprocess.Popen[bytes], endpoint: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"S3 server (moto) did not start:\n{log.read_text()}")
        try:
            LOOPBACK.open(endpoint + "/", timeout=1).close()
            return
        except urllib.error.HTTPError:
            return  # an S3 error is an answer
        except OSError:
            time.sleep(0.05)
    process.kill()
    pytest.fail(f"S3 server (moto) not answering within 30s:\n{log.read_text()}")


@dataclass
class S3Bucket:
    """A fresh bucket on the loopback S3 server, which is Django's default storage for the
    test that has it. `client` is a plain boto3 client, for looking behind the app's back."""

    name: str
    endpoint: str
    region: str
    secret_key: str
    client: Any

    def object_keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return bytes(self.client.get_object(Bucket=self.name, Key=key)["Body"].read())


@pytest.fixture
def s3_storage(
    request: pytest.FixtureRequest,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    _media_root: Path,  # the conftest's local storage, which this one replaces
    s3_server: str,
) -> Iterator[S3Bucket]:
    """Default storage on a new bucket, with the options portfolio/settings.py uses when
    AWS_STORAGE_BUCKET_NAME is set. The region defaults to eu-west-2; parametrize
    indirectly with another (us-east-1 is where botocore would otherwise sign SigV2)."""
    region = getattr(request, "param", "eu-west-2")
    # Credentials come from the environment, as in production; nothing from ~/.aws.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", S3_ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", S3_SECRET_KEY)
    for name in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")

    name = f"evidence-{uuid.uuid4().hex[:16]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=region,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
    )
    if region == "us-east-1":
        client.create_bucket(Bucket=name)
    else:
        client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **settings.S3_STORAGE_OPTIONS,
                "bucket_name": name,
                "endpoint_url": s3_server,
                "region_name": region,
            },
        },
    }
    if not (isinstance(default_storage, S3Storage) and default_storage.bucket_name == name):
        pytest.fail(f"default_storage did not follow STORAGES: {default_storage!r}")
    stored = S3Bucket(
        name=name, endpoint=s3_server, region=region, secret_key=S3_SECRET_KEY, client=client
    )
    yield stored
    for key in stored.object_keys():
        client.delete_object(Bucket=name, Key=key)
    client.delete_bucket(Bucket=name)
