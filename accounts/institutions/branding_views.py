"""The institution's branding page, and its logo (public: it appears on shared pages)."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.institutions import services
from accounts.institutions.forms import BrandingForm
from accounts.institutions.models import Institution
from accounts.institutions.permissions import StaffRequest, staff_required


@staff_required
def branding(request: StaffRequest) -> HttpResponse:
    institution = request.institution
    form = BrandingForm(request.POST or None, request.FILES or None, instance=institution)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        logo = data.pop("logo_upload", None)
        data["email_domains"] = data.pop("domains")
        try:
            services.branding_update(institution=institution, logo=logo, **data)
        except services.InstitutionError as error:
            form.add_error("logo_upload", str(error))
        else:
            messages.success(request, _("The branding is saved."))
            return redirect("institutions:branding", slug=institution.slug)
        institution.refresh_from_db()
    status = 400 if request.method == "POST" else 200
    context = {"institution": institution, "form": form}
    return render(request, "accounts/staff/branding.html", context, status=status)


def logo(request: HttpRequest, slug: str) -> HttpResponseBase:
    """Served with the type we found in its content, never the browser's claim."""
    institution = Institution.objects.filter(slug=slug).exclude(logo="").first()
    name = institution.logo.name if institution is not None else None
    if institution is None or not name or not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name), content_type=institution.logo_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response
