"""Text search over a learner's items: PostgreSQL full-text search when on PostgreSQL,
a case-insensitive substring match elsewhere. Tags match by name in both."""

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet


@dataclass(frozen=True)
class EvidenceFilters:
    """What a learner can narrow their evidence by, for every kind of item."""

    tag: str = ""
    visibility: str = ""
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""

    def apply(self, qs: QuerySet[Any], *, date_field: str, text_fields: list[str]) -> QuerySet[Any]:
        if self.tag:
            qs = qs.filter(tags__name__iexact=self.tag)
        if self.visibility:
            qs = qs.filter(visibility=self.visibility)
        if self.date_from:
            qs = qs.filter(**{f"{date_field}__gte": self.date_from})
        if self.date_to:
            qs = qs.filter(**{f"{date_field}__lte": self.date_to})
        if self.q:
            qs = text_search(qs, self.q, fields=text_fields)
        return qs


NO_FILTERS = EvidenceFilters()


def text_search(qs: QuerySet[Any], q: str, *, fields: list[str]) -> QuerySet[Any]:
    q = q.strip()[:200]
    if not q:
        return qs
    through = qs.model.tags.through
    tag_match = Exists(
        through.objects.filter(
            **{f"{qs.model._meta.model_name}_id": OuterRef("pk")}, tag__name__iexact=q
        )
    )
    if connection.vendor == "postgresql":
        vector = SearchVector(*fields, config="english")
        query = SearchQuery(q, search_type="websearch", config="english")
        return qs.alias(_search=vector, _tag=tag_match).filter(Q(_search=query) | Q(_tag=True))
    text_match = reduce(or_, (Q(**{f"{field}__icontains": q}) for field in fields))
    return qs.alias(_tag=tag_match).filter(text_match | Q(_tag=True))
