"""Render every stored piece of learner Markdown again with today's `core.html`.

Pages show the HTML made when the text was saved; after a change to how Markdown is
read (lists after a paragraph, two-space nesting) older rows keep their old HTML until
edited. Run this once after deploying such a change. Only rows whose HTML changes are
written, and `updated_at` is left alone: the learner changed nothing.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import models, transaction

from artefacts.models import Artefact
from core.html import render_markdown
from portfolio.models import FeedbackComment, ReviewMeeting, Section, Showcase
from portfolio.showcases.versions import all_showcases_content_changed
from reflections.models import Reflection

BATCH = 500
SHOWN_ON_SHARED_PAGES = (Reflection, Artefact, Showcase, Section)

# (model, Markdown field, HTML field)
STORED: list[tuple[type[models.Model], str, str]] = [
    (Reflection, "body_markdown", "body_html"),
    (Artefact, "body_markdown", "body_html"),
    (Showcase, "summary_markdown", "summary_html"),
    (Section, "intro_markdown", "intro_html"),
    (FeedbackComment, "body_markdown", "body_html"),
    (ReviewMeeting, "summary_markdown", "summary_html"),
]


def rerender(model: type[models.Model], source: str, target: str) -> int:
    """Re-render one model's stored HTML; returns how many rows changed."""
    changed = 0
    rows = model._default_manager.only("pk", source, target).order_by("pk")
    batch: list[models.Model] = []
    for row in rows.iterator(chunk_size=BATCH):
        html = render_markdown(getattr(row, source))
        if html != getattr(row, target):
            setattr(row, target, html)
            batch.append(row)
        if len(batch) >= BATCH:
            changed += _save(model, batch, target)
    return changed + _save(model, batch, target)


def _save(model: type[models.Model], batch: list[models.Model], target: str) -> int:
    count = len(batch)
    with transaction.atomic():
        model._default_manager.bulk_update(batch, [target])
    batch.clear()
    return count


class Command(BaseCommand):
    help = "Render stored learner Markdown again (after a change to how Markdown is read)."

    def handle(self, *args: Any, **options: Any) -> None:
        shown = 0
        for model, source, target in STORED:
            changed = rerender(model, source, target)
            self.stdout.write(f"{model._meta.label}: {changed} updated")
            shown += changed if model in SHOWN_ON_SHARED_PAGES else 0
        if shown:  # bulk_update sends no signals: the cached shared pages need telling
            all_showcases_content_changed()
