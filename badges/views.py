"""Badge pages. Learners import, annotate, re-check and delete their own; a tutor reads
the shared badges of their cohorts' learners; everyone else gets a 404."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import AuthenticatedRequest, role_required
from badges import selectors, services, stacks
from badges.baking import BakingError, extract
from badges.forms import BadgeEditForm, BadgeImportForm, StackForm
from badges.models import Badge, Stack
from badges.outcome import BadgeRejected
from badges.report import report_response
from core.enqueue import task_enqueue_on_commit
from core.serving import serve_file


@role_required(Role.LEARNER)
def badge_list(request: AuthenticatedRequest) -> HttpResponse:
    badges = selectors.badges_owned(owner=request.user)
    return render(request, "badges/badge_list.html", {"badges": badges})


@role_required(Role.LEARNER)
def badge_import(request: AuthenticatedRequest) -> HttpResponse:
    form = BadgeImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = _import(request, form)
        except (BadgeRejected, BakingError) as rejected:
            form.add_error(None, str(rejected))
        else:
            for badge in report.imported:
                messages.success(request, _("“%(name)s” is in your badges.") % {"name": badge.name})
            for name, reason in report.refused:
                messages.warning(request, _("“%(name)s” was not added: %(reason)s")
                                 % {"name": name, "reason": reason})  # fmt: skip
            if len(report.imported) == 1 and not report.refused:
                return redirect(report.imported[0])
            return redirect("badges:list")
    status = 400 if request.method == "POST" else 200
    return render(request, "badges/badge_import.html", {"form": form}, status=status)


def _import(request: AuthenticatedRequest, form: BadgeImportForm) -> services.ImportReport:
    data = form.cleaned_data
    options = {"visibility": data["visibility"], "note": data.get("note", "")}
    if data.get("image"):
        image = data["image"].read()
        baked = extract(image, filename=data["image"].name or "")
        return services.badges_import(
            owner=request.user, payload=baked.payload, source=Badge.Source.IMAGE, image=image,
            **options,
        )  # fmt: skip
    if data.get("url"):
        return services.badges_import(
            owner=request.user, payload=data["url"], source=Badge.Source.URL, **options
        )
    text = data["text"].strip()
    source = Badge.Source.JSON if text.startswith("{") else Badge.Source.JWS
    return services.badges_import(owner=request.user, payload=text, source=source, **options)


@login_required
def badge_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    badge = _readable_or_404(request, public_id)
    context = {
        "badge": badge,
        "is_owner": badge.owner_id == request.user.pk,
        "history": badge.verifications.all()[:10],
        "raw_json": json.dumps(badge.document, indent=2, ensure_ascii=False),
    }
    return render(request, "badges/badge_detail.html", context)


@login_required
def badge_report(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The last verification report as JSON, for whoever may read the badge."""
    return report_response(_readable_or_404(request, public_id))


@login_required
def badge_image(request: AuthenticatedRequest, public_id: str) -> HttpResponseBase:
    badge = _readable_or_404(request, public_id)
    if not badge.display_image:
        raise Http404
    extension = "svg" if badge.display_image_type == "image/svg+xml" else "png"
    return serve_file(
        request,
        stored=badge.display_image,
        content_type=badge.display_image_type,
        filename=f"badge.{extension}",
        inline=True,
    )


@role_required(Role.LEARNER)
@require_POST
def badge_verify(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    from badges.tasks import badge_reverify_task

    badge = _owned_or_404(request, public_id)
    # The broker being down is logged, not raised: the scheduled re-check covers it.
    task_enqueue_on_commit(badge_reverify_task, badge.pk)
    messages.info(request, _("Checking this badge again. The result shows here when it is done."))
    return redirect(badge)


@role_required(Role.LEARNER)
def badge_edit(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    badge = _owned_or_404(request, public_id)
    form = BadgeEditForm(
        request.POST or None, initial={"note": badge.note, "visibility": badge.visibility}
    )
    if request.method == "POST" and form.is_valid():
        services.badge_update(
            badge=badge, note=form.cleaned_data["note"], visibility=form.cleaned_data["visibility"]
        )
        messages.success(request, _("Saved."))
        return redirect(badge)
    status = 400 if request.method == "POST" else 200
    return render(request, "badges/badge_edit.html", {"form": form, "badge": badge}, status=status)


@role_required(Role.LEARNER)
def badge_delete(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    badge = _owned_or_404(request, public_id)
    if request.method == "POST":
        name = badge.name
        services.badge_delete(badge=badge)
        messages.success(request, _("“%s” is removed from your badges.") % name)
        return redirect("badges:list")
    return render(request, "badges/badge_delete.html", {"badge": badge})


def _readable_or_404(request: AuthenticatedRequest, public_id: str) -> Badge:
    try:
        return selectors.badge_readable(user=request.user, public_id=public_id)
    except Badge.DoesNotExist:
        raise Http404 from None


def _owned_or_404(request: AuthenticatedRequest, public_id: str) -> Badge:
    try:
        return selectors.badge_owned(owner=request.user, public_id=public_id)
    except Badge.DoesNotExist:
        raise Http404 from None


@role_required(Role.LEARNER)
def stack_list(request: AuthenticatedRequest) -> HttpResponse:
    progress = [
        stacks.stack_progress(stack=s, learner=request.user)
        for s in stacks.stacks_for(user=request.user)
    ]
    return render(request, "badges/stack_list.html", {"progress": progress})


@role_required(Role.LEARNER)
def stack_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    try:
        stack = stacks.stacks_for(user=request.user).get(public_id=public_id)
    except Stack.DoesNotExist:
        raise Http404 from None
    progress = stacks.stack_progress(stack=stack, learner=request.user)
    context = {"progress": progress, "is_owner": stack.owner_id == request.user.pk}
    return render(request, "badges/stack_detail.html", context)


@role_required(Role.LEARNER)
def stack_create(request: AuthenticatedRequest) -> HttpResponse:
    achievements = sorted(
        {(b.achievement_id, b.name) for b in selectors.badges_owned(owner=request.user)
         if b.achievement_id},
        key=lambda pair: pair[1].lower(),
    )  # fmt: skip
    form = StackForm(request.POST or None, achievements=achievements)
    if request.method == "POST" and form.is_valid():
        stack = stacks.stack_create(
            owner=request.user,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            items=form.items(),
        )
        messages.success(request, _("Stack “%s” created.") % stack.name)
        return redirect(stack)
    status = 400 if request.method == "POST" else 200
    return render(request, "badges/stack_form.html", {"form": form}, status=status)


@role_required(Role.LEARNER)
def stack_delete(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    try:
        stack = Stack.objects.get(public_id=public_id, owner=request.user)
    except Stack.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        stacks.stack_delete(stack=stack)
        messages.success(request, _("Stack deleted."))
        return redirect("badges:stack_list")
    return render(request, "badges/stack_delete.html", {"stack": stack})
