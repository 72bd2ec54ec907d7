"""An institution's badge stacks, built on its staff pages: badge classes found among
those its learners hold (or pasted as a BadgeClass / Achievement address), in order,
with a preview of how many learners have earned each."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from badges.models import Badge, Stack, StackItem, Status

MAX_ITEMS = 50


class StackRefused(ValueError):
    pass


def institution_stacks(*, institution: Any) -> QuerySet[Stack]:
    return (
        Stack.objects.filter(owner__isnull=True, institution=institution)
        .annotate(item_count=Count("items"))
        .order_by("name")
    )


def _members_badges(institution: Any) -> QuerySet[Badge]:
    return Badge.objects.filter(
        owner__memberships__institution=institution, owner__memberships__state="active"
    )


def held_badge_classes(*, institution: Any, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Badge classes the institution's learners hold whose name, id or issuer match
    `query`: achievement id, name, issuer and how many learners hold one (one query)."""
    query = query.strip()
    if len(query) < 2:
        return []
    rows = (
        _members_badges(institution)
        .exclude(achievement_id="")
        .filter(
            Q(name__icontains=query)
            | Q(achievement_id__icontains=query)
            | Q(issuer_name__icontains=query)
        )
        .values("achievement_id")
        .annotate(
            name=Max("name"), issuer=Max("issuer_name"), holders=Count("owner", distinct=True)
        )
        .order_by("name", "achievement_id")[:limit]
    )
    return [dict(row) for row in rows]


@dataclass(frozen=True)
class ItemPreview:
    item: StackItem
    earned: int  # learners of the institution holding it Verified


def stack_preview(*, stack: Stack) -> tuple[list[ItemPreview], int]:
    """Each item with how many of the institution's learners have earned it, and how
    many have earned every required item (two queries)."""
    items = list(stack.items.order_by("position", "pk"))
    ids = [item.achievement_id for item in items]
    verified = _members_badges(stack.institution).filter(
        achievement_id__in=ids, status=Status.VERIFIED
    )
    earned = dict(
        verified.values("achievement_id")
        .annotate(n=Count("owner", distinct=True))
        .values_list("achievement_id", "n")
    )
    required = {item.achievement_id for item in items if item.required}
    complete = 0
    if required:
        complete = (
            verified.filter(achievement_id__in=required)
            .values("owner")
            .annotate(k=Count("achievement_id", distinct=True))
            .filter(k=len(required))
            .count()
        )
    return [ItemPreview(item=i, earned=earned.get(i.achievement_id, 0)) for i in items], complete


@transaction.atomic
def stack_item_add(*, stack: Stack, achievement_id: str, label: str, required: bool) -> StackItem:
    achievement_id = achievement_id.strip()
    if stack.items.filter(achievement_id=achievement_id).exists():
        raise StackRefused(_("This badge is in the stack already."))
    if stack.items.count() >= MAX_ITEMS:
        raise StackRefused(_("A stack holds at most 50 badges."))
    if not label.strip():
        held = _members_badges(stack.institution).filter(achievement_id=achievement_id).first()
        label = held.name if held else achievement_id.rsplit("/", 1)[-1]
    last = stack.items.aggregate(last=Max("position"))["last"]
    return StackItem.objects.create(
        stack=stack,
        achievement_id=achievement_id,
        label=label.strip()[:300],
        required=required,
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def stack_item_move(*, item: StackItem, up: bool) -> None:
    """Swap the item with its neighbour (positions are renumbered 0..n-1 first)."""
    items = list(item.stack.items.select_for_update().order_by("position", "pk"))
    index = next(n for n, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items):
        other.position = position
    StackItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def stack_item_remove(*, item: StackItem) -> None:
    item.delete()
