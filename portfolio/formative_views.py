"""The formative portfolio pages: a learner's own, and a tutor's view of one learner in
their cohorts. Both render the same timeline; what each may read is decided by
`EvidenceQuerySet.readable_by` inside the selector."""

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import AuthenticatedRequest, role_required
from portfolio import formative
from portfolio.forms import FormativeFilterForm
from portfolio.models import ReviewMark, Showcase


@role_required(Role.LEARNER)
def formative_timeline(request: AuthenticatedRequest) -> HttpResponse:
    return _timeline_page(request, owner=request.user)


@role_required(Role.TUTOR)
def formative_timeline_for_learner(
    request: AuthenticatedRequest, learner_public_id: Any
) -> HttpResponse:
    learner = formative.formative_learner_for_tutor(
        tutor=request.user, learner_public_id=learner_public_id
    )
    if learner is None:
        raise Http404
    mark = ReviewMark.objects.filter(tutor=request.user, learner=learner).first()
    return _timeline_page(
        request, owner=learner, reviewed_up_to=mark.reviewed_up_to if mark else None
    )


def _timeline_page(
    request: AuthenticatedRequest, *, owner: Any, reviewed_up_to: Any = None
) -> HttpResponse:
    form = FormativeFilterForm(request.GET or None)
    filters = form.filters()
    timeline = formative.formative_timeline(owner=owner, viewer=request.user, **filters)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "timeline": timeline,
        "filtered": bool(filters["kind"] or filters["tag"]),
        "reviewed_up_to": reviewed_up_to,
        "group_by": filters["group_by"],
        "query": query.urlencode() if form.is_valid() else "",
        # Targets for "promote to a showcase" (the owner's page only).
        "showcases": (
            Showcase.objects.filter(owner=owner, archived_at=None).only("public_id", "title")
            if timeline.viewer_is_owner and timeline.periods
            else []
        ),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "portfolio/formative.html", context, status=status)
