"""Page-shaped reads for reflections."""

import uuid
from typing import Any

from django.db.models import Prefetch, QuerySet

from artefacts.models import Artefact
from core.search import NO_FILTERS, EvidenceFilters
from reflections.models import Reflection, ReflectionPrompt


def reflection_readable(*, user: Any, public_id: Any) -> Reflection:
    """A reflection this person may read, with the linked artefacts they may also read
    (a tutor never sees a private artefact through a shared reflection)."""
    return (
        Reflection.objects.readable_by(user)
        .select_related("owner")
        .prefetch_related(
            "tags",
            Prefetch("artefacts", queryset=Artefact.objects.readable_by(user).order_by("title")),
        )
        .get(public_id=public_id)
    )


def reflection_owned(*, owner: Any, public_id: Any) -> Reflection:
    return (
        Reflection.objects.owned_by(owner)
        .prefetch_related("tags", "artefacts")
        .get(public_id=public_id)
    )


def prompts_active() -> QuerySet[ReflectionPrompt]:
    return ReflectionPrompt.objects.filter(is_active=True)


def prompt_active(*, public_id: str) -> ReflectionPrompt | None:
    """The active prompt with this id, or None for anything else (including junk)."""
    try:
        return prompts_active().get(public_id=uuid.UUID(public_id))
    except (ReflectionPrompt.DoesNotExist, ValueError):
        return None


def reflections_filtered(
    *, owner: Any, filters: EvidenceFilters = NO_FILTERS
) -> QuerySet[Reflection]:
    qs: QuerySet[Reflection] = Reflection.objects.owned_by(owner)
    return filters.apply(qs, date_field="written_on", text_fields=["title", "body_markdown"])


def reflections_by_ids(ids: list[int]) -> dict[int, Reflection]:
    return {
        r.pk: r for r in Reflection.objects.filter(pk__in=ids).prefetch_related("tags", "artefacts")
    }
