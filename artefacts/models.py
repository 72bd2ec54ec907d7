"""Artefacts: a learner's evidence. A stored file, a link, or a written piece."""

import re
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel, EvidenceQuerySet, Tag, Visibility


def stored_name(instance: Any, filename: str) -> str:
    """A generated name; the learner's filename is kept in a field, never in storage.
    Only a plain extension survives (already checked against the content)."""
    token = uuid.uuid4().hex
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    suffix = f".{extension}" if re.fullmatch(r"[a-z0-9]{1,5}", extension) else ""
    return f"artefacts/{token[:2]}/{token}{suffix}"


class Artefact(BaseModel):
    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")
        TEXT = "text", _("Written piece")

    class Preview(models.TextChoices):
        NONE = "none", _("No preview")
        PENDING = "pending", _("Preparing preview")
        READY = "ready", _("Preview ready")
        FAILED = "failed", _("Preview failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="artefacts"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    learned_on = models.DateField(_("date of the learning"), default=timezone.localdate)
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.TUTORS
    )
    tags = models.ManyToManyField(Tag, related_name="artefacts", blank=True)

    # kind == FILE. `file` is what the learner uploaded, kept unchanged; images are served
    # from `display_file`, a re-encoded copy without metadata, and exported PDFs embed
    # `print_file`, a smaller one (EXPORT_IMAGE_MAX_SIDE); the preview task makes both.
    file = models.FileField(upload_to=stored_name, blank=True, max_length=200)
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    file_type = models.CharField(max_length=16, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    media = models.CharField(max_length=16, blank=True)
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    display_file = models.FileField(upload_to=stored_name, blank=True, max_length=200)
    thumbnail = models.FileField(upload_to=stored_name, blank=True, max_length=200)
    print_file = models.FileField(upload_to=stored_name, blank=True, max_length=200)
    preview = models.CharField(max_length=8, choices=Preview.choices, default=Preview.NONE)
    # The served copy's size in pixels, so pages reserve its space before it loads.
    display_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    display_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    # kind == LINK
    url = models.URLField(_("address"), max_length=2000, blank=True)

    # kind == TEXT: Markdown as written, and the sanitised HTML made from it on save.
    body_markdown = models.TextField(_("text"), blank=True)
    body_html = models.TextField(blank=True, editable=False)

    # When what the artefact says last changed (title, description, text, address),
    # set by the services; None: unchanged since it was added. Attestations compare it.
    content_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-learned_on", "-created_at"]
        indexes = [models.Index(fields=["owner", "-learned_on", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("artefacts:detail", kwargs={"public_id": self.public_id})

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.FILE and self.media == "image"

    @property
    def is_private(self) -> bool:
        return self.visibility == Visibility.PRIVATE

    @property
    def content_fingerprint_parts(self) -> dict[str, str]:
        """What an attestation of this artefact vouches for (see attestations)."""
        return {
            "kind": str(self.kind),
            "title": self.title,
            "description": self.description,
            "url": self.url,
            "text": self.body_markdown,
            "file_sha256": self.sha256,
        }

    @property
    def content_changed_on(self) -> Any:
        return self.content_changed_at or self.created_at

    @property
    def stored_names(self) -> list[str]:
        """Every storage name this artefact holds, for deletion."""
        stored = (self.file, self.display_file, self.print_file, self.thumbnail)
        return [f.name for f in stored if f and f.name]
