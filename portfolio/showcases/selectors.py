"""Page-shaped reads for showcases: the owner's editor and the employer's shared view.
Each runs a fixed number of queries whatever the number of items."""

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)

from artefacts.models import Artefact
from badges.models import Badge
from core.models import Visibility
from portfolio.models import Section, ShareLink, Showcase, ShowcaseItem
from portfolio.showcases.services import token_hash
from reflections.models import Reflection

_TARGETS = ("artefact", "reflection", "badge")


def _count(queryset: QuerySet[Any]) -> Subquery:
    """The number of rows in a queryset filtered on OuterRef, as a column. Counting in a
    subquery keeps each count apart: two counts over joins multiply each other."""
    # A plain COUNT function, not the Count aggregate, so no GROUP BY is added.
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def showcases_owned(*, owner: Any) -> QuerySet[Showcase]:
    """The owner's showcases with how many items and links each has (one query)."""
    return (
        Showcase.objects.filter(owner=owner)
        .annotate(
            item_count=_count(ShowcaseItem.objects.filter(section__showcase=OuterRef("pk"))),
            link_count=_count(ShareLink.objects.filter(showcase=OuterRef("pk"))),
        )
        .order_by("archived_at", "-updated_at")
    )


def showcase_owned(*, owner: Any, public_id: Any) -> Showcase:
    return Showcase.objects.get(owner=owner, public_id=public_id)


def _items(queryset: QuerySet[ShowcaseItem]) -> QuerySet[ShowcaseItem]:
    return queryset.select_related(*_TARGETS).order_by("position", "pk")


def showcase_for_editor(*, owner: Any, public_id: Any) -> Showcase:
    """The showcase with its sections and every item's artefact, reflection or badge."""
    return (
        Showcase.objects.filter(owner=owner)
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=Section.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("items", queryset=_items(ShowcaseItem.objects.all()))
                ),
            )
        )
        .get(public_id=public_id)
    )


def _not_private(queryset: QuerySet[ShowcaseItem]) -> QuerySet[ShowcaseItem]:
    """Items a shared view may show: anything the learner has not made private."""
    private = Visibility.PRIVATE
    return (
        queryset.exclude(artefact__visibility=private)
        .exclude(reflection__visibility=private)
        .exclude(badge__visibility=private)
    )


def showcase_for_display(*, showcase: Showcase) -> Showcase:
    """What an employer sees (and what the owner previews): the given showcase with its
    sections and non-private items loaded (two queries). Sections with nothing to show
    (empty, or only private items) are left out: a viewer has no use for them."""
    shown = Exists(_not_private(ShowcaseItem.objects.filter(section=OuterRef("pk"))))
    prefetch_related_objects(
        [showcase],
        Prefetch(
            "sections",
            queryset=Section.objects.filter(shown)
            .order_by("position", "pk")
            .prefetch_related(
                Prefetch("items", queryset=_items(_not_private(ShowcaseItem.objects.all())))
            ),
        ),
    )
    return showcase


@dataclass(frozen=True)
class LinkState:
    link: ShareLink | None
    active: bool


def link_for_token(*, token: str) -> LinkState:
    """The link this token opens, and whether it still works (not revoked, not expired,
    its showcase not archived). An unknown token gives (None, False)."""
    link = (
        ShareLink.objects.select_related("showcase", "showcase__owner")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None:
        return LinkState(link=None, active=False)
    return LinkState(link=link, active=link.is_active and not link.showcase.is_archived)


def shared_artefact(*, link: ShareLink, public_id: Any) -> Artefact:
    """An artefact reachable through this link: in its showcase and not private."""
    return (
        Artefact.objects.exclude(visibility=Visibility.PRIVATE)
        .filter(showcase_items__section__showcase_id=link.showcase_id)
        .distinct()
        .get(public_id=public_id)
    )


def shared_badge(*, link: ShareLink, public_id: Any) -> Badge:
    return (
        Badge.objects.exclude(visibility=Visibility.PRIVATE)
        .filter(showcase_items__section__showcase_id=link.showcase_id)
        .distinct()
        .get(public_id=public_id)
    )


def links_for(*, showcase: Showcase) -> QuerySet[ShareLink]:
    return showcase.links.order_by("revoked_at", "-created_at")


@dataclass(frozen=True)
class Candidate:
    kind: str
    obj: Any


def picker_candidates(*, owner: Any, q: str = "", limit: int = 10) -> list[Candidate]:
    """The learner's evidence and badges whose titles match, for the item picker
    (three queries)."""
    q = q.strip()[:100]
    artefacts = Artefact.objects.filter(owner=owner)
    reflections = Reflection.objects.filter(owner=owner)
    badges = Badge.objects.filter(owner=owner)
    if q:
        artefacts = artefacts.filter(Q(title__icontains=q) | Q(description__icontains=q))
        reflections = reflections.filter(title__icontains=q)
        badges = badges.filter(Q(name__icontains=q) | Q(issuer_name__icontains=q))
    return (
        [Candidate("artefact", a) for a in artefacts.order_by("-learned_on")[:limit]]
        + [Candidate("reflection", r) for r in reflections.order_by("-written_on")[:limit]]
        + [Candidate("badge", b) for b in badges.order_by("-issued_at")[:limit]]
    )


def owned_targets(*, owner: Any, refs: list[str]) -> list[Any]:
    """Resolve "kind:public_id" references to the owner's own objects (others ignored)."""
    wanted: dict[str, list[str]] = {kind: [] for kind in _TARGETS}
    for ref in refs:
        kind, _sep, public_id = ref.partition(":")
        if kind in wanted and len(public_id) == 36:
            wanted[kind].append(public_id)
    found: dict[str, Any] = {}
    for kind, model in (("artefact", Artefact), ("reflection", Reflection), ("badge", Badge)):
        if wanted[kind]:
            for obj in model.objects.filter(owner=owner, public_id__in=wanted[kind]):
                found[f"{kind}:{obj.public_id}"] = obj
    return [found[ref] for ref in refs if ref in found]
