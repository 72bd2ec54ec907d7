"""Staff pages for the issuer registries an institution trusts: institution admins only
(others get a 403, anonymous visitors the sign-in page)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import AuthenticatedRequest, role_required
from badges.models import IssuerRegistry
from badges.registries import selectors, services
from badges.registries.forms import RegistryAddForm

ISSUERS_PER_PAGE = 50


@role_required(Role.ADMIN)
def registry_list(request: AuthenticatedRequest) -> HttpResponse:
    registries = selectors.registries_for(user=request.user)
    return render(request, "badges/registries/registry_list.html", {"registries": registries})


@role_required(Role.ADMIN)
def registry_add(request: AuthenticatedRequest) -> HttpResponse:
    form = RegistryAddForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("upload"):
                registry = services.registry_add_file(
                    name=data["name"], upload=data["upload"], format=data["format"],
                    added_by=request.user,
                )  # fmt: skip
            else:
                registry = services.registry_add_url(
                    name=data["name"], url=data["url"], format=data["format"],
                    added_by=request.user,
                )  # fmt: skip
        except services.RegistryError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(
                request,
                _("“%(name)s” is trusted now. It lists %(count)s issuers.")
                % {"name": registry.name, "count": registry.issuers.count()},
            )
            return redirect("badges:registry_detail", public_id=registry.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "badges/registries/registry_add.html", {"form": form}, status=status)


@role_required(Role.ADMIN)
def registry_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    registry = _registry_or_404(request, public_id)
    query = request.GET.get("q", "").strip()[:200]
    issuers = selectors.registry_issuers(registry=registry, query=query)
    page = Paginator(issuers, ISSUERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "registry": registry,
        "page": page,
        "q": query,
        "query": urlencode({"q": query}) if query else "",
    }
    return render(request, "badges/registries/registry_detail.html", context)


@role_required(Role.ADMIN)
@require_POST
def registry_refresh(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    registry = _registry_or_404(request, public_id)
    try:
        stored = services.registry_refresh(registry=registry)
    except services.RegistryError as error:
        messages.error(request, str(error))
    else:
        if stored is not None and stored.last_error and stored.fetched_at:
            kept = date_format(localtime(stored.fetched_at), "DATETIME_FORMAT")
            messages.error(
                request,
                _("“%(name)s” was not refreshed. %(reason)s It keeps the copy from %(time)s.")
                % {"name": registry.name, "reason": stored.last_error, "time": kept},
            )
        else:
            messages.success(request, _("“%(name)s” is up to date.") % {"name": registry.name})
    return redirect("badges:registry_detail", public_id=registry.public_id)


@role_required(Role.ADMIN)
def registry_delete(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    registry = _registry_or_404(request, public_id)
    if request.method == "POST":
        services.registry_delete(registry=registry)
        messages.success(request, _("“%(name)s” is no longer trusted.") % {"name": registry.name})
        return redirect("badges:registry_list")
    return render(request, "badges/registries/registry_delete.html", {"registry": registry})


def _registry_or_404(request: AuthenticatedRequest, public_id: str) -> IssuerRegistry:
    try:
        return selectors.registry_for(user=request.user, public_id=public_id)
    except IssuerRegistry.DoesNotExist:
        raise Http404 from None
