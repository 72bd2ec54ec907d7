"""Django's PostgreSQL backend, reading timestamps with psycopg's C parser.

Django (5.2, with psycopg 3) reads every `timestamptz` through a loader that subclasses
psycopg's pure-Python one, because the compiled one cannot be subclassed (Django ticket
#36960, psycopg issue #1273): a regular expression per value, about 10 µs where the
compiled parser takes 1.5. A page of 500 showcase items reads over a thousand of them.
This backend registers a loader that parses with whichever loader psycopg itself uses
for `timestamptz` (the compiled one when psycopg[binary] is installed) and then does
what Django's does: gives the result Django's time zone. Everything else is Django's.
"""

from datetime import datetime, tzinfo
from functools import lru_cache
from typing import Any

import psycopg
from django.db.backends.postgresql import base
from psycopg.adapt import AdaptersMap, Loader
from psycopg.postgres import types
from psycopg.pq import Format

TIMESTAMPTZ_OID = types["timestamptz"].oid
# What psycopg registers for itself: the compiled class when it is available.
_PARSER: type[Loader] = psycopg.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)  # type: ignore[assignment]


class TimestamptzLoader(Loader):
    """Parse with psycopg's own loader, then set Django's time zone, as Django's does
    (its `timezone` attribute is what Django's create_cursor compares)."""

    timezone: tzinfo | None = None

    def __init__(self, oid: int, context: Any = None) -> None:
        super().__init__(oid, context)
        self._parse = _PARSER(oid, context).load

    def load(self, data: Any) -> datetime:
        parsed: datetime = self._parse(data)
        return parsed.replace(tzinfo=self.timezone)


@lru_cache
def _adapters(template: AdaptersMap, timezone: tzinfo | None) -> AdaptersMap:
    """Django's adapters for a connection, with the loader above for `timestamptz`."""
    adapters = AdaptersMap(template)
    loader = type("SpecificTimestamptzLoader", (TimestamptzLoader,), {"timezone": timezone})
    adapters.register_loader(TIMESTAMPTZ_OID, loader)
    return adapters


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        if "context" in params:  # psycopg 3 (Django builds its adapters there)
            params["context"] = _adapters(params["context"], self.timezone)
        return params
