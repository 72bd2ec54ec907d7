"""The PostgreSQL backend (core/postgresql) reads timestamps exactly as Django's own does,
with psycopg's compiled parser when psycopg[binary] is installed."""

from datetime import UTC, datetime, timedelta, timezone

import psycopg
import pytest
from django.db import connection
from psycopg.postgres import types
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader as PurePythonLoader

from core.postgresql.base import TimestamptzLoader
from tests.conftest import People

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the backend is PostgreSQL's")


def _loader() -> type:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        return cursor.adapters.get_loader(types["timestamptz"].oid, Format.TEXT)


def test_settings_pick_the_backend_for_postgresql() -> None:
    assert connection.settings_dict["ENGINE"] == "core.postgresql"
    assert issubclass(_loader(), TimestamptzLoader)


def test_timestamps_are_parsed_by_psycopgs_own_loader() -> None:
    compiled = psycopg.adapters.get_loader(types["timestamptz"].oid, Format.TEXT)
    loader = _loader()(types["timestamptz"].oid, connection.connection)
    assert type(loader._parse.__self__) is compiled
    if psycopg.pq.__impl__ == "binary":
        assert compiled is not PurePythonLoader


@pytest.mark.parametrize(
    "written",
    [
        datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2024, 2, 29, 12, 30, 5, 120, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        datetime(1, 1, 1, 0, 0, 1, tzinfo=UTC),
    ],
)
def test_a_timestamp_reads_back_as_the_same_instant_in_djangos_time_zone(
    written: datetime,
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz, %s::timestamptz::text", [written, written])
        read, text = cursor.fetchone()
    assert read == written
    assert read.tzinfo is connection.timezone
    # Django's own loader (the pure-Python parser, then its time zone) agrees.
    django_reads = PurePythonLoader(types["timestamptz"].oid, connection.connection)
    assert django_reads.load(text.encode()).replace(tzinfo=connection.timezone) == read


def test_model_datetimes_round_trip(people: People) -> None:
    learner = type(people.learner).objects.get(pk=people.learner.pk)
    assert learner.date_joined == people.learner.date_joined
    assert learner.date_joined.tzinfo is connection.timezone
