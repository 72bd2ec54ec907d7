"""Bulk onboarding pages: upload a CSV, see what each line will do, confirm, watch the
progress (the page refreshes itself while the task works; no script needed)."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.institutions.forms import OnboardingUploadForm
from accounts.institutions.models import OnboardingBatch
from accounts.institutions.onboarding import (
    OnboardingRefused,
    onboarding_batch_create,
    onboarding_check,
    onboarding_confirm,
)
from accounts.institutions.permissions import StaffRequest, staff_required


@staff_required
def upload(request: StaffRequest) -> HttpResponse:
    form = OnboardingUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            checked = onboarding_check(institution=request.institution, upload=file)
        except OnboardingRefused as refused:
            errors = refused.errors
        else:
            batch = onboarding_batch_create(
                institution=request.institution,
                uploaded_by=request.user,
                checked=checked,
                file_name=file.name or "",
            )
            return redirect(
                "institutions:onboarding_batch",
                slug=request.institution.slug,
                public_id=batch.public_id,
            )
    status = 400 if request.method == "POST" else 200
    context = {"institution": request.institution, "form": form, "errors": errors}
    return render(request, "accounts/staff/onboarding_upload.html", context, status=status)


@staff_required
def batch_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    """The preview before confirming, then the progress and the outcome."""
    batch = _batch_or_404(request, public_id)
    context = {
        "institution": request.institution,
        "batch": batch,
        "invites": sum(1 for row in batch.rows if row.get("action") == "invite"),
        "adds": sum(1 for row in batch.rows if row.get("action") == "add"),
    }
    return render(request, "accounts/staff/onboarding_batch.html", context)


@staff_required
@require_POST
def batch_confirm(request: StaffRequest, public_id: str) -> HttpResponse:
    batch = onboarding_confirm(batch=_batch_or_404(request, public_id))
    return redirect(
        "institutions:onboarding_batch", slug=request.institution.slug, public_id=batch.public_id
    )


def _batch_or_404(request: StaffRequest, public_id: str) -> OnboardingBatch:
    batch = OnboardingBatch.objects.filter(
        institution=request.institution, public_id=public_id
    ).first()
    if batch is None:
        raise Http404
    return batch
