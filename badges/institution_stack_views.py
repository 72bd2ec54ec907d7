"""Staff pages for an institution's badge stacks (its active admins only)."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.institutions.permissions import StaffRequest, staff_required
from badges import institution_stacks as service
from badges.models import Stack, StackItem
from badges.stacks import stack_create, stack_delete


class StackForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PasteForm(forms.Form):
    achievement_id = forms.CharField(
        label=gettext_lazy("BadgeClass or Achievement address"),
        max_length=2000,
        help_text=gettext_lazy("Its https address (or DID URL), as the issuer publishes it."),
    )
    label = forms.CharField(label=gettext_lazy("Label"), max_length=300, required=False)
    required = forms.BooleanField(label=gettext_lazy("Required"), required=False, initial=True)

    def clean_achievement_id(self) -> str:
        value = self.cleaned_data["achievement_id"].strip()
        if not value.startswith(("https://", "http://", "did:", "urn:")) or " " in value:
            raise forms.ValidationError(
                _("Paste the badge's own address: it starts with https:// (or did: or urn:).")
            )
        return value


@staff_required
def stack_list(request: StaffRequest) -> HttpResponse:
    form = StackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        stack = stack_create(
            owner=None, institution=request.institution, items=[], **form.cleaned_data
        )
        messages.success(request, _("Stack “%s” created. Now add its badges.") % stack.name)
        return redirect(
            "institution_stacks:detail", slug=request.institution.slug, public_id=stack.public_id
        )
    context = {
        "institution": request.institution,
        "stacks": service.institution_stacks(institution=request.institution),
        "form": form,
    }
    return render(
        request, "badges/staff/stack_list.html", context, status=400 if form.errors else 200
    )


@staff_required
def stack_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    stack = _stack_or_404(request, public_id)
    query = request.GET.get("q", "").strip()[:200]
    form = PasteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.stack_item_add(stack=stack, **form.cleaned_data)
        except service.StackRefused as error:
            form.add_error("achievement_id", str(error))
        else:
            messages.success(request, _("Added to the stack."))
            return _back(request, stack)
    items, complete = service.stack_preview(stack=stack)
    context = {
        "institution": request.institution,
        "stack": stack,
        "items": items,
        "complete": complete,
        "q": query,
        "found": service.held_badge_classes(institution=request.institution, query=query),
        "in_stack": {p.item.achievement_id for p in items},
        "form": form,
    }
    return render(
        request, "badges/staff/stack_detail.html", context, status=400 if form.errors else 200
    )


@staff_required
@require_POST
def stack_add_held(request: StaffRequest, public_id: str) -> HttpResponse:
    stack = _stack_or_404(request, public_id)
    achievement_id = request.POST.get("achievement_id", "").strip()[:2000]
    if not service.held_badge_classes(institution=request.institution, query=achievement_id):
        messages.error(
            request, _("None of your learners holds that badge. Paste its address instead.")
        )
        return _back(request, stack)
    try:
        service.stack_item_add(
            stack=stack, achievement_id=achievement_id, label="",
            required=request.POST.get("required") != "0",
        )  # fmt: skip
    except service.StackRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Added to the stack."))
    return _back(request, stack)


@staff_required
@require_POST
def stack_item(request: StaffRequest, public_id: str, item_id: int) -> HttpResponse:
    stack = _stack_or_404(request, public_id)
    item = StackItem.objects.filter(stack=stack, pk=item_id).first()
    if item is None:
        raise Http404
    action = request.POST.get("action")
    if action in ("up", "down"):
        service.stack_item_move(item=item, up=action == "up")
    elif action == "remove":
        service.stack_item_remove(item=item)
        messages.success(request, _("“%s” is no longer in the stack.") % item.label)
    return _back(request, stack)


@staff_required
@require_POST
def stack_remove(request: StaffRequest, public_id: str) -> HttpResponse:
    stack = _stack_or_404(request, public_id)
    stack_delete(stack=stack)
    messages.success(request, _("Stack “%s” deleted. Learners' badges are untouched.") % stack.name)
    return redirect("institution_stacks:list", slug=request.institution.slug)


def _stack_or_404(request: StaffRequest, public_id: str) -> Stack:
    stack = Stack.objects.filter(
        owner__isnull=True, institution=request.institution, public_id=public_id
    ).first()
    if stack is None:
        raise Http404
    return stack


def _back(request: StaffRequest, stack: Stack) -> HttpResponse:
    url = redirect(
        "institution_stacks:detail", slug=request.institution.slug, public_id=stack.public_id
    )
    query = request.POST.get("q", "")
    if query:
        url["Location"] += "?" + urlencode({"q": query})
    return url
