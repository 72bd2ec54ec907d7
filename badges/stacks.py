"""Stacks: progress towards a larger credential, and the learner's own stack definitions."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from badges.models import Badge, Stack, StackItem, Status


@dataclass(frozen=True)
class ItemProgress:
    item: StackItem
    state: str  # "earned", "held" (not verified), "expired" or "missing"
    badge: Badge | None


@dataclass(frozen=True)
class StackProgress:
    stack: Stack
    items: list[ItemProgress]

    @property
    def required_total(self) -> int:
        return sum(1 for p in self.items if p.item.required)

    @property
    def required_earned(self) -> int:
        return sum(1 for p in self.items if p.item.required and p.state == "earned")

    @property
    def percent(self) -> int:
        total = self.required_total
        return round(100 * self.required_earned / total) if total else 0

    @property
    def complete(self) -> bool:
        return self.required_total > 0 and self.required_earned == self.required_total


def stacks_for(*, user: Any) -> QuerySet[Stack]:
    return Stack.objects.visible_to(user).prefetch_related(
        Prefetch("items", queryset=StackItem.objects.order_by("position", "pk"))
    )


def stack_progress(*, stack: Stack, learner: Any) -> StackProgress:
    """Each item earned, held, expired or missing. Only a Verified badge earns its item
    (intact, unexpired, unrevoked, its issuer identified and its earner this learner):
    one that is held but not verified (issuer not identified, not verifiable now, earner
    not confirmed) is shown as held and does not count; revoked or failed is missing."""
    ids = [item.achievement_id for item in stack.items.all()]
    best: dict[str, Badge] = {}
    for badge in Badge.objects.filter(owner=learner, achievement_id__in=ids):
        current = best.get(badge.achievement_id)
        if current is None or _rank(badge) < _rank(current):
            best[badge.achievement_id] = badge
    items = []
    for item in stack.items.all():
        held = best.get(item.achievement_id)
        if held is not None and held.status == Status.VERIFIED:
            items.append(ItemProgress(item=item, state="earned", badge=held))
        elif held is not None and held.status in _HELD:
            items.append(ItemProgress(item=item, state="held", badge=held))
        elif held is not None and held.status == Status.EXPIRED:
            items.append(ItemProgress(item=item, state="expired", badge=held))
        else:
            items.append(ItemProgress(item=item, state="missing", badge=None))
    return StackProgress(stack=stack, items=items)


_HELD = (Status.UNIDENTIFIED, Status.UNCONFIRMED, Status.UNVERIFIABLE)
_RANK = [Status.VERIFIED, *_HELD, Status.EXPIRED, Status.REVOKED, Status.FAILED]


def _rank(badge: Badge) -> int:
    return _RANK.index(Status(badge.status))


@transaction.atomic
def stack_create(
    *,
    owner: Any,
    name: str,
    description: str,
    items: list[tuple[str, str, bool]],
    institution: Any = None,
) -> Stack:
    """items: (achievement id, label, required). No owner: an institution's stack."""
    stack = Stack.objects.create(
        owner=owner, name=name, description=description, institution=institution
    )
    StackItem.objects.bulk_create(
        StackItem(stack=stack, achievement_id=a, label=label, required=required, position=n)
        for n, (a, label, required) in enumerate(items)
    )
    return stack


@transaction.atomic
def stack_delete(*, stack: Stack) -> None:
    stack.delete()
