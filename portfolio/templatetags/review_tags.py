"""Template helpers for tutor review shown inside other pages.

`item_threads` lets the formative timeline show each item's feedback without a query
per item: the first call loads the threads of every item on the page in one query
(comments with their threads and authors) and caches them on the request."""

from collections import defaultdict
from typing import Any

from django import template
from django.db.models import Q

from portfolio.models import FeedbackComment, FeedbackThread

register = template.Library()

_CACHE_ATTR = "_review_item_threads"
ItemKey = tuple[str, int]


def _load(timeline: Any) -> dict[ItemKey, list[FeedbackThread]]:
    """Threads per (item type, item pk) for the items on this timeline page, newest
    activity first, each with `comment_list` in order. One query; none if the page is
    empty. The items on the page are already those the viewer may read."""
    ids: dict[str, list[int]] = defaultdict(list)
    for period in getattr(timeline, "periods", None) or []:
        for item in period.items:
            ids[item.type].append(item.obj.pk)
    if not ids:
        return {}
    anchors = Q()
    for item_type, pks in ids.items():
        anchors |= Q(**{f"thread__{item_type}_id__in": pks})
    comments = (
        FeedbackComment.objects.filter(anchors, thread__learner=timeline.owner)
        .select_related("thread", "author")
        .order_by("-thread__updated_at", "thread_id", "created_at", "pk")
    )
    threads: dict[int, FeedbackThread] = {}
    by_item: dict[ItemKey, list[FeedbackThread]] = defaultdict(list)
    for comment in comments:
        thread = threads.get(comment.thread_id)
        if thread is None:
            thread = threads[comment.thread_id] = comment.thread
            thread.comment_list = []  # type: ignore[attr-defined]
            for item_type in ("artefact", "reflection", "badge"):
                pk = getattr(thread, f"{item_type}_id")
                if pk is not None:
                    by_item[(item_type, pk)].append(thread)
        thread.comment_list.append(comment)  # type: ignore[attr-defined]
    return dict(by_item)


@register.simple_tag(takes_context=True)
def item_threads(context: template.Context, item: Any, timeline: Any) -> list[FeedbackThread]:
    """The feedback threads on one timeline item (see the module docstring)."""
    request = getattr(context, "request", None)
    cache: dict[int, dict[ItemKey, list[FeedbackThread]]] | None = None
    if request is not None:
        cache = getattr(request, _CACHE_ATTR, None)
        if cache is None:
            cache = {}
            setattr(request, _CACHE_ATTR, cache)
    if cache is not None and id(timeline) in cache:
        loaded = cache[id(timeline)]
    else:
        loaded = _load(timeline)
        if cache is not None:
            cache[id(timeline)] = loaded
    return loaded.get((item.type, item.obj.pk), [])
