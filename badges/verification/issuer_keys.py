"""Finding an Open Badges 3.0 issuer's public key, and only a key the issuer controls.

The key must be bound to the issuer id the credential names, whatever the proof format:
- did:key issuer: the key is the DID itself (no network). It describes only itself, so
  it does not identify anyone.
- did:web issuer: a method of the DID, listed under assertionMethod in the DID document
  at the DID's domain. Identifies the issuer by that domain.
- https issuer: a method listed under assertionMethod in the controller document at the
  issuer id, or (VC-JWT) a JWK or JWKS that the `kid` URL returns on the issuer's own
  origin. Identifies the issuer by its domain.

The 1EdTech validator's VC-JWT check (ExternalProofProbe) takes the key from any kid URL
or from a `jwk` header, which proves the token is intact but not who made it. We also
require the binding above: otherwise anyone could sign a token naming a real issuer with
their own key, and a trusted issuer registry would then vouch for it.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext as _

from badges import proofs
from badges.didkey import DID_KEY_PREFIX, DidKeyError, public_key_from_did_key
from badges.jose import PublicKey
from badges.outcome import KeyUsed, Outcome
from badges.proofs import ProofError
from badges.verification.didweb import (
    DID_WEB,
    DidWebUnavailable,
    did_web_document,
    did_web_document_url,
)
from badges.verification.fetching import fetch_json, host_of


class KeyUnavailable(Exception):
    """The issuer's key could not be fetched now."""


@dataclass
class FoundKey:
    key: PublicKey
    method: str  # the verification method or kid, absolute
    found_at: str  # the URL it was read from, or "did:key"
    domain: str = ""  # the https host proven to publish it for the issuer, "" when none
    # Published by the issuer id itself (its DID, its document, or under its path), not
    # only somewhere on its origin: what a registry listing that id can vouch for.
    of_issuer_id: bool = True


def origin_of(identifier: str) -> str:
    """scheme://host[:port] of an http(s) id, or of a did:web's domain; "" otherwise."""
    if identifier.startswith(DID_WEB):
        try:
            identifier = did_web_document_url(identifier.partition("#")[0])
        except ProofError:
            return ""
    parts = urlsplit(identifier)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return ""
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return ""
    return f"{parts.scheme}://{host_of(identifier)}{port}"


def key_for_method(method: str, *, issuer_id: str) -> FoundKey:
    """The key of a verification method (a Data Integrity proof's, or a JWT kid made
    absolute) that the issuer `issuer_id` controls. Raises ProofError or KeyUnavailable."""
    document_id = method.partition("#")[0]
    if method.startswith(DID_KEY_PREFIX):
        if document_id != issuer_id:
            raise ProofError(_("The signing key is not the issuer's own (did:key)."))
        return FoundKey(proofs.resolve_did_key(method), method, "did:key")
    if document_id != issuer_id:
        raise ProofError(_("The signing key is published outside the issuer's profile."))
    if method.startswith("did:") and not method.startswith(DID_WEB):
        # The validator's resolver (SimpleDidResolver) knows did:key and did:web only.
        raise ProofError(
            _("The issuer's key cannot be looked up: %(did)s is not a did:key or did:web.")
            % {"did": document_id}
        )
    if method.startswith(DID_WEB):
        try:
            doc, url = did_web_document(document_id)
        except DidWebUnavailable as unavailable:
            raise KeyUnavailable(str(unavailable)) from None
    else:
        doc, url = _fetch_key_document(document_id, what=_("the issuer's keys"))
    key = proofs.public_key_from_controller_document(doc, method, expected_controller=issuer_id)
    host = host_of(url)
    return FoundKey(key, method, url, host if url.startswith("https://") else "")


def key_for_jwt(header: dict[str, Any], *, issuer_id: str) -> FoundKey:
    """The key for a VC-JWT's JOSE header (OB 3.0, "Verify a Credential": dereference
    `kid`, else use `jwk`), bound to the issuer as the module docstring says."""
    kid = header.get("kid")
    if kid is None:
        return _embedded_jwk(header.get("jwk"), issuer_id=issuer_id)
    if not isinstance(kid, str) or not kid:
        raise ProofError(_("The token's key id (kid) is not text."))
    if ":" not in kid.partition("#")[0]:
        # Not a URI: a hint naming one of the issuer's keys, as the validator reads it
        # for DID issuers (kidCanBeUsedAsHint); we read it the same way for https issuers.
        kid = f"{issuer_id}#{kid.removeprefix('#')}"
    if kid.startswith("did:") or kid.partition("#")[0] == issuer_id:
        return key_for_method(kid, issuer_id=issuer_id)
    return _jwk_at_url(kid, issuer_id=issuer_id)


def _embedded_jwk(jwk: Any, *, issuer_id: str) -> FoundKey:
    if not isinstance(jwk, dict):
        raise ProofError(_("The token names no key (it has neither kid nor jwk)."))
    key = proofs.public_key_from_published_jwk(jwk, _("in the token"))
    if issuer_id.startswith(DID_KEY_PREFIX):
        try:
            own = public_key_from_did_key(issuer_id)
        except DidKeyError:
            raise ProofError(_("The issuer's did:key is not usable.")) from None
        if own.public_bytes_raw() == getattr(key, "public_bytes_raw", lambda: b"")():
            return FoundKey(key, issuer_id, "did:key")
    raise ProofError(
        _(
            "The token carries its own key (jwk), which anyone can make, and the issuer "
            "does not publish it."
        )
    )


def _jwk_at_url(kid: str, *, issuer_id: str) -> FoundKey:
    own = origin_of(issuer_id)
    if not own or origin_of(kid) != own:
        raise ProofError(
            _(
                "The signing key is published at %(host)s, not on the issuer's own site, "
                "so nothing ties it to the issuer."
            )
            % {"host": host_of(kid)}
        )
    url, _hash, fragment = kid.partition("#")
    document, found_at = _fetch_key_document(url, what=_("the issuer's key"))
    jwk = _select_jwk(document, kid, fragment)
    key = proofs.public_key_from_published_jwk(jwk, kid)
    domain = host_of(url) if url.startswith("https://") else ""
    return FoundKey(key, kid, found_at, domain, of_issuer_id=in_issuer_folder(url, issuer_id))


def in_issuer_folder(url: str, issuer_id: str) -> bool:
    """`url` lies in the issuer id's folder (https://host/victim/key.json for the issuer
    https://host/victim/issuer.json). On a host many people publish on, the rest of the
    origin may be someone else's."""
    path = urlsplit(issuer_id).path
    folder = path[: path.rfind("/") + 1] or "/"
    own_path = urlsplit(url).path
    return (
        origin_of(url) == origin_of(issuer_id) and own_path.startswith(folder) and not climbs(url)
    )


def climbs(url: str) -> bool:
    """A dot segment (also written %2e) in the path: once the server reads it, the URL
    is outside the folder it seems to be in."""
    return any(unquote(s) in (".", "..") for s in urlsplit(url).path.split("/"))


def _select_jwk(document: dict[str, Any], kid: str, fragment: str) -> dict[str, Any]:
    """A bare JWK (what the validator fetches), or the key of a JWKS whose `kid` is the
    token's kid or its fragment (the spec's example: https://example.edu/keys#key-1)."""
    if "kty" in document:
        return document
    keys = document.get("keys")
    if isinstance(keys, list):
        named = [k for k in keys if isinstance(k, dict) and k.get("kid") in (kid, fragment)]
        if len(named) == 1:
            return named[0]
        if not fragment and len(keys) == 1 and isinstance(keys[0], dict):
            return keys[0]
    raise ProofError(_("The issuer does not publish the key %(kid)s.") % {"kid": kid})


def _fetch_key_document(url: str, *, what: str) -> tuple[dict[str, Any], str]:
    got = fetch_json(url, what=what)
    if got.ok is None:
        raise KeyUnavailable(got.message)
    if not got.ok or not isinstance(got.data, dict):
        raise ProofError(got.message or _("The issuer's key document is not a JSON object."))
    final = got.response.url if got.response is not None else url
    if origin_of(final) != origin_of(url):
        raise ProofError(
            _("The issuer's key was served from another site (%(host)s).")
            % {"host": host_of(final)}
        )
    return got.data, url


def record_key(outcome: Outcome, found: FoundKey) -> None:
    """Write down the key that verified and what it says about who the issuer is."""
    outcome.key = KeyUsed(id=found.method, found_at=found.found_at)
    if found.domain:
        outcome.identified_by_domain(
            found.domain,
            _("The signing key is published for the issuer on its own domain, %(host)s.")
            % {"host": found.domain},
        )
    elif found.found_at == "did:key":
        outcome.not_identified(
            _(
                "Signed with a self-describing key (did:key): anyone can make one, so nothing "
                "ties it to the issuer named in the credential."
            )
        )
    else:
        outcome.not_identified(_("The signing key is not published on an https domain."))
