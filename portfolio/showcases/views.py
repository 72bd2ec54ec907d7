"""The learner's showcase pages: list, editor, sections, items, preview and links.
Only the owner reaches any of them; everyone else gets a 404 (learners) or 403."""

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import AuthenticatedRequest, role_required
from core.links import absolute_url
from portfolio.models import Section, ShareLink, Showcase
from portfolio.showcases import opens, selectors, services
from portfolio.showcases.forms import (
    SectionForm,
    ShareLinkForm,
    ShowcaseForm,
)

learner_only = role_required(Role.LEARNER)


def showcase_or_404(request: AuthenticatedRequest, public_id: Any) -> Showcase:
    try:
        return selectors.showcase_owned(owner=request.user, public_id=public_id)
    except (Showcase.DoesNotExist, ValidationError):  # ValidationError: not a UUID
        raise Http404 from None


def section_or_404(request: AuthenticatedRequest, showcase: Showcase, section_id: int) -> Section:
    try:
        return showcase.sections.get(pk=section_id)
    except Section.DoesNotExist:
        raise Http404 from None


def refused_items(request: AuthenticatedRequest, back_url: str) -> HttpResponse:
    """A posted item reference was malformed or not the learner's own: say so, add nothing."""
    context = {"back_url": back_url}
    return render(request, "portfolio/showcase_items_refused.html", context, status=400)


@learner_only
def showcase_list(request: AuthenticatedRequest) -> HttpResponse:
    showcases = selectors.showcases_owned(owner=request.user)
    return render(request, "portfolio/showcase_list.html", {"showcases": showcases})


@learner_only
def showcase_create(request: AuthenticatedRequest) -> HttpResponse:
    form = ShowcaseForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        showcase = services.showcase_create(
            owner=request.user,
            title=data["title"],
            audience=data["audience"],
            summary=data["summary"],
            theme=data["theme"],
            institution=data["institution"],
        )
        services.section_add(showcase=showcase, heading=_("My best work"))
        messages.success(request, _("Showcase created. Add your best evidence to it."))
        return redirect(showcase)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "heading": _("New showcase")}
    return render(request, "portfolio/showcase_form.html", context, status=status)


@learner_only
def showcase_edit(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    showcase = showcase_or_404(request, public_id)
    initial = {
        "title": showcase.title,
        "audience": showcase.audience,
        "summary": showcase.summary_markdown,
        "theme": showcase.theme,
        "institution": showcase.institution_id,
    }
    form = ShowcaseForm(request.POST or None, initial=initial, owner=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.showcase_update(
            showcase=showcase,
            title=data["title"],
            audience=data["audience"],
            summary=data["summary"],
            theme=data["theme"],
            institution=data["institution"],
        )
        messages.success(request, _("Saved."))
        return redirect(showcase)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "showcase": showcase, "heading": _("Edit “%s”") % showcase.title}
    return render(request, "portfolio/showcase_form.html", context, status=status)


@learner_only
def showcase_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The editor: sections and items, with reorder, captions and the item picker."""
    return editor_page(request, public_id)


def editor_page(
    request: AuthenticatedRequest,
    public_id: Any,
    *,
    status: int = 200,
    typed: Mapping[int, str] | None = None,
    errors: Mapping[int, str] | None = None,
) -> HttpResponse:
    """The editor page; `typed` captions (item id -> text) are shown instead of the
    stored ones, with `errors` beside them, when a save was refused."""
    try:
        showcase = selectors.showcase_for_editor(owner=request.user, public_id=public_id)
    except Showcase.DoesNotExist:
        raise Http404 from None
    sections = showcase.sections.all()
    for section in sections if typed else ():
        for item in section.items.all():
            shown = typed.get(item.pk, item.caption)  # type: ignore[union-attr]
            setattr(item, "caption_unsaved", shown != item.caption)  # noqa: B010
            setattr(item, "caption_error", (errors or {}).get(item.pk, ""))  # noqa: B010
            item.caption = shown
    q = request.GET.get("q", "")
    context = {
        "showcase": showcase,
        "sections": sections,
        "section_form": SectionForm(),
        "q": q,
        "candidates": selectors.picker_candidates(owner=request.user, q=q),
    }
    return render(request, "portfolio/showcase_editor.html", context, status=status)


@learner_only
def showcase_preview(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    showcase = showcase_or_404(request, public_id)
    shown = selectors.showcase_for_display(showcase=showcase, web_page=True)
    selectors.item_urls(showcase=shown, token=None)
    context = {"showcase": shown, "preview": True, "link": None}
    return render(request, "portfolio/shared_showcase.html", context)


@learner_only
@require_POST
def showcase_duplicate(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    copy = services.showcase_duplicate(showcase=showcase_or_404(request, public_id))
    messages.success(request, _("Duplicated. This is the copy."))
    return redirect(copy)


@learner_only
@require_POST
def showcase_archive(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    showcase = showcase_or_404(request, public_id)
    archived = not showcase.is_archived
    services.showcase_archive(showcase=showcase, archived=archived)
    messages.success(
        request,
        _("Archived: its links stop working until you restore it.") if archived else _("Restored."),
    )
    return redirect(showcase)


@learner_only
def showcase_delete(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    showcase = showcase_or_404(request, public_id)
    if request.method == "POST":
        services.showcase_delete(showcase=showcase)
        messages.success(request, _("Showcase deleted. Your evidence is kept."))
        return redirect("showcases:list")
    return render(request, "portfolio/showcase_delete.html", {"showcase": showcase})


@learner_only
@require_POST
def section_add(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    showcase = showcase_or_404(request, public_id)
    form = SectionForm(request.POST)
    if form.is_valid():
        services.section_add(
            showcase=showcase,
            heading=form.cleaned_data["heading"],
            intro=form.cleaned_data["intro"],
        )
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(showcase)


@learner_only
def section_edit(request: AuthenticatedRequest, public_id: str, section_id: int) -> HttpResponse:
    showcase = showcase_or_404(request, public_id)
    section = section_or_404(request, showcase, section_id)
    initial = {"heading": section.heading, "intro": section.intro_markdown}
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if "delete" in request.POST:
            services.section_delete(section=section)
            messages.success(request, _("Section removed. Its evidence is kept in your library."))
            return redirect(showcase)
        if form.is_valid():
            services.section_update(
                section=section,
                heading=form.cleaned_data["heading"],
                intro=form.cleaned_data["intro"],
            )
            return redirect(showcase)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "showcase": showcase, "section": section}
    return render(request, "portfolio/section_form.html", context, status=status)


@learner_only
@require_POST
def section_move(request: AuthenticatedRequest, public_id: str, section_id: int) -> HttpResponse:
    showcase = showcase_or_404(request, public_id)
    section = section_or_404(request, showcase, section_id)
    services.section_move(section=section, by=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(f"{showcase.get_absolute_url()}#section-{section.pk}")


_NEW_LINK_KEY = "share-new-link"


@learner_only
def links(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The showcase's links and a form for a new one. A new link's address is kept in the
    session for one display after the redirect, so a reload shows it no more and makes
    nothing, and the token never appears in a URL or a log."""
    showcase = showcase_or_404(request, public_id)
    form = ShareLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = services.link_create(
            showcase=showcase,
            label=data["label"],
            expires_on=data["expires_on"],
            passphrase=data["passphrase"],
            notify_on_first_open=data["notify_on_first_open"],
            offer_pdf=data["offer_pdf"],
        )
        request.session[_NEW_LINK_KEY] = {
            "showcase": str(showcase.public_id),
            "label": created.link.label,
            "url": absolute_url(reverse("share:showcase", args=[created.token])),
        }
        return redirect("showcases:links", public_id=showcase.public_id)
    new_link = request.session.get(_NEW_LINK_KEY)
    if new_link and new_link["showcase"] == str(showcase.public_id):
        del request.session[_NEW_LINK_KEY]
    else:
        new_link = None
    context = {
        "showcase": showcase,
        "links": opens.links_with_pending_opens(list(selectors.links_for(showcase=showcase))),
        "form": form,
        "new_link": new_link,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "portfolio/showcase_links.html", context, status=status)


@learner_only
@require_POST
def link_revoke(request: AuthenticatedRequest, public_id: str, link_id: str) -> HttpResponse:
    showcase = showcase_or_404(request, public_id)
    try:
        link = showcase.links.get(public_id=link_id)
    except (ShareLink.DoesNotExist, ValueError):
        raise Http404 from None
    services.link_revoke(link=link)
    messages.success(request, _("The link for “%s” no longer works.") % link.label)
    return redirect("showcases:links", public_id=showcase.public_id)


@learner_only
@require_POST
def promote(request: AuthenticatedRequest) -> HttpResponse:
    """ "Promote to a showcase" from the formative timeline: the chosen items go to the
    first section of an existing showcase, or of a new one."""
    try:
        targets = selectors.owned_targets(owner=request.user, refs=request.POST.getlist("items"))
    except selectors.BadReference:
        return refused_items(request, reverse("portfolio:formative"))
    if not targets:
        messages.error(request, _("Tick at least one item to add to a showcase."))
        return redirect("portfolio:formative")
    choice = request.POST.get("showcase", "new")
    if choice == "new":
        showcase = services.showcase_create(
            owner=request.user,
            title=request.POST.get("title", "").strip()[:200] or _("New showcase"),
        )
    else:
        showcase = showcase_or_404(request, choice)
    section = showcase.sections.order_by("position", "pk").first() or services.section_add(
        showcase=showcase, heading=_("My best work")
    )
    added = services.items_add(section=section, targets=targets)
    messages.success(
        request, _("%(n)d added to “%(title)s”.") % {"n": len(added), "title": showcase.title}
    )
    return redirect(showcase)
