"""The pages that change a programme, shared by an institution's admins (on its staff
pages) and a learner (for a programme they entered themselves).

Each view here takes a `Place`, which says whose pages these are (URL namespace and
prefix, the layout to extend), and the programme, already found and checked by the
caller's wrapper (`staff_views`, `programme_views`): these views never decide access.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Institution
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
from portfolio.apel.programme_forms import (
    CourseForm,
    OutcomeForm,
    OutcomesUploadForm,
    ProgrammeForm,
)
from portfolio.apel.programme_selectors import (
    programme_course,
    programme_outcome,
    programme_outcome_groups,
    programme_outcomes,
)
from portfolio.models import Course, LearningOutcome, Programme

EditingView = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Place:
    """Whose programme pages these are: an institution's staff pages, or a learner's."""

    namespace: str
    prefix: tuple[str, ...]
    layout: str
    institution: Institution | None = None

    @property
    def is_staff(self) -> bool:
        return self.institution is not None

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"{self.namespace}:{name}", args=[*self.prefix, *args])


LEARNER_PLACE = Place("apel", (), "apel/programme_layout.html")


def staff_place(institution: Institution) -> Place:
    return Place("apel_staff", (institution.slug,), "apel/staff_programme_layout.html", institution)


def _page(
    request: HttpRequest, place: Place, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {"place": place, "institution": place.institution, **context}
    return render(request, f"apel/{template}", context, status=status)


def _to(place: Place, programme: Programme, anchor: str = "") -> HttpResponseRedirect:
    url = place.url("programme_manage", programme.public_id)
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def programme_new(
    request: HttpRequest, place: Place, create: Callable[[service.ProgrammeDetails], Programme]
) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = create(form.details())
        messages.success(request, _("Programme saved. Now add its learning outcomes."))
        return _to(place, programme)
    status = 400 if form.errors else 200
    return _page(request, place, "programme_form.html", {"form": form}, status)


def programme_manage(request: HttpRequest, place: Place, programme: Programme) -> HttpResponse:
    context = {
        "programme": programme,
        "groups": programme_outcome_groups(programme=programme),
        "outcome_form": OutcomeForm(programme=programme, prefix="outcome"),
        "course_form": CourseForm(prefix="course"),
    }
    return _page(request, place, "programme_manage.html", context)


def programme_edit(request: HttpRequest, place: Place, programme: Programme) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        service.programme_update(programme=programme, details=form.details())
        messages.success(request, _("Programme details saved."))
        return _to(place, programme)
    context = {"form": form, "programme": programme}
    return _page(request, place, "programme_form.html", context, 400 if form.errors else 200)


def programme_delete(request: HttpRequest, place: Place, programme: Programme) -> HttpResponse:
    """A page that asks first; deleting is refused while claims name the programme."""
    if request.method == "POST":
        try:
            service.programme_delete(programme=programme)
        except service.ProgrammeRefused as refused:
            messages.error(request, str(refused))
            return _to(place, programme)
        messages.success(request, _("Programme “%s” deleted.") % programme.title)
        return HttpResponseRedirect(place.url("programme_list"))
    return _page(request, place, "programme_delete.html", {"programme": programme})


def course_new(request: HttpRequest, place: Place, programme: Programme) -> HttpResponse:
    form = CourseForm(request.POST or None, prefix="course")
    if request.method == "POST" and form.is_valid():
        try:
            course = service.course_add(programme=programme, **form.cleaned_data)
        except service.ProgrammeRefused as refused:
            form.add_error("code", str(refused))
        else:
            messages.success(request, _("Course %s added.") % course.code)
            return _to(place, programme, f"course-{course.pk}")
    context = {"form": form, "programme": programme}
    return _page(request, place, "programme_course_form.html", context, 400 if form.errors else 200)


def course_edit(
    request: HttpRequest, place: Place, programme: Programme, course_id: int
) -> HttpResponse:
    course = _course(programme, course_id)
    if request.method == "POST" and request.POST.get("action") == "delete":
        return _course_delete(request, place, programme, course)
    initial = {"code": course.code, "title": course.title, "credits": course.credits}
    form = CourseForm(request.POST or None, prefix="course", initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            service.course_update(course=course, **form.cleaned_data)
        except service.ProgrammeRefused as refused:
            form.add_error("code", str(refused))
        else:
            messages.success(request, _("Course %s saved.") % course.code)
            return _to(place, programme, f"course-{course.pk}")
    context = {"form": form, "programme": programme, "course": course}
    return _page(request, place, "programme_course_form.html", context, 400 if form.errors else 200)


def _course_delete(
    request: HttpRequest, place: Place, programme: Programme, course: Course
) -> HttpResponse:
    try:
        service.course_delete(course=course)
    except service.ProgrammeRefused as refused:
        messages.error(request, str(refused))
        return HttpResponseRedirect(place.url("programme_course", programme.public_id, course.pk))
    messages.success(
        request, _("Course %s deleted. Its outcomes are still here, in no course.") % course.code
    )
    return _to(place, programme, "outcomes")


def outcome_new(request: HttpRequest, place: Place, programme: Programme) -> HttpResponse:
    form = OutcomeForm(request.POST or None, programme=programme, prefix="outcome")
    if request.method == "POST" and form.is_valid():
        try:
            outcome = service.outcome_add(programme=programme, **form.cleaned_data)
        except service.ProgrammeRefused as refused:
            form.add_error("code", str(refused))
        else:
            messages.success(request, _("Outcome %s added.") % outcome.code)
            return _to(place, programme, "new-outcome")
    context = {"form": form, "programme": programme}
    status = 400 if form.errors else 200
    return _page(request, place, "programme_outcome_form.html", context, status)


def outcome_edit(
    request: HttpRequest, place: Place, programme: Programme, outcome_id: int
) -> HttpResponse:
    """Change an outcome, move it up or down, or delete it (the `action` of the POST)."""
    outcome = _outcome(programme, outcome_id)
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("up", "down"):
        service.outcome_move(outcome=outcome, up=action == "up")
        return _to(place, programme, f"outcome-{outcome.pk}")
    if action == "delete":
        return _outcome_delete(request, place, programme, outcome)
    initial = {"code": outcome.code, "text": outcome.text, "credits": outcome.credits,
               "course": outcome.course_id}  # fmt: skip
    form = OutcomeForm(request.POST or None, programme=programme, prefix="outcome", initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            service.outcome_update(outcome=outcome, **form.cleaned_data)
        except service.ProgrammeRefused as refused:
            form.add_error("code", str(refused))
        else:
            messages.success(request, _("Outcome %s saved.") % outcome.code)
            return _to(place, programme, f"outcome-{outcome.pk}")
    context = {"form": form, "programme": programme, "outcome": outcome}
    status = 400 if form.errors else 200
    return _page(request, place, "programme_outcome_form.html", context, status)


def _outcome_delete(
    request: HttpRequest, place: Place, programme: Programme, outcome: LearningOutcome
) -> HttpResponse:
    try:
        service.outcome_delete(outcome=outcome)
    except service.ProgrammeRefused as refused:
        messages.error(request, str(refused))
        return HttpResponseRedirect(place.url("programme_outcome", programme.public_id, outcome.pk))
    messages.success(request, _("Outcome %s deleted.") % outcome.code)
    return _to(place, programme, "outcomes")


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
            return _page(request, place, "programme_import_preview.html", context)
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
    messages.success(
        request,
        _("Imported %(outcomes)s outcomes and %(courses)s new courses.")
        % {"outcomes": imported.outcomes, "courses": imported.courses},
    )
    return _to(place, programme, "outcomes")


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
    return _page(request, place, "programme_import.html", context, status)


def outcomes_csv(programme: Programme) -> HttpResponse:
    """The programme's outcomes in the import's columns, safe to open in a spreadsheet."""
    name = f"{slugify(programme.code or programme.title) or 'programme'}-outcomes.csv"
    response = _csv_response(name)
    outcomes_write(response, outcomes=programme_outcomes(programme=programme))
    return response


def csv_template(request: HttpRequest) -> HttpResponse:
    response = _csv_response("learning-outcomes-template.csv")
    template_write(response)
    return response


def _csv_response(name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # spreadsheets then read the file as UTF-8
    return response


def _course(programme: Programme, course_id: int) -> Course:
    try:
        return programme_course(programme=programme, course_id=course_id)
    except Course.DoesNotExist:
        raise Http404 from None


def _outcome(programme: Programme, outcome_id: int) -> LearningOutcome:
    try:
        return programme_outcome(programme=programme, outcome_id=outcome_id)
    except LearningOutcome.DoesNotExist:
        raise Http404 from None


def editing_urlpatterns(*, wrap: Callable[[EditingView], Any], one: str) -> list[URLPattern]:
    """The shared pages under `one` (the programme's own path, with `<uuid:public_id>`),
    each view wrapped by the caller's access check, with the same names in both places."""
    return [
        path(f"{one}edit/", wrap(programme_edit), name="programme_edit"),
        path(f"{one}delete/", wrap(programme_delete), name="programme_delete"),
        path(f"{one}courses/new/", wrap(course_new), name="programme_course_new"),
        path(f"{one}courses/<int:course_id>/", wrap(course_edit), name="programme_course"),
        path(f"{one}outcomes/new/", wrap(outcome_new), name="programme_outcome_new"),
        path(f"{one}outcomes/<int:outcome_id>/", wrap(outcome_edit), name="programme_outcome"),
        path(f"{one}import/", wrap(outcomes_import), name="programme_import"),
        path(
            f"{one}import/confirm/", wrap(outcomes_import_confirm), name="programme_import_confirm"
        ),
    ]
