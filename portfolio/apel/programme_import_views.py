"""Importing a programme's outcomes from a CSV (upload, preview, confirm) and
downloading them, shared by the staff pages and a learner's own programme like the rest
of `programme_editing`: the caller's wrapper has already checked access."""

import io

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.text import slugify
from django.utils.translation import ngettext

from portfolio.apel import programmes as service
from portfolio.apel.programme_csv import (
    MAX_ROWS,
    ImportRefused,
    outcomes_check,
    outcomes_read,
    preview_text,
    preview_token,
)
from portfolio.apel.programme_csv_export import outcomes_write, template_write
from portfolio.apel.programme_forms import OutcomesUploadForm
from portfolio.apel.programme_place import Place, render_in, to_programme
from portfolio.apel.programme_selectors import programme_outcomes
from portfolio.models import Programme


def outcomes_import(request: HttpRequest, place: Place, programme: Programme) -> HttpResponse:
    """Upload, then a preview of what will be added (nothing is stored yet)."""
    form = OutcomesUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            text = outcomes_read(form.cleaned_data["file"])
            checked = outcomes_check(programme=programme, text=text)
        except ImportRefused as refused:
            errors = refused.errors
        else:
            context = {
                "programme": programme,
                "checked": checked,
                "token": preview_token(programme=programme, text=text),
            }
            return render_in(request, place, "programme_import_preview.html", context)
    return _import_page(request, place, programme, form, errors)


def outcomes_import_confirm(
    request: HttpRequest, place: Place, programme: Programme
) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(place.url("programme_import", programme.public_id))
    try:
        text = preview_text(programme=programme, token=request.POST.get("token", ""))
        imported = service.programme_import_csv(programme=programme, text=text)
    except ImportRefused as refused:
        return _import_page(request, place, programme, OutcomesUploadForm(), refused.errors)
    done = ngettext("Imported %(n)s outcome.", "Imported %(n)s outcomes.", imported.outcomes)
    added = ngettext(
        "%(n)s new course was added.", "%(n)s new courses were added.", imported.courses
    )
    message = done % {"n": imported.outcomes}
    if imported.courses:
        message += " " + added % {"n": imported.courses}
    messages.success(request, message)
    return to_programme(place, programme, "outcomes")


def _import_page(
    request: HttpRequest,
    place: Place,
    programme: Programme,
    form: OutcomesUploadForm,
    errors: list[str],
) -> HttpResponse:
    example = io.StringIO()
    template_write(example)
    context = {
        "programme": programme, "form": form, "errors": errors, "example_csv": example.getvalue(),
        "max_bytes": settings.APEL_CSV_MAX_BYTES, "max_rows": MAX_ROWS,
    }  # fmt: skip
    status = 400 if errors or form.errors else 200
    return render_in(request, place, "programme_import.html", context, status)


def outcomes_csv_response(programme: Programme) -> HttpResponse:
    """The programme's outcomes in the import's columns, safe to open in a spreadsheet."""
    name = f"{slugify(programme.code or programme.title) or 'programme'}-outcomes.csv"
    response = _csv_response(name)
    outcomes_write(response, outcomes=programme_outcomes(programme=programme))
    return response


def csv_template_response(request: HttpRequest) -> HttpResponse:
    response = _csv_response("learning-outcomes-template.csv")
    template_write(response)
    return response


def _csv_response(name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # spreadsheets then read the file as UTF-8
    return response
