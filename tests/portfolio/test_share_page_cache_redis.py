"""The share page's cache and open counter on a real Redis (a throwaway server on its own
port, stopped by the tests as in an outage): counts are atomic INCRs there, and with
Redis down the page is rendered and counted in the database, never answered with 503."""

from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portfolio.models import ShareLink
from portfolio.showcases.tasks import link_opens_fold_task
from tests.conftest import People
from tests.portfolio.showcase_data import Shared, shared_showcase
from tests.services import ThrowawayRedis

pytestmark = pytest.mark.django_db
PORT = 6386


@pytest.fixture
def cache_server(settings: Any, request: pytest.FixtureRequest) -> Iterator[ThrowawayRedis]:
    server = ThrowawayRedis(port=PORT, extra=tuple(getattr(request, "param", ())))
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{PORT}/0",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    settings.SHARE_OPENS_IN_CACHE = True
    yield server
    server.stop()


@pytest.fixture
def world(people: People) -> Shared:
    return shared_showcase(people.learner)


def _open(client: Client, world: Shared) -> str:
    response = client.get(reverse("share:showcase", args=[world.token]))
    assert response.status_code == 200
    return response.content.decode()


def _count(world: Shared) -> int:
    return ShareLink.objects.get(pk=world.link.pk).open_count


def test_pages_are_counted_in_redis_and_folded_into_the_database(
    client: Client, world: Shared, cache_server: ThrowawayRedis
) -> None:
    for _ in range(6):
        _open(client, world)
    assert redis.Redis(port=PORT).keys("*share-page*")  # the page is kept there
    assert _count(world) == 1  # the first opening; the other five wait in Redis
    first = ShareLink.objects.get(pk=world.link.pk).last_opened_at
    last = timezone.now()
    _open(client, world)

    assert link_opens_fold_task() == 6
    folded = ShareLink.objects.get(pk=world.link.pk)
    assert folded.open_count == 7
    assert first is not None and folded.last_opened_at is not None
    assert folded.last_opened_at >= last > first  # the time the last one was counted


def test_with_redis_down_the_page_is_rendered_and_counted_in_the_database(
    client: Client, world: Shared, cache_server: ThrowawayRedis
) -> None:
    _open(client, world)
    cache_server.stop()

    for _ in range(3):
        assert "Risk assessment" in _open(client, world)

    assert _count(world) == 4  # the first, then three written directly


@pytest.mark.parametrize(
    "cache_server", [("--maxmemory", "1mb", "--maxmemory-policy", "noeviction")], indirect=True
)
def test_with_redis_full_the_page_is_rendered_and_counted_in_the_database(
    client: Client, world: Shared, cache_server: ThrowawayRedis
) -> None:
    full = redis.Redis(port=PORT)
    with pytest.raises(redis.exceptions.OutOfMemoryError):  # full, and evicting nothing
        for number in range(1000):
            full.set(f"filler-{number}", "x" * 1000)

    for _ in range(3):
        assert "Risk assessment" in _open(client, world)

    assert _count(world) == 3
