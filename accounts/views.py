"""Dashboards per role, the tutor's cohort page, and the profile page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import selectors
from accounts.forms import ProfileForm
from accounts.models import Cohort, Role
from accounts.permissions import AuthenticatedRequest, role_required

DASHBOARD_FOR_ROLE: dict[str, str] = {
    Role.LEARNER: "portfolio:learner_dashboard",
    Role.TUTOR: "review_tutor:dashboard",
    Role.ADMIN: "accounts:institution_dashboard",
}


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    return render(request, "accounts/home.html")


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    return redirect(DASHBOARD_FOR_ROLE[request.user.role])


@role_required(Role.TUTOR)
def tutor_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    cohorts = selectors.cohorts_for_tutor(tutor=request.user)
    return render(request, "accounts/dashboard_tutor.html", {"cohorts": cohorts})


@role_required(Role.TUTOR)
def cohort_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    try:
        cohort = selectors.cohort_for_tutor(tutor=request.user, public_id=public_id)
    except Cohort.DoesNotExist:
        # Another cohort's page looks exactly like one that does not exist.
        raise Http404 from None
    return render(request, "accounts/cohort_detail.html", {"cohort": cohort})


@role_required(Role.ADMIN)
def institution_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "accounts/dashboard_institution.html",
        {"summary": selectors.institution_summary()},
    )


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
