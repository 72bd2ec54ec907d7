"""Reflections: Markdown journal entries, optionally linked to the learner's artefacts."""

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artefacts.models import Artefact
from core.models import BaseModel, EvidenceQuerySet, Tag, Visibility


class ReflectionPrompt(BaseModel):
    """A starting point an admin offers, e.g. "What happened? So what? Now what?"."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("starting text"), help_text=_("Markdown the learner's entry starts from.")
    )
    is_active = models.BooleanField(_("offered to learners"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("reflection prompt")

    def __str__(self) -> str:
        return self.title


class Reflection(BaseModel):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    title = models.CharField(_("title"), max_length=200)
    body_markdown = models.TextField(_("reflection"))
    body_html = models.TextField(editable=False)
    written_on = models.DateField(_("date"), default=timezone.localdate)
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.TUTORS
    )
    tags = models.ManyToManyField(Tag, related_name="reflections", blank=True)
    artefacts = models.ManyToManyField(
        Artefact, related_name="reflections", blank=True, verbose_name=_("linked evidence")
    )
    prompt = models.ForeignKey(
        ReflectionPrompt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the title or text last changed, set by the services; None: unchanged since
    # it was written. Attestations compare it.
    content_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-written_on", "-created_at"]
        indexes = [models.Index(fields=["owner", "-written_on", "-created_at"])]
        verbose_name = _("reflection")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reflections:detail", kwargs={"public_id": self.public_id})

    @property
    def is_private(self) -> bool:
        return self.visibility == Visibility.PRIVATE

    @property
    def content_fingerprint_parts(self) -> dict[str, str]:
        """What an attestation of this reflection vouches for (see attestations)."""
        return {"kind": "reflection", "title": self.title, "text": self.body_markdown}

    @property
    def content_changed_on(self) -> Any:
        return self.content_changed_at or self.created_at
