"""Dashboards per role, the tutor's cohort page, and the profile page."""

from allauth.account.internal.flows.email_verification import send_verification_email_for_user
from allauth.account.stages import EmailVerificationStage, LoginStageController
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.forms import ProfileForm
from accounts.institutions.selectors import administered_institutions
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
    """Counts for the (first) institution this admin runs; the site's for a superuser."""
    institution = administered_institutions(user=request.user).first()
    if institution is None and not request.user.is_superuser:
        raise PermissionDenied
    return render(
        request,
        "accounts/dashboard_institution.html",
        {
            "summary": selectors.institution_summary(institution=institution),
            "institution": institution,
        },
    )


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@require_POST
def verification_resend(request: HttpRequest) -> HttpResponse:
    """Send the person who just signed up (or tried to sign in unverified) a new
    confirmation link. Who they are comes from allauth's pending sign-in in the session,
    never from the form; allauth's cooldown limits how often a link is sent."""
    stage = LoginStageController.enter(request, EmailVerificationStage.key)
    user = stage.login.user if stage is not None else None
    if user is None:
        messages.error(
            request, _("Sign in with your email address and password to get a new link.")
        )
        return redirect("account_login")
    if not send_verification_email_for_user(request, user):
        messages.error(
            request,
            _("A link was sent a moment ago. Wait a few minutes before asking for another."),
        )
    return redirect("account_email_verification_sent")
