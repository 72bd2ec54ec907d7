"""Page-shaped reads that combine the evidence apps, through their selectors."""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import CharField, F, Value

from artefacts.selectors import artefacts_by_ids, artefacts_filtered
from badges.models import Status
from badges.selectors import badges_owned
from core.models import Tag
from core.search import NO_FILTERS, EvidenceFilters
from reflections.selectors import reflections_by_ids, reflections_filtered

LIBRARY_PAGE_SIZE = 25


@dataclass(frozen=True)
class LibraryItem:
    type: str  # "artefact" or "reflection"
    obj: Any


@dataclass(frozen=True)
class LibraryPage:
    page: Page[Any]
    items: list[LibraryItem]
    tags: list[str]


def library_page(
    *,
    owner: Any,
    kind: str = "",
    filters: EvidenceFilters = NO_FILTERS,
    page_number: Any = 1,
) -> LibraryPage:
    """One page of a learner's artefacts and reflections, newest first.

    A fixed number of queries whatever the library's size: a count and a page of ids
    over the union of both kinds, then each kind's objects with their tags."""
    parts = []
    if kind != "reflection":
        artefacts = artefacts_filtered(owner=owner, kind=kind, filters=filters)
        parts.append(_keys(artefacts, "artefact", "learned_on"))
    if kind in ("", "reflection"):
        reflections = reflections_filtered(owner=owner, filters=filters)
        parts.append(_keys(reflections, "reflection", "written_on"))
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    combined = combined.order_by("-day", "-created_at", "-pk")
    page = Paginator(combined, LIBRARY_PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    found: dict[str, dict[int, Any]] = {
        "artefact": artefacts_by_ids([r["pk"] for r in rows if r["type"] == "artefact"]),
        "reflection": reflections_by_ids([r["pk"] for r in rows if r["type"] == "reflection"]),
    }
    items = [
        LibraryItem(type=r["type"], obj=found[r["type"]][r["pk"]])
        for r in rows
        if r["pk"] in found[r["type"]]
    ]
    tags = list(Tag.objects.filter(owner=owner).values_list("name", flat=True))
    return LibraryPage(page=page, items=items, tags=tags)


def evidence_counts(*, owner: Any) -> dict[str, int]:
    """How many artefacts, reflections and verified badges a learner has (three queries)."""
    return {
        "artefacts": artefacts_filtered(owner=owner).count(),
        "reflections": reflections_filtered(owner=owner).count(),
        "badges": badges_owned(owner=owner).filter(status=Status.VERIFIED).count(),
    }


def _keys(qs: Any, type_name: str, day_field: str) -> Any:
    return (
        qs.order_by()
        .annotate(type=Value(type_name, output_field=CharField()), day=F(day_field))
        .values("pk", "type", "day", "created_at")
    )
