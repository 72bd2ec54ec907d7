"""The assessor's pages: "Claims to assess" for account assessors, and each claim's
page with its files, badges and the judgement forms, reached either signed in
(/apel/assess/claims/<claim public_id>/...) or through an emailed link without an
account (/apel/assess/<token>/...). Every request checks the assignment again (see
assessor_selectors): an unknown link or claim is a 404, an expired or revoked link a
410 page. Every answer is private, uncached and unindexed."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from artefacts.models import Artefact
from artefacts.serving import artefact_file_response, artefact_thumbnail_response
from badges.models import Badge
from badges.report import report_response
from core.serving import serve_file
from portfolio.apel import assessor_selectors as selectors
from portfolio.apel import assessors
from portfolio.apel.assessor_forms import JudgementForm, RecommendationForm
from portfolio.apel.selectors import outcome_anchor
from portfolio.apel.services import ClaimRefused
from portfolio.models import ClaimAssessor, Judgement, Recommendation

View = Callable[..., HttpResponseBase]


@dataclass(frozen=True)
class Access:
    assessor: ClaimAssessor
    route: selectors.Route

    @property
    def by_link(self) -> bool:
        return self.route.name == selectors.LINK_ROUTE


def assessing(view: View) -> View:
    """Resolve the link (`token`) or the signed-in assessor's claim (`public_id`) to a
    standing assignment and call the view with it as `Access`."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = _answer(request, view, *args, **kwargs)
        except Http404:
            response = render(request, "404.html", status=404)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"  # the token never leaves in a Referer
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def _answer(request: HttpRequest, view: View, *args: Any, **kwargs: Any) -> HttpResponseBase:
    if "token" in kwargs:
        token = kwargs.pop("token")
        state = selectors.assignment_for_token(token=token)
        if state.assessor is None:
            raise Http404
        if not state.active:
            return render(request, "apel/assessor_link_inactive.html", status=410)
        route = selectors.Route(selectors.LINK_ROUTE, token)
        return view(request, Access(state.assessor, route), *args, **kwargs)
    public_id = kwargs.pop("public_id")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    assessor = selectors.assignment_for_user(user=request.user, public_id=public_id)
    if assessor is None:
        raise Http404
    route = selectors.Route(selectors.ACCOUNT_ROUTE, str(public_id))
    return view(request, Access(assessor, route), *args, **kwargs)


def _base(access: Access) -> str:
    """Link holders have no account: their pages have no site navigation."""
    return "apel/assessor_link_base.html" if access.by_link else "base.html"


@login_required
@require_safe
def claims_list(request: HttpRequest) -> HttpResponse:
    """The claims given to the signed-in assessor (none for anyone else)."""
    found = selectors.claims_to_assess(user=request.user)
    return render(request, "apel/assessor_list.html", {"assignments": found})


# --- The claim -------------------------------------------------------------------------


@assessing
@require_safe
def claim_page(request: HttpRequest, access: Access) -> HttpResponse:
    if request.method == "GET":
        assessors.assessor_opened(assessor=access.assessor)
    return _page(request, access)


def _page(
    request: HttpRequest,
    access: Access,
    *,
    judged: JudgementForm | None = None,
    recommended: RecommendationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.assessor_page(assessor=access.assessor, route=access.route)
    problem: list[str] = []  # what was refused, said at the top too (with where to go)
    anchor = "recommendation"
    if judged is not None:
        code = judged.data.get("outcome", "")
        blocks = [b for b in page.blocks if b.row.outcome.code == code]
        for block in blocks:
            block.posted = judged
            anchor = block.row.anchor
        problem = [str(e) for errors in judged.errors.values() for e in errors]
        if not blocks:
            anchor = ""
    elif recommended is not None:
        problem = [str(e) for errors in recommended.errors.values() for e in errors]
    context = {
        "page": page,
        "view": page.view,
        "claim": page.claim,
        "access": access,
        "base": _base(access),
        "judge_url": access.route.url("judge"),
        "recommend_url": access.route.url("recommend"),
        "judgements": Judgement.choices,
        "recommendations": Recommendation.choices,
        "recommended": recommended,
        "problem": problem,
        "problem_anchor": anchor,
    }
    return render(request, "apel/assessor_claim.html", context, status=status)


@assessing
@require_POST
def judge(request: HttpRequest, access: Access) -> HttpResponse:
    form = JudgementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        answer = (
            access.assessor.claim.answers.select_related("outcome", "claim")
            .filter(outcome__code=data["outcome"])
            .first()
        )
        try:
            if answer is None:
                raise ClaimRefused(_("That outcome is not part of this claim."))
            assessors.assessor_judge(
                assessor=access.assessor,
                answer=answer,
                judgement=data["judgement"],
                comment=data["comment"],
            )
        except ClaimRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Your judgement of %(code)s is saved.") % {"code": answer.outcome.code},
            )
            return redirect(f"{access.route.url()}#{outcome_anchor(answer.outcome.code)}")
    return _page(request, access, judged=form, status=400)


@assessing
@require_POST
def recommend(request: HttpRequest, access: Access) -> HttpResponse:
    form = RecommendationForm(request.POST)
    if form.is_valid():
        try:
            assessors.assessor_recommend(
                assessor=access.assessor,
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
            )
        except ClaimRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, _("Your recommendation is saved, and the learner has been told.")
            )
            return redirect(f"{access.route.url()}#recommendation")
    return _page(request, access, recommended=form, status=400)


# --- What is mapped in the claim: files, badges ---------------------------------------


def _artefact(access: Access, item: Any) -> Artefact:
    try:
        return selectors.assessed_artefact(assessor=access.assessor, public_id=item)
    except Artefact.DoesNotExist:
        raise Http404 from None


def _badge(access: Access, item: Any) -> Badge:
    try:
        return selectors.assessed_badge(assessor=access.assessor, public_id=item)
    except Badge.DoesNotExist:
        raise Http404 from None


@assessing
@require_safe
def artefact_file(request: HttpRequest, access: Access, item: Any) -> HttpResponseBase:
    return artefact_file_response(request, _artefact(access, item))


@assessing
@require_safe
def artefact_thumbnail(request: HttpRequest, access: Access, item: Any) -> HttpResponseBase:
    return artefact_thumbnail_response(request, _artefact(access, item))


@assessing
@require_safe
def badge_page(request: HttpRequest, access: Access, item: Any) -> HttpResponse:
    found = _badge(access, item)
    route = access.route
    context = {
        "badge": found,
        "claim": access.assessor.claim,
        "base": _base(access),
        "back_url": route.url(),
        "image_url": route.url("badge_image", found.public_id),
        "report_url": route.url("badge_report", found.public_id),
    }
    return render(request, "apel/assessor_badge.html", context)


@assessing
@require_safe
def badge_image(request: HttpRequest, access: Access, item: Any) -> HttpResponseBase:
    found = _badge(access, item)
    if not found.display_image:
        raise Http404
    return serve_file(
        request,
        stored=found.display_image,
        content_type=found.display_image_type,
        filename="badge",
        inline=True,
    )


@assessing
@require_safe
def badge_report(request: HttpRequest, access: Access, item: Any) -> HttpResponse:
    """The badge's last verification report as JSON, for the assessor to keep."""
    return report_response(_badge(access, item))
