"""Staff pages to configure an institution's single sign-on (/staff/<slug>/sso/, its
active admins only), and the public step of the sign-in page that finds the
institution for an email address."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.institutions.permissions import StaffRequest, staff_required
from accounts.sso import selectors, services
from accounts.sso.buttons import allow_idp_form_action, sso_login_url
from accounts.sso.forms import OidcForm, SamlForm, SingleSignOnForm
from accounts.sso.models import Protocol, SingleSignOn
from core.links import absolute_url

FORMS: dict[str, type[OidcForm] | type[SamlForm]] = {
    Protocol.OIDC: OidcForm,
    Protocol.SAML: SamlForm,
}


def _initial(sso: SingleSignOn) -> dict[str, object]:
    app_settings = sso.app.settings or {}
    initial: dict[str, object] = {
        "email_domains": sso.domain_names,
        "enabled": sso.enabled,
    }
    if sso.protocol == Protocol.OIDC:
        initial |= {
            "issuer_url": app_settings.get("server_url", ""),
            "client_id": sso.app.client_id,
            "name_claim": app_settings.get("name_claim", "name"),
        }
    else:
        idp = app_settings.get("idp", {})
        mapping = app_settings.get("attribute_mapping", {})
        initial |= {
            "metadata_url": sso.metadata_url,
            "entity_id": idp.get("entity_id", ""),
            "sso_url": idp.get("sso_url", ""),
            "x509cert": idp.get("x509cert", ""),
            "email_authoritative": sso.email_authoritative,
        } | {
            f"{key}_attribute": (mapping.get(name) or [""])[0]
            for key, name in (
                ("email", "email"),
                ("name", "name"),
                ("given_name", "first_name"),
                ("family_name", "last_name"),
            )
        }
    return initial


def _for_the_idp_admin(*, protocol: str, slug: str) -> dict[str, str]:
    """What the identity provider's admin registers for us."""
    if protocol == Protocol.OIDC:
        return {
            "redirect_uri": absolute_url(
                reverse("openid_connect_callback", kwargs={"provider_id": slug})
            )
        }
    return {
        "sp_entity_id": services.saml_sp_entity_id(slug=slug),
        "acs_url": absolute_url(reverse("saml_acs", kwargs={"organization_slug": slug})),
        "metadata_url": services.saml_sp_entity_id(slug=slug),
    }


def _save(form: SingleSignOnForm, sso: SingleSignOn | None) -> SingleSignOn:
    common = {
        "sso": sso,
        "institution": form.institution,
        "email_domains": form.cleaned_data["email_domains"],
        "enabled": form.cleaned_data["enabled"],
    }
    if isinstance(form, OidcForm):
        return services.sso_save(**common, oidc=form.client())
    assert isinstance(form, SamlForm)
    return services.sso_save(**common, saml=form.idp_settings())


def _sso_or_404(request: StaffRequest, public_id: str) -> SingleSignOn:
    """This institution's configuration; another institution's looks like none at all."""
    return get_object_or_404(
        SingleSignOn.objects.select_related("app", "institution"),
        public_id=public_id,
        institution=request.institution,
    )


def _form_page(
    request: StaffRequest, form: SingleSignOnForm, protocol: str, sso: SingleSignOn | None
) -> HttpResponse:
    context = {
        "institution": request.institution,
        "form": form,
        "protocol": Protocol(protocol),
        "sso": sso,
        "for_idp_admin": sso and _for_the_idp_admin(protocol=sso.protocol, slug=sso.provider_id),
        "branding_url": reverse("institutions:branding", args=[request.institution.slug]),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/staff/sso_form.html", context, status=status)


@staff_required
def sso_list(request: StaffRequest) -> HttpResponse:
    context = {
        "institution": request.institution,
        "sso": selectors.sso_of(institution=request.institution),
        "protocols": Protocol.choices,
    }
    return render(request, "accounts/staff/sso_list.html", context)


@staff_required
def sso_create(request: StaffRequest, protocol: str) -> HttpResponse:
    if protocol not in FORMS:
        raise Http404
    institution = request.institution
    existing = selectors.sso_of(institution=institution)
    if existing is not None:
        messages.info(
            request, _("%(name)s has its single sign-on already.") % {"name": institution.name}
        )
        return redirect("sso:edit", slug=institution.slug, public_id=existing.public_id)
    form = FORMS[protocol](request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        sso = _save(form, None)
        messages.success(request, _("Saved. Give the identity provider's admin the details below."))
        return redirect("sso:edit", slug=institution.slug, public_id=sso.public_id)
    return _form_page(request, form, protocol, None)


@staff_required
def sso_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    sso = _sso_or_404(request, public_id)
    form = FORMS[sso.protocol](
        request.POST or None, initial=_initial(sso), instance=sso, institution=request.institution
    )
    if request.method == "POST" and form.is_valid():
        _save(form, sso)
        messages.success(request, _("Saved."))
        return redirect("sso:edit", slug=request.institution.slug, public_id=sso.public_id)
    return _form_page(request, form, sso.protocol, sso)


@staff_required
@require_POST
def sso_toggle(request: StaffRequest, public_id: str) -> HttpResponse:
    sso = _sso_or_404(request, public_id)
    services.sso_set_enabled(sso=sso, enabled=not sso.enabled)
    name = request.institution.name
    if sso.enabled:
        messages.success(request, _("%(name)s sign-in is on.") % {"name": name})
    else:
        messages.success(request, _("%(name)s sign-in is off.") % {"name": name})
    return redirect("sso:list", slug=request.institution.slug)


def sso_find(request: HttpRequest) -> HttpResponse:
    """Sign-in's "Continue" step: the institution for the email typed, if it has one."""
    email = request.GET.get("email", "")[:254]
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    sso = selectors.sso_for_email(email=email) if "@" in email else None
    if request.GET.get("format") == "json":
        query = urlencode({"email": email, **({"next": next_url} if next_url else {})})
        return JsonResponse(
            {
                "institution": sso.institution.name if sso else None,
                "url": f"{reverse('sso:find')}?{query}" if sso else None,
            }
        )
    login_url = sso_login_url(request, sso=sso) if sso is not None else None
    response = render(
        request,
        "accounts/sso_find.html",
        {
            "email": email,
            "sso": sso,
            "login_url": login_url,
            "next": next_url,
        },
    )
    return allow_idp_form_action(response, sso=sso)
