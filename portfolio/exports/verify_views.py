"""The public verification page, /verify/<code>/: what we issued under that code, the
live status of each badge in it, and a form to check whether a file is that document.
It shows nothing the PDF does not already show; the data a PDF embeds (the APEL claim's
JSON) is offered there as the same bytes. Also the share link's PDF download."""

import hashlib
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.serving import serve_file
from portfolio.exports import selectors
from portfolio.exports.signing import SignatureCheck, signature_check
from portfolio.models import Export, ExportState, ShareLink
from portfolio.showcases.share_views import shared

RATE_WINDOW_SECONDS = 3600


class VerifyForm(forms.Form):
    document = forms.FileField(
        label=gettext_lazy("The PDF to check"),
        help_text=gettext_lazy("It is checked here and not kept."),
    )

    def clean_document(self) -> object:
        upload = self.cleaned_data["document"]
        if upload.size > settings.EXPORT_VERIFY_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("That file is larger than any document we issue. Choose the PDF you were given.")
            )
        return upload


@dataclass(frozen=True)
class Outcome:
    matches: bool
    sha256: str
    signature: SignatureCheck


def verify(request: HttpRequest, code: str) -> HttpResponse:
    try:
        export = selectors.export_issued(code=code)
    except Export.DoesNotExist:
        return render(request, "exports/verify_unknown.html", status=404)
    form = VerifyForm(request.POST or None, request.FILES or None)
    outcome, status = None, 200
    if request.method == "POST":
        if _too_many(request):
            form.add_error(None, _("Too many files checked from here. Wait an hour and try again."))
            status = 429
        elif form.is_valid():
            outcome = _check(export, form.cleaned_data["document"])
        else:
            status = 400
    context = {
        "export": export,
        "badges": selectors.badges_now(export=export),
        "form": form,
        "outcome": outcome,
    }
    response = render(request, "exports/verify.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def verify_data(request: HttpRequest, code: str) -> HttpResponseBase:
    """The file the PDF embeds, exactly as embedded, while the document stands (not once
    it is withdrawn, as the PDF itself is no longer offered then)."""
    try:
        export = selectors.export_issued(code=code)
    except Export.DoesNotExist:
        raise Http404 from None
    if export.state != ExportState.DONE or not export.attachment:
        raise Http404
    response = serve_file(
        request,
        stored=export.attachment,
        content_type="application/json",
        filename=export.download_name.removesuffix(".pdf") + ".json",
        inline=False,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _check(export: Export, upload: object) -> Outcome:
    digest = hashlib.sha256()
    data = bytearray()
    for chunk in upload.chunks():  # type: ignore[attr-defined]
        digest.update(chunk)
        data.extend(chunk)
    sha256 = digest.hexdigest()
    return Outcome(
        matches=sha256 == export.sha256, sha256=sha256, signature=signature_check(bytes(data))
    )


def _too_many(request: HttpRequest) -> bool:
    """At most EXPORT_VERIFY_UPLOADS_PER_HOUR checks an hour from one address."""
    client = hashlib.sha256(request.META.get("REMOTE_ADDR", "").encode()).hexdigest()[:16]
    key = f"export-verify:{client}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > settings.EXPORT_VERIFY_UPLOADS_PER_HOUR


@shared
def shared_pdf(request: HttpRequest, link: ShareLink) -> HttpResponseBase:
    """The showcase's newest PDF, through a link whose learner offers it there."""
    export = selectors.pdf_for_link(link=link)
    if export is None or not export.file:
        raise Http404
    return serve_file(
        request,
        stored=export.file,
        content_type="application/pdf",
        filename=export.download_name,
        inline=False,
    )
