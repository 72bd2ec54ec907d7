"""Saving an institution's single sign-on (our SingleSignOn row and the allauth
SocialApp it drives, always together), and what a sign-in through it does to the
person's membership of the institution."""

from dataclasses import dataclass

from allauth.socialaccount.models import SocialApp
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.institutions.models import Institution, Membership, MembershipRole
from accounts.institutions.services import membership_ensure, membership_joined
from accounts.models import User
from accounts.sso.discovery import IdentityProvider
from accounts.sso.models import Protocol, SingleSignOn, SingleSignOnDomain
from core.links import absolute_url

# Attribute names most SAML identity providers send (eduPerson / LDAP OIDs).
SAML_EMAIL_ATTRIBUTE = "urn:oid:0.9.2342.19200300.100.1.3"
SAML_NAME_ATTRIBUTE = "urn:oid:2.16.840.1.113730.3.1.241"
SAML_GIVEN_NAME_ATTRIBUTE = "urn:oid:2.5.4.42"
SAML_FAMILY_NAME_ATTRIBUTE = "urn:oid:2.5.4.4"


class SignInRefused(Exception):
    """A sign-in the identity provider accepted but we do not, in plain words."""


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
    """Create or update the institution's configuration (exactly one of `oidc`/`saml`).
    Its domains become `email_domains`, which must be among the institution's own; the
    form has checked that no other configuration covers them. The SocialApp's
    provider_id is the institution's slug when created and is never changed."""
    if (oidc is None) == (saml is None):
        raise ValueError("Give exactly one of oidc and saml.")
    if sso is not None and sso.institution_id != institution.pk:
        raise ValueError("A configuration stays with its institution.")
    if outside := set(email_domains) - set(institution.email_domains):
        raise ValueError(f"Not the institution's email domains: {sorted(outside)}")
    protocol = Protocol.OIDC if oidc else Protocol.SAML
    app = sso.app if sso else SocialApp(provider=protocol, provider_id=institution.slug)
    slug = str(app.provider_id)
    app.name = institution.name
    if oidc is not None:
        app.client_id = oidc.client_id
        if oidc.client_secret:
            app.secret = oidc.client_secret
        app.settings = {"server_url": oidc.issuer_url.rstrip("/"), "name_claim": oidc.name_claim}
        origin = oidc.idp.origin
    else:
        assert saml is not None
        app.client_id = slug
        app.secret = ""
        app.settings = _saml_settings(slug=slug, saml=saml)
        origin = saml.idp.origin
    app.save()
    if sso is None:
        sso = SingleSignOn(app=app, protocol=protocol, institution=institution)
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


@transaction.atomic
def sso_sign_in_membership(*, sso: SingleSignOn, user: User) -> Membership:
    """Someone signed in through the institution's identity provider, so they belong
    to it: a learner unless they already hold another role there; an invitation they
    had not taken up yet counts as taken up. A suspended membership stays suspended and
    the sign-in is refused (SignInRefused)."""
    existing = Membership.objects.filter(user=user, institution=sso.institution).first()
    if existing is not None and not existing.is_active:
        raise SignInRefused(
            _(
                "Your membership of %(institution)s is suspended, so you cannot sign in "
                "with your %(institution)s account. Ask your institution's admin."
            )
            % {"institution": sso.institution.name}
        )
    membership, _created = membership_ensure(
        user=user, institution=sso.institution, role=MembershipRole.LEARNER
    )
    membership_joined(membership=membership)
    return membership
