"""What every evidence app shares: the base model, visibility, tags, and the one rule
for who may read a learner's item."""

import uuid
from typing import Any, Self

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Public URLs use `public_id`, never the primary key (see STYLE.md)."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private: only me")
    TUTORS = "tutors", _("Shared with my tutors")


class EvidenceQuerySet(models.QuerySet[Any]):
    """Filters for models with an `owner` and a `visibility`: artefacts, reflections,
    badges. `readable_by` is the single statement of who may read an item."""

    def owned_by(self, user: Any) -> Self:
        return self.filter(owner=user)

    def visible_to_tutors(self) -> Self:
        return self.filter(visibility=Visibility.TUTORS)

    def readable_by(self, user: Any) -> Self:
        """The owner reads everything they own; a tutor reads the items their cohorts'
        learners have not made private; nobody else reads anything."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if getattr(user, "role", None) != "tutor":
            return self.owned_by(user)
        # Learners of the tutor's current cohorts, not suspended in the cohort's institution.
        taught = get_user_model().objects.taught_by(user).filter(pk=OuterRef("owner_id"))
        return self.alias(_taught=Exists(taught)).filter(
            Q(owner=user) | Q(visibility=Visibility.TUTORS, _taught=True)
        )


class Tag(models.Model):
    """A learner's own free tag, shared by their artefacts and reflections."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("owner", Lower("name"), name="tag_unique_per_owner_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class OutboundEmail(models.Model):
    """One logical email, written in the transaction that decided to send it (the
    outbox). `key` names what it is about ("digest:<user>:<time>"), so the same message
    is never recorded twice; `core.email.email_deliver` sends it at most once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        # A sender died mid-send: the message may or may not have left, and is not
        # sent again (at most once). Logged for an administrator to look at.
        INTERRUPTED = "interrupted", _("Interrupted while sending")
        FAILED = "failed", _("Failed")

    key = models.CharField(_("key"), max_length=200, unique=True)
    message = models.JSONField(_("message"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
