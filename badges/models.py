"""Badges a learner imported: what the issuer stated (kept unchanged), what the learner
added (a note, a visibility), and every verification of it."""

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from artefacts.models import stored_name
from core.models import BaseModel, EvidenceQuerySet, Visibility


class Status(models.TextChoices):
    """What a badge adds up to. Only VERIFIED is shown green: intact, unrevoked, unexpired,
    its issuer identified (by domain or a trusted registry) and its earner this learner."""

    VERIFIED = "verified", _("Verified")
    UNIDENTIFIED = "unidentified", _("Signature valid · issuer not identified")
    UNCONFIRMED = "unconfirmed", _("Valid · earner not confirmed")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    UNVERIFIABLE = "unverifiable", _("Not verifiable now")
    FAILED = "failed", _("Failed")


class Identity(models.TextChoices):
    """Who vouches that the issuer is who the credential says it is."""

    NOT_IDENTIFIED = "none", _("Not identified")
    DOMAIN = "domain", _("Identified by domain")
    REGISTRY = "registry", _("Listed in a trusted registry")


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
    # Issuer identity, apart from the checks: how (if at all) the issuer is identified,
    # the https host that proves it, and the full report of the last check.
    issuer_identity = models.CharField(
        max_length=8, choices=Identity.choices, default=Identity.NOT_IDENTIFIED
    )
    issuer_domain = models.CharField(max_length=253, blank=True)
    report = models.JSONField(default=dict)

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
    def issuer_identified(self) -> bool:
        return self.issuer_identity != Identity.NOT_IDENTIFIED

    @property
    def issuer_id(self) -> str:
        """The issuer's id as the credential states it (an https URL or a DID)."""
        return str(self.details.get("issuer_id") or "")

    @property
    def issuer_web_page(self) -> str:
        """The issuer's web address to link to, only where someone vouches for it: the
        address a trusted registry lists, or the credential's own address when it is on
        the domain that proved the issuer's identity. A self-described issuer's address is
        a claim, never linked as if it were theirs."""
        if self.issuer_identity == Identity.REGISTRY:
            listed = str(self.issuer_registry.get("listed_url") or "")
            return listed if listed.startswith("https://") else ""
        if self.issuer_identity == Identity.DOMAIN and self.issuer_domain:
            host = (urlsplit(self.issuer_url).hostname or "").lower()
            on_domain = host == self.issuer_domain or host.endswith("." + self.issuer_domain)
            return self.issuer_url if on_domain and self.issuer_url.startswith("https://") else ""
        return ""

    @property
    def is_verified(self) -> bool:
        return self.status == Status.VERIFIED

    @property
    def issuer_identity_explanation(self) -> str:
        """How the last check identified the issuer (or why it could not), in plain words."""
        return str((self.report.get("issuer") or {}).get("explanation") or "")

    @property
    def issuer_registry(self) -> dict[str, Any]:
        """The trusted registry that listed the issuer at the last check ({} if none)."""
        return dict((self.report.get("issuer") or {}).get("registry") or {})

    @property
    def issuer_registry_fetched_at(self) -> datetime | None:
        fetched = self.issuer_registry.get("fetched_at")
        return datetime.fromisoformat(fetched) if fetched else None


class Verification(models.Model):
    """One check of a badge: the history behind its current status."""

    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="verifications")
    checked_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.TextField(blank=True)
    checks = models.JSONField(default=list)
    changed = models.BooleanField(default=False)
    issuer_identity = models.CharField(
        max_length=8, choices=Identity.choices, default=Identity.NOT_IDENTIFIED
    )
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} at {self.checked_at:%Y-%m-%d %H:%M}"


class StackQuerySet(models.QuerySet["Stack"]):
    def visible_to(self, user: Any) -> "StackQuerySet":
        """The learner's own stacks, site-wide ones, and those of the institutions they
        are an active member of."""
        from accounts.models import Membership

        theirs = Membership.objects.active().filter(user=user).values("institution_id")
        return self.filter(
            models.Q(owner=user)
            | models.Q(owner__isnull=True, institution__isnull=True)
            | models.Q(owner__isnull=True, institution__in=theirs)
        )


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
    institution = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="badge_stacks",
        help_text=_("For a stack with no owner: the institution whose learners it is offered to."),
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


class IssuerRegistry(BaseModel):
    """A list of issuers an institution trusts (or the whole site, with no institution):
    fetched from a URL on a schedule, or uploaded as a file. The last good copy is kept
    when a fetch fails. It vouches for the badges of its institution's members."""

    class Format(models.TextChoices):
        DCC = "dcc", _("Digital Credentials Consortium registry")
        LEARNCARD = "learncard", _("LearnCard registry.json")

    institution = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="issuer_registries",
        help_text=_("Empty: trusted site-wide, for every institution's learners."),
    )
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("web address"), max_length=2000, blank=True)
    file_name = models.CharField(max_length=255, blank=True)  # when uploaded
    format = models.CharField(max_length=12, choices=Format.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    # The last good copy: when it was fetched (or uploaded), and the last failure since.
    fetched_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("issuer registry")
        verbose_name_plural = _("issuer registries")

    def __str__(self) -> str:
        return self.name

    @property
    def source(self) -> str:
        return self.url or self.file_name


class RegistryIssuer(models.Model):
    """One issuer a registry lists, by its exact id (an https URL or a DID)."""

    registry = models.ForeignKey(IssuerRegistry, on_delete=models.CASCADE, related_name="issuers")
    issuer_id = models.CharField(max_length=2000, db_index=True)
    name = models.CharField(max_length=500, blank=True)
    url = models.CharField(max_length=2000, blank=True)

    class Meta:
        ordering = ["registry", "issuer_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registry", "issuer_id"], name="registry_lists_issuer_once"
            )
        ]

    def __str__(self) -> str:
        return self.issuer_id
