"""Load shedding: a request that waited too long, that finds every slot busy, or whose
client has gone gets 503 with Retry-After at once; the others pass. And the production
gunicorn configuration loads and stamps queued requests."""

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from pytest_django import Settings

from core.loadshed import LoadShedMiddleware, request_start
from portfolio.gunicorn_conf import stamp_request_start

PAGE = "/accounts/login/"  # any page: shedding happens before the view


def _stamp(seconds_ago: float) -> str:
    return f"t={time.time() - seconds_ago:.6f}"


@pytest.mark.django_db
@pytest.mark.parametrize("waited_s", [0.0, 0.5])
def test_a_request_that_waited_less_than_the_limit_is_served(
    client: Client, settings: Settings, waited_s: float
) -> None:
    settings.LOADSHED_MAX_WAIT_MS = 1000

    response = client.get(PAGE, HTTP_X_REQUEST_START=_stamp(waited_s))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "stamp",
    [
        lambda: _stamp(1.5),  # seconds, as nginx's $msec
        lambda: f"t={int((time.time() - 1.5) * 1000)}",  # milliseconds
        lambda: str(int((time.time() - 1.5) * 1_000_000)),  # microseconds, no "t="
    ],
    ids=["seconds", "milliseconds", "microseconds"],
)
def test_a_request_that_waited_longer_than_the_limit_gets_503_with_retry_after(
    settings: Settings, stamp: object
) -> None:
    settings.LOADSHED_MAX_WAIT_MS = 1000
    settings.LOADSHED_RETRY_AFTER_S = 3

    # No database marker: a refusal touches neither the session nor the database.
    response = Client().get(PAGE, HTTP_X_REQUEST_START=stamp())  # type: ignore[operator]

    assert response.status_code == 503
    assert response["Retry-After"] == "3"
    assert response["Cache-Control"] == "no-store"
    assert "too busy" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("stamp", ["", "t=", "t=soon", "t=-5", "t=nan", "a minute ahead"])
def test_a_missing_unreadable_or_future_stamp_is_served(client: Client, stamp: str) -> None:
    # The future stamp is made now, not when the tests were collected (minutes earlier in
    # a full run, by which time "a minute ahead" would lie in the past).
    if stamp == "a minute ahead":
        stamp = _stamp(-60)
    response = client.get(PAGE, HTTP_X_REQUEST_START=stamp)

    assert response.status_code == 200


def test_request_start_reads_seconds_milliseconds_and_microseconds() -> None:
    assert request_start("t=1700000000.25") == 1700000000.25
    assert request_start("t=1700000000250") == 1700000000.25
    assert request_start("1700000000250000") == 1700000000.25
    assert request_start("t=1e30") is None


@pytest.fixture
def one_slot(settings: Settings) -> Iterator[tuple[LoadShedMiddleware, threading.Event]]:
    """The middleware with one request slot, in front of a view that holds it until the
    event is set."""
    settings.LOADSHED_MAX_CONCURRENT = 1
    release = threading.Event()

    def view(request: HttpRequest) -> HttpResponse:
        release.wait(timeout=10)
        return HttpResponse("done")

    yield LoadShedMiddleware(view), release
    release.set()


def test_a_request_finding_every_slot_busy_gets_503_at_once(
    one_slot: tuple[LoadShedMiddleware, threading.Event],
) -> None:
    middleware, release = one_slot
    first: list[HttpResponse] = []
    holder = threading.Thread(target=lambda: first.append(middleware(RequestFactory().get("/"))))
    holder.start()
    while middleware.slots is not None and middleware.slots._value:  # until it holds the slot
        time.sleep(0.001)

    started = time.perf_counter()
    refused = middleware(RequestFactory().get("/"))
    refused_in_s = time.perf_counter() - started
    release.set()
    holder.join(timeout=10)
    after = middleware(RequestFactory().get("/"))

    assert refused.status_code == 503
    assert refused["Retry-After"] == str(settings.LOADSHED_RETRY_AFTER_S)
    assert refused_in_s < 1  # it did not wait for the slot
    assert first[0].status_code == 200
    assert after.status_code == 200  # the slot was given back


def test_a_request_whose_client_has_gone_gets_503_and_one_still_there_passes(
    one_slot: tuple[LoadShedMiddleware, threading.Event],
) -> None:
    middleware, release = one_slot
    release.set()
    ours, theirs = socket.socketpair()
    with ours, theirs:
        waiting = RequestFactory().get("/")
        waiting.META["gunicorn.socket"] = ours
        assert middleware(waiting).status_code == 200

        theirs.close()
        gone = RequestFactory().get("/")
        gone.META["gunicorn.socket"] = ours
        assert middleware(gone).status_code == 503


# --- The gunicorn configuration ---------------------------------------------------------


def test_the_gunicorn_configuration_passes_gunicorns_check() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:portfolio.gunicorn_conf",
            "--check-config",
            "portfolio.wsgi",
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr


def test_the_worker_stamps_the_queue_time_and_keeps_only_an_earlier_proxy_stamp() -> None:
    queued = 1700000010.0
    plain = stamp_request_start([("HOST", "a")], queued_at=queued)
    earlier = stamp_request_start([("X-REQUEST-START", "t=1700000005.5")], queued_at=queued)
    later = stamp_request_start([("X-REQUEST-START", "t=1800000000")], queued_at=queued)
    garbage = stamp_request_start([("X-REQUEST-START", "soon")], queued_at=queued)

    assert plain == [("HOST", "a"), ("X-REQUEST-START", "t=1700000010.000000")]
    assert earlier == [("X-REQUEST-START", "t=1700000005.500000")]
    assert later == garbage == [("X-REQUEST-START", "t=1700000010.000000")]
