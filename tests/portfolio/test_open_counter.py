"""A share link's open count counts pages delivered, not requests abandoned.

These tests drive Django's own WSGI application as a WSGI server does (PEP 3333): call
it, iterate the body writing each piece, then close() it. A server whose write fails (the
reader went away) stops iterating and still closes.
"""

import io
import time
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.urls import reverse

from portfolio.models import ShareLink
from portfolio.showcases import services
from portfolio.showcases.opens import pending_opens
from tests.conftest import People

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_path(people: People) -> str:
    showcase = services.showcase_create(owner=people.learner, title="Junior technician")
    new = services.link_create(showcase=showcase, label="Acme Ltd")
    return str(reverse("share:showcase", args=[new.token]))


def _environ(path: str, *, method: str = "GET", **extra: str) -> dict[str, object]:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        **extra,
    }


@pytest.fixture(autouse=True)
def _keep_the_test_database_connection() -> Iterator[None]:
    """A real WSGIHandler sends request_started/request_finished, whose receiver closes
    the database connection at the end of a request: on PostgreSQL that is the test's own
    transaction. Django's test client detaches that receiver for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


class _Server:
    """What a WSGI server does with one request: call the application, write the body a
    piece at a time, close it."""

    def __init__(self, environ: dict[str, object]) -> None:
        self.status = ""
        self.body: Iterable[bytes] = WSGIHandler()(environ, self._start_response)

    def _start_response(self, status: str, headers: Any, exc_info: Any = None) -> Any:
        self.status = status
        return lambda data: None

    def close(self) -> None:
        self.body.close()  # type: ignore[attr-defined]


def _deliver(path: str, **extra: str) -> tuple[str, bytes]:
    """A server that writes the whole body, then closes."""
    server = _Server(_environ(path, **extra))
    try:
        written = b"".join(server.body)
    finally:
        server.close()
    return server.status, written


def _abandon(path: str) -> str:
    """A server whose first write fails: the reader has gone. It closes all the same."""
    server = _Server(_environ(path))
    try:
        next(iter(server.body))  # the piece whose write raised
    finally:
        server.close()
    return server.status


def _opens() -> int:
    """The link's openings: those in the database and, with Redis, those counted there
    and not yet folded in (as the owner's links page shows them)."""
    link = ShareLink.objects.get()
    return link.open_count + pending_opens(link_ids=[link.pk]).get(link.pk, 0)


def test_each_delivered_page_counts_once(page_path: str) -> None:
    for _ in range(3):
        status, body = _deliver(page_path)
        assert status == "200 OK"
        assert b"Junior technician" in body

    assert _opens() == 3


def test_a_page_whose_reader_left_before_it_was_written_does_not_count(page_path: str) -> None:
    assert _abandon(page_path) == "200 OK"
    _deliver(page_path)

    assert _opens() == 1
    assert ShareLink.objects.get().first_opened_at is not None


def test_a_request_refused_by_load_shedding_does_not_count(page_path: str) -> None:
    stale = f"t={time.time() - 30:.3f}"  # it waited 30 s in the queue

    status, body = _deliver(page_path, HTTP_X_REQUEST_START=stale)

    assert status.startswith("503")
    assert b"Junior technician" not in body
    assert _opens() == 0


def test_a_head_request_delivered_in_full_does_not_count(page_path: str) -> None:
    status, _ = _deliver(page_path, method="HEAD")

    assert status == "200 OK"
    assert _opens() == 0
