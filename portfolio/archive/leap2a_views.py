"""The learner's Leap2A page: export the portfolio as Leap2A (made on the export
machinery, then found on the exports pages), import a Leap2A file (Mahara's), watch the
import and read its report. Only the owner reaches an import (others get a 404); other
roles get a 403; anyone signed out is sent to sign in."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import AuthenticatedRequest, role_required
from portfolio.archive import leap2a_jobs, leap2a_selectors
from portfolio.archive.forms import ArchiveUploadHandler
from portfolio.archive.importer import ImportRefused, archive_import_delete
from portfolio.archive.leap2a_export import Leap2ARequestRefused, leap2a_export_request
from portfolio.archive.leap2a_forms import Leap2AImportForm
from portfolio.archive.safezip import ArchiveRefused
from portfolio.archive.views import progress_response
from portfolio.models import ArchiveImport

learner_only = role_required(Role.LEARNER)
REFRESH_SECONDS = 3


def _import_or_404(request: AuthenticatedRequest, public_id: Any) -> ArchiveImport:
    try:
        return leap2a_selectors.leap2a_import_owned(owner=request.user, public_id=public_id)
    except (ArchiveImport.DoesNotExist, ValidationError):
        raise Http404 from None


@learner_only
@csrf_exempt  # checked below, once the upload handler is ours (it must be set first)
@require_http_methods(["GET", "POST"])
def leap2a_home(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        request.upload_handlers = [ArchiveUploadHandler(request)]
    return _home(request)


@csrf_protect
def _home(request: AuthenticatedRequest) -> HttpResponse:
    posted = request.method == "POST"  # bound even when a stopped upload left it empty
    form = Leap2AImportForm(request.POST if posted else None, request.FILES if posted else None)
    status = 200
    if posted:
        refusals: list[tuple[str, str]] = getattr(request, "upload_refusals", [])
        if refusals:  # the file never arrived: say why, rather than that it is missing
            form.is_valid()
            form.errors.pop("archive", None)
            for _name, message in refusals:
                form.add_error("archive", message)
        elif form.is_valid():
            try:
                made = leap2a_jobs.leap2a_import_request(
                    owner=request.user,
                    upload=form.cleaned_data["archive"],
                    request_key=form.cleaned_data["request_key"],
                )
            except (ArchiveRefused, ImportRefused) as refused:
                form.add_error("archive", str(refused))
            else:
                return redirect("leap2a:import_detail", public_id=made.public_id)
        status = 413 if getattr(request, "upload_stopped", False) else 400
    context = {
        "form": form,
        "imports": list(leap2a_selectors.leap2a_imports_owned(owner=request.user)),
    }
    return render(request, "archive/leap2a_home.html", context, status=status)


@learner_only
@require_POST
def leap2a_export(request: AuthenticatedRequest) -> HttpResponse:
    try:
        export = leap2a_export_request(
            owner=request.user, request_key=request.POST.get("request_key", "")[:64]
        )
    except Leap2ARequestRefused as refused:
        messages.error(request, str(refused))
        return redirect("leap2a:home")
    return redirect(export)


@learner_only
def leap2a_import_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    found = _import_or_404(request, public_id)
    context = {
        "archive_import": found,
        "report": leap2a_selectors.leap2a_report_for_page(found.report),
        "refresh": REFRESH_SECONDS if found.is_running else None,
    }
    return render(request, "archive/leap2a_import.html", context)


@learner_only
def leap2a_import_progress(request: AuthenticatedRequest, public_id: str) -> JsonResponse:
    return progress_response(_import_or_404(request, public_id))


@learner_only
@require_POST
def leap2a_import_delete(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    archive_import_delete(archive_import=_import_or_404(request, public_id))
    return redirect("leap2a:home")
