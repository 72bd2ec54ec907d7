"""Template helpers for tutor review shown inside other pages.

`item_feedback` renders the feedback section of an evidence item's own page (the
artefacts and reflections apps know nothing of review; their templates load this tag).

`item_threads` and `item_request` let the formative timeline show each item's feedback,
and whether the learner is waiting for it, without a query per item: the first call of
each loads what every item on the page needs in one query and caches it on the request.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from django import template
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from portfolio.models import FeedbackComment, FeedbackRequest, FeedbackThread
from portfolio.review import selectors
from portfolio.review.services import anchor_fields

register = template.Library()

ItemKey = tuple[str, int]
Loaded = TypeVar("Loaded")
ANCHORS = ("artefact", "reflection", "badge")


def _page_items(timeline: Any) -> dict[str, list[int]]:
    """The pks of the items on this timeline page, by item type. The items on the page
    are already those the viewer may read."""
    ids: dict[str, list[int]] = defaultdict(list)
    for period in getattr(timeline, "periods", None) or []:
        for item in period.items:
            ids[item.type].append(item.obj.pk)
    return ids


def _anchored_to(ids: dict[str, list[int]], prefix: str = "") -> Q:
    anchors = Q()
    for item_type, pks in ids.items():
        anchors |= Q(**{f"{prefix}{item_type}_id__in": pks})
    return anchors


def _once_per_page(
    context: template.Context, timeline: Any, name: str, load: Callable[[Any], Loaded]
) -> Loaded:
    """`load(timeline)`, computed once per request and timeline."""
    request = getattr(context, "request", None)
    if request is None:
        return load(timeline)
    cache: dict[tuple[str, int], Any] = request.__dict__.setdefault("_review_tags", {})
    key = (name, id(timeline))
    if key not in cache:
        cache[key] = load(timeline)
    return cache[key]


def _load_threads(timeline: Any) -> dict[ItemKey, list[FeedbackThread]]:
    """Threads per (item type, item pk), newest activity first, each with `comment_list`
    in order. One query; none if the page is empty."""
    ids = _page_items(timeline)
    if not ids:
        return {}
    comments = (
        FeedbackComment.objects.filter(
            _anchored_to(ids, "thread__"), thread__learner=timeline.owner
        )
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
            for item_type in ANCHORS:
                pk = getattr(thread, f"{item_type}_id")
                if pk is not None:
                    by_item[(item_type, pk)].append(thread)
        thread.comment_list.append(comment)  # type: ignore[attr-defined]
    return dict(by_item)


def _load_requests(timeline: Any) -> dict[ItemKey, FeedbackRequest]:
    """The oldest unanswered request for feedback per item. One query; none if empty."""
    ids = _page_items(timeline)
    if not ids:
        return {}
    requests = FeedbackRequest.objects.filter(
        _anchored_to(ids), learner=timeline.owner, resolved_at__isnull=True
    ).order_by("-created_at")
    by_item: dict[ItemKey, FeedbackRequest] = {}
    for asked in requests:  # newest first, so the oldest is kept
        for item_type in ANCHORS:
            pk = getattr(asked, f"{item_type}_id")
            if pk is not None:
                by_item[(item_type, pk)] = asked
    return by_item


@register.simple_tag(takes_context=True)
def item_threads(context: template.Context, item: Any, timeline: Any) -> list[FeedbackThread]:
    """The feedback threads on one timeline item (see the module docstring)."""
    loaded = _once_per_page(context, timeline, "threads", _load_threads)
    return loaded.get((item.type, item.obj.pk), [])


@register.simple_tag(takes_context=True)
def item_request(context: template.Context, item: Any, timeline: Any) -> FeedbackRequest | None:
    """The learner's unanswered request for feedback on one timeline item, if any."""
    loaded = _once_per_page(context, timeline, "requests", _load_requests)
    return loaded.get((item.type, item.obj.pk))


@register.inclusion_tag("portfolio/review/partials/item_feedback.html", takes_context=True)
def item_feedback(context: template.Context, item: Any) -> dict[str, Any]:
    """The feedback on `item` (an artefact, reflection or badge) for its page: threads
    with reply and "mark addressed" for the learner and their tutors, "ask my tutor" for
    the learner, the form to give feedback for a tutor. Empty for anyone else. Four
    queries at most."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    try:
        threads = selectors.threads_for_item(viewer, item)
    except PermissionDenied:
        return {"show": False}
    assert viewer is not None  # threads_for_item let them through
    viewer_is_tutor = viewer.pk != item.owner_id
    asked = None
    if not viewer_is_tutor:
        asked = (
            FeedbackRequest.objects.filter(
                learner=viewer, resolved_at__isnull=True, **anchor_fields(item)
            )
            .order_by("created_at")
            .first()
        )
    return {
        "show": True,
        "request": request,
        "item": item,
        "threads": threads,
        "viewer_is_tutor": viewer_is_tutor,
        "asked": asked,
        "target_ref": f"{item._meta.model_name}:{item.public_id}",
        "next": f"{item.get_absolute_url()}#feedback",
    }
