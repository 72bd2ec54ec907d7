"""What the attester reaches through their emailed link, without an account: the one
item they were asked about (and its file), the form to attest or decline, and later
the page to withdraw. An unknown token is a 404; a used, cancelled or expired one a
410 page saying which. Every answer is private, uncached and unindexed."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from artefacts.serving import artefact_file_response, artefact_thumbnail_response
from portfolio.attestations import selectors, services
from portfolio.attestations.forms import AttestForm, DeclineForm
from portfolio.models import AttestationRequest

View = Callable[..., HttpResponseBase]


def _private(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = render(request, "404.html", status=404)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"  # the token never leaves in a Referer
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def _request_or_404(token: str) -> AttestationRequest:
    asked = selectors.request_for_token(token=token)
    if asked is None:
        raise Http404
    return asked


def _closed(request: HttpRequest, asked: AttestationRequest) -> HttpResponse:
    context = {"state": asked.state, "asked": asked}
    return render(request, "portfolio/attestations/link_closed.html", context, status=410)


@_private
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    asked = _request_or_404(token)
    if not asked.is_open:
        return _closed(request, asked)
    initial = {
        "name": asked.name,
        "role": asked.role,
        "organisation": asked.organisation,
        "statement": asked.statement,
    }
    form = AttestForm(initial=initial)
    decline_form = DeclineForm()
    status = 200
    if request.method == "POST" and request.POST.get("action") == "decline":
        decline_form = DeclineForm(request.POST)
        if decline_form.is_valid():
            try:
                services.decline_by_link(asked=asked, reason=decline_form.cleaned_data["reason"])
            except services.NotOpen:
                return _closed(request, AttestationRequest.objects.get(pk=asked.pk))
            return render(request, "portfolio/attestations/declined.html", {"asked": asked})
        status = 400
    elif request.method == "POST":
        form = AttestForm(request.POST, initial=initial)
        if form.is_valid():
            data = form.cleaned_data
            try:
                given = services.attest_by_link(
                    asked=asked,
                    name=data["name"],
                    role=data["role"],
                    organisation=data["organisation"],
                    statement=data["statement"],
                    comment=data["comment"],
                )
            except services.NotOpen:
                return _closed(request, AttestationRequest.objects.get(pk=asked.pk))
            done = {"attestation": given.attestation, "asked": asked}
            return render(request, "portfolio/attestations/attested.html", done)
        status = 400
    context: dict[str, Any] = {
        "asked": asked,
        "item": asked.item,
        "token": token,
        "form": form,
        "decline_form": decline_form,
        "domain": services.email_domain(asked.email),
        "today": timezone.now(),
    }
    return render(request, "portfolio/attestations/answer.html", context, status=status)


def _artefact(token: str) -> Any:
    asked = selectors.request_for_token(token=token)
    if asked is None or not asked.is_open or asked.artefact is None:
        raise Http404  # files are only for an open request about an artefact
    return asked.artefact


@_private
def file(request: HttpRequest, token: str) -> HttpResponseBase:
    return artefact_file_response(request, _artefact(token))


@_private
def thumbnail(request: HttpRequest, token: str) -> HttpResponseBase:
    return artefact_thumbnail_response(request, _artefact(token))


@_private
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    attestation = selectors.attestation_for_withdraw_token(token=token)
    if attestation is None:
        raise Http404
    if request.method == "POST" and not attestation.is_withdrawn:
        services.attestation_withdraw(attestation=attestation)
        attestation.refresh_from_db()
    context = {"attestation": attestation, "token": token}
    return render(request, "portfolio/attestations/withdraw.html", context)
