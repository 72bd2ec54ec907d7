"""The learner's writes to a draft claim: justifying an outcome, the evidence picker
(adding items, from the library or from a showcase), removing a mapping or changing its
note, accepting a suggested badge, and the transcript values declared for a badge.

Each is a POST that goes through portfolio.apel.services and returns to the outcome's
section of the claim page with a status message there. A refused write changes
nothing: a frozen claim answers 409, anything else wrong 400 with the typed text kept.
"""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.permissions import AuthenticatedRequest
from badges.models import Badge
from portfolio.apel import services
from portfolio.apel.forms import (
    CredentialNoteForm,
    EvidenceAddForm,
    JustificationForm,
    MappingForm,
    MappingNoteForm,
    SuggestionForm,
)
from portfolio.apel.learner_selectors import answer_in, picked_items, picker_for
from portfolio.apel.selectors import outcome_anchor
from portfolio.apel.suggestions import suggestions_for
from portfolio.apel.views import (
    Typed,
    back_to,
    claim_or_404,
    claim_page,
    learner_only,
    refused,
)
from portfolio.models import Claim, ClaimOutcome, Mapping
from portfolio.showcases.selectors import BadReference, owned_targets


def _answer(claim: Claim, code: str) -> ClaimOutcome:
    try:
        return answer_in(claim=claim, code=code)
    except ClaimOutcome.DoesNotExist:
        raise services.ClaimRefused(
            _("That outcome is not part of this claim. Go back to the claim and try again.")
        ) from None


def _not_understood(request: AuthenticatedRequest, claim: Claim) -> HttpResponse:
    error = services.ClaimRefused(
        _("The form was incomplete, so nothing was changed. Go back to the claim and try again.")
    )
    return refused(request, claim, error)


@learner_only
@require_POST
def justify(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    claim = claim_or_404(request, public_id)
    if claim.is_frozen:
        return refused(request, claim, services.ClaimFrozen())
    form = JustificationForm(request.POST)
    valid = form.is_valid()
    if "outcome" in form.errors or set(form.errors) - {"justification"}:
        return _not_understood(request, claim)
    try:
        answer = _answer(claim, request.POST["outcome"])
        if not valid:
            typed = Typed(
                anchor=outcome_anchor(answer.outcome.code),
                text=request.POST.get("justification", ""),
                error=" ".join(str(e) for e in form.errors["justification"]),
                field=f"{outcome_anchor(answer.outcome.code)}-justification",
            )
            return claim_page(request, claim, typed=typed, status=400)
        services.answer_justify(answer=answer, justification=form.cleaned_data["justification"])
    except services.ClaimRefused as error:
        return refused(request, claim, error)
    return back_to(request, claim, outcome_anchor(answer.outcome.code), _("Justification saved."))


@learner_only
def evidence_pick(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The picker for one outcome (GET ?outcome=<code>&q=...), and adding what was
    ticked (POST)."""
    claim = claim_or_404(request, public_id)
    if claim.is_frozen:
        return refused(request, claim, services.ClaimFrozen())
    data = request.POST if request.method == "POST" else request.GET
    try:
        answer = _answer(claim, data.get("outcome", ""))
    except services.ClaimRefused as error:
        return refused(request, claim, error)
    form = EvidenceAddForm(request.POST or None, initial={"outcome": answer.outcome.code})
    if request.method == "POST" and form.is_valid():
        try:
            picked = picked_items(learner=request.user, refs=form.cleaned_data["items"])
        except BadReference:
            form.add_error(
                None,
                _(
                    "One of the items you ticked is not in your evidence any more (it may "
                    "have been deleted). Nothing was added: tick the items again."
                ),
            )
        else:
            return _add(request, claim, answer, picked)
    q = request.GET.get("q", "")
    context = {
        "claim": claim,
        "answer": answer,
        "anchor": outcome_anchor(answer.outcome.code),
        "form": form,
        "q": q,
        "picker": picker_for(answer=answer, q=q),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "apel/claim_evidence.html", context, status=status)


def _add(
    request: AuthenticatedRequest, claim: Claim, answer: ClaimOutcome, picked: list[Any]
) -> HttpResponse:
    # Those chosen in a showcase first: mapped once, they keep their showcase caption.
    picked = sorted(picked, key=lambda p: p.showcase_item is None)
    try:
        for choice in picked:
            services.mapping_add(
                answer=answer, item=choice.item, showcase_item=choice.showcase_item
            )
    except services.ClaimRefused as error:
        return refused(request, claim, error)
    count = len({(p.item._meta.model_name, p.item.pk) for p in picked})
    text = ngettext(
        "%(count)d item is mapped to %(code)s.", "%(count)d items are mapped to %(code)s.", count
    ) % {"count": count, "code": answer.outcome.code}
    return back_to(request, claim, outcome_anchor(answer.outcome.code), text)


def _mapping(claim: Claim, code: str, ref: str) -> Mapping:
    """The mapping of the item `ref` ("kind:public_id") to the outcome `code`."""
    answer = _answer(claim, code)
    try:
        [item] = owned_targets(owner=claim.learner, refs=[ref])
        return answer.mappings.select_related("answer__outcome", "answer__claim").get(
            **{str(item._meta.model_name): item}
        )
    except (BadReference, ValueError, Mapping.DoesNotExist):
        raise services.ClaimRefused(
            _("That evidence is not mapped to this outcome any more. Go back to the claim.")
        ) from None


@learner_only
@require_POST
def mapping_remove(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    claim = claim_or_404(request, public_id)
    if claim.is_frozen:
        return refused(request, claim, services.ClaimFrozen())
    form = MappingForm(request.POST)
    if not form.is_valid():
        return _not_understood(request, claim)
    try:
        mapping = _mapping(claim, form.cleaned_data["outcome"], form.cleaned_data["item"])
        title = str(mapping.target)
        services.mapping_remove(mapping=mapping)
    except services.ClaimRefused as error:
        return refused(request, claim, error)
    code = form.cleaned_data["outcome"]
    text = _("“%(title)s” is no longer mapped to %(code)s.") % {"title": title, "code": code}
    return back_to(request, claim, outcome_anchor(code), text)


@learner_only
@require_POST
def mapping_note(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    claim = claim_or_404(request, public_id)
    if claim.is_frozen:
        return refused(request, claim, services.ClaimFrozen())
    form = MappingNoteForm(request.POST)
    valid = form.is_valid()
    if set(form.errors) - {"note"}:
        return _not_understood(request, claim)
    try:
        mapping = _mapping(claim, request.POST["outcome"], request.POST["item"])
        if not valid:
            anchor = outcome_anchor(mapping.answer.outcome.code)
            typed = Typed(
                anchor=anchor,
                item=request.POST["item"],
                text=request.POST.get("note", ""),
                error=" ".join(str(e) for e in form.errors["note"]),
                field=anchor,
            )
            return claim_page(request, claim, typed=typed, status=400)
        services.mapping_note(mapping=mapping, note=form.cleaned_data["note"])
    except services.ClaimRefused as error:
        return refused(request, claim, error)
    code = form.cleaned_data["outcome"]
    return back_to(request, claim, outcome_anchor(code), _("Note saved."))


@learner_only
@require_POST
def suggestion_accept(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Map a suggested badge, with the reason it was suggested (worked out again here:
    what is posted is only which badge and which outcome)."""
    claim = claim_or_404(request, public_id)
    if claim.is_frozen:
        return refused(request, claim, services.ClaimFrozen())
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        return _not_understood(request, claim)
    try:
        answer = _answer(claim, form.cleaned_data["outcome"])
        badge = Badge.objects.filter(owner=claim.learner, public_id=form.cleaned_data["badge"])
        found = suggestions_for(answers=[answer], badges=list(badge), mapped=set())
        if not found:
            raise services.ClaimRefused(
                _("That badge is not aligned to this outcome. Add it with the evidence picker.")
            )
        services.mapping_add(answer=answer, item=found[0].badge, suggested_because=found[0].reason)
    except services.ClaimRefused as error:
        return refused(request, claim, error)
    code = answer.outcome.code
    text = _("“%(badge)s” is mapped to %(code)s.") % {"badge": found[0].badge.name, "code": code}
    return back_to(request, claim, outcome_anchor(code), text)


@learner_only
@require_POST
def credential_note(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    claim = claim_or_404(request, public_id)
    if claim.is_frozen:
        return refused(request, claim, services.ClaimFrozen())
    form = CredentialNoteForm(request.POST)
    if not form.is_valid():
        if "badge" in form.errors:
            return _not_understood(request, claim)
        typed = Typed(
            credential=form,
            error=_("Check the values you declared for the badge."),
            field=f"credential-{form.data.get('badge', '')}",
        )
        return claim_page(request, claim, typed=typed, status=400)
    badge = Badge.objects.filter(owner=claim.learner, public_id=form.cleaned_data["badge"]).first()
    if badge is None:
        return _not_understood(request, claim)
    data = form.cleaned_data
    try:
        services.credential_note_set(
            claim=claim,
            badge=badge,
            study_hours=data["study_hours"],
            eqf_level=data["eqf_level"],
            credits=data["credits"],
            learning_outcomes=data["learning_outcomes"],
        )
    except services.ClaimRefused as error:
        return refused(request, claim, error)
    text = _("What you declared for “%(badge)s” is saved.") % {"badge": badge.name}
    return back_to(request, claim, f"credential-{badge.public_id}", text)
