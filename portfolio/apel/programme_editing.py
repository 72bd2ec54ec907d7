"""The pages that change a programme, shared by an institution's admins (on its staff
pages) and a learner (for a programme they entered themselves).

Each view here takes a `Place`, which says whose pages these are (URL namespace and
prefix, the layout to extend), and the programme, already found and checked by the
caller's wrapper (`staff_views`, `programme_views`): these views never decide access.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from portfolio.apel import programmes as service
from portfolio.apel.programme_forms import CourseForm, OutcomeForm, ProgrammeForm
from portfolio.apel.programme_import_views import outcomes_import, outcomes_import_confirm
from portfolio.apel.programme_place import EditingView, Place, render_in, to_programme
from portfolio.apel.programme_selectors import (
    programme_course,
    programme_outcome,
    programme_outcome_groups,
)
from portfolio.models import Course, LearningOutcome, Programme


def programme_new(
    request: HttpRequest, place: Place, create: Callable[[service.ProgrammeDetails], Programme]
) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = create(form.details())
        messages.success(request, _("Programme saved. Now add its learning outcomes."))
        return to_programme(place, programme)
    status = 400 if form.errors else 200
    return render_in(request, place, "programme_form.html", {"form": form}, status)


def programme_manage(request: HttpRequest, place: Place, programme: Programme) -> HttpResponse:
    context = {
        "programme": programme,
        "groups": programme_outcome_groups(programme=programme),
        "outcome_form": OutcomeForm(programme=programme, prefix="outcome"),
        "course_form": CourseForm(prefix="course"),
    }
    return render_in(request, place, "programme_manage.html", context)


def programme_edit(request: HttpRequest, place: Place, programme: Programme) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        service.programme_update(programme=programme, details=form.details())
        messages.success(request, _("Programme details saved."))
        return to_programme(place, programme)
    context = {"form": form, "programme": programme}
    return render_in(request, place, "programme_form.html", context, 400 if form.errors else 200)


def programme_delete(request: HttpRequest, place: Place, programme: Programme) -> HttpResponse:
    """A page that asks first; deleting is refused while claims name the programme."""
    if request.method == "POST":
        try:
            service.programme_delete(programme=programme)
        except service.ProgrammeRefused as refused:
            messages.error(request, str(refused))
            return to_programme(place, programme)
        messages.success(request, _("Programme “%s” deleted.") % programme.title)
        return HttpResponseRedirect(place.url("programme_list"))
    return render_in(request, place, "programme_delete.html", {"programme": programme})


def course_new(request: HttpRequest, place: Place, programme: Programme) -> HttpResponse:
    form = CourseForm(request.POST or None, prefix="course")
    if request.method == "POST" and form.is_valid():
        try:
            course = service.course_add(programme=programme, **form.cleaned_data)
        except service.ProgrammeRefused as refused:
            form.add_error("code", str(refused))
        else:
            messages.success(request, _("Course %s added.") % course.code)
            return to_programme(place, programme, f"course-{course.pk}")
    context = {"form": form, "programme": programme}
    return render_in(
        request, place, "programme_course_form.html", context, 400 if form.errors else 200
    )


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
            return to_programme(place, programme, f"course-{course.pk}")
    context = {"form": form, "programme": programme, "course": course}
    return render_in(
        request, place, "programme_course_form.html", context, 400 if form.errors else 200
    )


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
    return to_programme(place, programme, "outcomes")


def outcome_new(request: HttpRequest, place: Place, programme: Programme) -> HttpResponse:
    form = OutcomeForm(request.POST or None, programme=programme, prefix="outcome")
    if request.method == "POST" and form.is_valid():
        try:
            outcome = service.outcome_add(programme=programme, **form.cleaned_data)
        except service.ProgrammeRefused as refused:
            form.add_error("code", str(refused))
        else:
            messages.success(request, _("Outcome %s added.") % outcome.code)
            return to_programme(place, programme, "new-outcome")
    context = {"form": form, "programme": programme}
    status = 400 if form.errors else 200
    return render_in(request, place, "programme_outcome_form.html", context, status)


def outcome_edit(
    request: HttpRequest, place: Place, programme: Programme, outcome_id: int
) -> HttpResponse:
    """Change an outcome, move it up or down, or delete it (the `action` of the POST)."""
    outcome = _outcome(programme, outcome_id)
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("up", "down"):
        service.outcome_move(outcome=outcome, up=action == "up")
        return to_programme(place, programme, f"outcome-{outcome.pk}")
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
            return to_programme(place, programme, f"outcome-{outcome.pk}")
    context = {"form": form, "programme": programme, "outcome": outcome}
    status = 400 if form.errors else 200
    return render_in(request, place, "programme_outcome_form.html", context, status)


def _outcome_delete(
    request: HttpRequest, place: Place, programme: Programme, outcome: LearningOutcome
) -> HttpResponse:
    try:
        service.outcome_delete(outcome=outcome)
    except service.ProgrammeRefused as refused:
        messages.error(request, str(refused))
        return HttpResponseRedirect(place.url("programme_outcome", programme.public_id, outcome.pk))
    messages.success(request, _("Outcome %s deleted.") % outcome.code)
    return to_programme(place, programme, "outcomes")


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
