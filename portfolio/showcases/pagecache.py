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

Two tiers: the shared cache (Redis), where a page rendered by one process serves them
all, and in front of it each process's own memory (`SHARE_PAGE_MEMORY_MB`, least
recently used pages dropped first), which saves a hit the round trip and the copy of a
page that may weigh 150 KB. Both are keyed alike, so the memory tier is exactly as
fresh: a version bump makes every process miss. Pages are kept as UTF-8 bytes split at
the stand-in, so serving one is a join, with no decoding or encoding.

The cache only saves work: when it is down pages are rendered as before (optional_cache),
never answered with 503. Entries also expire a day after they were rendered, in both
tiers, which bounds how long anything no writer bumps for (an issuer registry renaming
itself) can stay on a page.
"""

import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from redis.exceptions import ResponseError as RedisResponseError

from core.degrade import optional_cache
from portfolio.showcases.access import LinkCheck

logger = logging.getLogger(__name__)

PAGE_TIMEOUT_SECONDS = 24 * 60 * 60


def page_key(*, link: LinkCheck, page: str) -> str:
    """The cache key of one shared page as this request would see it."""
    return ":".join(
        [
            "share-page",
            link.public_id,  # never reused, unlike a primary key on SQLite
            str(link.content_version),
            "pdf" if link.offer_pdf else "nopdf",
            page,
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
        ]
    )


@dataclass(frozen=True)
class _Page:
    parts: tuple[bytes, ...]  # the page's UTF-8, split where the token goes
    expires_at: float  # time.time()

    @property
    def size(self) -> int:
        return sum(len(part) for part in self.parts)


class _Memory:
    """One process's pages, least recently used dropped first beyond `budget` bytes.
    Shared by the worker's threads, hence the lock (held for dictionary steps only)."""

    def __init__(self) -> None:
        self._pages: OrderedDict[str, _Page] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, *, now: float) -> _Page | None:
        with self._lock:
            found = self._pages.get(key)
            if found is None:
                return None
            if found.expires_at <= now:
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return found

    def put(self, key: str, page: _Page, *, budget: int) -> None:
        if page.size > budget:
            return
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = page
            self._bytes += page.size
            while self._bytes > budget:
                self._drop(next(iter(self._pages)))

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def _drop(self, key: str) -> None:
        self._bytes -= self._pages.pop(key).size


_memory = _Memory()


def shared_page(*, link: LinkCheck, token: str, page: str, render: Callable[[str], str]) -> bytes:
    """The UTF-8 of a shared page: from memory, the shared cache, or `render(stand_in)`
    stored in both.

    `render` draws the page with the given string wherever the link's token goes; the
    real token is put in its place on every request."""
    if not settings.SHARE_PAGE_CACHE:
        return render(token).encode()
    key = page_key(link=link, page=page)
    now = time.time()
    budget = settings.SHARE_PAGE_MEMORY_MB * 1024 * 1024
    found = _memory.get(key, now=now) if budget else None
    if found is None:
        found = _from_shared_cache(key, now=now)
        if found is None:
            found = _render(key, render, now=now)
        if budget:
            _memory.put(key, found, budget=budget)
    return token.encode().join(found.parts)


def _from_shared_cache(key: str, *, now: float) -> _Page | None:
    entry = optional_cache.get(key)
    # (stand-in, UTF-8, when it expires); anything else is an older process's entry.
    if not (isinstance(entry, tuple) and len(entry) == 3):
        return None
    stand_in, html, expires_at = entry
    if expires_at <= now:
        return None
    return _Page(parts=tuple(html.split(stand_in.encode())), expires_at=expires_at)


def _render(key: str, render: Callable[[str], str], *, now: float) -> _Page:
    stand_in = secrets.token_hex(16)
    html = render(stand_in).encode()
    expires_at = now + PAGE_TIMEOUT_SECONDS
    try:
        optional_cache.set(key, (stand_in, html, expires_at), PAGE_TIMEOUT_SECONDS)
    except RedisResponseError as refused:  # full under "noeviction": serve it anyway
        logger.warning("Could not keep shared page %s in the cache: %s", key, refused)
    return _Page(parts=tuple(html.split(stand_in.encode())), expires_at=expires_at)
