"""Which share link a token opens, and whether it works: the check every shared request
runs before anything else, cached page or not (issue 19).

It is the one database read on a cached share page, so it is one statement written out
once: an indexed lookup by the token's hash, joined to the showcase for its
`content_version` (the page cache's key) and whether it is archived, with the link's
state worked out in the same statement. The ORM would build and compile the same query
again on every request, which costs three times the round trip to the database.
Nothing here is cached: revoking, expiry, archiving and a passphrase take effect on the
very next request.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone

from portfolio.models import ShareLink
from portfolio.showcases.services import token_hash


@dataclass(frozen=True)
class LinkCheck:
    """What a shared request needs to know about its link, without loading the link."""

    id: int
    public_id: str  # as 32 hex digits on every database
    showcase_id: int
    content_version: int  # the showcase's: bumped with every change its pages show
    offer_pdf: bool
    has_passphrase: bool
    active: bool  # not revoked, not expired, its showcase not archived
    first_opened: bool
    notify_on_first_open: bool

    def load(self) -> ShareLink:
        """The whole link with its showcase and what heads its page (the learner, the
        institution shown), for the few requests that need more: one query."""
        return ShareLink.objects.select_related("showcase__owner", "showcase__institution").get(
            pk=self.id
        )


# The tables and columns Django names after the models (a renamed field fails the tests).
_LOOKUP = """
SELECT l.id, l.public_id, l.showcase_id, s.content_version, l.offer_pdf,
       CASE WHEN l.passphrase_hash = '' THEN 0 ELSE 1 END,
       CASE WHEN l.revoked_at IS NULL AND (l.expires_on IS NULL OR l.expires_on >= %s)
                 AND s.archived_at IS NULL THEN 1 ELSE 0 END,
       CASE WHEN l.first_opened_at IS NULL THEN 0 ELSE 1 END,
       l.notify_on_first_open
FROM portfolio_sharelink l INNER JOIN portfolio_showcase s ON s.id = l.showcase_id
WHERE l.token_hash = %s
"""


def link_check(*, token: str, today: date | None = None) -> LinkCheck | None:
    """The link this token opens and its state (one query); None for an unknown token.
    A link works through its `expires_on` day, in the current time zone, as
    ShareLink.is_active says."""
    day = timezone.localdate() if today is None else today
    row = _fetch_checked([connection.ops.adapt_datefield_value(day), token_hash(token)])
    if row is None:
        return None
    pk, public_id, showcase_id, version, offer_pdf, passphrase, active, opened, notify = row
    return LinkCheck(
        id=pk,
        # PostgreSQL gives a UUID, SQLite the 32 hex digits Django stores there.
        public_id=public_id.hex if hasattr(public_id, "hex") else str(public_id),
        showcase_id=showcase_id,
        content_version=int(version),
        offer_pdf=bool(offer_pdf),
        has_passphrase=bool(passphrase),
        active=bool(active),
        first_opened=bool(opened),
        notify_on_first_open=bool(notify),
    )


def _fetch(params: list[Any]) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute(_LOOKUP, params)
        return cursor.fetchone()


def _fetch_checked(params: list[Any]) -> tuple[Any, ...] | None:
    """The lookup, as the request's database health check too.

    With CONN_HEALTH_CHECKS, Django sends "SELECT 1" before a request's first statement
    on a kept connection, so that one the server has dropped (a restart) is replaced
    rather than failing the request: a second round trip on a page that needs one. This
    read-only statement, outside any transaction, can be the check itself: if it fails
    and the connection no longer works, the connection is replaced and the statement
    sent again, as Django would have done before sending it. Any other failure (a
    timeout on a working connection) is raised as it would have been."""
    # Django's own attributes for its check (4.1+), read so that without them (a later
    # Django) the statement simply runs after Django's check, as any other.
    if (
        connection.connection is None
        or not getattr(connection, "health_check_enabled", False)
        or getattr(connection, "health_check_done", True)
        or connection.in_atomic_block
    ):
        return _fetch(params)
    setattr(connection, "health_check_done", True)  # noqa: B010 (see above)
    try:
        return _fetch(params)
    except (InterfaceError, OperationalError):
        if connection.is_usable():
            raise
        connection.close()
        return _fetch(params)
