"""Reads for the learner's own claim pages: the list of claims (grouped by series, with
how much of each is covered), the evidence picker, and turning what the picker posts
back into the learner's own items. Each runs a fixed number of queries."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from artefacts.models import Artefact
from badges.models import Badge
from portfolio.models import Claim, ClaimOutcome, Section, Showcase, ShowcaseItem
from portfolio.showcases.selectors import BadReference, owned_targets
from reflections.models import Reflection

PICKER_LIMIT = 200  # items of each kind listed at once; a search narrows them


@dataclass
class Series:
    """One claim and all its versions, newest first."""

    versions: list[Claim]

    @property
    def latest(self) -> Claim:
        return self.versions[0]


def claim_series(*, learner: Any) -> list[Series]:
    """The learner's claims grouped by series, the most recently changed series first,
    each claim with `outcome_count` and `covered_count` (outcomes with evidence)."""
    claims = (
        Claim.objects.filter(learner=learner)
        .select_related("programme")
        .annotate(
            outcome_count=Count("answers", distinct=True),
            covered_count=Count(
                "answers", filter=Q(answers__mappings__isnull=False), distinct=True
            ),
        )
        .order_by("series", "-version")
    )
    grouped: dict[uuid.UUID, list[Claim]] = {}
    for claim in claims:
        vars(claim)["gap_count"] = vars(claim)["outcome_count"] - vars(claim)["covered_count"]
        grouped.setdefault(claim.series, []).append(claim)
    series = [Series(versions) for versions in grouped.values()]
    series.sort(key=lambda s: max(c.updated_at for c in s.versions), reverse=True)
    return series


def answer_in(*, claim: Claim, code: str) -> ClaimOutcome:
    """The claim's answer for the outcome with this code (DoesNotExist if none)."""
    return ClaimOutcome.objects.select_related("outcome", "claim__learner").get(
        claim=claim, outcome__code=code
    )


@dataclass(frozen=True)
class Choice:
    """One tickable item in the picker; `value` is what it posts."""

    kind: str
    obj: Artefact | Reflection | Badge
    value: str
    mapped: bool  # already mapped to the outcome
    where: str = ""  # the showcase section it is in


@dataclass(frozen=True)
class Group:
    title: str
    choices: list[Choice]


@dataclass(frozen=True)
class Picker:
    """What the learner can map to one outcome: their items of each kind (`library`),
    and each showcase with the items it shows (`showcases`)."""

    library: list[Group]
    showcases: list[Group]
    limited: bool  # a kind had more than PICKER_LIMIT items matching

    @property
    def empty(self) -> bool:
        return not any(g.choices for g in [*self.library, *self.showcases])


def _item_match(q: str) -> Q:
    return (
        Q(artefact__title__icontains=q)
        | Q(reflection__title__icontains=q)
        | Q(badge__name__icontains=q)
    )


def picker_for(*, answer: ClaimOutcome, q: str = "") -> Picker:
    """The learner's evidence for the picker, newest first, narrowed by `q` (seven
    queries)."""
    learner = answer.claim.learner_id
    q = q.strip()[:100]
    artefacts = Artefact.objects.filter(owner_id=learner).order_by("-learned_on", "-pk")
    reflections = Reflection.objects.filter(owner_id=learner).order_by("-written_on", "-pk")
    badges = Badge.objects.filter(owner_id=learner).order_by("-issued_at", "-pk")
    items = ShowcaseItem.objects.select_related("artefact", "reflection", "badge")
    if q:
        artefacts = artefacts.filter(Q(title__icontains=q) | Q(description__icontains=q))
        reflections = reflections.filter(title__icontains=q)
        badges = badges.filter(Q(name__icontains=q) | Q(issuer_name__icontains=q))
        items = items.filter(_item_match(q))
    mapped = _mapped_keys(answer)
    library, limited = [], False
    kinds: list[tuple[Any, str, QuerySet[Any]]] = [
        (_("Artefacts"), "artefact", artefacts),
        (_("Reflections"), "reflection", reflections),
        (_("Badges"), "badge", badges),
    ]
    for title, kind, queryset in kinds:
        found = list(queryset.defer(*_HEAVY[kind])[: PICKER_LIMIT + 1])
        limited = limited or len(found) > PICKER_LIMIT
        choices = []
        for obj in found[:PICKER_LIMIT]:
            key = f"{kind}:{obj.public_id}"
            choices.append(Choice(kind, obj, key, key in mapped))
        library.append(Group(str(title), choices))
    showcases = (
        Showcase.objects.filter(owner_id=learner, archived_at__isnull=True)
        .order_by("-updated_at")
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=Section.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("items", queryset=items.order_by("position", "pk"))
                ),
            )
        )
    )
    groups = []
    for showcase in showcases:
        choices = []
        for section in showcase.sections.all():
            for item in section.items.all():
                key = f"{item.kind}:{item.target.public_id}"
                value = f"showcase:{showcase.public_id}:{key}"
                choices.append(
                    Choice(item.kind, item.target, value, key in mapped, section.heading)
                )
        if choices:
            groups.append(Group(showcase.title, choices))
    return Picker(library=library, showcases=groups, limited=limited)


# What the picker never shows: big text and the badge's stored credential.
_HEAVY: dict[str, tuple[str, ...]] = {
    "artefact": ("body_markdown",),
    "reflection": ("body_markdown",),
    "badge": ("original_payload", "document", "checks"),
}


def _mapped_keys(answer: ClaimOutcome) -> set[str]:
    keys = set()
    rows = answer.mappings.values_list(
        "artefact__public_id", "reflection__public_id", "badge__public_id"
    )
    for artefact, reflection, badge in rows:
        kind = "artefact" if artefact else "reflection" if reflection else "badge"
        keys.add(f"{kind}:{artefact or reflection or badge}")
    return keys


@dataclass(frozen=True)
class Picked:
    item: Artefact | Reflection | Badge
    showcase_item: ShowcaseItem | None = None


def picked_items(*, learner: Any, refs: list[str]) -> list[Picked]:
    """What the picker posted, as the learner's own items: "kind:public_id" for an item,
    "showcase:<showcase public_id>:kind:public_id" for an item chosen in a showcase.
    Raises BadReference if any reference is malformed or not the learner's."""
    plain, in_showcases = [], []
    for ref in refs[:500]:
        head, _colon, rest = ref.partition(":")
        if head == "showcase":
            showcase_id, _colon, target = rest.partition(":")
            in_showcases.append((_uuid(showcase_id, ref), target))
        else:
            plain.append(ref)
    targets = owned_targets(owner=learner, refs=plain + [t for _s, t in in_showcases])
    by_key = {f"{_kind(t)}:{t.public_id}": t for t in targets}
    picked = [Picked(by_key[_key(ref)]) for ref in dict.fromkeys(plain)]
    wanted = {
        (showcase, by_key[_key(target)].pk, _kind(by_key[_key(target)]))
        for showcase, target in in_showcases
    }
    if wanted:
        shown = _showcase_items(learner, wanted)
        for showcase, target in dict.fromkeys(in_showcases):
            item = by_key[_key(target)]
            found = shown.get((showcase, _kind(item), item.pk))
            if found is None:
                raise BadReference(f"showcase:{showcase}:{target}")
            picked.append(Picked(item, found))
    return picked


def _uuid(raw: str, ref: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise BadReference(ref) from None


def _key(ref: str) -> str:
    """A reference as `by_key` spells it: the UUID as posted may be upper-case or
    without its dashes (owned_targets has already refused a malformed one)."""
    kind, _colon, raw = ref.partition(":")
    return f"{kind}:{_uuid(raw, ref)}"


def _kind(item: Any) -> str:
    return str(item._meta.model_name)


def _showcase_items(
    learner: Any, wanted: set[tuple[uuid.UUID, int, str]]
) -> dict[tuple[uuid.UUID, str, int], ShowcaseItem]:
    """The learner's showcase items showing these targets in these showcases (one
    query); the first in showcase order where a showcase shows a target twice."""
    match = Q()
    for showcase, pk, kind in wanted:
        match |= Q(section__showcase__public_id=showcase, **{f"{kind}_id": pk})
    items = (
        ShowcaseItem.objects.filter(match, section__showcase__owner=learner)
        .select_related("section__showcase")
        .order_by("-section__position", "-position", "-pk")
    )
    found = {}
    for item in items:  # last wins: the first in showcase order
        target = int(item.artefact_id or item.reflection_id or item.badge_id or 0)
        found[(item.section.showcase.public_id, item.kind, target)] = item
    return found
