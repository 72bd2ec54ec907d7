"""Checking the proof of an Open Badges 3.0 credential (or a CLR, or a status list), in
either format, with the issuer's own key (see issuer_keys)."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from badges import jose, proofs
from badges.jsonld import rewritten_form
from badges.parsing import id_of
from badges.verification.issuer_keys import FoundKey, KeyUnavailable, key_for_jwt, key_for_method


def _valid() -> str:
    return _("The issuer's signature is valid.")


@dataclass
class Signed:
    """ok: True valid, False broken, None not checkable now (the key could not be fetched).
    `credential` is what the proof covers: for a VC-JWT, the credential with the token's
    claims (iss, sub, jti, nbf, exp) filled in; None unless ok."""

    ok: bool | None
    message: str
    found: FoundKey | None = None
    credential: dict[str, Any] | None = None


def issuer_id_of(credential: dict[str, Any]) -> str:
    return id_of(credential.get("issuer"))


def check_embedded_proof(credential: dict[str, Any], *, issuer_id: str) -> Signed:
    """OB 3.0, Proof Formats: "If multiple proofs are provided, the verifier MAY use any
    one proof to verify the credential." So the first proof that verifies with the issuer's
    key is enough; proofs we cannot check (other suites, chained) are passed over. When
    none verifies, a key that could not be fetched now makes it not checkable."""
    if not credential.get("proof"):
        return Signed(False, _("The credential is not signed (it has no proof)."))
    respelled = rewritten_form(credential)
    if respelled:
        return Signed(
            False,
            _(
                "The credential is written in a form that could show something other than "
                "what was signed: %(problem)s. Ask the issuer for the credential as issued."
            )
            % {"problem": respelled},
        )
    try:
        candidates = proofs.proofs_of(credential)
    except proofs.ProofError as error:
        return Signed(False, str(error))
    failure = unavailable = ""
    for proof in candidates:
        found: list[FoundKey] = []

        def resolve(method: str, found: list[FoundKey] = found) -> Any:
            found.append(key_for_method(method, issuer_id=issuer_id))
            return found[-1].key

        try:
            proofs.verify_proof(credential, proof, resolve_key=resolve)
        except KeyUnavailable as error:
            unavailable = unavailable or str(error)
        except proofs.ProofError as error:
            failure = failure or str(error)
        else:
            return Signed(True, _valid(), found[-1], credential)
    if unavailable:
        return Signed(None, unavailable)
    return Signed(False, failure)


def check_vc_jwt(token: str, *, issuer_id: str) -> Signed:
    """OB 3.0, "Verify a Credential" (VC-JWT): the JOSE header, the key from kid or jwk,
    the signature, then the claims against the credential (jose.verify_vc_jwt)."""
    found: list[FoundKey] = []

    def resolve(header: dict[str, Any], payload: dict[str, Any]) -> Any:
        found.append(key_for_jwt(header, issuer_id=issuer_id))
        return found[-1].key

    try:
        credential = jose.verify_vc_jwt(token, resolve_key=resolve)
    except KeyUnavailable as error:
        return Signed(None, str(error))
    except (jose.JoseError, proofs.ProofError) as error:
        return Signed(False, str(error))
    return Signed(True, _valid(), found[-1], credential)


def token_issuer_id(credential: dict[str, Any], token: str) -> str:
    """The issuer a VC-JWT's key must belong to: the credential's issuer, else `iss`."""
    issuer = issuer_id_of(credential)
    if issuer:
        return issuer
    try:
        return str(jose.jws_payload_unverified(token).get("iss") or "")
    except jose.JoseError:
        return ""
