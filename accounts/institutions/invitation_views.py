"""The page an invitation link opens: choose a password and arrive signed in, or, when
the person's institution has single sign-on for their address, sign in with it."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.institutions.invitations import invitation_accept, invitation_user
from accounts.sso.buttons import allow_idp_form_action, sso_login_url
from accounts.sso.selectors import sso_for_member


def accept(request: HttpRequest, token: str) -> HttpResponse:
    user = invitation_user(token=token)
    if user is None:
        return render(request, "accounts/staff/invitation_invalid.html", status=410)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation_accept(
            user=user,
            password=form.cleaned_data["new_password1"],
            name=request.POST.get("name", "")[:150],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome. Your password is set and you are signed in."))
        return redirect("accounts:dashboard")
    status = 400 if request.method == "POST" else 200
    sso = sso_for_member(user=user)
    context = {
        "form": form,
        "invited": user,
        "sso": sso,
        "sso_login_url": sso_login_url(request, sso=sso) if sso else None,
        "dashboard_url": reverse("accounts:dashboard"),
    }
    response = render(request, "accounts/staff/invitation_accept.html", context, status=status)
    return allow_idp_form_action(response, sso=sso)
