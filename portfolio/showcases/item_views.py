"""The showcase editor's item actions: the picker, adding items, saving every caption
at once (or one, as the learner leaves it), moving, removing and drag-and-drop order.
Only the owner reaches them; everyone else gets a 404 (learners) or 403."""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.permissions import AuthenticatedRequest
from portfolio.models import Showcase, ShowcaseItem
from portfolio.showcases import selectors, services
from portfolio.showcases.forms import CaptionForm, CaptionsForm
from portfolio.showcases.views import (
    editor_page,
    learner_only,
    refused_items,
    section_or_404,
    showcase_or_404,
)


def _item(request: AuthenticatedRequest, showcase: Showcase, item_id: int) -> ShowcaseItem:
    try:
        return ShowcaseItem.objects.select_related("section").get(
            pk=item_id, section__showcase=showcase
        )
    except ShowcaseItem.DoesNotExist:
        raise Http404 from None


@learner_only
def picker(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Search-as-you-type results for one section's item picker (an HTML fragment), with
    the items already ticked (`chosen`) kept ticked at the top. The section number only
    keeps each picker's checkbox ids apart on the editor page."""
    showcase_or_404(request, public_id)
    candidates = selectors.picker_candidates(
        owner=request.user, q=request.GET.get("q", ""), chosen=request.GET.getlist("chosen")
    )
    section = request.GET.get("section", "")
    context = {"candidates": candidates, "section_key": section if section.isdigit() else "0"}
    return render(request, "portfolio/partials/picker_results.html", context)


@learner_only
@require_POST
def items_add(request: AuthenticatedRequest, public_id: str, section_id: int) -> HttpResponse:
    showcase = showcase_or_404(request, public_id)
    section = section_or_404(request, showcase, section_id)
    back_url = f"{showcase.get_absolute_url()}#section-{section.pk}"
    try:
        targets = selectors.owned_targets(owner=request.user, refs=request.POST.getlist("items"))
    except selectors.BadReference:
        return refused_items(request, back_url)
    if not targets:
        messages.error(request, _("Choose at least one piece of evidence or badge to add."))
    else:
        added = services.items_add(section=section, targets=targets)
        messages.success(
            request,
            _("%(n)d added to “%(section)s”.") % {"n": len(added), "section": section.heading},
        )
    return redirect(back_url)


@learner_only
@require_POST
def items_save(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The editor's one form: every caption typed on the page is saved, then the item
    button pressed (move or remove), if any, is done. A refused caption saves nothing and
    gives the page back with the text as typed."""
    showcase = showcase_or_404(request, public_id)
    item_ids = set(
        ShowcaseItem.objects.filter(section__showcase=showcase).values_list("pk", flat=True)
    )
    action, item_id = _item_action(request.POST, item_ids)
    form = CaptionsForm(request.POST, item_ids=item_ids)
    if not form.is_valid():
        messages.error(
            request,
            _("Nothing was saved: a caption is too long. Your text is still here; shorten it."),
        )
        return editor_page(
            request, showcase.public_id, status=400, typed=form.typed(), errors=form.item_errors()
        )
    saved = services.captions_update(showcase=showcase, captions=form.captions())
    if saved:
        messages.success(
            request,
            ngettext("%(n)d caption saved.", "%(n)d captions saved.", len(saved))
            % {"n": len(saved)},
        )
    if item_id is None:
        if not saved:
            messages.info(request, _("No caption had changed."))
        section = request.POST.get("save", "")
        return redirect(
            showcase.get_absolute_url() + (f"#section-{section}" if section.isdigit() else "")
        )
    item = _item(request, showcase, item_id)
    if action == "remove":
        services.item_remove(item=item)
        messages.success(request, _("Removed from the showcase (it stays in your library)."))
        return redirect(f"{showcase.get_absolute_url()}#section-{item.section_id}")
    services.item_move(item=item, by=-1 if action == "up" else 1)
    return redirect(f"{showcase.get_absolute_url()}#item-{item.pk}")


def _item_action(post: QueryDict, item_ids: set[int]) -> tuple[str, int | None]:
    """Which item button was pressed: ("up" | "down" | "remove", item id), or ("", None)
    for Save. An item not in this showcase is a 404, before anything is saved."""
    for action in ("up", "down", "remove"):
        if action in post:
            value = str(post.get(action, ""))
            if not value.isdigit() or int(value) not in item_ids:
                raise Http404
            return action, int(value)
    return "", None


@learner_only
@require_POST
def item_edit(request: AuthenticatedRequest, public_id: str, item_id: int) -> HttpResponse:
    """One item: its caption (also saved by script as the learner leaves the field, asking
    for JSON), a move or its removal."""
    showcase = showcase_or_404(request, public_id)
    item = _item(request, showcase, item_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if "remove" in request.POST:
        services.item_remove(item=item)
        messages.success(request, _("Removed from the showcase (it stays in your library)."))
    elif "up" in request.POST or "down" in request.POST:
        services.item_move(item=item, by=-1 if "up" in request.POST else 1)
    else:
        form = CaptionForm(request.POST)
        if not form.is_valid():
            error = " ".join(str(e) for e in form.errors["caption"])
            if wants_json:
                return JsonResponse({"error": error}, status=400)
            messages.error(request, error)
        else:
            services.item_update(item=item, caption=form.cleaned_data["caption"])
            if wants_json:
                return JsonResponse({"saved": True})
            messages.success(request, _("Caption saved."))
    return redirect(f"{showcase.get_absolute_url()}#item-{item.pk}")


@learner_only
@require_POST
def section_reorder(request: AuthenticatedRequest, public_id: str, section_id: int) -> JsonResponse:
    """Drag and drop: the new order of the section's items, as a JSON list of ids."""
    showcase = showcase_or_404(request, public_id)
    section = section_or_404(request, showcase, section_id)
    try:
        ids = [int(i) for i in json.loads(request.body or b"[]")]
    except (ValueError, TypeError):
        return JsonResponse({"error": _("Send the new order as a list of item ids.")}, status=400)
    services.items_reorder(section=section, item_ids=ids)
    return JsonResponse({"ok": True})
