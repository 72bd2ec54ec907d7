from django.http import HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import AuthenticatedRequest, role_required
from accounts.selectors import cohorts_for_learner
from core.search import EvidenceFilters
from portfolio.forms import LibraryFilterForm
from portfolio.review import notifications
from portfolio.review import selectors as review_selectors
from portfolio.selectors import evidence_counts, library_page
from portfolio.showcases.selectors import showcases_owned


@role_required(Role.LEARNER)
def learner_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "cohorts": cohorts_for_learner(learner=request.user),
        "evidence": evidence_counts(owner=request.user),
        "news": notifications.unread_for(request.user, limit=5),
        "goals": review_selectors.goals_open(request.user, limit=5),
        "showcases": list(showcases_owned(owner=request.user).filter(archived_at=None)[:3]),
    }
    return render(request, "portfolio/dashboard_learner.html", context)


@role_required(Role.LEARNER)
def library(request: AuthenticatedRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    result = library_page(
        owner=request.user,
        kind=filters.get("kind", ""),
        filters=EvidenceFilters(
            tag=filters.get("tag", ""),
            visibility=filters.get("visibility", ""),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            q=filters.get("q", ""),
        ),
        page_number=request.GET.get("page", 1),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "result": result,
        "filtered": any(filters.values()),
        "query": query.urlencode(),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "portfolio/library.html", context, status=status)
