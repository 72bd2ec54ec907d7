"""The learner's side of assessment: submitting a claim to an assessor (declaration,
coverage, the assessor), and revoking or re-sending an assessor's access from the claim.
Only the claim's learner reaches these; anyone else gets a 404 (a learner), a 403
(another role) or is sent to sign in."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import AuthenticatedRequest, role_required
from portfolio.apel import assessors
from portfolio.apel.assessor_forms import INSTITUTION, SubmitForm
from portfolio.apel.assessor_selectors import assessors_available, learner_is_member
from portfolio.apel.selectors import claim_owned, claim_view
from portfolio.apel.services import DECLARATION, ClaimRefused
from portfolio.attestations.limits import RateLimited
from portfolio.models import Claim, ClaimAssessor

learner_only = role_required(Role.LEARNER)


def _previous_assessor(claim: Claim) -> dict[str, Any]:
    """The assessor of the version this one was started from, offered again."""
    if claim.previous_id is None:
        return {}
    before = ClaimAssessor.objects.filter(claim_id=claim.previous_id).select_related("user").first()
    if before is None:
        return {}
    if before.user is not None:
        return {"route": INSTITUTION, "assessor": before.user.public_id}
    return {"route": "email", "name": before.name, "email": before.email}


@learner_only
@require_http_methods(["GET", "POST"])
def claim_submit(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    claim = claim_owned(learner=request.user, public_id=public_id)
    context: dict[str, Any] = {"claim": claim, "declaration": DECLARATION}
    if claim.is_frozen:
        status = 409 if request.method == "POST" else 200
        return render(request, "apel/submit_closed.html", context, status=status)
    form = SubmitForm(
        request.POST or None,
        assessors=assessors_available(claim=claim),
        initial=_previous_assessor(claim),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                assigned = assessors.claim_submit_to(
                    claim=claim,
                    declared=data["declared"],
                    user=data.get("assessor") if data["route"] == INSTITUTION else None,
                    name=data.get("name", ""),
                    email=data.get("email", ""),
                )
            except ClaimRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    _("Your claim is submitted and sent to %(name)s. It can no longer be changed.")
                    % {"name": assigned.assessor.name or assigned.assessor.email},
                )
                return redirect(claim)
    # The institution's assessors are not offered: say so when it is the learner's
    # membership that ended, not that the institution has none.
    not_member = (
        form.by_email_only
        and claim.programme.institution_id is not None
        and not learner_is_member(claim=claim)
    )
    context.update(view=claim_view(claim=claim), form=form, not_member=not_member)
    return render(request, "apel/submit_claim.html", context, status=status)


def _assessor_or_404(
    request: AuthenticatedRequest, public_id: Any, assessor_id: Any
) -> ClaimAssessor:
    claim = claim_owned(learner=request.user, public_id=public_id)
    found = claim.assessors.filter(public_id=assessor_id).first()
    if found is None:
        raise Http404
    found.claim = claim
    return found


@learner_only
@require_POST
def assessor_revoke(
    request: AuthenticatedRequest, public_id: Any, assessor_id: Any
) -> HttpResponse:
    assessor = _assessor_or_404(request, public_id, assessor_id)
    if assessors.assessor_revoke(assessor=assessor):
        messages.success(
            request,
            _("%(name)s can no longer open this claim.")
            % {"name": assessor.name or assessor.email},
        )
    else:
        messages.info(request, _("That access was already revoked."))
    return redirect(f"{assessor.claim.get_absolute_url()}#assessors")


@learner_only
@require_POST
def assessor_resend(
    request: AuthenticatedRequest, public_id: Any, assessor_id: Any
) -> HttpResponse:
    assessor = _assessor_or_404(request, public_id, assessor_id)
    try:
        sent = assessors.assessor_resend(assessor=assessor)
    except (ClaimRefused, RateLimited) as refused:
        messages.error(request, str(refused))
    else:
        if sent.token:
            text = _("A new link is on its way to %(email)s; the old one no longer works.")
        else:
            text = _("A reminder is on its way to %(email)s.")
        messages.success(request, text % {"email": assessor.email})
    return redirect(f"{assessor.claim.get_absolute_url()}#assessors")
