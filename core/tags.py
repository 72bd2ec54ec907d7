"""Free tags: parsing what a learner typed, and attaching tags to their items."""

import re
from collections.abc import Iterable
from typing import Any

from django.db.models.functions import Lower

from core.models import Tag

MAX_TAG_LENGTH = 50
MAX_TAGS = 20


def tags_parse(text: str) -> list[str]:
    """'Python, teamwork ,  python' -> ['Python', 'teamwork'] (comma-separated,
    whitespace collapsed, duplicates dropped case-insensitively, order kept)."""
    seen: set[str] = set()
    tags: list[str] = []
    for raw in text.split(","):
        name = re.sub(r"\s+", " ", raw).strip()[:MAX_TAG_LENGTH]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            tags.append(name)
    return tags


def tags_set(*, item: Any, owner: Any, names: Iterable[str]) -> None:
    """Replace the item's tags with `names`, creating the owner's missing tags."""
    names = tags_parse(",".join(names))[:MAX_TAGS]
    wanted = Tag.objects.filter(owner=owner).alias(lname=Lower("name"))
    existing: dict[str, Tag] = {
        tag.name.lower(): tag for tag in wanted.filter(lname__in=[n.lower() for n in names])
    }
    missing = [Tag(owner=owner, name=n) for n in names if n.lower() not in existing]
    Tag.objects.bulk_create(missing)
    for tag in Tag.objects.filter(owner=owner, name__in=[t.name for t in missing]):
        existing[tag.name.lower()] = tag
    item.tags.set([existing[n.lower()] for n in names])


def tags_text(item: Any) -> str:
    """The item's tags as the comma-separated text a form shows."""
    return ", ".join(tag.name for tag in item.tags.all())
