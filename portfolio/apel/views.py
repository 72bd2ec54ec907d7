"""The learner's APEL claim pages: the list of their claims, starting one from a
programme, the claim page itself (read-only once submitted), deleting a draft, renaming
one and starting a new version. Writes to a claim's outcomes, evidence and transcript
are in claim_edit_views.py.

Only the claim's learner reaches any of them: another learner gets a 404, as for a
claim that does not exist, and other roles a 403. Tutors do not read claims: a claim
draws on every item of the learner's, private ones too, and it goes to the assessor
the learner chooses (see the assessor's pages)."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import AuthenticatedRequest, role_required
from portfolio.apel import services
from portfolio.apel.forms import ClaimStartForm, ClaimTitleForm, CredentialNoteForm
from portfolio.apel.learner_selectors import claim_series
from portfolio.apel.programme_access import programmes_visible_to
from portfolio.apel.selectors import claim_history, claim_owned, claim_versions, claim_view
from portfolio.models import (
    Claim,
    ClaimEvent,
    ClaimState,
    CredentialNote,
    Judgement,
    Recommendation,
)

learner_only = role_required(Role.LEARNER)
EXPORT_PARTIAL = "exports/partials/apel_export.html"
STATUS_KEY = "apel_status"


def claim_or_404(request: AuthenticatedRequest, public_id: Any) -> Claim:
    try:
        return claim_owned(learner=request.user, public_id=public_id)
    except ValidationError:  # not a UUID
        raise Http404 from None


def refused(
    request: AuthenticatedRequest, claim: Claim | None, error: services.ClaimRefused
) -> HttpResponse:
    """A write the services refused: 409 for a frozen claim, else 400; nothing changed."""
    status = 409 if isinstance(error, services.ClaimFrozen) else 400
    context = {"claim": claim, "message": str(error)}
    return render(request, "apel/claim_refused.html", context, status=status)


def back_to(request: AuthenticatedRequest, claim: Claim, anchor: str, text: str) -> HttpResponse:
    """Back to a section of the claim page after a change, which says `text` there (and
    the page's script puts focus on it)."""
    request.session[STATUS_KEY] = {"claim": str(claim.public_id), "anchor": anchor, "text": text}
    return redirect(f"{claim.get_absolute_url()}#{anchor}")


def _url_or_empty(name: str, **kwargs: Any) -> str:
    """A page of another part of APEL, if that part is installed."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _has_template(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


@learner_only
def claim_list(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "series": claim_series(learner=request.user),
        "programmes": programmes_visible_to(request.user).select_related("institution"),
        "programme_list_url": _url_or_empty("apel:programme_list"),
    }
    return render(request, "apel/claim_list.html", context)


@learner_only
def claim_new(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    programme = programmes_visible_to(request.user).filter(public_id=public_id).first()
    if programme is None:
        raise Http404
    form = ClaimStartForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_create(
                learner=request.user,
                programme=programme,
                title=form.cleaned_data["title"],
                courses=list(form.cleaned_data.get("courses") or []),
            )
        except services.ClaimRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Claim started. Map your evidence to each outcome."))
            return redirect(claim)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "programme": programme}
    return render(request, "apel/claim_new.html", context, status=status)


@dataclass
class Typed:
    """What the learner typed in a form the page refused, shown again with the error."""

    anchor: str = ""
    text: str = ""
    error: str = ""
    item: str = ""  # for a mapping's note: the item's key
    credential: CredentialNoteForm | None = None
    field: str = ""  # the id of the element to go to, from the summary of the error


@learner_only
def claim_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    return claim_page(request, claim_or_404(request, public_id))


def claim_page(
    request: AuthenticatedRequest, claim: Claim, *, typed: Typed | None = None, status: int = 200
) -> HttpResponse:
    editable = not claim.is_frozen
    view = claim_view(claim=claim, suggest=editable)
    said = request.session.pop(STATUS_KEY, None) if STATUS_KEY in request.session else None
    if said and said.get("claim") != str(claim.public_id):
        said = None
    typed = typed or Typed()
    suggested: dict[int, list[Any]] = {}
    for suggestion in view.suggestions:
        suggested.setdefault(suggestion.answer.pk, []).append(suggestion)
    for row in view.rows:
        mine = typed.anchor == row.anchor
        vars(row).update(
            suggested=suggested.get(row.answer.pk, []),
            said=said["text"] if said and said["anchor"] == row.anchor else "",
            justification=typed.text if mine and not typed.item else row.answer.justification,
            justification_error=typed.error if mine and not typed.item else "",
            shown=[
                {
                    "e": e,
                    "m": m,
                    "note": typed.text if mine and typed.item == e.key else m.note,
                    "error": typed.error if mine and typed.item == e.key else "",
                }
                for e, m in zip(row.evidence, row.mappings, strict=True)
            ],
        )
    assessed = claim.state == ClaimState.ASSESSED
    versions = list(claim_versions(claim=claim))
    context = {
        "claim": claim,
        "programme": claim.programme,
        "courses": list(claim.courses.all()),
        "view": view,
        "editable": editable,
        "assessed": assessed,
        "said": said,
        "error": typed if typed.error else None,
        "credential_forms": _credential_forms(claim, view, typed, said) if editable else [],
        "title_form": ClaimTitleForm(initial={"title": claim.title}),
        "title_error": typed.error if typed.anchor == "summary" else "",
        "versions": versions,
        "newer": next((v for v in versions if v.previous_id == claim.pk), None),
        "history": _history(claim, assessed),
        "submit_url": _url_or_empty("apel:claim_submit", public_id=claim.public_id)
        if editable
        else "",
        "has_export": _has_template(EXPORT_PARTIAL),
        "export_partial": EXPORT_PARTIAL,
    }
    return render(request, "apel/claim_detail.html", context, status=status)


def _history(claim: Claim, assessed: bool) -> list[ClaimEvent]:
    """The claim's events, each with the words for its values. Judgements reach the
    learner with the overall recommendation, not one by one as the assessor works."""
    events = []
    for event in claim_history(claim=claim):
        if event.kind == "judged" and not assessed:
            continue
        detail = event.detail if isinstance(event.detail, dict) else {}
        value = detail.get("judgement") or detail.get("recommendation") or ""
        labels = dict(Judgement.choices) | dict(Recommendation.choices)
        vars(event).update(
            value_label=str(labels.get(value, value)),
            kind_label=event.kind.replace("_", " ").capitalize(),
        )
        events.append(event)
    return events


def _credential_forms(
    claim: Claim, view: Any, typed: Typed, said: dict[str, str] | None
) -> list[dict[str, Any]]:
    """A form per badge in the transcript for what the learner declares about it."""
    notes = {n.badge_id: n for n in CredentialNote.objects.filter(claim=claim)}
    forms = []
    for line in view.transcript.lines:
        badge = line.badge
        bound = typed.credential
        if bound is not None and bound.data.get("badge") == str(badge.public_id):
            form = bound
        else:
            note = notes.get(badge.pk)
            initial = {"badge": badge.public_id}
            if note is not None:
                initial |= {
                    "study_hours": note.study_hours,
                    "eqf_level": note.eqf_level,
                    "credits": note.credits,
                    "learning_outcomes": note.learning_outcomes,
                }
            form = CredentialNoteForm(initial=initial)
        anchor = f"credential-{badge.public_id}"
        form.auto_id = f"{anchor}-%s"
        shown = said["text"] if said and said["anchor"] == anchor else ""
        forms.append({"line": line, "form": form, "anchor": anchor, "said": shown})
    return forms


@learner_only
@require_POST
def claim_rename(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    claim = claim_or_404(request, public_id)
    form = ClaimTitleForm(request.POST)
    if not form.is_valid():
        typed = Typed(
            anchor="summary",
            error=_("Give the claim a title of up to 200 characters."),
            field="claim-title",
        )
        return claim_page(request, claim, typed=typed, status=400)
    try:
        services.claim_rename(claim=claim, title=form.cleaned_data["title"])
    except services.ClaimRefused as error:
        return refused(request, claim, error)
    return back_to(request, claim, "summary", _("Title saved."))


@learner_only
def claim_delete(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    claim = claim_or_404(request, public_id)
    if claim.is_frozen:
        return refused(request, claim, services.ClaimFrozen())
    if request.method == "POST":
        try:
            services.claim_delete(claim=claim)
        except services.ClaimRefused as error:
            return refused(request, claim, error)
        messages.success(request, _("Draft claim deleted. Your evidence is kept."))
        return redirect("apel:claim_list")
    return render(request, "apel/claim_delete.html", {"claim": claim})


@learner_only
@require_POST
def claim_new_version(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    claim = claim_or_404(request, public_id)
    try:
        newer = services.claim_new_version(claim=claim)
    except services.ClaimRefused as error:
        return refused(request, claim, error)
    messages.success(
        request,
        _(
            "Version %(version)s started from version %(previous)s. "
            "Change what you need, then submit it."
        )
        % {"version": newer.version, "previous": claim.version},
    )
    return redirect(newer)
