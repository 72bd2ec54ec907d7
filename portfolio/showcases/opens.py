"""Counting openings of share links without a database write on every page.

A delivered page adds one to a counter in the shared cache (an atomic INCR in Redis); a
periodic task (`link_opens_fold_task`, every minute) moves the counts into
ShareLink.open_count and last_opened_at. A link's first opening still goes straight to
the database, so first_opened_at and the "first opened" email are immediate. With the
cache down, or not shared between processes (SHARE_OPENS_IN_CACHE off, the default
without REDIS_URL: a per-process memory cache would never reach the task), every
opening is written to the database as before. Either way, the count is the number of
pages delivered; a count is lost only if Redis loses its data or a worker dies between
claiming a count and writing it (the claim and the write are one step apart).
"""

import logging
import pickle
import weakref
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Greatest
from redis.commands.core import Script
from redis.exceptions import ResponseError as RedisResponseError

from core.degrade import CACHE_DOWN
from portfolio.models import ShareLink
from portfolio.showcases.access import LinkCheck
from portfolio.showcases.services import link_record_open

logger = logging.getLogger(__name__)
FOLD_BATCH = 500


def _count_key(link_id: int) -> str:
    return f"share-opens:{link_id}"


def _last_key(link_id: int) -> str:
    return f"share-opened-at:{link_id}"


def link_open_delivered(*, link: LinkCheck) -> None:
    """Count one delivered page of this link."""
    if not link.first_opened or not settings.SHARE_OPENS_IN_CACHE:
        _record(link)
        return
    try:
        _count_in_cache(link.id)
    except (*CACHE_DOWN, RedisResponseError):  # down, or full under "noeviction"
        _record(link)


def _record(link: LinkCheck) -> None:
    link_record_open(
        link_id=link.id,
        first_opened=link.first_opened,
        notify_on_first_open=link.notify_on_first_open,
    )


def _count_in_cache(link_id: int) -> None:
    now = datetime.now(tz=UTC).timestamp()
    script = _count_script(caches["default"])
    if script is None:  # another shared cache: its own API, three calls
        key = _count_key(link_id)
        try:
            cache.incr(key)
        except ValueError:  # the first since the last fold emptied it, or evicted
            cache.add(key, 0, timeout=None)
            cache.incr(key)
        cache.set(_last_key(link_id), now, timeout=None)
        return
    # One round trip, all or nothing (a full Redis refuses the first write, so neither
    # happens): the time as Django's cache stores a float (pickled), the count as it
    # stores an integer (its digits), so the fold reads both through the cache's API.
    script(
        keys=[cache.make_key(_last_key(link_id)), cache.make_key(_count_key(link_id))],
        args=[pickle.dumps(now, pickle.HIGHEST_PROTOCOL)],
    )


# A script runs whole, as one command: cheaper than MULTI/EXEC, as atomic.
_COUNT = "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('INCR', KEYS[2])"
_scripts: "weakref.WeakKeyDictionary[RedisCache, Script]" = weakref.WeakKeyDictionary()


def _count_script(backend: object) -> Script | None:
    """The counting script on this cache backend's Redis (each thread has its own
    backend), kept: Django's backend builds a new client object, its command table and
    all, for every call, which costs more than the round trip. None if not Redis."""
    if not isinstance(backend, RedisCache):
        return None
    script = _scripts.get(backend)
    if script is None:
        script = backend._cache.get_client(write=True).register_script(_COUNT)
        _scripts[backend] = script
    return script


def pending_opens(*, link_ids: list[int]) -> dict[int, int]:
    """Openings counted in the cache and not yet in the database, by link id."""
    try:
        found = cache.get_many([_count_key(pk) for pk in link_ids])
    except CACHE_DOWN:
        return {}
    return {pk: int(found.get(_count_key(pk)) or 0) for pk in link_ids}


def links_with_pending_opens(links: list[ShareLink]) -> list[ShareLink]:
    """These links with the openings not yet folded added to open_count and
    last_opened_at (in memory), so the owner sees every opening at once."""
    if not settings.SHARE_OPENS_IN_CACHE or not links:
        return links
    pending = pending_opens(link_ids=[link.pk for link in links])
    try:
        stamps = cache.get_many([_last_key(link.pk) for link in links])
    except CACHE_DOWN:
        stamps = {}
    for link in links:
        link.open_count += pending.get(link.pk, 0)
        stamp = stamps.get(_last_key(link.pk))
        if pending.get(link.pk) and stamp is not None:
            when = datetime.fromtimestamp(stamp, tz=UTC)
            if link.last_opened_at is None or when > link.last_opened_at:
                link.last_opened_at = when
    return links


def link_opens_fold() -> int:
    """Move the counts kept in the cache into the database. Returns how many openings
    were moved. Each count is claimed (decremented by what was read, so openings counted
    meanwhile stay) before it is written, and given back if the write fails."""
    moved = 0
    ids = ShareLink.objects.filter(first_opened_at__isnull=False).values_list("pk", flat=True)
    batch: list[int] = []
    for link_id in ids.iterator(chunk_size=FOLD_BATCH):
        batch.append(link_id)
        if len(batch) == FOLD_BATCH:
            moved += _fold(batch)
            batch = []
    return moved + _fold(batch)


def _fold(link_ids: list[int]) -> int:
    counts = {pk: n for pk, n in pending_opens(link_ids=link_ids).items() if n > 0}
    if not counts:
        return 0
    stamps = cache.get_many([_last_key(pk) for pk in counts])
    for link_id, n in counts.items():
        cache.decr(_count_key(link_id), n)
        try:
            _write(link_id, n, stamps.get(_last_key(link_id)))
        except DatabaseError:
            cache.incr(_count_key(link_id), n)
            raise
    return sum(counts.values())


@transaction.atomic
def _write(link_id: int, n: int, stamp: float | None) -> None:
    changes: dict = {"open_count": F("open_count") + n}
    if stamp is not None:
        when = datetime.fromtimestamp(stamp, tz=UTC)
        changes["last_opened_at"] = Greatest(
            F("last_opened_at"), Value(when, output_field=DateTimeField())
        )
    ShareLink.objects.filter(pk=link_id).update(**changes)
