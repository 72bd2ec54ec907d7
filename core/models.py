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
