"""The signed-in side of attestations: the learner asks and cancels; a tutor of the
learner's cohort signs an item off in place. Anyone else gets a 404 (or a 403 for the
wrong role), never a hint."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import AuthenticatedRequest, role_required
from portfolio.attestations import selectors, services
from portfolio.attestations.forms import RequestForm, SignOffForm
from portfolio.attestations.limits import RateLimited
from portfolio.models import AttestationRequest


@role_required(Role.LEARNER)
@require_http_methods(["GET", "POST"])
def ask(request: AuthenticatedRequest, kind: str, public_id: uuid.UUID) -> HttpResponse:
    item = selectors.item_for_viewer(viewer=request.user, ref=f"{kind}:{public_id}", owned=True)
    if item is None:
        raise Http404
    form = RequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.request_create(
                    learner=request.user,
                    item=item,
                    name=data["name"],
                    email=data["email"],
                    role=data["role"],
                    organisation=data["organisation"],
                    message=data["message"],
                    statement=data["statement"],
                )
            except RateLimited as limited:
                form.add_error(None, limited.message)
                status = 429
            except services.AlreadyAsked:
                form.add_error(
                    "email",
                    _(
                        "You have already asked this person about this item and they have not "
                        "answered yet. Cancel that request first if you want to ask again."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("Your request is on its way to %(name)s.") % {"name": data["name"]},
                )
                return redirect(f"{item.get_absolute_url()}#attestations")
    context = {"item": item, "form": form, "link_days": settings.ATTESTATION_LINK_DAYS}
    return render(request, "portfolio/attestations/ask.html", context, status=status)


@role_required(Role.LEARNER)
@require_POST
def cancel(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    asked = (
        AttestationRequest.objects.select_related("artefact", "reflection")
        .filter(learner=request.user, public_id=public_id)
        .first()
    )
    if asked is None:
        raise Http404
    if services.request_revoke(asked=asked):
        messages.success(request, _("The request is cancelled: its link no longer works."))
    else:
        messages.info(request, _("That request was already answered or cancelled."))
    return redirect(f"{asked.item.get_absolute_url()}#attestations")


@role_required(Role.TUTOR)
@require_POST
def sign_off(request: AuthenticatedRequest) -> HttpResponse:
    """Attest an item of a learner in one of the tutor's cohorts (not a private one)."""
    item = selectors.item_for_viewer(
        viewer=request.user, ref=request.POST.get("target", ""), owned=False
    )
    if item is None:
        raise Http404
    form = SignOffForm(request.POST)
    back = _next(request, f"{item.get_absolute_url()}#attestations")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _bad(request, back)
    services.attest_as_tutor(
        tutor=request.user,
        item=item,
        organisation=selectors.tutor_organisation(tutor=request.user, learner=item.owner),
        statement=form.cleaned_data["statement"],
        comment=form.cleaned_data["comment"],
    )
    messages.success(request, _("You attested “%(title)s”.") % {"title": item.title})
    return HttpResponseRedirect(back)


def _bad(request: AuthenticatedRequest, back: str) -> HttpResponse:
    """A refused sign-off: a 400 page saying what to fix, with the way back."""
    return render(
        request, "portfolio/attestations/sign_off_refused.html", {"back": back}, status=400
    )


def _next(request: AuthenticatedRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
