"""What the staff form learns from an identity provider before saving: its OpenID
Connect discovery document, or its SAML metadata. Fetched through core.fetch (public
addresses only, size and time caps), so an admin's URL cannot reach inside our network."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

from core.fetch import FetchError, fetch


@dataclass(frozen=True)
class IdentityProvider:
    """The endpoints the browser is sent to (its origin goes into our form-action)."""

    origin: str
    entity_id: str = ""
    sso_url: str = ""
    x509cert: str = ""


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def oidc_discover(*, issuer_url: str) -> IdentityProvider:
    issuer = issuer_url.rstrip("/")
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = fetch(url, accept="application/json")
        if response.status != 200:
            raise ValidationError(
                _("%(url)s answered %(status)s, not the provider's settings."),
                params={"url": url, "status": response.status},
            )
        config = response.json()
    except FetchError as exc:
        raise ValidationError(
            _("Could not read %(url)s: %(problem)s"), params={"url": url, "problem": exc}
        ) from exc
    if not isinstance(config, dict) or not all(
        isinstance(config.get(key), str)
        for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    ):
        raise ValidationError(
            _("%(url)s is not an OpenID Connect discovery document."), params={"url": url}
        )
    if config["issuer"].rstrip("/") != issuer:
        raise ValidationError(
            _("The provider calls itself %(found)s, not %(issuer)s. Use its own issuer URL."),
            params={"found": config["issuer"], "issuer": issuer},
        )
    return IdentityProvider(origin=origin_of(config["authorization_endpoint"]))


def saml_metadata_fetch(*, metadata_url: str) -> str:
    try:
        response = fetch(metadata_url, accept="application/samlmetadata+xml, text/xml")
    except FetchError as exc:
        raise ValidationError(
            _("Could not read %(url)s: %(problem)s"), params={"url": metadata_url, "problem": exc}
        ) from exc
    if response.status != 200:
        raise ValidationError(
            _("%(url)s answered %(status)s, not the metadata."),
            params={"url": metadata_url, "status": response.status},
        )
    return response.body.decode("utf-8", errors="replace")


def saml_metadata_parse(*, xml: str, entity_id: str = "") -> IdentityProvider:
    """The identity provider's entity id, sign-in URL (HTTP-Redirect binding) and signing
    certificate from its metadata."""
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml, entity_id=entity_id or None)
    except Exception as exc:  # lxml and python3-saml raise many kinds
        raise ValidationError(
            _("The metadata is not valid SAML XML: %(problem)s"), params={"problem": exc}
        ) from exc
    idp = parsed.get("idp") or {}
    sso_url = (idp.get("singleSignOnService") or {}).get("url", "")
    cert = idp.get("x509cert") or next(
        iter((idp.get("x509certMulti") or {}).get("signing", [])), ""
    )
    if not idp.get("entityId") or not sso_url or not cert:
        raise ValidationError(
            _(
                "The metadata must name an identity provider with a sign-in URL for the "
                "HTTP-Redirect binding and a signing certificate."
            )
        )
    return IdentityProvider(
        origin=origin_of(sso_url), entity_id=idp["entityId"], sso_url=sso_url, x509cert=cert
    )
