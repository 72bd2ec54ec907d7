"""APEL/RPL: programmes with learning outcomes, a learner's claim mapping evidence to
each outcome, and the assessor's judgements.

A `Programme` is published by an institution (or entered by a learner for their own
use, `entered_by` set). A `Claim` targets one programme (optionally some of its
courses); it holds one `ClaimOutcome` per outcome it addresses, with the learner's
justification and, later, the assessor's judgement, and each `ClaimOutcome` holds the
`Mapping`s of evidence to that outcome. Transcript values a learner adds to a badge
(study hours, EQF level, credits the credential does not state) are `CredentialNote`s.

A submitted claim is frozen: services refuse every write to it except the assessor's
judgements; a new version (`previous` set, same `series`) is started from it to change
anything. Every step is a `ClaimEvent` in the claim's history.
"""

import uuid

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

OUTCOME_CODE_MAX = 40


class Programme(BaseModel):
    """A target programme and its learning outcomes. Institution programmes are seen by
    learners once published; a learner-entered one (`entered_by`) only by that learner."""

    institution = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="programmes",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="entered_programmes",
        help_text=_("Set when a learner entered the programme themselves."),
    )
    code = models.CharField(_("code"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(_("level"), max_length=100, blank=True)
    total_credits = models.DecimalField(
        _("total credits"), null=True, blank=True, max_digits=7, decimal_places=2
    )
    credit_cap = models.DecimalField(
        _("most credits that can be granted by APEL"),
        null=True,
        blank=True,
        help_text=_("For example 30 % of the programme's credits."),
        max_digits=7,
        decimal_places=2,
    )
    currency_years = models.PositiveSmallIntegerField(
        _("evidence must be from the last (years)"), null=True, blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False, entered_by__isnull=True)
                | Q(institution__isnull=True, entered_by__isnull=False),
                name="programme_has_exactly_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    @property
    def learner_entered(self) -> bool:
        return self.entered_by_id is not None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Course(models.Model):
    """An optional grouping of outcomes (a course or module of the programme)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="courses")
    code = models.CharField(_("code"), max_length=OUTCOME_CODE_MAX)
    title = models.CharField(_("title"), max_length=300, blank=True)
    credits = models.DecimalField(
        _("credits"), null=True, blank=True, max_digits=7, decimal_places=2
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="course_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class LearningOutcome(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="outcomes")
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, null=True, blank=True, related_name="outcomes"
    )
    code = models.CharField(_("code"), max_length=OUTCOME_CODE_MAX)
    text = models.TextField(_("outcome"))
    credits = models.DecimalField(
        _("credits"), null=True, blank=True, max_digits=7, decimal_places=2
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="outcome_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"


class ClaimState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ASSESSED = "assessed", _("Assessed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Recommendation(models.TextChoices):
    AWARD = "award", _("Award the credit sought")
    PARTIAL = "partial", _("Award part of the credit")
    NOT_YET = "not_yet", _("Not yet: more evidence needed")


class Claim(BaseModel):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="apel_claims"
    )
    # A programme with claims against it is kept: unpublish it instead.
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="claims")
    courses = models.ManyToManyField(Course, blank=True, related_name="claims")
    title = models.CharField(_("title"), max_length=200)
    # All versions of one claim share a series; `previous` is the version this was
    # started from.
    series = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_version"
    )
    state = models.CharField(max_length=12, choices=ClaimState.choices, default=ClaimState.DRAFT)
    declaration = models.TextField(_("declaration"), blank=True)  # as confirmed
    declared_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    recommendation = models.CharField(
        _("overall recommendation"), max_length=12, choices=Recommendation.choices, blank=True
    )
    recommendation_comment = models.TextField(_("comment"), blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)
    assessed_by = models.CharField(max_length=300, blank=True)  # name and email, as shown

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="claim_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("apel:claim", kwargs={"public_id": self.public_id})

    @property
    def is_frozen(self) -> bool:
        return self.state != ClaimState.DRAFT


class Judgement(models.TextChoices):
    MEETS = "meets", _("Meets")
    PARTLY = "partly", _("Partly meets")
    NOT_YET = "not_yet", _("Not yet met")


class ClaimOutcome(models.Model):
    """The learner's case for one outcome, and the assessor's judgement of it."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="answers")
    outcome = models.ForeignKey(LearningOutcome, on_delete=models.PROTECT, related_name="+")
    justification = models.TextField(_("how the evidence meets this outcome"), blank=True)
    judgement = models.CharField(max_length=8, choices=Judgement.choices, blank=True)
    judgement_comment = models.TextField(_("comment"), blank=True)
    judged_at = models.DateTimeField(null=True, blank=True)
    judged_by = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["outcome__position", "outcome__pk"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "outcome"], name="claim_outcome_once")
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.outcome.code}"


_EXACTLY_ONE_ITEM = (
    Q(artefact__isnull=False, reflection__isnull=True, badge__isnull=True)
    | Q(artefact__isnull=True, reflection__isnull=False, badge__isnull=True)
    | Q(artefact__isnull=True, reflection__isnull=True, badge__isnull=False)
)


class Mapping(models.Model):
    """One piece of evidence offered for one outcome. A showcase item is mapped as the
    artefact, reflection or badge it shows, with `showcase_item` kept for its caption."""

    answer = models.ForeignKey(ClaimOutcome, on_delete=models.CASCADE, related_name="mappings")
    artefact = models.ForeignKey(
        Artefact, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    badge = models.ForeignKey(
        Badge, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    showcase_item = models.ForeignKey(
        "portfolio.ShowcaseItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("why this is sufficient"), blank=True)
    # Why it was suggested (a badge alignment matching the outcome), when it was.
    suggested_because = models.CharField(max_length=500, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=_EXACTLY_ONE_ITEM, name="mapping_exactly_one_item"),
            models.UniqueConstraint(
                fields=["answer", "artefact"],
                name="mapping_artefact_once",
                condition=Q(artefact__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["answer", "reflection"],
                name="mapping_reflection_once",
                condition=Q(reflection__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["answer", "badge"],
                name="mapping_badge_once",
                condition=Q(badge__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.answer_id}"

    @property
    def target(self) -> Artefact | Reflection | Badge:
        return self.artefact or self.reflection or self.badge  # type: ignore[return-value]

    @property
    def kind(self) -> str:
        return "artefact" if self.artefact_id else "reflection" if self.reflection_id else "badge"


class CredentialNote(models.Model):
    """Transcript values the learner declares for a badge in a claim, for what the
    credential does not state itself. Shown as self-declared, never as issuer-stated."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="credential_notes")
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="+")
    study_hours = models.DecimalField(
        _("study hours"), null=True, blank=True, max_digits=7, decimal_places=1
    )
    eqf_level = models.PositiveSmallIntegerField(_("EQF level"), null=True, blank=True)
    credits = models.DecimalField(
        _("credit points"), null=True, blank=True, max_digits=7, decimal_places=2
    )
    learning_outcomes = models.TextField(_("learning outcomes"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "badge"], name="credential_note_once")
        ]

    def __str__(self) -> str:
        return f"{self.badge_id} in {self.claim_id}"


class ClaimAssessor(BaseModel):
    """Who a claim is submitted to: an assessor of the institution (`user`), or a named
    person by email who opens it through a link (only a hash of its token is kept)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="assessors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="apel_assignments",
    )
    name = models.CharField(_("their name"), max_length=150)
    email = models.EmailField(_("their email address"))
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class ClaimEvent(models.Model):
    """The claim's history: created, mapped, declared, submitted, judged, exported..."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.CharField(max_length=300)  # name and email as shown at the time
    kind = models.CharField(max_length=40)
    detail = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} by {self.actor}"
