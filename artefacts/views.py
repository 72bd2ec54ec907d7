"""Artefact pages. Learners add, edit and delete their own; a tutor reads the shared
artefacts of their cohorts' learners. Anyone else gets a 404, never a hint."""

from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import AuthenticatedRequest, role_required
from artefacts import selectors, services
from artefacts.forms import (
    LinkForm,
    UploadForm,
    WrittenPieceForm,
    edit_form_class,
    edit_initial,
)
from artefacts.models import Artefact
from artefacts.serving import artefact_file_response, artefact_thumbnail_response
from core.uploads import UploadRejected


@dataclass
class FileResult:
    name: str
    ok: bool
    message: str
    url: str = ""
    duplicate_title: str = ""
    duplicate_url: str = ""


def _quota_context(user: Any) -> dict[str, Any]:
    used = services.storage_used(owner=user)
    quota = settings.ARTEFACT_QUOTA_BYTES
    return {
        "quota_used": used,
        "quota_total": quota,
        "quota_remaining": max(0, quota - used),
        "quota_percent": min(100, round(100 * used / quota)) if quota else 100,
        "max_upload": settings.ARTEFACT_MAX_UPLOAD_BYTES,
    }


@role_required(Role.LEARNER)
def add(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "artefacts/artefact_add.html", _quota_context(request.user))


@role_required(Role.LEARNER)
@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedRequest) -> HttpResponse:
    """Upload one or many files. The page's script sends one request per file (for a
    progress bar each) and reads JSON; without script the form posts every file at
    once and gets a results page. Both go through the same service."""
    if request.method == "GET":
        return render(
            request,
            "artefacts/artefact_upload.html",
            {"form": UploadForm(), **_quota_context(request.user)},
        )
    form = UploadForm(request.POST, request.FILES)
    refusals: list[tuple[str, str]] = getattr(request, "upload_refusals", [])
    wants_json = "application/json" in request.headers.get("Accept", "")
    results = [FileResult(name=name, ok=False, message=msg) for name, msg in refusals]
    if form.is_valid():
        files = form.cleaned_data["files"]
        if not files and not refusals:
            form.add_error("files", _("Choose at least one file to upload."))
        for upload_file in files:
            results.append(_add_one(request.user, upload_file, form))
    if not form.is_valid() and not results:
        if wants_json:
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        context = {"form": form, **_quota_context(request.user)}
        return render(request, "artefacts/artefact_upload.html", context, status=400)
    status = _batch_status(results, stopped=getattr(request, "upload_stopped", False))
    if wants_json:
        remaining = filesizeformat(services.storage_remaining(owner=request.user))
        body = {"results": [asdict(r) for r in results], "remaining": remaining}
        return JsonResponse(body, status=status)
    context = {"results": results, "summary": _summary(results), **_quota_context(request.user)}
    return render(request, "artefacts/artefact_upload_results.html", context, status=status)


def _batch_status(results: list[FileResult], *, stopped: bool) -> int:
    """200 when every file was added; 413 when the upload was too large to read; 400 when
    nothing was added; 422 when some files were added and some refused. A partly refused
    batch is not a success (so no 200), but the request was well formed and partly carried
    out, which is what 422 says and 400 does not; the page lists which files were added."""
    if stopped:
        return 413
    added = sum(r.ok for r in results)
    if added == len(results):
        return 200
    return 422 if added else 400


def _summary(results: list[FileResult]) -> str:
    added = sum(r.ok for r in results)
    refused = len(results) - added
    if not refused:
        return ngettext("%(added)d file added.", "%(added)d files added.", added) % {"added": added}
    if not added:
        return _("Nothing was added. See why below.")
    return _("%(added)d added, %(refused)d refused. See why below.") % {
        "added": added,
        "refused": refused,
    }


def _add_one(user: Any, upload_file: Any, form: UploadForm) -> FileResult:
    name = upload_file.name or ""
    try:
        artefact = services.artefact_create_file(
            owner=user, upload=upload_file, details=form.details()
        )
    except UploadRejected as rejected:
        return FileResult(name=name, ok=False, message=str(rejected))
    result = FileResult(
        name=name,
        ok=True,
        message=_("Added as “%(title)s”: open it.") % {"title": artefact.title},
        url=artefact.get_absolute_url(),
    )
    duplicate = services.artefact_duplicate_of(owner=user, sha256=artefact.sha256)
    if duplicate and duplicate.pk != artefact.pk:
        result.message = _("Added. You already had this same file, as “%(title)s”.") % {
            "title": duplicate.title
        }
        result.duplicate_title = duplicate.title
        result.duplicate_url = duplicate.get_absolute_url()
    return result


@role_required(Role.LEARNER)
def add_link(request: AuthenticatedRequest) -> HttpResponse:
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        artefact = services.artefact_create_link(
            owner=request.user, url=form.cleaned_data["url"], details=form.details()
        )
        messages.success(request, _("Link added."))
        return redirect(artefact)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "heading": _("Add a link")}
    return render(request, "artefacts/artefact_form.html", context, status=status)


@role_required(Role.LEARNER)
def add_text(request: AuthenticatedRequest) -> HttpResponse:
    form = WrittenPieceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        artefact = services.artefact_create_text(
            owner=request.user,
            body_markdown=form.cleaned_data["body_markdown"],
            details=form.details(),
        )
        messages.success(request, _("Written piece saved."))
        return redirect(artefact)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "heading": _("Write a piece")}
    return render(request, "artefacts/artefact_form.html", context, status=status)


@login_required
def detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    artefact = _readable_or_404(request, public_id)
    is_owner = artefact.owner_id == request.user.pk
    context = {
        "artefact": artefact,
        "is_owner": is_owner,
        "usages": selectors.artefact_usages(artefact=artefact) if is_owner else [],
    }
    return render(request, "artefacts/artefact_detail.html", context)


@role_required(Role.LEARNER)
def edit(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    artefact = _owned_or_404(request, public_id)
    form_class = edit_form_class(artefact)
    form = form_class(request.POST or None, initial=edit_initial(artefact))
    if request.method == "POST" and form.is_valid():
        services.artefact_update(
            artefact=artefact,
            details=form.details(),
            url=form.cleaned_data.get("url"),
            body_markdown=form.cleaned_data.get("body_markdown"),
        )
        messages.success(request, _("Changes saved."))
        return redirect(artefact)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "artefact": artefact, "heading": _("Edit “%s”") % artefact.title}
    return render(request, "artefacts/artefact_form.html", context, status=status)


@role_required(Role.LEARNER)
def delete(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    artefact = _owned_or_404(request, public_id)
    if request.method == "POST":
        title = artefact.title
        services.artefact_delete(artefact=artefact)
        messages.success(request, _("“%s” is deleted.") % title)
        return redirect("portfolio:library")
    usages = selectors.artefact_usages(artefact=artefact)
    return render(
        request, "artefacts/artefact_delete.html", {"artefact": artefact, "usages": usages}
    )


@login_required
def file(request: AuthenticatedRequest, public_id: str) -> HttpResponseBase:
    return artefact_file_response(request, _readable_or_404(request, public_id))


@login_required
def thumbnail(request: AuthenticatedRequest, public_id: str) -> HttpResponseBase:
    return artefact_thumbnail_response(request, _readable_or_404(request, public_id))


def _readable_or_404(request: AuthenticatedRequest, public_id: str) -> Artefact:
    try:
        return selectors.artefact_readable(user=request.user, public_id=public_id)
    except Artefact.DoesNotExist:
        raise Http404 from None


def _owned_or_404(request: AuthenticatedRequest, public_id: str) -> Artefact:
    try:
        return selectors.artefact_owned(owner=request.user, public_id=public_id)
    except Artefact.DoesNotExist:
        raise Http404 from None
