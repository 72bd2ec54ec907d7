"""Gunicorn in production: `gunicorn -c python:portfolio.gunicorn_conf portfolio.wsgi`.

Every number can be changed by the environment variable named beside it.

Worker class: gthread, not sync. A page spends part of its time waiting on PostgreSQL
(and a download on storage), which threads overlap; sync workers would need a process,
with its own copy of Django, per concurrent request. Threads also let a worker keep idle
keep-alive connections from the proxy without holding a thread, and answer 503 from a
spare thread while the others are busy (core/loadshed.py). The GIL limits one process to
about one core of Python, so there is one process per core.

Overload: a worker runs at most GUNICORN_APP_THREADS requests at once (passed to Django
as LOADSHED_MAX_CONCURRENT) and has as many threads again to refuse the rest with 503 and
Retry-After at once. The worker class stamps each request with the time it was queued
(X-Request-Start, keeping a proxy's earlier stamp), and a request that waited longer than
LOADSHED_MAX_WAIT_MS is refused rather than served to a reader who has likely gone.
"""

import os
import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

from core.loadshed import request_start


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


def stamp_request_start(
    headers: list[tuple[str, str]], *, queued_at: float
) -> list[tuple[str, str]]:
    """`headers` (gunicorn's: names in upper case) with one X-Request-Start: the earliest
    of `queued_at` and a valid stamp already there (a proxy's). A later stamp, sent to
    dodge load shedding, and an unreadable one are dropped."""
    stamps = [queued_at]
    kept = []
    for name, value in headers:
        if name == "X-REQUEST-START":
            sent = request_start(value)
            if sent is not None:
                stamps.append(sent)
        else:
            kept.append((name, value))
    return [*kept, ("X-REQUEST-START", f"t={min(stamps):.6f}")]


class QueueStampingWorker(ThreadWorker):
    """gthread, plus an X-Request-Start stamp taken when a request joins the thread
    pool's queue, so the application sees how long the request waited."""

    def enqueue_req(self, conn: Any) -> None:
        conn.queued_at = time.time()
        super().enqueue_req(conn)

    def handle_request(self, req: Any, conn: Any) -> bool:
        queued_at = getattr(conn, "queued_at", time.time())
        req.headers = stamp_request_start(req.headers, queued_at=queued_at)
        return bool(super().handle_request(req, conn))


APP_THREADS = _env_int("GUNICORN_APP_THREADS", 4)


def on_starting(server: Any) -> None:
    """In the master, before it forks the workers that load Django's settings."""
    os.environ.setdefault("LOADSHED_MAX_CONCURRENT", str(APP_THREADS))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # the proxy's upstream
workers = _env_int("WEB_CONCURRENCY", os.cpu_count() or 1)
worker_class = QueueStampingWorker
threads = 2 * APP_THREADS
# Connections one worker holds, idle keep-alive ones included; beyond them connections
# wait in the listen backlog, and beyond that the kernel drops new ones (clients retry).
worker_connections = _env_int("GUNICORN_WORKER_CONNECTIONS", 200)
backlog = _env_int("GUNICORN_BACKLOG", 128)

# gthread: a worker whose main loop is silent this long is killed and replaced. It does
# not cut a slow request short; database statement timeouts do that.
timeout = _env_int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (a deploy), requests in progress get this long to finish: under the 30 s
# most process managers allow before they kill.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 20)
# Idle keep-alive connections are closed after this many seconds; set the proxy's
# upstream idle timeout below it, or the proxy may reuse a connection as it closes.
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)

# Replace a worker after about this many requests, so a slow leak cannot grow forever;
# the jitter keeps workers from restarting all at once. A new worker costs about 1.4 s
# of CPU to start (Django and the project imported again, bench/pagecache.py's machine):
# every 5,000 requests that was 0.3 ms a request, as much as serving a static file and a
# third of a cached share page; every 50,000 it is 0.03 ms.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 50_000)
max_requests_jitter = max_requests // 10

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# The default control socket lives in the home folder, shared by every instance there.
control_socket_disable = True
# Request line and header limits stay at gunicorn's defaults (4094 and 8190 bytes).
