"""Reflection pages. Learners write, edit and delete their own; a tutor reads the
shared reflections of their cohorts' learners; everyone else gets a 404."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import AuthenticatedRequest, role_required
from artefacts.selectors import artefacts_owned
from core.forms import validate_markdown
from core.html import render_markdown
from reflections import selectors, services
from reflections.forms import ReflectionForm, reflection_initial, typed_with_prompt
from reflections.models import Reflection

PREVIEW_MAX_CHARS = 200_000


@role_required(Role.LEARNER)
def create(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST" and "use_prompt" in request.POST:
        return _choose_prompt(request)
    # The form carries the chosen prompt; a GET link (?prompt=) may start the page with one.
    chosen = request.POST["prompt"] if "prompt" in request.POST else request.GET.get("prompt", "")
    prompt = selectors.prompt_active(public_id=chosen)
    initial: dict[str, Any] = (
        {"body_markdown": prompt.body, "title": prompt.title} if prompt else {}
    )
    linked = request.GET.get("artefact", "")
    if _is_uuid(linked):  # "Reflect on this" from an artefact's page
        initial["artefacts"] = list(artefacts_owned(owner=request.user).filter(public_id=linked))
    form = ReflectionForm(request.POST or None, owner=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        reflection = services.reflection_create(owner=request.user, data=form.to_input(prompt))
        messages.success(request, _("Reflection saved."))
        return redirect(reflection)
    status = 400 if request.method == "POST" else 200
    return _create_page(request, form, prompt, status=status)


def _choose_prompt(request: AuthenticatedRequest) -> HttpResponse:
    """A prompt button was pressed: the page again, with everything typed kept and the
    prompt's starting text added after it. Nothing is saved yet. An empty choice means
    "no prompt"."""
    chosen = request.POST["use_prompt"]
    prompt = selectors.prompt_active(public_id=chosen)
    status = 200
    if chosen and prompt is None:
        messages.error(request, _("That prompt is no longer offered. Your text is kept."))
        status = 400
    initial = typed_with_prompt(request.POST, prompt)
    form = ReflectionForm(owner=request.user, initial=initial)
    return _create_page(request, form, prompt, status=status)


def _create_page(
    request: AuthenticatedRequest, form: ReflectionForm, prompt: Any, *, status: int
) -> HttpResponse:
    context = {
        "form": form,
        "prompts": selectors.prompts_active(),
        "chosen_prompt": prompt,
        "heading": _("Write a reflection"),
    }
    return render(request, "reflections/reflection_form.html", context, status=status)


@login_required
def detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    try:
        reflection = selectors.reflection_readable(user=request.user, public_id=public_id)
    except Reflection.DoesNotExist:
        raise Http404 from None
    context = {"reflection": reflection, "is_owner": reflection.owner_id == request.user.pk}
    return render(request, "reflections/reflection_detail.html", context)


@role_required(Role.LEARNER)
def edit(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    reflection = _owned_or_404(request, public_id)
    form = ReflectionForm(
        request.POST or None, owner=request.user, initial=reflection_initial(reflection)
    )
    if request.method == "POST" and form.is_valid():
        services.reflection_update(reflection=reflection, data=form.to_input(reflection.prompt))
        messages.success(request, _("Changes saved."))
        return redirect(reflection)
    context = {
        "form": form,
        "reflection": reflection,
        "heading": _("Edit “%s”") % reflection.title,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "reflections/reflection_form.html", context, status=status)


@role_required(Role.LEARNER)
def delete(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    reflection = _owned_or_404(request, public_id)
    if request.method == "POST":
        title = reflection.title
        services.reflection_delete(reflection=reflection)
        messages.success(request, _("“%s” is deleted.") % title)
        return redirect("portfolio:library")
    return render(request, "reflections/reflection_delete.html", {"reflection": reflection})


@login_required
@require_POST
def preview(request: AuthenticatedRequest) -> JsonResponse:
    """The live preview: the same sanitising as saving, so what you see is what is kept."""
    text = request.POST.get("text", "")
    if len(text) > PREVIEW_MAX_CHARS:
        return JsonResponse({"error": _("The text is too long to preview.")}, status=400)
    try:
        validate_markdown(text)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"html": render_markdown(text)})


def _owned_or_404(request: AuthenticatedRequest, public_id: str) -> Reflection:
    try:
        return selectors.reflection_owned(owner=request.user, public_id=public_id)
    except Reflection.DoesNotExist:
        raise Http404 from None


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
