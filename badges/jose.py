"""Compact JWS and VC-JWT checks on top of PyJWT.

Open Badges 2.0 signed assertions are compact JWS (RS256) whose payload is the assertion;
Open Badges 3.0 may come as a VC-JWT: the credential in the `vc` claim (VCDM 1.1) or as the
payload itself (VCDM 2.0), with iss/sub/jti/nbf/exp claims that must agree with it.

Only asymmetric algorithms are accepted, and only one that fits the key's type, so a token
cannot pick "none" or use a public key as an HMAC secret.
"""

import base64
import binascii
import copy
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import jwt
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

VC_JWT_ALGORITHMS = ("RS256", "ES256", "EdDSA")

_RSA_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
_EC_ALGORITHMS = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}
_PRIVATE_JWK_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey


class JoseError(ValueError):
    """A token or key that cannot be read or does not verify. The message is plain words."""


def _segments(token: str) -> list[str]:
    if not isinstance(token, str):
        raise JoseError("The token is not text.")
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise JoseError("The text is not a compact JWS (three parts separated by dots).")
    return parts


def _decode_json_segment(segment: str, what: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError) as error:
        raise JoseError(f"The token's {what} is not readable JSON.") from error
    if not isinstance(value, dict):
        raise JoseError(f"The token's {what} is not a JSON object.")
    return value


def jws_header(token: str) -> dict[str, Any]:
    """The protected header, not verified."""
    return _decode_json_segment(_segments(token)[0], "header")


def jws_payload_unverified(token: str) -> dict[str, Any]:
    """The payload as a JSON object, NOT verified: only for finding the key."""
    return _decode_json_segment(_segments(token)[1], "payload")


def _algorithms_for_key(key: Any) -> frozenset[str]:
    if isinstance(key, rsa.RSAPublicKey):
        return _RSA_ALGORITHMS
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name in _EC_ALGORITHMS:
        return frozenset({_EC_ALGORITHMS[key.curve.name]})
    if isinstance(key, ed25519.Ed25519PublicKey):
        return frozenset({"EdDSA"})
    raise JoseError("The key is not an RSA, EC or Ed25519 public key.")


def verify_jws(token: str, *, key: Any, algorithms: Sequence[str]) -> dict[str, Any]:
    """Verify a compact JWS and return its payload (a JSON object).

    `key` is a public key object or PEM text. The header's alg must be in `algorithms` and
    fit the key; claims such as exp are not checked here.
    """
    if isinstance(key, str | bytes):
        key = public_key_from_pem(key.decode() if isinstance(key, bytes) else key)
    allowed = _algorithms_for_key(key) & set(algorithms)
    alg = jws_header(token).get("alg")
    if alg not in allowed:
        raise JoseError(f"The token is signed with {alg!r}, which is not accepted for this key.")
    try:
        decoded = jwt.api_jws.decode_complete(
            token.strip(),
            key=key,
            algorithms=sorted(allowed),
            options={"verify_signature": True, "enforce_minimum_key_length": True},
        )
    except jwt.InvalidSignatureError as error:
        raise JoseError(
            "The signature does not match the token: it was changed after signing, "
            "or signed with another key."
        ) from error
    except jwt.PyJWTError as error:
        raise JoseError(f"The token cannot be verified: {error}") from error
    try:
        payload = json.loads(decoded["payload"])
    except (ValueError, RecursionError) as error:
        raise JoseError("The token's payload is not readable JSON.") from error
    if not isinstance(payload, dict):
        raise JoseError("The token's payload is not a JSON object.")
    return payload


def public_key_from_jwk(jwk: dict[str, Any]) -> PublicKey:
    """A public key from a JWK: RSA, EC P-256 or OKP Ed25519. Private members are ignored."""
    if not isinstance(jwk, dict):
        raise JoseError("The key is not a JSON object.")
    public = {k: v for k, v in jwk.items() if k not in _PRIVATE_JWK_MEMBERS}
    kty, crv = public.get("kty"), public.get("crv")
    reader: Callable[[dict[str, Any]], Any]
    if kty == "RSA":
        reader = RSAAlgorithm.from_jwk
    elif kty == "EC" and crv == "P-256":
        reader = ECAlgorithm.from_jwk
    elif kty == "OKP" and crv == "Ed25519":
        reader = OKPAlgorithm.from_jwk
    else:
        raise JoseError(f"Keys of type {kty!r} (curve {crv!r}) are not accepted.")
    try:
        key = reader(public)
    except (jwt.PyJWTError, ValueError, TypeError, KeyError) as error:
        raise JoseError("The key is not a valid JWK.") from error
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey):
        raise JoseError("The JWK is not a public key.")
    return key


def public_key_from_pem(pem: str) -> PublicKey:
    try:
        key = load_pem_public_key(pem.encode("ascii"))
    except (ValueError, UnsupportedAlgorithm) as error:
        raise JoseError("The key is not a PEM public key.") from error
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey):
        raise JoseError("Only RSA, EC and Ed25519 keys are accepted.")
    return key


# --- VC-JWT ---------------------------------------------------------------------------

HeaderPayloadKeyResolver = Callable[[dict[str, Any], dict[str, Any]], Any]

_VCDM2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
# OB 3.0 (Create the JOSE Header): typ "If present, MUST be set to JWT". The spec defers to
# VC-JOSE-COSE for the revision in progress, whose media types are vc+jwt (vc+ld+jwt in
# its drafts); those are accepted too. RFC 7515 compares them without case and lets the
# "application/" prefix be left out. cty is not an OB 3.0 header: only a credential
# content type is accepted (a cty of JWT would mean a nested token).
_VC_JWT_TYPES = frozenset({"jwt", "vc+jwt", "vc+ld+jwt"})
_VC_JWT_CONTENT_TYPES = frozenset({"vc", "vc+ld+json", "vc+json"})


def _media_type(value: Any) -> str:
    return str(value).strip().lower().removeprefix("application/")


def check_vc_jwt_header(header: dict[str, Any]) -> None:
    """The JOSE header rules of OB 3.0 that a token can break before its key is looked up."""
    alg = header.get("alg")
    if alg not in VC_JWT_ALGORITHMS:
        raise JoseError(
            f"The token is signed with {alg!r}; only {', '.join(VC_JWT_ALGORITHMS)} are accepted."
        )
    if "typ" in header and _media_type(header["typ"]) not in _VC_JWT_TYPES:
        raise JoseError(f"The token's type (typ {header['typ']!r}) is not a JWT.")
    if "cty" in header and _media_type(header["cty"]) not in _VC_JWT_CONTENT_TYPES:
        raise JoseError(f"The token's content type (cty {header['cty']!r}) is not a credential.")
    if "crit" in header:  # RFC 7515 4.1.11: extensions we do not understand must be refused
        raise JoseError("The token requires header extensions (crit) that cannot be checked here.")


def _numeric_date(payload: dict[str, Any], claim: str) -> float | None:
    value = payload.get(claim)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise JoseError(f"The token's {claim} claim is not a date in seconds.")
    return float(value)


def _timestamp(value: Any, field: str) -> float:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return parsed.timestamp()
    raise JoseError(f"The credential's {field} {value!r} is not a date and time.")


def _as_datetime_text(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _agree_on_id(credential: dict[str, Any], claim: str, value: Any) -> None:
    if value is None:
        return
    if "id" not in credential:
        credential["id"] = value
    elif credential["id"] != value:
        raise JoseError(f"The token's {claim} ({value}) is not the credential's id.")


def _agree_on_issuer(credential: dict[str, Any], iss: Any) -> None:
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if iss is None:
        return
    if issuer is None:
        credential["issuer"] = iss
    elif issuer_id != iss:
        raise JoseError(f"The token's issuer (iss {iss}) is not the credential's issuer.")


def _agree_on_subject(credential: dict[str, Any], sub: Any) -> None:
    subjects = credential.get("credentialSubject")
    if sub is None or subjects is None:
        return
    subject_list = subjects if isinstance(subjects, list) else [subjects]
    ids = [s.get("id") for s in subject_list if isinstance(s, dict) and "id" in s]
    if not ids and len(subject_list) == 1 and isinstance(subject_list[0], dict):
        subject_list[0]["id"] = sub
    elif sub not in ids:
        raise JoseError(f"The token's subject (sub {sub}) is not the credential's subject.")


def _agree_on_date(
    credential: dict[str, Any], claim: str, seconds: float | None, field: str
) -> None:
    if seconds is None:
        return
    if field not in credential:
        credential[field] = _as_datetime_text(seconds)
    elif abs(_timestamp(credential[field], field) - seconds) >= 1:
        raise JoseError(f"The token's {claim} date is not the credential's {field}.")


def verify_vc_jwt(token: str, *, resolve_key: HeaderPayloadKeyResolver) -> dict[str, Any]:
    """Verify a VC-JWT and return the credential, with JWT claims it lacked filled in.

    `resolve_key(header, unverified_payload)` returns the issuer's public key (or PEM);
    it must make sure the key (e.g. header kid) belongs to the issuer (iss), and whatever
    it raises propagates unchanged. Raises JoseError for a refused algorithm, a bad
    signature, or claims that contradict the credential.
    """
    check_vc_jwt_header(jws_header(token))
    # Exceptions from resolve_key pass through unchanged, for the caller to interpret.
    key = resolve_key(jws_header(token), jws_payload_unverified(token))
    payload = verify_jws(token, key=key, algorithms=VC_JWT_ALGORITHMS)
    vc = payload.get("vc", payload)
    if not isinstance(vc, dict):
        raise JoseError("The token's vc claim is not a credential.")
    credential = copy.deepcopy(vc)
    _agree_on_issuer(credential, payload.get("iss"))
    _agree_on_subject(credential, payload.get("sub"))
    _agree_on_id(credential, "jti", payload.get("jti"))
    contexts = credential.get("@context")
    is_vcdm2 = _VCDM2_CONTEXT in (contexts if isinstance(contexts, list) else [contexts])
    start, end = ("validFrom", "validUntil") if is_vcdm2 else ("issuanceDate", "expirationDate")
    _agree_on_date(credential, "nbf", _numeric_date(payload, "nbf"), start)
    _agree_on_date(credential, "exp", _numeric_date(payload, "exp"), end)
    return credential
