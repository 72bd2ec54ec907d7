"""The rendered-page cache of shared pages (the showcase and its badge pages).

A page is rendered once per version of what it shows and served from the cache until
that changes. Correctness rests on four things:

- The link is checked on every request before the cache is asked (share_views.shared):
  revoking, expiry, archiving and the passphrase take effect on the very next request.
- The key names the link (so one link's page, and its count, is never another's), the
  showcase's `content_version` (bumped by versions.showcase_content_changed with every
  change a page shows, including a badge's re-verification and an item made private),
  the page, and the viewer's language and time zone (pages translate and format dates).
- Only successful renders are stored; a 404 for a badge not in the showcase is not.
- The link's token is not stored: the page is rendered with a random stand-in for it,
  replaced on the way out, so the cache holds nothing that opens a link (the database
  only keeps the token's hash too).

The cache only saves work: when it is down pages are rendered as before (optional_cache),
never answered with 503. Entries also expire after a day, which bounds how long anything
no writer bumps for (an issuer registry renaming itself) can stay on a page.
"""

import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone, translation
from redis.exceptions import ResponseError as RedisResponseError

from core.degrade import optional_cache
from portfolio.models import ShareLink

logger = logging.getLogger(__name__)

PAGE_TIMEOUT_SECONDS = 24 * 60 * 60


def page_key(*, link: ShareLink, page: str) -> str:
    """The cache key of one shared page as this request would see it."""
    return ":".join(
        [
            "share-page",
            str(link.public_id),  # never reused, unlike a primary key on SQLite
            str(link.showcase.content_version),
            "pdf" if link.offer_pdf else "nopdf",
            page,
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
        ]
    )


def shared_page(*, link: ShareLink, token: str, page: str, render: Callable[[str], str]) -> str:
    """The HTML of a shared page: from the cache, or `render(token_stand_in)` stored.

    `render` draws the page with the given string wherever the link's token goes; the
    real token is put in its place on every request."""
    if not settings.SHARE_PAGE_CACHE:
        return render(token)
    key = page_key(link=link, page=page)
    entry = optional_cache.get(key)
    if entry is None:
        stand_in = secrets.token_hex(16)
        entry = (stand_in, render(stand_in))
        try:
            optional_cache.set(key, entry, PAGE_TIMEOUT_SECONDS)
        except RedisResponseError as refused:  # full under "noeviction": serve it anyway
            logger.warning("Could not keep shared page %s in the cache: %s", key, refused)
    stand_in, html = entry
    return html.replace(stand_in, token)
