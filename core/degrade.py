"""When the shared cache (Redis) is down: degrade, don't fail.

Two kinds of cache use, two behaviours:

- Rate limits and lockouts (allauth's, the share-link passphrase) need the cache to say
  yes safely, so they fail closed: their views answer "We can't check this right now"
  with 503 and Retry-After, never a 500. `CacheDownMiddleware` does this for any view,
  and views that add their own headers call `cache_unavailable_response` themselves.
  Both run before anything is written: the limits are consumed at the start of a form
  submission, so a refused request leaves nothing half-done.
- Counts kept only to save a query (unread notifications) go through `optional_cache`,
  which treats an unreachable cache as a miss, so pages that do not need the cache still
  work while it is down.
"""

import contextlib
import logging
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What Django's RedisCache raises when the server cannot be reached or does not answer
# within the socket timeouts set in settings.CACHES.
CACHE_DOWN = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 60


def cache_unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 page for a check that needs the cache. Falls back to plain text if even
    the page cannot be drawn, so this never becomes a 500."""
    try:
        response = render(request, "503.html", status=503)
    except CACHE_DOWN:
        response = HttpResponse(
            _("We can't check this right now. Try again in a minute."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class CacheDownMiddleware:
    """Turns the cache's connection errors, raised by any view, into the 503 page."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, CACHE_DOWN):
            return None
        logger.warning("Cache unreachable on %s %s: %s", request.method, request.path, exception)
        return cache_unavailable_response(request)


class OptionalCache:
    """The default cache for values that only save work: unreachable reads are misses,
    unreachable writes and deletes are skipped (the values expire on their own)."""

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return cache.get(key, default)
        except CACHE_DOWN as exc:
            logger.warning("Cache unreachable, reading %s from the source: %s", key, exc)
            return default

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT) -> None:
        with contextlib.suppress(*CACHE_DOWN):
            cache.set(key, value, timeout)

    def delete(self, key: str) -> None:
        with contextlib.suppress(*CACHE_DOWN):
            cache.delete(key)


optional_cache = OptionalCache()
