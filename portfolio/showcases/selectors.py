"""Page-shaped reads for showcases: the owner's editor and the employer's shared view.
Each runs a fixed number of queries whatever the number of items."""

import uuid
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
from core.links import url_maker
from core.models import Visibility
from portfolio.models import Attestation, Section, ShareLink, Showcase, ShowcaseItem
from portfolio.models.attestations import SHOWN_ATTESTATIONS
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
    return Showcase.objects.select_related("institution").get(owner=owner, public_id=public_id)


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


# What a shared page never shows of the targets: the learner's source text (the page
# shows its HTML) and the badge's stored credential and last check in full (the badge
# page loads those itself). Leaving them out keeps big text and JSON off the hot path.
_NOT_SHOWN = (
    "artefact__body_markdown",
    "reflection__body_markdown",
    "badge__original_payload",
    "badge__document",
    "badge__details",
    "badge__checks",
)
# What the web page (shared_item.html, the badge partials it includes, attestations)
# never reads either, though the PDF export may: dates, owners and visibility (the
# query filters on it), stored file names and types, the badge's provenance. Fewer
# columns are fewer values to read and set on 1,000 objects for a 500-item page; a
# template that reads one of these costs a query per item, which the page's pinned
# query count catches.
_NOT_ON_THE_PAGE = (
    *(
        f"{target}__{field}"
        for target in ("artefact", "reflection", "badge")
        for field in ("created_at", "updated_at", "owner", "visibility")
    ),
    "artefact__learned_on",
    "artefact__file",
    "artefact__file_type",
    "artefact__content_type",
    "artefact__sha256",
    "artefact__display_file",
    "artefact__thumbnail",
    "artefact__print_file",
    "reflection__written_on",
    "reflection__prompt",
    "badge__source",
    "badge__original_image",
    "badge__spec_version",
    "badge__assertion_id",
    "badge__achievement_id",
    "badge__description",
    "badge__expires_at",
    "badge__display_image_type",
    "badge__fingerprint",
    "badge__note",
    "badge__status_reason",
)


def showcase_for_display(*, showcase: Showcase, web_page: bool = False) -> Showcase:
    """What an employer sees (and what the owner previews): the given showcase with its
    sections, non-private items and their attestations loaded (three queries). Sections
    with nothing to show (empty, or only private items) are left out: a viewer has no
    use for them. `web_page`: only what the web page shows of each item is loaded (the
    PDF export shows more)."""
    shown = Exists(_not_private(ShowcaseItem.objects.filter(section=OuterRef("pk"))))
    # The learner and the institution shown head the page: one query for both, where the
    # showcase came without them (a share link's narrow lookup).
    if not {"owner", "institution"} <= set(showcase._state.fields_cache):
        loaded = Showcase.objects.select_related("owner", "institution").get(pk=showcase.pk)
        showcase.owner, showcase.institution = loaded.owner, loaded.institution
    prefetch_related_objects(
        [showcase],
        Prefetch(
            "sections",
            queryset=Section.objects.filter(shown)
            .order_by("position", "pk")
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=_items(_not_private(ShowcaseItem.objects.all())).defer(
                        *_NOT_SHOWN, *(_NOT_ON_THE_PAGE if web_page else ())
                    ),
                )
            ),
        ),
    )
    _attach_attestations(showcase)
    return showcase


def _attach_attestations(showcase: Showcase) -> None:
    """What others vouched for, shown with each item: every shown artefact's and
    reflection's attestations, newest first, as the list `shown_attestations` (read by
    attestation_tags.attestations_of), in one query. Django's prefetch through the items
    would take two, each filtering by the list of loaded objects and walking the items
    twice: a quarter of the loading time of a 500-item page."""
    # Each target once, with its one list: an item in two sections is two objects.
    targets: dict[tuple[str, int | None], Artefact | Reflection] = {}
    for section in showcase.sections.all():
        for item in section.items.all():
            shown = item.artefact or item.reflection  # a badge has no attestations
            if shown is not None:
                first = targets.setdefault((item.kind, shown.pk), shown)
                vars(shown)[SHOWN_ATTESTATIONS] = vars(first).setdefault(SHOWN_ATTESTATIONS, [])
    if not targets:
        return
    in_showcase = ShowcaseItem.objects.filter(section__showcase_id=showcase.pk)
    found = Attestation.objects.shown().filter(
        Q(artefact_id__in=in_showcase.values("artefact_id"))
        | Q(reflection_id__in=in_showcase.values("reflection_id"))
    )
    for attestation in found:
        if attestation.artefact_id is not None:
            target = targets.get(("artefact", attestation.artefact_id))
        else:
            target = targets.get(("reflection", attestation.reflection_id))
        if target is None:  # its item is private: not shown
            continue
        vars(target)[SHOWN_ATTESTATIONS].append(attestation)
        # Its item is the loaded object (Attestation.changed_since reads it): no query.
        if isinstance(target, Artefact):
            attestation.artefact = target
        else:
            attestation.reflection = target


def item_urls(*, showcase: Showcase, token: str | None) -> None:
    """Give the loaded sections and items (showcase_for_display) what the templates
    link to, built without reversing per item: `dom_id` on sections and items, and
    `file_url` (artefacts) or `badge_url` and `image_url` (badges) on items; the share
    link's URLs with its token, or the owner's own when token is None (preview)."""
    if token is None:
        file_url = url_maker("artefacts:file")
        badge_url, image_url = url_maker("badges:detail"), url_maker("badges:image")
    else:
        file_url = url_maker("share:file", token)
        badge_url, image_url = (
            url_maker("share:badge", token),
            url_maker("share:badge_image", token),
        )
    # Attributes for the templates only, not model fields: set through vars().
    for section in showcase.sections.all():
        vars(section)["dom_id"] = str(section.pk)
        for item in section.items.all():
            public_id = item.target.public_id
            urls = {"dom_id": str(item.pk)}
            if item.artefact_id:
                urls["file_url"] = file_url(public_id)
            elif item.badge_id:
                urls["badge_url"] = badge_url(public_id)
                urls["image_url"] = image_url(public_id)
            vars(item).update(urls)


def shared_artefact(*, showcase_id: int, public_id: Any) -> Artefact:
    """An artefact reachable through a link to this showcase: in it and not private."""
    return (
        Artefact.objects.exclude(visibility=Visibility.PRIVATE)
        .filter(showcase_items__section__showcase_id=showcase_id)
        .distinct()
        .get(public_id=public_id)
    )


def shared_badge(*, showcase_id: int, public_id: Any) -> Badge:
    return (
        Badge.objects.exclude(visibility=Visibility.PRIVATE)
        .filter(showcase_items__section__showcase_id=showcase_id)
        .distinct()
        .get(public_id=public_id)
    )


def links_for(*, showcase: Showcase) -> QuerySet[ShareLink]:
    return showcase.links.order_by("revoked_at", "-created_at")


@dataclass(frozen=True)
class Candidate:
    kind: str
    obj: Any
    checked: bool = False


def picker_candidates(
    *, owner: Any, q: str = "", chosen: list[str] | None = None, limit: int = 10
) -> list[Candidate]:
    """The learner's evidence and badges whose titles match, for the item picker (three
    queries). Items already ticked (`chosen`, as "kind:public_id") come first and stay
    ticked whatever the search; references that are malformed or not the learner's are
    left out."""
    q = q.strip()[:100]
    ticked = [Candidate(kind, obj, checked=True) for kind, obj in _chosen(owner, chosen or [])]
    ticked_ids = {(c.kind, c.obj.pk) for c in ticked}
    artefacts = Artefact.objects.filter(owner=owner)
    reflections = Reflection.objects.filter(owner=owner)
    badges = Badge.objects.filter(owner=owner)
    if q:
        artefacts = artefacts.filter(Q(title__icontains=q) | Q(description__icontains=q))
        reflections = reflections.filter(title__icontains=q)
        badges = badges.filter(Q(name__icontains=q) | Q(issuer_name__icontains=q))
    found = (
        [Candidate("artefact", a) for a in artefacts.order_by("-learned_on")[:limit]]
        + [Candidate("reflection", r) for r in reflections.order_by("-written_on")[:limit]]
        + [Candidate("badge", b) for b in badges.order_by("-issued_at")[:limit]]
    )
    return ticked + [c for c in found if (c.kind, c.obj.pk) not in ticked_ids]


def _chosen(owner: Any, refs: list[str]) -> list[tuple[str, Any]]:
    keys = []
    for ref in refs[:100]:
        try:
            keys.append(_parse_reference(ref))
        except BadReference:
            continue
    found = _owned(owner, keys)
    return [(key[0], found[key]) for key in dict.fromkeys(keys) if key in found]


class BadReference(ValueError):
    """A posted item reference that is malformed, or names nothing the learner owns."""


_Key = tuple[str, uuid.UUID]


def owned_targets(*, owner: Any, refs: list[str]) -> list[Any]:
    """Resolve "kind:public_id" references to the owner's own objects, in the order given
    (repeats once). Raises BadReference if any reference is malformed or names something
    that does not exist or is someone else's: the two look the same to the caller, and
    nothing is resolved from a list with a bad reference in it."""
    keys = list(dict.fromkeys(_parse_reference(ref) for ref in refs))
    found = _owned(owner, keys)
    missing = [f"{kind}:{public_id}" for kind, public_id in keys if (kind, public_id) not in found]
    if missing:
        raise BadReference(missing[0])
    return [found[key] for key in keys]


def _parse_reference(ref: str) -> _Key:
    kind, colon, raw = ref.partition(":")
    if not colon or kind not in _TARGETS:
        raise BadReference(ref)
    try:
        return kind, uuid.UUID(raw)
    except ValueError:
        raise BadReference(ref) from None


def _owned(owner: Any, keys: list[_Key]) -> dict[_Key, Any]:
    """The owner's objects among these keys (one query per kind asked for)."""
    found: dict[_Key, Any] = {}
    for kind, model in (("artefact", Artefact), ("reflection", Reflection), ("badge", Badge)):
        wanted = {public_id for k, public_id in keys if k == kind}
        if wanted:
            for obj in model.objects.filter(owner=owner, public_id__in=wanted):
                found[(kind, obj.public_id)] = obj
    return found
