"""Writes for tutor review. Every permission rule is enforced here, whatever the caller.

Who may act on a learner's review records:
- the learner, on their own;
- a tutor of one of the learner's cohorts, checked afresh on every call (a learner who
  leaves the cohort is out of reach at once), and only on items `readable_by` the tutor
  (never a private one). Tutors comment; they never change the evidence itself.
Anyone else (other learners, tutors of other cohorts, admins, no user) gets
PermissionDenied.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Cohort, Role, User
from artefacts.models import Artefact
from badges.models import Badge
from core.html import markdown_to_text, render_markdown
from portfolio.models import (
    GOAL_TITLE_MAX,
    FeedbackComment,
    FeedbackRequest,
    FeedbackThread,
    Goal,
    NotificationKind,
    ReviewMark,
    ReviewMeeting,
)
from portfolio.review.notifications import mark_read_for_page, notify
from reflections.models import Reflection

Target = Artefact | Reflection | Badge


class _Unset(Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET


# --- permission checks -------------------------------------------------------------


def teaches(tutor: Any, learner: Any) -> bool:
    """Whether `tutor` teaches `learner` right now (one query)."""
    if not _is(tutor, Role.TUTOR) or not _is(learner, Role.LEARNER):
        return False
    return Cohort.objects.filter(tutors=tutor, learners=learner).exists()


def check_can_act_for(actor: Any, learner: Any) -> None:
    """The learner themselves or a current tutor of theirs; otherwise PermissionDenied."""
    if _is(actor, Role.LEARNER) and actor.pk == learner.pk:
        return
    if teaches(actor, learner):
        return
    raise PermissionDenied(_("You cannot review this learner's work."))


def check_tutor_of(tutor: Any, learner: Any) -> None:
    if not teaches(tutor, learner):
        raise PermissionDenied(_("Only a tutor of this learner's cohort can do this."))


def check_target(actor: Any, learner: Any, target: Target | None) -> None:
    """The target belongs to the learner and the actor may read it (never private for
    a tutor). None, the whole portfolio, is always fine once check_can_act_for passed."""
    if target is None:
        return
    if not isinstance(target, Artefact | Reflection | Badge):
        raise TypeError(f"Cannot anchor feedback to {type(target).__name__}")
    if target.owner_id != learner.pk:
        raise PermissionDenied(_("This item is not in this learner's portfolio."))
    if not type(target).objects.readable_by(actor).filter(pk=target.pk).exists():
        raise PermissionDenied(_("This item is private."))


def check_thread_access(actor: Any, thread: FeedbackThread) -> None:
    learner = thread.learner
    check_can_act_for(actor, learner)
    check_target(actor, learner, thread.target)


def _is(user: Any, role: str) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "role", None) == role
    )


# --- feedback threads and comments -------------------------------------------------


@transaction.atomic
def thread_start(
    *,
    author: User,
    learner: User,
    target: Target | None = None,
    body: str,
    next_step: bool = False,
) -> FeedbackThread:
    """Start a thread on `target` (or the whole portfolio) with its first comment.

    A tutor's thread notifies the learner and answers the learner's open requests for
    feedback on the same item; a learner's thread notifies their tutors. `next_step`
    (tutors only) also adds the comment to the learner's plan as a goal.
    """
    check_can_act_for(author, learner)
    check_target(author, learner, target)
    _check_next_step_allowed(author, next_step)
    _check_body(body)
    thread = FeedbackThread.objects.create(
        learner=learner,
        started_by=author,
        status=FeedbackThread.Status.OPEN,
        **anchor_fields(target),
    )
    _comment_add(author=author, thread=thread, body=body, next_step=next_step)
    return thread


@transaction.atomic
def comment_reply(
    *, author: User, thread: FeedbackThread, body: str, next_step: bool = False
) -> FeedbackComment:
    """Add a comment to a thread; a reply reopens an addressed thread."""
    thread = (
        FeedbackThread.objects.select_for_update(of=("self",))
        .select_related("learner")
        .get(pk=thread.pk)
    )
    check_thread_access(author, thread)
    _check_next_step_allowed(author, next_step)
    _check_body(body)
    if not thread.is_open:
        thread.status, thread.addressed_at = FeedbackThread.Status.OPEN, None
        thread.save(update_fields=["status", "addressed_at", "updated_at"])
    _mark_item_news_read(author, thread)
    return _comment_add(author=author, thread=thread, body=body, next_step=next_step)


@transaction.atomic
def thread_set_addressed(*, actor: User, thread: FeedbackThread, addressed: bool) -> FeedbackThread:
    """The learner or a tutor marks the thread addressed (or open again)."""
    check_thread_access(actor, thread)
    if addressed:
        thread.status, thread.addressed_at = FeedbackThread.Status.ADDRESSED, timezone.now()
    else:
        thread.status, thread.addressed_at = FeedbackThread.Status.OPEN, None
    thread.save(update_fields=["status", "addressed_at", "updated_at"])
    _mark_item_news_read(actor, thread)
    return thread


def _mark_item_news_read(actor: User, thread: FeedbackThread) -> None:
    """Replying to feedback or marking it addressed is reading it: the actor's
    notifications that lead to this thread's page are no longer unread."""
    for tutor_view in (False, True):
        mark_read_for_page(actor, _url_for(thread.target, thread.learner, tutor_view=tutor_view))


@transaction.atomic
def comment_make_next_step(
    *, tutor: User, comment: FeedbackComment, title: str | None = None
) -> Goal:
    """Turn a comment into a goal in the learner's plan (once; later calls return it),
    called `title`, or the comment's first sentence when no title is given."""
    if title is not None and not title.strip():
        raise ValidationError(_("Give the next step a title."))
    comment = (
        FeedbackComment.objects.select_for_update(of=("self",))
        .select_related("thread__learner", "goal")
        .get(pk=comment.pk)
    )
    thread = comment.thread
    check_tutor_of(tutor, thread.learner)
    check_thread_access(tutor, thread)
    if comment.goal is not None:
        return comment.goal
    if comment.author_id == thread.learner_id:
        raise ValidationError(_("Only a tutor's feedback can become a next step."))
    return _next_step_goal(tutor=tutor, comment=comment, title=title)


def _comment_add(
    *, author: User, thread: FeedbackThread, body: str, next_step: bool
) -> FeedbackComment:
    comment = FeedbackComment.objects.create(
        thread=thread, author=author, body_markdown=body, body_html=render_markdown(body)
    )
    learner = thread.learner
    target = thread.target
    snippet = markdown_to_text(body)
    if author.pk == learner.pk:
        for tutor in _tutors_to_tell(thread):
            notify(
                recipient=tutor,
                kind=NotificationKind.REPLY,
                text=_("%(name)s replied about %(item)s: %(snippet)s")
                % {"name": learner.display_name, "item": _item_name(target), "snippet": snippet},
                url=_url_for(target, learner, tutor_view=True),
            )
    else:
        FeedbackRequest.objects.filter(
            learner=learner, resolved_at__isnull=True, **anchor_fields(target)
        ).update(resolved_at=timezone.now())
        notify(
            recipient=learner,
            kind=NotificationKind.FEEDBACK,
            text=_("%(name)s left feedback on %(item)s: %(snippet)s")
            % {"name": author.display_name, "item": _item_name(target), "snippet": snippet},
            url=_url_for(target, learner, tutor_view=False),
        )
        if next_step:
            _next_step_goal(tutor=author, comment=comment)
    return comment


def _next_step_goal(*, tutor: User, comment: FeedbackComment, title: str | None = None) -> Goal:
    learner = comment.thread.learner
    title = (title or "").strip()[:GOAL_TITLE_MAX] or comment.suggested_goal_title
    goal = Goal.objects.create(
        learner=learner, title=title, created_by=tutor, source_comment=comment
    )
    comment.is_next_step, comment.goal = True, goal
    comment.save(update_fields=["is_next_step", "goal", "updated_at"])
    _notify_goal(goal, tutor)
    return goal


def _tutors_to_tell(thread: FeedbackThread) -> list[User]:
    """Current tutors who took part in the thread; if none did, all current tutors."""
    tutors = User.objects.tutors().filter(teaching_cohorts__learners=thread.learner).distinct()
    involved = [
        t
        for t in tutors.filter(pk__in=thread.comments.values("author_id"))
        if _target_readable(t, thread)
    ]
    return involved or [t for t in tutors if _target_readable(t, thread)]


def _target_readable(tutor: User, thread: FeedbackThread) -> bool:
    target = thread.target
    return target is None or type(target).objects.readable_by(tutor).filter(pk=target.pk).exists()


def _check_next_step_allowed(author: User, next_step: bool) -> None:
    if next_step and not _is(author, Role.TUTOR):
        raise PermissionDenied(_("Only a tutor can set a next step."))


def _check_body(body: str) -> None:
    if not body.strip():
        raise ValidationError(_("Write a comment first."))


# --- goals -------------------------------------------------------------------------


@transaction.atomic
def goal_create(*, learner: User, title: str, due_on: date | None = None, created_by: User) -> Goal:
    """A learner adds a goal to their own plan, or a tutor to a taught learner's."""
    check_can_act_for(created_by, learner)
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the goal a title."))
    goal = Goal.objects.create(
        learner=learner, title=title[:GOAL_TITLE_MAX], due_on=due_on, created_by=created_by
    )
    if created_by.pk != learner.pk:
        _notify_goal(goal, created_by)
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: User,
    goal: Goal,
    status: str | None = None,
    title: str | None = None,
    due_on: date | Literal[_Unset.UNSET] | None = UNSET,
) -> Goal:
    """Change a goal's status, title or due date (None clears it). Done sets done_at."""
    check_can_act_for(actor, goal.learner)
    fields = ["updated_at"]
    if status is not None:
        if status not in Goal.Status.values:
            raise ValidationError(_("Choose a status from the list."))
        goal.status = status
        goal.done_at = (goal.done_at or timezone.now()) if status == Goal.Status.DONE else None
        fields += ["status", "done_at"]
    if title is not None:
        if not title.strip():
            raise ValidationError(_("Give the goal a title."))
        goal.title = title.strip()[:GOAL_TITLE_MAX]
        fields.append("title")
    if due_on is not UNSET:
        goal.due_on = due_on
        fields.append("due_on")
    goal.save(update_fields=fields)
    return goal


@transaction.atomic
def goal_link_evidence(*, learner: User, goal: Goal, artefacts: Iterable[Artefact]) -> Goal:
    """The learner links their own artefacts to their goal as evidence it was met."""
    if not _is(learner, Role.LEARNER) or goal.learner_id != learner.pk:
        raise PermissionDenied(_("Only the learner can link evidence to their goal."))
    chosen = list(artefacts)
    if any(a.owner_id != learner.pk for a in chosen):
        raise PermissionDenied(_("You can only link your own evidence."))
    goal.evidence.add(*chosen)
    return goal


def _notify_goal(goal: Goal, tutor: User) -> None:
    notify(
        recipient=goal.learner,
        kind=NotificationKind.GOAL,
        text=_("%(name)s added a goal to your learning plan: %(title)s")
        % {"name": tutor.display_name, "title": goal.title},
        url=reverse("portfolio:formative"),
    )


# --- meetings, requests, review marks ----------------------------------------------


@transaction.atomic
def meeting_record(
    *, tutor: User, learner: User, held_on: date, summary: str, next_steps: Sequence[str]
) -> tuple[ReviewMeeting, list[Goal]]:
    """Record a review meeting; each non-blank next step becomes a goal."""
    check_tutor_of(tutor, learner)
    meeting = ReviewMeeting.objects.create(
        learner=learner,
        tutor=tutor,
        held_on=held_on,
        summary_markdown=summary,
        summary_html=render_markdown(summary),
    )
    goals = [
        Goal.objects.create(
            learner=learner, title=step.strip()[:GOAL_TITLE_MAX], created_by=tutor, meeting=meeting
        )
        for step in next_steps
        if step.strip()
    ]
    notify(
        recipient=learner,
        kind=NotificationKind.MEETING,
        text=_("%(name)s recorded your review meeting of %(date)s.")
        % {"name": tutor.display_name, "date": date_format(held_on, "DATE_FORMAT")},
        url=reverse("portfolio:formative"),
    )
    for goal in goals:
        _notify_goal(goal, tutor)
    return meeting, goals


@transaction.atomic
def feedback_request_create(
    *, learner: User, target: Target | None = None, question: str = ""
) -> FeedbackRequest:
    """The learner asks their tutors for feedback; every current tutor is told."""
    if not _is(learner, Role.LEARNER):
        raise PermissionDenied(_("Only learners can ask for feedback."))
    check_target(learner, learner, target)
    if target is not None and target.is_private:
        raise ValidationError(_("Share this item with your tutors before asking for feedback."))
    request = FeedbackRequest.objects.create(
        learner=learner, question=question.strip(), **anchor_fields(target)
    )
    text = _("%(name)s asked for feedback on %(item)s.") % {
        "name": learner.display_name,
        "item": _item_name(target),
    }
    if request.question:
        text = f"{text} “{request.question}”"
    url = _url_for(target, learner, tutor_view=True)
    for tutor in User.objects.tutors().filter(teaching_cohorts__learners=learner).distinct():
        notify(recipient=tutor, kind=NotificationKind.FEEDBACK_REQUEST, text=text, url=url)
    return request


@transaction.atomic
def review_mark_set(*, tutor: User, learner: User, up_to: datetime | None = None) -> ReviewMark:
    """Record "reviewed up to here" (now, by default) for this tutor and learner."""
    check_tutor_of(tutor, learner)
    mark, _created = ReviewMark.objects.update_or_create(
        tutor=tutor, learner=learner, defaults={"reviewed_up_to": up_to or timezone.now()}
    )
    return mark


# --- helpers -----------------------------------------------------------------------


def anchor_fields(target: Target | None) -> dict[str, Any]:
    return {
        "artefact": target if isinstance(target, Artefact) else None,
        "reflection": target if isinstance(target, Reflection) else None,
        "badge": target if isinstance(target, Badge) else None,
    }


def _item_name(target: Target | None) -> str:
    if target is None:
        return _("the whole portfolio")
    return f"“{target}”"


def _url_for(target: Target | None, learner: User, *, tutor_view: bool) -> str:
    """Where news about `target` leads: the item's own page, at its feedback."""
    if target is not None:
        return f"{target.get_absolute_url()}#feedback"
    if tutor_view:
        return reverse(
            "portfolio:formative_learner", kwargs={"learner_public_id": learner.public_id}
        )
    return reverse("portfolio:formative")
