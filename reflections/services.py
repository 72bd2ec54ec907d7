"""Writes with business meaning for reflections."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from artefacts.models import Artefact
from core.html import render_markdown
from core.models import Visibility
from core.tags import tags_set
from reflections.models import Reflection, ReflectionPrompt


@dataclass(frozen=True)
class ReflectionInput:
    title: str
    body_markdown: str
    written_on: date | None = None
    visibility: str = Visibility.TUTORS
    tags: tuple[str, ...] = ()
    artefacts: Sequence[Artefact] = ()
    prompt: ReflectionPrompt | None = None


def _check_artefacts(owner: Any, artefacts: Sequence[Artefact]) -> None:
    if any(a.owner_id != owner.pk for a in artefacts):
        raise PermissionError("A reflection links only its owner's artefacts.")


@transaction.atomic
def reflection_create(*, owner: Any, data: ReflectionInput) -> Reflection:
    """The sanitised HTML is made here, once, so pages never re-render Markdown."""
    _check_artefacts(owner, data.artefacts)
    reflection = Reflection(owner=owner, prompt=data.prompt)
    _apply(reflection, data)
    reflection.save()
    reflection.artefacts.set(data.artefacts)
    tags_set(item=reflection, owner=owner, names=data.tags)
    return reflection


@transaction.atomic
def reflection_update(*, reflection: Reflection, data: ReflectionInput) -> Reflection:
    _check_artefacts(reflection.owner, data.artefacts)
    before = reflection.content_fingerprint_parts
    _apply(reflection, data)
    if reflection.content_fingerprint_parts != before:
        reflection.content_changed_at = timezone.now()
    reflection.save()
    reflection.artefacts.set(data.artefacts)
    tags_set(item=reflection, owner=reflection.owner, names=data.tags)
    return reflection


@transaction.atomic
def reflection_delete(*, reflection: Reflection) -> None:
    """Linked artefacts stay; only the links go."""
    reflection.delete()


def _apply(reflection: Reflection, data: ReflectionInput) -> None:
    reflection.title = data.title[:200]
    reflection.body_markdown = data.body_markdown
    reflection.body_html = render_markdown(data.body_markdown)
    if data.written_on:
        reflection.written_on = data.written_on
    reflection.visibility = data.visibility
