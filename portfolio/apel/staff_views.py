"""An institution's programme pages, for its active admins only (`staff_required`):
the list, a new programme, publishing, and the editing pages shared with learners
(`programme_editing`), each wrapped to find the programme among the institution's."""

from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.institutions.permissions import StaffRequest, View, staff_required
from portfolio.apel import programme_editing as editing
from portfolio.apel import programmes as service
from portfolio.apel.programme_import_views import outcomes_csv_response
from portfolio.apel.programme_place import EditingView, staff_place
from portfolio.apel.programme_selectors import programme_of_institution, programmes_of_institution
from portfolio.models import Programme


def _programme_or_404(request: StaffRequest, public_id: Any) -> Programme:
    try:
        return programme_of_institution(institution=request.institution, public_id=public_id)
    except Programme.DoesNotExist:
        raise Http404 from None


def editing_view(view: EditingView) -> View:
    """`view` behind the staff check, given the institution's place and its programme."""

    @wraps(view)
    def wrapped(request: StaffRequest, public_id: Any, **kwargs: Any) -> HttpResponse:
        programme = _programme_or_404(request, public_id)
        return view(request, staff_place(request.institution), programme, **kwargs)

    return staff_required(wrapped)


@staff_required
def programme_list(request: StaffRequest) -> HttpResponse:
    context = {
        "institution": request.institution,
        "programmes": programmes_of_institution(institution=request.institution),
    }
    return render(request, "apel/staff_programme_list.html", context)


@staff_required
def programme_new(request: StaffRequest) -> HttpResponse:
    institution = request.institution
    return editing.programme_new(
        request,
        staff_place(institution),
        lambda details: service.programme_create(details=details, institution=institution),
    )


programme_manage = editing_view(editing.programme_manage)


@staff_required
def outcomes_csv(request: StaffRequest, public_id: Any) -> HttpResponse:
    return outcomes_csv_response(_programme_or_404(request, public_id))


@staff_required
@require_POST
def programme_publish(request: StaffRequest, public_id: Any) -> HttpResponse:
    """`action` publish (learners of the institution see it) or unpublish."""
    programme = _programme_or_404(request, public_id)
    place = staff_place(request.institution)
    if request.POST.get("action") == "unpublish":
        service.programme_unpublish(programme=programme)
        messages.success(request, _("Unpublished: learners no longer find this programme."))
    else:
        try:
            service.programme_publish(programme=programme)
        except service.ProgrammeRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Published: your institution's learners can now see it."))
    return HttpResponseRedirect(place.url("programme_manage", programme.public_id))
