"""Refuse excess requests at once, rather than serve them after their reader has gone.

Under overload a request waits in a queue (the proxy's, the kernel's, gunicorn's) before
any worker thread reaches it. Serving it late does work for nobody: its reader has given
up, and every request behind it waits longer still. This middleware, first in the chain
after static files, answers 503 with Retry-After in well under a millisecond of server
time, before the session, the database or the view are touched, when:

- the request waited in the queue longer than LOADSHED_MAX_WAIT_MS: its arrival is the
  `X-Request-Start` header (`t=<seconds since the epoch>`, as nginx's `$msec` gives; also
  milliseconds or microseconds, as other proxies send). portfolio/gunicorn_conf.py's
  worker stamps it when it queues a request and keeps the earlier of its own stamp and a
  proxy's, so a client cannot dodge the check by sending a stamp from the future;
- this process already runs LOADSHED_MAX_CONCURRENT requests (0: no limit). Gunicorn
  runs more threads than that, so a spare thread answers 503 at once instead of the
  request queueing behind busy ones;
- the client has already closed its connection (gunicorn only): nobody would read it.
"""

import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

REQUEST_START_HEADER = "HTTP_X_REQUEST_START"


def request_start(value: str) -> float | None:
    """Seconds since the epoch from an X-Request-Start value ("t=1700000000.123",
    "t=1700000000123" in ms or "1700000000123456" in µs); None if it is not one."""
    raw = value.strip().removeprefix("t=")
    try:
        number = float(raw)
    except ValueError:
        return None
    if not number > 0:  # also refuses nan
        return None
    for divisor in (1, 1_000, 1_000_000):  # seconds, milliseconds, microseconds
        if number / divisor < 1e10:  # before the year 2286
            return number / divisor
    return None


def queue_wait_ms(request: HttpRequest, *, now: float | None = None) -> float | None:
    """How long the request waited before reaching the application, if it is stamped."""
    started = request_start(request.META.get(REQUEST_START_HEADER, ""))
    if started is None:
        return None
    return ((time.time() if now is None else now) - started) * 1000


def client_gone(request: HttpRequest) -> bool:
    """Whether the client closed its connection before we answered (gunicorn only; a
    client that half-closes after its request counts as gone, as nginx treats it)."""
    # The connection gunicorn accepted (we only peek at it; nothing is opened here).
    sock: Any = request.META.get("gunicorn.socket")
    if sock is None or not hasattr(sock, "recv") or isinstance(sock, ssl.SSLSocket):
        return False  # TLS sockets cannot peek; behind a proxy TLS ends there anyway
    try:
        # Data (a body, a pipelined request) or nothing yet: still there. EOF: gone.
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except ConnectionError:  # reset by the peer
        return True
    except OSError:
        return False


def busy_response() -> HttpResponse:
    response = HttpResponse(render_to_string("503_busy.html"), status=503)
    response["Retry-After"] = str(settings.LOADSHED_RETRY_AFTER_S)
    response["Cache-Control"] = "no-store"
    # Django logs every 5xx as an error (and mails it to ADMINS): not a refusal on purpose.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class LoadShedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.max_wait_ms: float = settings.LOADSHED_MAX_WAIT_MS
        limit: int = settings.LOADSHED_MAX_CONCURRENT
        self.slots = threading.BoundedSemaphore(limit) if limit > 0 else None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        waited = queue_wait_ms(request)
        if waited is not None and waited > self.max_wait_ms:
            return self._refuse(request, f"waited {waited:.0f} ms in the queue")
        if client_gone(request):
            return self._refuse(request, "the client had already gone")
        if self.slots is None:
            return self.get_response(request)
        if not self.slots.acquire(blocking=False):
            return self._refuse(request, "every request slot is busy")
        try:
            return self.get_response(request)
        finally:
            self.slots.release()

    def _refuse(self, request: HttpRequest, why: str) -> HttpResponse:
        # Debug only: under overload a line per refusal would add to the load; gunicorn's
        # access log shows every 503.
        logger.debug("Refused %s %s: %s.", request.method, request.path, why)
        return busy_response()
