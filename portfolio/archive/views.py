"""The learner's archive pages: ask for "Download everything" (which then lives on the
exports pages), upload an archive to import, watch the import and read its report.
Only the owner reaches an import (others get a 404); other roles get a 403."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import AuthenticatedRequest, role_required
from portfolio.archive import export, importer, selectors
from portfolio.archive.forms import ArchiveImportForm, ArchiveUploadHandler
from portfolio.archive.report import report_for_page
from portfolio.archive.safezip import ArchiveRefused
from portfolio.models import ArchiveImport

learner_only = role_required(Role.LEARNER)
REFRESH_SECONDS = 3


def _import_or_404(request: AuthenticatedRequest, public_id: Any) -> ArchiveImport:
    try:
        return selectors.import_owned(owner=request.user, public_id=public_id)
    except (ArchiveImport.DoesNotExist, ValidationError):
        raise Http404 from None


@learner_only
@require_POST
def archive_export(request: AuthenticatedRequest) -> HttpResponse:
    try:
        made = export.archive_export_request(
            owner=request.user, request_key=request.POST.get("request_key", "")[:64]
        )
    except export.ArchiveRequestRefused as refused:
        messages.error(request, str(refused))
        return redirect("exports:list")
    return redirect(made)


@learner_only
@csrf_exempt  # checked below, once the upload handler is ours (it must be set first)
@require_http_methods(["GET", "POST"])
def import_start(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        request.upload_handlers = [ArchiveUploadHandler(request)]
    return _import_start(request)


@csrf_protect
def _import_start(request: AuthenticatedRequest) -> HttpResponse:
    form = ArchiveImportForm()
    status = 200
    if request.method == "POST":
        form = ArchiveImportForm(request.POST, request.FILES)  # bound even if cut short
        refusals: list[tuple[str, str]] = getattr(request, "upload_refusals", [])
        valid = form.is_valid()  # before add_error, which needs the cleaned data
        for _name, message in refusals:
            form.add_error("archive", message)
        if not refusals and valid:
            try:
                made = importer.archive_import_request(
                    owner=request.user,
                    upload=form.cleaned_data["archive"],
                    request_key=form.cleaned_data["request_key"],
                )
            except (ArchiveRefused, importer.ImportRefused) as refused:
                form.add_error("archive", str(refused))
            else:
                return redirect(made)
        status = 413 if getattr(request, "upload_stopped", False) else 400
    context = {"form": form, "imports": list(selectors.imports_owned(owner=request.user))}
    return render(request, "archive/import_start.html", context, status=status)


@learner_only
def import_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    found = _import_or_404(request, public_id)
    context = {
        "archive_import": found,
        "report": report_for_page(found.report),
        "refresh": REFRESH_SECONDS if found.is_running else None,
    }
    return render(request, "archive/import_detail.html", context)


@learner_only
def import_progress(request: AuthenticatedRequest, public_id: str) -> JsonResponse:
    return progress_response(_import_or_404(request, public_id))


def progress_response(found: ArchiveImport) -> JsonResponse:
    """An import's progress as the progress bar's script reads it (also Leap2A's)."""
    response = JsonResponse(
        {
            "state": found.state,
            "state_label": found.get_state_display(),
            "stage": found.stage,
            "done": found.done,
            "total": found.total,
            "percent": found.percent,
            "running": found.is_running,
            "error": found.error,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@learner_only
@require_POST
def import_delete(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    importer.archive_import_delete(archive_import=_import_or_404(request, public_id))
    return redirect("archive:import")
