"""Rate limits on requests for attestation, counted per day in the shared cache: per
learner (ATTESTATION_REQUESTS_PER_DAY) and per recipient address
(ATTESTATION_REQUESTS_PER_RECIPIENT). If the cache is unreachable its error is raised
before anything is written (fail closed: the middleware answers 503, see core.degrade)."""

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

DAY = 24 * 60 * 60
Limit = tuple[str, int, str]  # cache key, how many a day, what to say past it


class RateLimited(Exception):
    """Too many requests: `message` says which limit and when to try again."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def request_limits(*, learner: Any, email: str) -> list[Limit]:
    today = timezone.now().date().isoformat()
    recipient = hashlib.sha256(email.lower().encode()).hexdigest()[:24]
    return [
        (
            f"attest-req:learner:{learner.pk}:{today}",
            settings.ATTESTATION_REQUESTS_PER_DAY,
            _(
                "You have sent as many requests for attestation as you can today. "
                "Try again tomorrow."
            ),
        ),
        (
            f"attest-req:to:{recipient}:{today}",
            settings.ATTESTATION_REQUESTS_PER_RECIPIENT,
            _(
                "This person has been sent as many requests as they can receive today. "
                "Try again tomorrow."
            ),
        ),
    ]


def check(keys: list[Limit]) -> None:
    """Raises RateLimited; the cache being down raises its error (503, fail closed)."""
    counts = cache.get_many([key for key, _limit, _message in keys])
    for key, limit, message in keys:
        if int(counts.get(key, 0)) >= limit:
            raise RateLimited(message)


def count(keys: list[Limit]) -> None:
    for key, _limit, _message in keys:
        cache.add(key, 0, DAY)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, DAY)
