"""The one statement every shared request runs first (portfolio/showcases/access.py):
it says which link a token opens and whether it works, exactly as the model does, on
SQLite and PostgreSQL alike; and, as the request's database health check, it survives a
database connection the server has dropped."""

import io
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from portfolio.models import ShareLink
from portfolio.showcases import services
from portfolio.showcases.access import link_check
from tests.conftest import People


@pytest.fixture
def showcase(people: People) -> Any:
    return services.showcase_create(owner=people.learner, title="Junior technician")


@pytest.mark.django_db
def test_an_unknown_token_opens_nothing(showcase: Any) -> None:
    services.link_create(showcase=showcase, label="Acme Ltd")
    assert link_check(token="not-a-token") is None


@pytest.mark.django_db
def test_a_new_link_reads_as_its_row_says(showcase: Any) -> None:
    new = services.link_create(showcase=showcase, label="Acme Ltd", offer_pdf=True)
    found = link_check(token=new.token)
    assert found is not None
    assert found.id == new.link.pk and found.showcase_id == showcase.pk
    assert found.public_id == new.link.public_id.hex
    assert found.content_version == showcase.content_version
    assert found.active and found.offer_pdf
    assert not found.has_passphrase and not found.first_opened
    assert not found.notify_on_first_open


@pytest.mark.django_db
def test_passphrase_first_open_and_notice_are_read(showcase: Any) -> None:
    new = services.link_create(
        showcase=showcase, label="Panel", passphrase="heron dawn", notify_on_first_open=True
    )
    services.link_record_open(link_id=new.link.pk, first_opened=False, notify_on_first_open=False)
    found = link_check(token=new.token)
    assert found is not None
    assert found.has_passphrase and found.first_opened and found.notify_on_first_open


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("expires_in_days", "active"), [(None, True), (1, True), (0, True), (-1, False)]
)
def test_a_link_works_through_its_last_day_as_the_model_says(
    showcase: Any, expires_in_days: int | None, active: bool
) -> None:
    today = timezone.localdate()
    expires_on = None if expires_in_days is None else today + timedelta(days=expires_in_days)
    new = services.link_create(showcase=showcase, label="Acme Ltd", expires_on=expires_on)
    found = link_check(token=new.token)
    assert found is not None
    assert found.active is active is ShareLink.objects.get(pk=new.link.pk).is_active


@pytest.mark.django_db
def test_a_revoked_link_or_an_archived_showcase_does_not_work(showcase: Any) -> None:
    revoked = services.link_create(showcase=showcase, label="Acme Ltd")
    services.link_revoke(link=revoked.link)
    kept = services.link_create(showcase=showcase, label="Beta Ltd")
    assert link_check(token=revoked.token).active is False  # type: ignore[union-attr]
    assert link_check(token=kept.token).active is True  # type: ignore[union-attr]

    services.showcase_archive(showcase=showcase, archived=True)
    assert link_check(token=kept.token).active is False  # type: ignore[union-attr]


@pytest.mark.django_db
def test_a_change_to_the_showcase_changes_the_version_read(showcase: Any) -> None:
    new = services.link_create(showcase=showcase, label="Acme Ltd")
    before = link_check(token=new.token)
    services.showcase_update(
        showcase=showcase, title="Apprentice role", audience="", summary="", theme="classic"
    )
    after = link_check(token=new.token)
    assert before is not None and after is not None
    assert after.content_version > before.content_version


# --- The statement as the health check ----------------------------------------------


@pytest.fixture
def kept_connection() -> Iterator[None]:
    """The production database settings: a kept connection, health-checked per request.
    Outside a test transaction (the check is skipped inside one), PostgreSQL only."""
    if connection.vendor != "postgresql":
        pytest.skip("a dropped connection is a PostgreSQL matter (SQLite has none)")
    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.close()
    connection.settings_dict.update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=True)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def _get(path: str) -> tuple[str, bytes]:
    """One request as a WSGI server makes it (request_started and request_finished are
    sent, so Django resets its health check between requests as in production)."""
    status: list[str] = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }

    def start_response(given: str, headers: Any, exc_info: Any = None) -> Any:
        status.append(given)
        return lambda data: None

    body = WSGIHandler()(environ, start_response)
    try:
        return status[0], b"".join(body)
    finally:
        body.close()


def _drop(backend_pid: int) -> None:
    """End that server process's connection, as a database restart does."""
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
        for _ in range(100):
            gone = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend_pid]
            ).fetchone()
            if gone == (0,):
                return
            time.sleep(0.05)
    pytest.fail("the database connection was not dropped")


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_dropped_costs_no_failed_request(
    kept_connection: None, people: People
) -> None:
    showcase = services.showcase_create(owner=people.learner, title="Junior technician")
    new = services.link_create(showcase=showcase, label="Acme Ltd")
    path = reverse("share:showcase", args=[new.token])
    assert _get(path)[0] == "200 OK"
    first_pid = connection.connection.info.backend_pid
    assert _get(path)[0] == "200 OK"
    assert connection.connection.info.backend_pid == first_pid  # kept between requests

    _drop(first_pid)
    status, body = _get(path)

    assert status == "200 OK" and b"Junior technician" in body
    assert connection.connection.info.backend_pid != first_pid

    services.link_revoke(link=new.link)
    assert _get(path)[0].startswith("410")  # and still checked on the new connection
