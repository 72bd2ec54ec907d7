"""People and cohorts: a custom user with email login and a role, and cohorts linking
tutors to learners."""

import uuid
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.institutions.models import (
    Institution,
    Membership,
    MembershipRole,
    MembershipState,
    OnboardingBatch,
)
from accounts.timezones import all_time_zones
from core.models import BaseModel

__all__ = [
    "Cohort",
    "Institution",
    "Membership",
    "MembershipRole",
    "MembershipState",
    "OnboardingBatch",
    "User",
]


def validate_time_zone(value: str) -> None:
    """Checked against the machine's tz database, never stored in migrations."""
    if value not in all_time_zones():
        raise ValidationError(_("Choose a time zone from the list, for example Europe/London."))


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner")
    TUTOR = "tutor", _("Tutor")
    ADMIN = "admin", _("Institution admin")


class UserQuerySet(models.QuerySet["User"]):
    def learners(self) -> "UserQuerySet":
        return self.filter(role=Role.LEARNER)

    def tutors(self) -> "UserQuerySet":
        return self.filter(role=Role.TUTOR)

    def taught_by(self, tutor: "User") -> "UserQuerySet":
        """Learners in any cohort this tutor teaches (each once): only cohorts of
        institutions where the tutor is not suspended, and only learners not suspended in
        the cohort's institution. One query (subqueries), no DISTINCT."""
        enrolled = Cohort.learners.through.objects.filter(
            user_id=OuterRef("pk"), cohort__in=Cohort.objects.taught_by(tutor)
        ).exclude(
            Exists(
                Membership.objects.filter(
                    user_id=OuterRef("user_id"),
                    institution_id=OuterRef("cohort__institution_id"),
                    state=MembershipState.SUSPENDED,
                )
            )
        )
        return self.learners().filter(Exists(enrolled))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("role", Role.LEARNER)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra["role"] = Role.ADMIN
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who signs up is a learner; institution admins make tutors and admins.

    An institution admin is the Django admin's staff user: `is_staff` follows the role.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.LEARNER)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unticking this blocks sign-in without deleting the person's evidence."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def is_learner(self) -> bool:
        return self.role == Role.LEARNER

    @property
    def is_tutor(self) -> bool:
        return self.role == Role.TUTOR

    @property
    def is_institution_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_staff(self) -> bool:
        """Only superusers reach the Django admin; institution admins have their own
        staff pages (/staff/), limited to their institutions."""
        return self.is_active and self.is_superuser

    def get_short_name(self) -> str:
        return self.display_name

    def get_full_name(self) -> str:
        return self.display_name


class CohortQuerySet(models.QuerySet["Cohort"]):
    def current(self) -> "CohortQuerySet":
        return self.filter(archived_at__isnull=True)

    def taught_by(self, tutor: User) -> "CohortQuerySet":
        """Current cohorts this tutor teaches, in institutions that have not suspended
        them."""
        suspended = Membership.objects.filter(
            user=tutor, institution_id=OuterRef("institution_id"), state=MembershipState.SUSPENDED
        )
        return self.current().filter(tutors=tutor).exclude(Exists(suspended))


class Cohort(BaseModel):
    """A group of learners and the tutors who review their formative work."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("institution")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    tutors = models.ManyToManyField(
        User,
        related_name="teaching_cohorts",
        blank=True,
        limit_choices_to={"role": Role.TUTOR},
        verbose_name=_("tutors"),
    )
    learners = models.ManyToManyField(
        User,
        related_name="cohorts",
        blank=True,
        limit_choices_to={"role": Role.LEARNER},
        verbose_name=_("learners"),
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"], name="cohort_name_unique_per_institution"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:cohort_detail", kwargs={"public_id": self.public_id})


# Single sign-on lives in its own module; imported here so that Django registers it.
from accounts.sso.models import SingleSignOn, SingleSignOnDomain  # noqa: E402, F401
