"""Tutor review of a learner's formative work: feedback threads, next steps and goals,
review meetings, requests for feedback, "reviewed up to here" marks and notifications.

Writes go through portfolio.review.services; reads through portfolio.review.selectors.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from artefacts.models import Artefact
from badges.models import Badge
from core.html import markdown_to_text
from core.models import BaseModel
from reflections.models import Reflection

# At most one of the three anchors is set; none means "the portfolio as a whole".
_AT_MOST_ONE_ANCHOR = (
    Q(artefact__isnull=True, reflection__isnull=True)
    | Q(artefact__isnull=True, badge__isnull=True)
    | Q(reflection__isnull=True, badge__isnull=True)
)


GOAL_TITLE_MAX = 200
_SENTENCE_END = re.compile(r"(.+?[.!?])(?:\s|$)")


def first_sentence(text: str, limit: int = GOAL_TITLE_MAX) -> str:
    """The first sentence of plain `text` (all of it if it has no full stop), on one
    line, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    match = _SENTENCE_END.match(text)
    sentence = match.group(1) if match else text
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rstrip() + "…"
    return sentence


class FeedbackThread(BaseModel):
    """A conversation about one piece of a learner's evidence, or their whole portfolio."""

    # Feedback is about the evidence, not a place it is used in: the evidence page shows
    # it in its own section (see artefacts.selectors.artefact_usages).
    listed_as_usage = False

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ADDRESSED = "addressed", _("Addressed")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_threads"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    artefact = models.ForeignKey(
        Artefact, on_delete=models.CASCADE, null=True, blank=True, related_name="feedback_threads"
    )
    reflection = models.ForeignKey(
        Reflection,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feedback_threads",
    )
    badge = models.ForeignKey(
        Badge, on_delete=models.CASCADE, null=True, blank=True, related_name="feedback_threads"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    addressed_at = models.DateTimeField(_("addressed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback thread")
        indexes = [models.Index(fields=["learner", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=_AT_MOST_ONE_ANCHOR, name="feedbackthread_at_most_one_anchor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner}: {self.target or _('whole portfolio')}"

    @property
    def target(self) -> Artefact | Reflection | Badge | None:
        return self.artefact or self.reflection or self.badge

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class FeedbackComment(BaseModel):
    thread = models.ForeignKey(FeedbackThread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body_markdown = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    is_next_step = models.BooleanField(_("next step"), default=False)
    goal = models.ForeignKey(
        "Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("feedback comment")

    def __str__(self) -> str:
        return self.body_markdown[:60]

    @property
    def suggested_goal_title(self) -> str:
        """What a next step made from this comment is called unless the tutor edits it:
        its first sentence."""
        return first_sentence(markdown_to_text(self.body_markdown))


class ReviewMeeting(BaseModel):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_meetings"
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    summary_markdown = models.TextField(_("summary"), blank=True)
    summary_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        verbose_name = _("review meeting")

    def __str__(self) -> str:
        return f"{self.learner} {self.held_on}"


class Goal(BaseModel):
    """One entry in a learner's learning plan."""

    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(_("goal"), max_length=GOAL_TITLE_MAX)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    source_comment = models.ForeignKey(
        FeedbackComment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        ReviewMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals"
    )
    evidence = models.ManyToManyField(
        Artefact, related_name="goals", blank=True, verbose_name=_("evidence")
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["status", "due_on", "created_at"]
        verbose_name = _("goal")
        indexes = [models.Index(fields=["learner", "status"])]

    def __str__(self) -> str:
        return self.title


class FeedbackRequest(BaseModel):
    """A learner's "Ask my tutor for feedback", on one item or the whole portfolio."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_requests"
    )
    artefact = models.ForeignKey(
        Artefact, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    badge = models.ForeignKey(
        Badge, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    question = models.TextField(_("question"), blank=True)
    resolved_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("feedback request")
        indexes = [models.Index(fields=["learner", "resolved_at"])]
        constraints = [
            models.CheckConstraint(
                condition=_AT_MOST_ONE_ANCHOR, name="feedbackrequest_at_most_one_anchor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner}: {self.question[:60]}"

    @property
    def target(self) -> Artefact | Reflection | Badge | None:
        return self.artefact or self.reflection or self.badge


class ReviewMark(models.Model):
    """A tutor's "reviewed up to here" for one learner."""

    tutor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_marks"
    )
    reviewed_up_to = models.DateTimeField(_("reviewed up to"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tutor", "learner"], name="reviewmark_once_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.tutor} -> {self.learner} @ {self.reviewed_up_to}"


class NotificationKind(models.TextChoices):
    FEEDBACK = "feedback", _("New feedback")
    REPLY = "reply", _("Replies to feedback")
    GOAL = "goal", _("New goals")
    FEEDBACK_REQUEST = "feedback_request", _("Requests for feedback")
    MEETING = "meeting", _("Review meeting records")
    EXPORT = "export", _("Finished exports")
    ATTESTED = "attested", _("Attestations of my evidence")
    ATTESTATION_DECLINED = "attestation_declined", _("Declined requests for attestation")


class Notification(BaseModel):
    """`text` is plain text (escape it when displaying); `url` is a site path."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "kind", "emailed_at"]),
        ]

    def __str__(self) -> str:
        return self.text


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    email = models.BooleanField(_("send me an email"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notificationpref_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}: {self.email}"
