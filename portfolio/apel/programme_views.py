"""A learner's programme pages: the programmes they may claim against (their
institutions' published ones and those they entered), one programme's outcomes by
course, and, for a programme they entered themselves, the editing pages shared with the
staff pages (`programme_editing`). Only learners reach them; a programme they may not
read is not found."""

from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import AuthenticatedRequest, View, role_required
from portfolio.apel import programme_editing as editing
from portfolio.apel.programme_import_views import csv_template_response, outcomes_csv_response
from portfolio.apel.programme_place import LEARNER_PLACE, EditingView
from portfolio.apel.programme_selectors import (
    programme_entered_by,
    programme_for_learner,
    programme_outcome_groups,
    programmes_for_learner,
)
from portfolio.apel.programmes import programme_create
from portfolio.models import Programme

learner_required = role_required(Role.LEARNER)


def _readable_or_404(request: AuthenticatedRequest, public_id: Any) -> Programme:
    try:
        return programme_for_learner(user=request.user, public_id=public_id)
    except Programme.DoesNotExist:
        raise Http404 from None


def editing_view(view: EditingView) -> View:
    """`view` for a programme the learner entered themselves (anyone else's: not found)."""

    @wraps(view)
    def wrapped(request: AuthenticatedRequest, public_id: Any, **kwargs: Any) -> HttpResponse:
        try:
            programme = programme_entered_by(user=request.user, public_id=public_id)
        except Programme.DoesNotExist:
            raise Http404 from None
        return view(request, LEARNER_PLACE, programme, **kwargs)

    return learner_required(wrapped)


@learner_required
def programme_list(request: AuthenticatedRequest) -> HttpResponse:
    programmes = list(programmes_for_learner(user=request.user))
    context = {
        "published": [p for p in programmes if not p.learner_entered],
        "entered": [p for p in programmes if p.learner_entered],
    }
    return render(request, "apel/programme_list.html", context)


@learner_required
def programme_new(request: AuthenticatedRequest) -> HttpResponse:
    learner = request.user
    return editing.programme_new(
        request,
        LEARNER_PLACE,
        lambda details: programme_create(details=details, entered_by=learner),
    )


@learner_required
def programme_detail(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    programme = _readable_or_404(request, public_id)
    context = {
        "programme": programme,
        "groups": programme_outcome_groups(programme=programme),
        "own": programme.entered_by_id == request.user.pk,
    }
    return render(request, "apel/programme_detail.html", context)


@learner_required
def outcomes_csv(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    return outcomes_csv_response(_readable_or_404(request, public_id))


programme_manage = editing_view(editing.programme_manage)


@login_required
def csv_template(request: HttpRequest) -> HttpResponse:
    """The import's example file, for admins and learners alike."""
    return csv_template_response(request)
