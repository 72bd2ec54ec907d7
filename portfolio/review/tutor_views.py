"""The tutor's side of review: a dashboard of their cohorts' learners, one learner's
review page, and the POST actions on it. Thin views: every permission rule lives in
portfolio.review.services (PermissionDenied becomes a 403); a learner outside the
tutor's cohorts is a 404; a bad form re-renders the page with a 400 and keeps the text.
"""

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Cohort, Role, User
from accounts.permissions import AuthenticatedRequest, role_required
from artefacts.models import Artefact
from badges.models import Badge
from portfolio.attestations import selectors as attestation_selectors
from portfolio.attestations.forms import SignOffForm
from portfolio.models import FeedbackComment, FeedbackThread, ReviewMark
from portfolio.review import charts, selectors, services
from reflections.models import Reflection

TARGET_MODELS: dict[str, type[Artefact] | type[Reflection] | type[Badge]] = {
    "artefact": Artefact,
    "reflection": Reflection,
    "badge": Badge,
}
EMPTY_FEEDBACK = gettext_lazy("Write your feedback before sending it.")


# --- forms -------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    SORT_CHOICES = [
        ("attention", gettext_lazy("Needs attention first")),
        ("name", gettext_lazy("Name")),
        ("activity", gettext_lazy("Most recent activity")),
    ]
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        choices=SORT_CHOICES,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a sort order from the list.")},
    )
    cohort = forms.ChoiceField(
        label=gettext_lazy("Cohort"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose one of your cohorts.")},
    )

    def __init__(self, *args: Any, cohorts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cohort = self.fields["cohort"]
        assert isinstance(cohort, forms.ChoiceField)
        cohort.choices = [("", _("All my cohorts")), *cohorts]


class FeedbackForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Feedback"),
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=True,
        error_messages={"required": EMPTY_FEEDBACK},
        help_text=gettext_lazy("You can use Markdown."),
    )
    next_step = forms.BooleanField(label=gettext_lazy("Mark as a next step"), required=False)


class ItemFeedbackForm(FeedbackForm):
    target = forms.RegexField(
        regex=r"^(artefact|reflection|badge):[0-9a-fA-F-]{32,36}$",
        error_messages={
            "required": gettext_lazy("Say which item the feedback is about."),
            "invalid": gettext_lazy("Say which item the feedback is about."),
        },
    )


class MeetingForm(forms.Form):
    held_on = forms.DateField(
        label=gettext_lazy("Date of the meeting"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": gettext_lazy("Give the date of the meeting."),
            "invalid": gettext_lazy("Enter the date as YYYY-MM-DD."),
        },
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy("You can use Markdown."),
    )
    next_steps = forms.CharField(
        label=gettext_lazy("Next steps"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("One per line; each becomes a goal in the learner's plan."),
    )

    def steps(self) -> list[str]:
        return [s.strip() for s in self.cleaned_data["next_steps"].splitlines() if s.strip()]


# --- lookups -----------------------------------------------------------------------


def _learner_or_404(tutor: User, learner_public_id: Any) -> User:
    learner = User.objects.taught_by(tutor).filter(public_id=learner_public_id).first()
    if learner is None:
        raise Http404
    return learner


def _thread_or_404(tutor: User, thread_public_id: Any) -> FeedbackThread:
    thread = (
        FeedbackThread.objects.select_related("learner", "artefact", "reflection", "badge")
        .filter(public_id=thread_public_id, learner__in=User.objects.taught_by(tutor))
        .first()
    )
    if thread is None:
        raise Http404
    return thread


def _learner_url(learner: User) -> str:
    return reverse("review_tutor:learner", kwargs={"learner_public_id": learner.public_id})


# --- pages -------------------------------------------------------------------------


@require_GET
@role_required(Role.TUTOR)
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    cohorts = [
        (str(pid), name)
        for pid, name in Cohort.objects.taught_by(request.user)
        .order_by("name")
        .values_list("public_id", "name")
    ]
    form = DashboardFilterForm(request.GET or None, cohorts=cohorts)
    valid = form.is_bound and form.is_valid()
    data = form.cleaned_data if valid else {}
    rows = selectors.tutor_dashboard_rows(
        tutor=request.user,
        cohort_public_id=data.get("cohort") or None,
        sort=data.get("sort") or "attention",
    )
    status = 400 if form.is_bound and not valid else 200
    return render(
        request,
        "portfolio/review/tutor/dashboard.html",
        {"form": form, "rows": rows, "has_cohorts": bool(cohorts)},
        status=status,
    )


@require_GET
@role_required(Role.TUTOR)
def learner_review(request: AuthenticatedRequest, learner_public_id: uuid.UUID) -> HttpResponse:
    learner = _learner_or_404(request.user, learner_public_id)
    return _learner_page(request, learner)


def _learner_page(
    request: AuthenticatedRequest,
    learner: User,
    *,
    status: int = 200,
    feedback_form: FeedbackForm | None = None,
    meeting_form: MeetingForm | None = None,
    reply_form: FeedbackForm | None = None,
    reply_thread: FeedbackThread | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    threads = selectors.threads_for_learner(request.user, learner)
    plan = selectors.learning_plan(learner, viewer=request.user)
    mark = ReviewMark.objects.filter(tutor=request.user, learner=learner).first()
    sign_off_choices = attestation_selectors.sign_off_choices(learner=learner, viewer=request.user)
    context = {
        "attestations": attestation_selectors.learner_attestations(
            learner=learner, viewer=request.user
        ),
        "sign_off_form": SignOffForm(choices=sign_off_choices, auto_id="id_signoff_%s"),
        "learner": learner,
        "threads": threads,
        "requests": selectors.open_requests(request.user, learner),
        "plan": plan,
        "meetings": selectors.meetings_for(learner, viewer=request.user),
        "mark": mark,
        "feedback_form": feedback_form or FeedbackForm(auto_id="id_portfolio_%s"),
        "meeting_form": meeting_form or MeetingForm(auto_id="id_meeting_%s"),
        "reply_form": reply_form,
        "reply_thread_id": reply_thread.pk if reply_thread else None,
        "errors": errors or [],
        "here": request.get_full_path(),
        **charts.progress_context(
            activity=selectors.activity_by_week(learner, request.user),
            goals=selectors.goals_open_done(learner),
        ),
    }
    return render(request, "portfolio/review/tutor/learner.html", context, status=status)


def _form_errors(form: forms.Form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


# --- actions -----------------------------------------------------------------------


@require_POST
@role_required(Role.TUTOR)
def feedback_start(request: AuthenticatedRequest, learner_public_id: uuid.UUID) -> HttpResponse:
    """Feedback on the learner's whole portfolio."""
    learner = _learner_or_404(request.user, learner_public_id)
    form = FeedbackForm(request.POST, auto_id="id_portfolio_%s")
    if not form.is_valid():
        return _learner_page(
            request, learner, status=400, feedback_form=form, errors=_form_errors(form)
        )
    try:
        services.thread_start(
            author=request.user,
            learner=learner,
            body=form.cleaned_data["body"],
            next_step=form.cleaned_data["next_step"],
        )
    except ValidationError as error:
        return _learner_page(
            request, learner, status=400, feedback_form=form, errors=error.messages
        )
    messages.success(request, _("Your feedback was sent."))
    return redirect(_learner_url(learner))


@require_POST
@role_required(Role.TUTOR)
def item_feedback(request: AuthenticatedRequest) -> HttpResponse:
    """Start feedback on one artefact, reflection or badge the tutor may read."""
    form = ItemFeedbackForm(request.POST)
    kind, _sep, raw_id = request.POST.get("target", "").partition(":")
    model = TARGET_MODELS.get(kind)
    try:
        public_id = uuid.UUID(raw_id)
    except ValueError:
        model = None
    if model is None:
        return HttpResponse(_("Say which item the feedback is about."), status=400)
    # Private items and items of learners outside the tutor's cohorts: 404.
    target = (
        model.objects.readable_by(request.user)
        .select_related("owner")
        .filter(public_id=public_id)
        .first()
    )
    if target is None:
        raise Http404
    learner = target.owner
    if not form.is_valid():
        return _learner_page(
            request,
            learner,
            status=400,
            feedback_form=FeedbackForm(request.POST, auto_id="id_portfolio_%s"),
            errors=_form_errors(form),
        )
    services.thread_start(
        author=request.user,
        learner=learner,
        target=target,
        body=form.cleaned_data["body"],
        next_step=form.cleaned_data["next_step"],
    )
    messages.success(request, _("Your feedback was sent."))
    return _redirect_next(request, learner)


def _redirect_next(request: AuthenticatedRequest, learner: User) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(_learner_url(learner))


@require_POST
@role_required(Role.TUTOR)
def thread_reply(request: AuthenticatedRequest, thread_public_id: uuid.UUID) -> HttpResponse:
    thread = _thread_or_404(request.user, thread_public_id)
    form = FeedbackForm(request.POST, auto_id=f"id_reply_{thread.public_id}_%s")
    if not form.is_valid():
        return _learner_page(
            request,
            thread.learner,
            status=400,
            reply_form=form,
            reply_thread=thread,
            errors=_form_errors(form),
        )
    services.comment_reply(
        author=request.user,
        thread=thread,
        body=form.cleaned_data["body"],
        next_step=form.cleaned_data["next_step"],
    )
    messages.success(request, _("Your reply was sent."))
    return _redirect_next(request, thread.learner)


@require_POST
@role_required(Role.TUTOR)
def thread_addressed(request: AuthenticatedRequest, thread_public_id: uuid.UUID) -> HttpResponse:
    thread = _thread_or_404(request.user, thread_public_id)
    value = request.POST.get("addressed")
    if value not in ("1", "0"):
        return _learner_page(
            request,
            thread.learner,
            status=400,
            errors=[_("Choose whether the feedback is addressed or open.")],
        )
    services.thread_set_addressed(actor=request.user, thread=thread, addressed=value == "1")
    messages.success(
        request,
        _("Marked as addressed.") if value == "1" else _("Reopened the feedback."),
    )
    return _redirect_next(request, thread.learner)


@require_POST
@role_required(Role.TUTOR)
def comment_next_step(request: AuthenticatedRequest, comment_public_id: uuid.UUID) -> HttpResponse:
    comment = (
        FeedbackComment.objects.select_related(
            "thread__learner", "thread__artefact", "thread__reflection", "thread__badge"
        )
        .filter(
            public_id=comment_public_id,
            thread__learner__in=User.objects.taught_by(request.user),
        )
        .first()
    )
    if comment is None:
        raise Http404
    try:
        services.comment_make_next_step(
            tutor=request.user, comment=comment, title=request.POST.get("title")
        )
    except ValidationError as error:
        return _learner_page(request, comment.thread.learner, status=400, errors=error.messages)
    messages.success(request, _("Added to the learner's plan as a next step."))
    return _redirect_next(request, comment.thread.learner)


@require_POST
@role_required(Role.TUTOR)
def review_mark(request: AuthenticatedRequest, learner_public_id: uuid.UUID) -> HttpResponse:
    learner = _learner_or_404(request.user, learner_public_id)
    services.review_mark_set(tutor=request.user, learner=learner)
    messages.success(request, _("Marked as reviewed up to now."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(_learner_url(learner))


@require_POST
@role_required(Role.TUTOR)
def meeting(request: AuthenticatedRequest, learner_public_id: uuid.UUID) -> HttpResponse:
    learner = _learner_or_404(request.user, learner_public_id)
    form = MeetingForm(request.POST, auto_id="id_meeting_%s")
    if not form.is_valid():
        return _learner_page(
            request, learner, status=400, meeting_form=form, errors=_form_errors(form)
        )
    _meeting, goals = services.meeting_record(
        tutor=request.user,
        learner=learner,
        held_on=form.cleaned_data["held_on"],
        summary=form.cleaned_data["summary"],
        next_steps=form.steps(),
    )
    messages.success(
        request,
        _("The meeting was recorded with %(n)d next step(s).") % {"n": len(goals)},
    )
    return redirect(_learner_url(learner))
