"""The signed-in person's unread notification count, for the navigation badge.

Lazy (nothing runs unless a template shows it) and cached per person by
`notifications.unread_count`, so pages do not gain a query per view.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from portfolio.review.notifications import unread_count


class _Unread:
    def __init__(self, user: Any) -> None:
        self.count = unread_count(user)


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"unread_notifications": SimpleLazyObject(lambda: _Unread(user))}


def warm_unread_count(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On sign-in, count the person's unread notifications once, so the pages that
    follow read the count from the cache (connected in PortfolioConfig.ready)."""
    unread_count(user)
