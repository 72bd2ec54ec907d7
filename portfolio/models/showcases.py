"""Showcase portfolios: a learner's curated selection for one audience, and the links
that share it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artefacts.models import Artefact
from badges.models import Badge
from core.models import BaseModel
from reflections.models import Reflection


class Showcase(BaseModel):
    class Theme(models.TextChoices):
        CLASSIC = "classic", _("Classic: serif headings, calm colours")
        MODERN = "modern", _("Modern: bold headings, cards")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="showcases"
    )
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(
        _("audience or purpose"),
        max_length=200,
        blank=True,
        help_text=_("For example “Application to Acme Ltd” or “APEL claim for BSc Computing”."),
    )
    summary_markdown = models.TextField(_("summary"), blank=True)
    summary_html = models.TextField(blank=True, editable=False)
    theme = models.CharField(_("look"), max_length=16, choices=Theme.choices, default=Theme.CLASSIC)
    archived_at = models.DateTimeField(null=True, blank=True)
    # The institution named (with its logo) on the shared page, as the learner chose.
    institution = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution shown"),
    )
    # Bumped by showcases.versions.showcase_content_changed whenever anything a shared
    # page shows changes: the key of the rendered-page cache.
    content_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("showcases:detail", kwargs={"public_id": self.public_id})

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Section(models.Model):
    showcase = models.ForeignKey(Showcase, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(_("heading"), max_length=200)
    intro_markdown = models.TextField(_("introduction"), blank=True)
    intro_html = models.TextField(blank=True, editable=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.heading


class ShowcaseItem(models.Model):
    """A reference to one artefact, reflection or badge: never a copy. Deleting the
    evidence deletes the item; making it private hides it from shared views."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    artefact = models.ForeignKey(
        Artefact, on_delete=models.CASCADE, null=True, blank=True, related_name="showcase_items"
    )
    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, null=True, blank=True, related_name="showcase_items"
    )
    badge = models.ForeignKey(
        Badge, on_delete=models.CASCADE, null=True, blank=True, related_name="showcase_items"
    )
    caption = models.TextField(_("why it is here"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("showcase item")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(artefact__isnull=False, reflection__isnull=True, badge__isnull=True)
                    | Q(artefact__isnull=True, reflection__isnull=False, badge__isnull=True)
                    | Q(artefact__isnull=True, reflection__isnull=True, badge__isnull=False)
                ),
                name="showcase_item_refers_to_exactly_one_thing",
            )
        ]

    def __str__(self) -> str:
        return str(self.target)

    def get_absolute_url(self) -> str:
        return self.section.showcase.get_absolute_url()

    @property
    def target(self) -> Artefact | Reflection | Badge:
        return self.artefact or self.reflection or self.badge  # type: ignore[return-value]

    @property
    def kind(self) -> str:
        return "artefact" if self.artefact_id else "reflection" if self.reflection_id else "badge"


class ShareLink(BaseModel):
    """Only a hash of the token is kept: the full link is shown once, at creation."""

    showcase = models.ForeignKey(Showcase, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("who it is for"), max_length=200)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    passphrase_hash = models.CharField(max_length=256, blank=True)
    notify_on_first_open = models.BooleanField(_("email me when it is first opened"), default=False)
    offer_pdf = models.BooleanField(_("offer the PDF of this showcase"), default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    open_count = models.PositiveIntegerField(default=0)
    first_opened_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_on is None or self.expires_on >= timezone.localdate()

    @property
    def has_passphrase(self) -> bool:
        return bool(self.passphrase_hash)
