"""The learner's side of tutor review: feedback inbox and notifications, replying and
marking feedback addressed, asking a tutor for feedback, the learning plan and email
preferences. Thin views: every rule lives in portfolio.review.services."""

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import AuthenticatedRequest, role_required
from artefacts.models import Artefact
from badges.models import Badge
from portfolio.models import FeedbackThread, Goal, NotificationKind
from portfolio.review import charts, notifications, selectors, services
from reflections.models import Reflection

learner_only = role_required(Role.LEARNER)
STATUS_FILTERS = {"open": FeedbackThread.Status.OPEN, "addressed": FeedbackThread.Status.ADDRESSED}
TARGET_MODELS: dict[str, type[Artefact] | type[Reflection] | type[Badge]] = {
    "artefact": Artefact,
    "reflection": Reflection,
    "badge": Badge,
}


# --- helpers -----------------------------------------------------------------------


def _back(request: AuthenticatedRequest, default: str) -> HttpResponseRedirect:
    """Back to the POSTed `next` when it is a path on this site, else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


def _error(request: AuthenticatedRequest, message: str) -> HttpResponse:
    return render(request, "portfolio/review/learner/error.html", {"message": message}, status=400)


def _message(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _run(request: AuthenticatedRequest, action: Callable[[], Any]) -> HttpResponse | None:
    """Call a service; a ValidationError becomes a 400 page (PermissionDenied is left
    to Django's 403 handler). None when it worked."""
    try:
        action()
    except ValidationError as error:
        return _error(request, _message(error))
    return None


# Someone else's thread or goal is a 404, as one that does not exist: a different answer
# would tell a learner which ids belong to others.
def _own_thread(request: AuthenticatedRequest, thread_public_id: UUID) -> FeedbackThread:
    return get_object_or_404(
        FeedbackThread.objects.select_related("learner", "artefact", "reflection", "badge"),
        public_id=thread_public_id,
        learner=request.user,
    )


def _own_goal(request: AuthenticatedRequest, goal_public_id: UUID) -> Goal:
    return get_object_or_404(
        Goal.objects.select_related("learner"), public_id=goal_public_id, learner=request.user
    )


def _parse_target(request: AuthenticatedRequest, ref: str) -> services.Target | None:
    """ "artefact:<uuid>" (or reflection, badge) in the learner's own portfolio; blank is
    the whole portfolio. ValidationError otherwise."""
    ref = ref.strip()
    if not ref:
        return None
    kind, _sep, raw_id = ref.partition(":")
    model = TARGET_MODELS.get(kind)
    try:
        public_id = UUID(raw_id)
    except ValueError:
        model = None
    if model is None:
        raise ValidationError(_("Choose an item from your portfolio."))
    target = model.objects.filter(owner=request.user, public_id=public_id).first()
    if target is None:
        raise ValidationError(_("That item is not in your portfolio."))
    return target


# --- inbox and notifications -------------------------------------------------------


@learner_only
@require_GET
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status and status not in STATUS_FILTERS:
        return _error(request, _("Show open or addressed feedback, or all of it."))
    threads = selectors.threads_for_learner(request.user, request.user)
    threads.sort(key=lambda t: t.updated_at, reverse=True)
    counts = {key: sum(t.status == value for t in threads) for key, value in STATUS_FILTERS.items()}
    if status:
        threads = [t for t in threads if t.status == STATUS_FILTERS[status]]
    context = {
        "threads": threads,
        "status": status,
        "counts": counts,
        "notifications": notifications.notifications_for(request.user, limit=50),
        "unread": notifications.unread_count(request.user),
    }
    return render(request, "portfolio/review/learner/inbox.html", context)


@learner_only
@require_POST
def notifications_read(request: AuthenticatedRequest) -> HttpResponse:
    ids: list[str] | None = request.POST.getlist("notification") or None
    if ids is not None:
        try:
            ids = [str(UUID(i)) for i in ids]
        except ValueError:
            return _error(request, _("Choose notifications from the list."))
    notifications.mark_read(request.user, ids)
    return _back(request, reverse("review:notifications"))


@learner_only
@require_POST
def thread_reply(request: AuthenticatedRequest, thread_public_id: UUID) -> HttpResponse:
    thread = _own_thread(request, thread_public_id)
    body = request.POST.get("body") or request.POST.get(f"reply-{thread.public_id}", "")
    failed = _run(
        request,
        lambda: services.comment_reply(author=request.user, thread=thread, body=body),
    )
    return failed or _back(request, reverse("review:inbox") + f"#thread-{thread.public_id}")


@learner_only
@require_POST
def thread_addressed(request: AuthenticatedRequest, thread_public_id: UUID) -> HttpResponse:
    thread = _own_thread(request, thread_public_id)
    value = request.POST.get("addressed", "1")
    if value not in ("0", "1"):
        return _error(request, _("Mark the feedback addressed or open."))
    services.thread_set_addressed(actor=request.user, thread=thread, addressed=value == "1")
    return _back(request, reverse("review:inbox") + f"#thread-{thread.public_id}")


# --- ask for feedback --------------------------------------------------------------


@learner_only
@require_POST
def ask(request: AuthenticatedRequest) -> HttpResponse:
    question = request.POST.get("question", "")
    if len(question) > 2000:
        return _error(request, _("Keep your question under 2000 characters."))

    try:
        target = _parse_target(request, request.POST.get("target", ""))
    except ValidationError as error:
        return _error(request, _message(error))
    failed = _run(
        request,
        lambda: services.feedback_request_create(
            learner=request.user, target=target, question=question
        ),
    )
    if failed:
        return failed
    if target is None:
        messages.success(request, _("Your tutors have been asked for feedback on your portfolio."))
    else:
        messages.success(
            request, _("Your tutors have been asked about “%(item)s”.") % {"item": target}
        )
    return _back(request, reverse("review:inbox"))


# --- learning plan -----------------------------------------------------------------


@learner_only
@require_GET
def plan(request: AuthenticatedRequest) -> HttpResponse:
    return _plan_page(request)


def _plan_page(request: AuthenticatedRequest, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "goals": selectors.learning_plan(request.user, viewer=request.user),
        "counts": selectors.goals_open_done(request.user),
        "statuses": Goal.Status.choices,
        "artefacts": list(
            Artefact.objects.filter(owner=request.user).only("public_id", "title").order_by("title")
        ),
        "error": error,
        "data": request.POST if status != 200 else {},
        "meetings": selectors.meetings_for(request.user, viewer=request.user),
        **charts.progress_context(
            activity=selectors.activity_by_week(request.user, request.user),
            goals=selectors.goals_open_done(request.user),
        ),
    }
    return render(request, "portfolio/review/learner/plan.html", context, status=status)


@learner_only
@require_POST
def goal_add(request: AuthenticatedRequest) -> HttpResponse:
    raw_due = request.POST.get("due_on", "").strip()
    due_on = None
    if raw_due:
        try:
            due_on = date.fromisoformat(raw_due)
        except ValueError:
            return _plan_page(request, _("Give the due date as a date, like 2026-06-30."), 400)
    try:
        services.goal_create(
            learner=request.user,
            title=request.POST.get("title", ""),
            due_on=due_on,
            created_by=request.user,
        )
    except ValidationError as error:
        return _plan_page(request, _message(error), 400)
    return HttpResponseRedirect(reverse("review:plan"))


@learner_only
@require_POST
def goal_status(request: AuthenticatedRequest, goal_public_id: UUID) -> HttpResponse:
    goal = _own_goal(request, goal_public_id)
    try:
        services.goal_update(actor=request.user, goal=goal, status=request.POST.get("status", ""))
    except ValidationError as error:
        return _plan_page(request, _message(error), 400)
    return HttpResponseRedirect(reverse("review:plan") + f"#goal-{goal.public_id}")


@learner_only
@require_POST
def goal_evidence(request: AuthenticatedRequest, goal_public_id: UUID) -> HttpResponse:
    goal = _own_goal(request, goal_public_id)
    try:
        ids = [UUID(i) for i in request.POST.getlist("artefact")]
    except ValueError:
        return _plan_page(request, _("Choose evidence from the list."), 400)
    # Another learner's artefact gets the same answer as one that does not exist.
    chosen = list(Artefact.objects.filter(public_id__in=ids, owner=request.user))
    if len(chosen) != len(set(ids)):
        return _plan_page(request, _("Some of that evidence is not in your portfolio."), 400)
    services.goal_link_evidence(learner=request.user, goal=goal, artefacts=chosen)
    return HttpResponseRedirect(reverse("review:plan") + f"#goal-{goal.public_id}")


# --- email preferences -------------------------------------------------------------


@learner_only
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        chosen = set(request.POST.getlist("email"))
        unknown = chosen - set(NotificationKind.values)
        if unknown:
            return _error(request, _("Choose kinds of notification from the list."))
        for kind in NotificationKind.values:
            notifications.notification_preference_set(
                user=request.user, kind=kind, email=kind in chosen
            )
        return HttpResponseRedirect(reverse("review:preferences") + "?saved=1")
    kinds = [
        (kind, label, notifications.email_wanted(user=request.user, kind=kind))
        for kind, label in NotificationKind.choices
    ]
    return render(
        request,
        "portfolio/review/learner/preferences.html",
        {"kinds": kinds, "saved": request.GET.get("saved") == "1"},
    )
