"""Attestations: a named person vouches for one artefact or reflection.

An `AttestationRequest` is the learner's ask, answered once through a single-use link
(only a hash of its token is kept). An `Attestation` is the statement as it was given,
with a SHA-256 fingerprint of what was attested. Once written it never changes: the
only later write is its withdrawal by the attester, done with `QuerySet.update` on
`withdrawn_at` alone. `save()` on an existing row, `delete()` of one row and any other
`update()` raise `AttestationImmutable` (see tests/portfolio/attestations).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artefacts.models import Artefact
from core.models import BaseModel
from reflections.models import Reflection

_EXACTLY_ONE_ITEM = Q(artefact__isnull=False, reflection__isnull=True) | Q(
    artefact__isnull=True, reflection__isnull=False
)


class Statement(models.TextChoices):
    """Statements the learner can offer; the attester may change the words."""

    SUPERVISED = "supervised", _("I supervised this work.")
    OBSERVED = "observed", _("I observed this.")
    OWN_WORK = "own_work", _("This is the learner's own work.")
    CUSTOM = "custom", _("Something else (write it below)")


class AttestationRequest(BaseModel):
    """The learner's request; `token_hash` is set when the email is sent."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ATTESTED = "attested", _("Attested")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attestation_requests"
    )
    artefact = models.ForeignKey(
        Artefact, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("their name"), max_length=150)
    email = models.EmailField(_("their email address"))
    role = models.CharField(_("their role"), max_length=100)
    organisation = models.CharField(_("their organisation"), max_length=150, blank=True)
    message = models.TextField(_("message to them"), blank=True)
    statement = models.TextField(_("statement for them to confirm"))
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires"))
    emailed_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    declined = models.BooleanField(default=False)
    decline_reason = models.TextField(_("reason"), blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["learner", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=_EXACTLY_ONE_ITEM, name="attestreq_exactly_one_item")
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>: {self.item}"

    @property
    def item(self) -> Artefact | Reflection:
        return self.artefact or self.reflection  # type: ignore[return-value]

    @property
    def state(self) -> str:
        if self.answered_at is not None:
            return self.State.DECLINED if self.declined else self.State.ATTESTED
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    @property
    def is_open(self) -> bool:
        return self.state == self.State.PENDING

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)


class AttestationImmutable(Exception):
    """Raised on any attempt to change or delete a recorded attestation."""


# Where pages' selectors put an item's attestations, as a list, when they prefetch them
# (Prefetch(..., to_attr=SHOWN_ATTESTATIONS)); attestation_tags.attestations_of reads it.
SHOWN_ATTESTATIONS = "shown_attestations"


class AttestationQuerySet(models.QuerySet["Attestation"]):
    def update(self, **kwargs: Any) -> int:
        if set(kwargs) - {"withdrawn_at"}:
            raise AttestationImmutable("Only an attestation's withdrawal can be recorded.")
        return super().update(**kwargs)

    def shown(self) -> "AttestationQuerySet":
        return self.order_by("-created_at", "-pk")


class Attestation(BaseModel):
    # About the evidence, not a place it is used in (see artefacts.selectors).
    listed_as_usage = False

    class Via(models.TextChoices):
        LINK = "link", _("Through an emailed link")
        TUTOR = "tutor", _("By a tutor, signed in")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attestations"
    )
    artefact = models.ForeignKey(
        Artefact, on_delete=models.CASCADE, null=True, blank=True, related_name="attestations"
    )
    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, null=True, blank=True, related_name="attestations"
    )
    request = models.OneToOneField(
        AttestationRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attestation",
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    via = models.CharField(_("given"), max_length=8, choices=Via.choices)
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    email_domain = models.CharField(_("email domain"), max_length=255)
    statement = models.TextField(_("statement"))
    comment_markdown = models.TextField(_("comment"), blank=True)
    comment_html = models.TextField(blank=True, editable=False)
    item_title = models.CharField(_("title of what was attested"), max_length=200)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64)
    withdraw_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # Set when the attestation came in a learner's archive (portfolio.archive): a record
    # of what was attested elsewhere, kept as given, with no link to withdraw it here.
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    objects = AttestationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=_EXACTLY_ONE_ITEM, name="attestation_exactly_one_item")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.item_title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AttestationImmutable("A recorded attestation cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AttestationImmutable("A recorded attestation cannot be deleted on its own.")

    def get_absolute_url(self) -> str:
        return f"{self.item.get_absolute_url()}#attestations"

    @property
    def item(self) -> Artefact | Reflection:
        return self.artefact or self.reflection  # type: ignore[return-value]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def changed_since(self) -> Any:
        """When the evidence last changed, if that was after this attestation; else
        None. Reads the item (loaded with the attestation, no query)."""
        changed = self.item.content_changed_at
        return changed if changed is not None and changed > self.created_at else None
