"""Badges a learner imported: what the issuer stated (kept unchanged), what the learner
added (a note, a visibility), and every verification of it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from artefacts.models import stored_name
from core.models import BaseModel, EvidenceQuerySet, Visibility


class Status(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    UNVERIFIABLE = "unverifiable", _("Not verifiable now")
    FAILED = "failed", _("Failed")


class Badge(BaseModel):
    class Source(models.TextChoices):
        IMAGE = "image", _("Baked image")
        JSON = "json", _("JSON")
        JWS = "jws", _("Signed token (JWS/JWT)")
        URL = "url", _("Hosted URL")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges"
    )

    # As received, never edited: the payload (JSON text, compact JWS or URL) and image.
    source = models.CharField(max_length=8, choices=Source.choices)
    original_payload = models.TextField()
    original_image = models.FileField(upload_to=stored_name, blank=True, max_length=200)
    # The assertion or credential JSON the checks read (fetched for hosted badges).
    document = models.JSONField()

    # What the issuer stated, read from `document` once, for lists and search.
    spec_version = models.CharField(max_length=8)
    assertion_id = models.CharField(max_length=2000, blank=True)
    achievement_id = models.CharField(max_length=2000, blank=True)
    name = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    issuer_name = models.CharField(max_length=500, blank=True)
    issuer_url = models.CharField(max_length=2000, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    details = models.JSONField(default=dict)  # criteria, alignments, evidence, credit fields
    display_image = models.FileField(upload_to=stored_name, blank=True, max_length=200)
    display_image_type = models.CharField(max_length=40, blank=True)
    # Recognises the same badge imported twice (the assertion id, or a hash of the payload).
    fingerprint = models.CharField(max_length=64)

    # What the learner adds.
    note = models.TextField(_("your note"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.TUTORS
    )

    status = models.CharField(max_length=16, choices=Status.choices)
    status_reason = models.TextField(blank=True)
    checks = models.JSONField(default=list)
    last_checked_at = models.DateTimeField()

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "fingerprint"], name="badge_imported_once_per_owner"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("badges:detail", kwargs={"public_id": self.public_id})

    @property
    def is_private(self) -> bool:
        return self.visibility == Visibility.PRIVATE

    @property
    def issuer_web_page(self) -> str:
        """The issuer's id when it is a web address to link to; "" for a DID or URN."""
        return self.issuer_url if self.issuer_url.startswith(("https://", "http://")) else ""


class Verification(models.Model):
    """One check of a badge: the history behind its current status."""

    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="verifications")
    checked_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.TextField(blank=True)
    checks = models.JSONField(default=list)
    changed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} at {self.checked_at:%Y-%m-%d %H:%M}"


class StackQuerySet(models.QuerySet["Stack"]):
    def visible_to(self, user: object) -> "StackQuerySet":
        """The learner's own stacks and the institution's (owner empty)."""
        return self.filter(models.Q(owner=user) | models.Q(owner__isnull=True))


class Stack(BaseModel):
    """A larger credential made of badges: some required, some optional. Defined by a
    learner for themselves, or by an institution admin for everyone (no owner)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="badge_stacks",
        null=True,
        blank=True,
        help_text=_("Empty: the stack is the institution's, offered to every learner."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    objects = StackQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("badge stack")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("badges:stack_detail", kwargs={"public_id": self.public_id})


class StackItem(models.Model):
    """One badge class a stack asks for, matched by achievement or badge-class id."""

    stack = models.ForeignKey(Stack, on_delete=models.CASCADE, related_name="items")
    achievement_id = models.CharField(_("achievement or badge class id"), max_length=2000)
    label = models.CharField(_("label"), max_length=300)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label
