"""The page an invitation link opens: choose a password, arrive signed in."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.institutions.invitations import invitation_accept, invitation_user


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
    context = {"form": form, "invited": user}
    return render(request, "accounts/staff/invitation_accept.html", context, status=status)
