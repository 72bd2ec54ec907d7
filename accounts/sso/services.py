"""Saving an institution's single sign-on: our SingleSignOn row and the allauth
SocialApp it drives, always together."""

from dataclasses import dataclass

from allauth.socialaccount.models import SocialApp
from django.db import transaction
from django.urls import reverse

from accounts.sso.discovery import IdentityProvider
from accounts.sso.models import Protocol, SingleSignOn, SingleSignOnDomain
from core.links import absolute_url

# Attribute names most SAML identity providers send (eduPerson / LDAP OIDs).
SAML_EMAIL_ATTRIBUTE = "urn:oid:0.9.2342.19200300.100.1.3"
SAML_NAME_ATTRIBUTE = "urn:oid:2.16.840.1.113730.3.1.241"
SAML_GIVEN_NAME_ATTRIBUTE = "urn:oid:2.5.4.42"
SAML_FAMILY_NAME_ATTRIBUTE = "urn:oid:2.5.4.4"


@dataclass(frozen=True)
class Institution:
    """Stands in for the Institution record until institutions land."""

    slug: str
    name: str


@dataclass(frozen=True)
class OidcClient:
    issuer_url: str
    client_id: str
    client_secret: str  # "" keeps the saved one
    idp: IdentityProvider
    name_claim: str = "name"


@dataclass(frozen=True)
class SamlIdp:
    idp: IdentityProvider
    metadata_url: str = ""
    email_attribute: str = SAML_EMAIL_ATTRIBUTE
    name_attribute: str = SAML_NAME_ATTRIBUTE
    given_name_attribute: str = SAML_GIVEN_NAME_ATTRIBUTE
    family_name_attribute: str = SAML_FAMILY_NAME_ATTRIBUTE
    email_authoritative: bool = False


def saml_sp_entity_id(*, slug: str) -> str:
    """Our entity id for this institution: the SP metadata's public address."""
    return absolute_url(reverse("saml_metadata", kwargs={"organization_slug": slug}))


def _saml_settings(*, slug: str, saml: SamlIdp) -> dict[str, object]:
    return {
        "idp": {
            "entity_id": saml.idp.entity_id,
            "sso_url": saml.idp.sso_url,
            "x509cert": saml.idp.x509cert,
        },
        "sp": {"entity_id": saml_sp_entity_id(slug=slug)},
        "attribute_mapping": {
            "email": [saml.email_attribute],
            "name": [saml.name_attribute],
            "first_name": [saml.given_name_attribute],
            "last_name": [saml.family_name_attribute],
        },
        "advanced": {
            "strict": True,
            "want_assertion_signed": True,
            "reject_idp_initiated_sso": True,
        },
    }


@transaction.atomic
def sso_save(
    *,
    sso: SingleSignOn | None,
    institution: Institution,
    email_domains: list[str],
    enabled: bool,
    oidc: OidcClient | None = None,
    saml: SamlIdp | None = None,
) -> SingleSignOn:
    """Create or update one institution's configuration (exactly one of `oidc`/`saml`).
    Domains are replaced by `email_domains`; the form has checked they are free."""
    if (oidc is None) == (saml is None):
        raise ValueError("Give exactly one of oidc and saml.")
    protocol = Protocol.OIDC if oidc else Protocol.SAML
    app = sso.app if sso else SocialApp(provider=protocol)
    app.provider_id = institution.slug
    app.name = institution.name
    if oidc is not None:
        app.client_id = oidc.client_id
        if oidc.client_secret:
            app.secret = oidc.client_secret
        app.settings = {"server_url": oidc.issuer_url.rstrip("/"), "name_claim": oidc.name_claim}
        origin = oidc.idp.origin
    else:
        assert saml is not None
        app.client_id = institution.slug
        app.secret = ""
        app.settings = _saml_settings(slug=institution.slug, saml=saml)
        origin = saml.idp.origin
    app.save()
    if sso is None:
        sso = SingleSignOn(app=app, protocol=protocol)
    sso.institution_slug = institution.slug
    sso.institution_name = institution.name
    sso.enabled = enabled
    sso.email_authoritative = bool(saml and saml.email_authoritative)
    sso.metadata_url = saml.metadata_url if saml else ""
    sso.idp_origin = origin
    sso.save()
    sso.domains.all().delete()
    SingleSignOnDomain.objects.bulk_create(
        SingleSignOnDomain(sso=sso, domain=domain) for domain in sorted(set(email_domains))
    )
    return sso


@transaction.atomic
def sso_set_enabled(*, sso: SingleSignOn, enabled: bool) -> SingleSignOn:
    sso.enabled = enabled
    sso.save(update_fields=["enabled", "updated_at"])
    return sso
