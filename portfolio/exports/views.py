"""The learner's export pages: ask for a PDF (of a showcase, or of an APEL claim), watch
it, download, withdraw or delete it. Only the owner reaches any of them (others get a
404, other roles a 403)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import AuthenticatedRequest, role_required
from core.serving import serve_file
from portfolio.apel.selectors import claim_owned
from portfolio.exports import selectors, services
from portfolio.models import Export, ExportState
from portfolio.showcases.views import showcase_or_404

learner_only = role_required(Role.LEARNER)
REFRESH_SECONDS = 3


def _export_or_404(request: AuthenticatedRequest, public_id: Any) -> Export:
    try:
        return selectors.export_owned(owner=request.user, public_id=public_id)
    except (Export.DoesNotExist, ValidationError):
        raise Http404 from None


@learner_only
@require_POST
def export_showcase(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    showcase = showcase_or_404(request, public_id)
    try:
        export = services.export_request(
            owner=request.user,
            showcase=showcase,
            request_key=request.POST.get("request_key", "")[:64],
        )
    except services.ExportRefused as refused:
        messages.error(request, str(refused))
        return redirect(showcase)
    return redirect(export)


@learner_only
@require_POST
def export_claim(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    claim = claim_owned(learner=request.user, public_id=public_id)
    try:
        export = services.export_request_claim(
            owner=request.user,
            claim=claim,
            request_key=request.POST.get("request_key", "")[:64],
        )
    except services.ExportRefused as refused:
        messages.error(request, str(refused))
        return redirect("exports:list")
    return redirect(export)


@learner_only
def export_list(request: AuthenticatedRequest) -> HttpResponse:
    exports = list(selectors.exports_owned(owner=request.user))
    running = any(export.is_running for export in exports)
    context = {"exports": exports, "refresh": REFRESH_SECONDS if running else None}
    return render(request, "exports/export_list.html", context)


@learner_only
def export_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    export = _export_or_404(request, public_id)
    context = {"export": export, "refresh": REFRESH_SECONDS if export.is_running else None}
    return render(request, "exports/export_detail.html", context)


@learner_only
def export_progress(request: AuthenticatedRequest, public_id: str) -> JsonResponse:
    export = _export_or_404(request, public_id)
    response = JsonResponse(
        {
            "state": export.state,
            "state_label": export.get_state_display(),
            "stage": export.stage,
            "done": export.done,
            "total": export.total,
            "percent": export.percent,
            "running": export.is_running,
            "error": export.error,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@learner_only
def export_download(request: AuthenticatedRequest, public_id: str) -> Any:
    export = _export_or_404(request, public_id)
    if export.state != ExportState.DONE or not export.file:
        raise Http404
    return serve_file(
        request,
        stored=export.file,
        content_type="application/pdf",
        filename=export.download_name,
        inline=False,
    )


@learner_only
@require_POST
def export_withdraw(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    export = services.export_withdraw(export=_export_or_404(request, public_id))
    messages.success(
        request, _("Withdrawn. The verification page now says so, and the file is not offered.")
    )
    return redirect(export)


@learner_only
@require_POST
def export_delete(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    services.export_delete(export=_export_or_404(request, public_id))
    messages.success(request, _("Export deleted."))
    return redirect("exports:list")
