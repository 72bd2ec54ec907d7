"""Institutions and memberships. `accounts.models` imports these so Django finds them."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# WCAG 2.2 AA for normal text: white text on the brand colour needs at least 4.5:1.
MIN_CONTRAST_WITH_WHITE = 4.5


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def contrast_with_white(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)
    return 1.05 / (luminance + 0.05)


def validate_brand_colour(value: str) -> None:
    """A #rrggbb colour that white text stays readable on (buttons, the page header)."""
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(_("Write the colour as # and six hex digits, for example #1f4e79."))
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST_WITH_WHITE:
        raise ValidationError(
            _(
                "White text on %(colour)s has a contrast of %(ratio).1f:1; it needs at least "
                "4.5:1 to be readable. Choose a darker colour."
            )
            % {"colour": value, "ratio": ratio}
        )


def logo_upload_to(instance: "Institution", filename: str) -> str:
    """A random name; the original name is never used for storage (see STYLE.md)."""
    return f"institutions/{uuid.uuid4().hex}"


class Institution(BaseModel):
    """A college, university or employer running cohorts on this site. Single sign-on
    configurations hang off an institution and apply to its `email_domains`."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(_("address name"), max_length=60, unique=True)
    logo = models.FileField(_("logo"), upload_to=logo_upload_to, blank=True)
    logo_type = models.CharField(max_length=100, blank=True)
    brand_colour = models.CharField(
        _("brand colour"), max_length=7, default="#1f4e79", validators=[validate_brand_colour]
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    email_domains = models.JSONField(
        _("email domains"),
        default=list,
        blank=True,
        help_text=_("Addresses at these domains belong to this institution (for sign-on)."),
    )
    show_on_showcases = models.BooleanField(
        _("show the institution on shared showcases by default"), default=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name


class MembershipRole(models.TextChoices):
    LEARNER = "learner", _("Learner")
    TUTOR = "tutor", _("Tutor")
    ASSESSOR = "assessor", _("Assessor")
    ADMIN = "admin", _("Institution admin")


class MembershipState(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(state=MembershipState.ACTIVE)


class Membership(models.Model):
    """One person's role in one institution. Suspending it hides them from the
    institution's staff and tutors without touching anything they own."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=MembershipState.choices, default=MembershipState.ACTIVE
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["institution", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "institution"], name="one_membership_each")
        ]
        indexes = [models.Index(fields=["institution", "role", "state"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.institution} ({self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        return self.state == MembershipState.ACTIVE


class OnboardingBatch(BaseModel):
    """One checked CSV of people to bring in: its rows wait for the admin to confirm,
    then a task works through them, counting as it goes (safe to resume)."""

    class State(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Sending invitations")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped with a problem")

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="onboarding_batches"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    file_name = models.CharField(max_length=255, blank=True)
    rows = models.JSONField(default=list)  # [{line, email, name, role, cohort, action}]
    new_cohorts = models.JSONField(default=list)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PREVIEW)
    processed = models.PositiveIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def is_working(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
