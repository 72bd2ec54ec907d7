"""Page-shaped reads for artefacts."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from artefacts.models import Artefact
from core.search import NO_FILTERS, EvidenceFilters


def artefact_readable(*, user: Any, public_id: Any) -> Artefact:
    """An artefact this person may read; Artefact.DoesNotExist otherwise (say 404)."""
    return (
        Artefact.objects.readable_by(user)
        .select_related("owner")
        .prefetch_related("tags")
        .get(public_id=public_id)
    )


def artefact_owned(*, owner: Any, public_id: Any) -> Artefact:
    """One of the learner's own artefacts; Artefact.DoesNotExist for anyone else's."""
    return Artefact.objects.owned_by(owner).prefetch_related("tags").get(public_id=public_id)


def artefacts_owned(*, owner: Any) -> QuerySet[Artefact]:
    return Artefact.objects.owned_by(owner).order_by("-learned_on", "-created_at")


MEDIA_FILTERS = {"image", "audio", "video", "document"}


def artefacts_filtered(
    *, owner: Any, kind: str = "", filters: EvidenceFilters = NO_FILTERS
) -> QuerySet[Artefact]:
    """The learner's artefacts matching the evidence library's filters.

    kind: "" (all), "link", "text", or a media kind: image, audio, video, document
    (PDFs, office documents and plain text)."""
    qs: QuerySet[Artefact] = Artefact.objects.owned_by(owner)
    if kind == "link":
        qs = qs.filter(kind=Artefact.Kind.LINK)
    elif kind == "text":
        qs = qs.filter(kind=Artefact.Kind.TEXT)
    elif kind == "document":
        qs = qs.filter(kind=Artefact.Kind.FILE, media__in=["pdf", "document", "text"])
    elif kind in MEDIA_FILTERS:
        qs = qs.filter(kind=Artefact.Kind.FILE, media=kind)
    return filters.apply(
        qs,
        date_field="learned_on",
        text_fields=["title", "description", "body_markdown", "url", "original_filename"],
    )


def artefacts_by_ids(ids: list[int]) -> dict[int, Artefact]:
    return {a.pk: a for a in Artefact.objects.filter(pk__in=ids).prefetch_related("tags")}


@dataclass(frozen=True)
class Usage:
    """Somewhere an artefact is used: shown before it is deleted."""

    what: str
    title: str
    url: str


def artefact_usages(*, artefact: Artefact) -> list[Usage]:
    """Every item elsewhere that refers to this artefact, found through the model's
    reverse relations, so reflections, portfolios and later users are all listed
    without this app knowing them. A model that is about the artefact rather than a
    place it is used in says so with `listed_as_usage = False`."""
    usages: list[Usage] = []
    for relation in Artefact._meta.related_objects:
        if relation.related_model is Artefact or relation.name == "tags":
            continue
        if not getattr(relation.related_model, "listed_as_usage", True):
            continue
        accessor = relation.get_accessor_name()
        if accessor is None:
            continue
        manager = getattr(artefact, accessor, None)
        if manager is None or not hasattr(manager, "all"):
            continue
        for item in manager.all():
            usages.append(
                Usage(
                    what=str(relation.related_model._meta.verbose_name),
                    title=str(item),
                    url=item.get_absolute_url() if hasattr(item, "get_absolute_url") else "",
                )
            )
    return usages
