"""Data Integrity proofs on Open Badges 3.0 credentials: `eddsa-rdfc-2022` (W3C vc-di-eddsa)
and the older `Ed25519Signature2020`.

Both sign hashData = SHA-256(canonical proof options) + SHA-256(canonical document), the
proof options being the proof without `proofValue`, with the document's `@context`, and
canonical meaning RDFC-1.0 N-Quads from `badges.jsonld.canonize` (local contexts only,
undefined terms refused).

Finding the key is the caller's job (`resolve_key`), and it is where trust is decided: the
resolver must only return a key that the credential's issuer controls, e.g.
`resolve_did_key(vm, expected_controller=issuer_id)` for did:key, or
`key_from_controller_document(doc, vm, expected_controller=issuer_id)` with the issuer's
document fetched by the app's outbound fetch helper. Never take the key from the text of
the verification method URL's fragment.
"""

import copy
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from badges.didkey import (
    DidKeyError,
    multibase_decode,
    multibase_encode,
    public_key_from_multikey,
    split_did_key_url,
)
from badges.jose import JoseError, PublicKey, public_key_from_jwk
from badges.jsonld import CanonizeError, canonize

KeyResolver = Callable[[str], Any]

DATA_INTEGRITY_PROOF = "DataIntegrityProof"
EDDSA_RDFC_2022 = "eddsa-rdfc-2022"
ED25519_SIGNATURE_2020 = "Ed25519Signature2020"
ASSERTION_METHOD = "assertionMethod"
KEY_TYPES = frozenset({"Multikey", "Ed25519VerificationKey2020"})
JWK_KEY_TYPES = frozenset({"JsonWebKey2020", "JsonWebKey", "Multikey"})

SIGNATURE_MISMATCH = (
    "The signature does not match the credential: it was changed after signing, "
    "or signed with another key."
)


class ProofError(ValueError):
    """A proof that does not verify. The message is plain words for a person."""


def _parse_datetime(value: Any, what: str) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is not None:
                return parsed
    raise ProofError(f"The proof's {what} date {value!r} is not a date and time with a zone.")


def proofs_of(credential: dict[str, Any]) -> list[dict[str, Any]]:
    proof = credential.get("proof")
    if proof is None or proof == []:
        raise ProofError("The credential has no embedded proof (signature).")
    proofs = proof if isinstance(proof, list) else [proof]
    if not all(isinstance(item, dict) for item in proofs):
        raise ProofError("The credential's proof is not in a form that can be checked.")
    return [dict(item) for item in proofs]


def _check_proof_options(proof: dict[str, Any]) -> None:
    proof_type = proof.get("type")
    if proof_type == DATA_INTEGRITY_PROOF:
        if proof.get("cryptosuite") != EDDSA_RDFC_2022:
            raise ProofError(
                f"The proof uses the cryptosuite {proof.get('cryptosuite')!r}; "
                f"only {EDDSA_RDFC_2022} can be checked here."
            )
    elif proof_type != ED25519_SIGNATURE_2020:
        raise ProofError(f"The proof type {proof_type!r} cannot be checked here.")
    if proof.get("proofPurpose") != ASSERTION_METHOD:
        raise ProofError("The proof was not made for issuing credentials (assertionMethod).")
    if not isinstance(proof.get("verificationMethod"), str):
        raise ProofError("The proof does not name the key that made it.")
    if "previousProof" in proof:
        raise ProofError("Chained proofs (previousProof) cannot be checked here.")
    if "created" in proof:
        _parse_datetime(proof["created"], "created")
    if "expires" in proof and _parse_datetime(proof["expires"], "expires") < datetime.now(UTC):
        raise ProofError(f"The proof expired on {proof['expires']}.")


def _proof_context(document: dict[str, Any], proof: dict[str, Any]) -> Any:
    """The @context both canonical forms use. A proof may carry its own @context; it
    must then be the start of the document's (vc-di-eddsa, verify proof, step 3)."""
    context = document.get("@context")
    if "@context" not in proof:
        return context
    proof_context = proof["@context"]
    mine = proof_context if isinstance(proof_context, list) else [proof_context]
    theirs = context if isinstance(context, list) else [context]
    if theirs[: len(mine)] != mine:
        raise ProofError("The proof's @context does not match the credential's.")
    return proof_context


def _hash_data(document: dict[str, Any], proof_options: dict[str, Any]) -> bytes:
    context = _proof_context(document, proof_options)
    options = {k: v for k, v in proof_options.items() if k != "proofValue"}
    options["@context"] = context
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    unsecured["@context"] = context
    try:
        canonical_options = canonize(options)
        canonical_document = canonize(unsecured)
    except CanonizeError as error:
        raise ProofError(str(error)) from error
    return (
        hashlib.sha256(canonical_options.encode("utf-8")).digest()
        + hashlib.sha256(canonical_document.encode("utf-8")).digest()
    )


def _resolve(resolve_key: KeyResolver, verification_method: str) -> Ed25519PublicKey:
    # Whatever resolve_key raises passes through unchanged: the caller may need to tell
    # "the key cannot be fetched now" from "this is not the issuer's key".
    key = resolve_key(verification_method)
    if not isinstance(key, Ed25519PublicKey):
        raise ProofError(f"The key {verification_method} is not an Ed25519 key.")
    return key


def verify_data_integrity(credential: dict[str, Any], *, resolve_key: KeyResolver) -> list[str]:
    """Check every embedded proof; return their verificationMethod ids in order.

    Raises ProofError if there is no proof or any proof fails; exceptions from
    `resolve_key` propagate unchanged (verification then has not succeeded either). Each
    proof of a proof set signs the credential without any proof.
    """
    return [
        verify_proof(credential, proof, resolve_key=resolve_key) for proof in proofs_of(credential)
    ]


def verify_proof(
    credential: dict[str, Any], proof: dict[str, Any], *, resolve_key: KeyResolver
) -> str:
    """Check one proof of `credential` (one of `proofs_of(credential)`); return its
    verificationMethod. Raises as verify_data_integrity does."""
    _check_proof_options(proof)
    proof_value = proof.get("proofValue")
    if not isinstance(proof_value, str):
        raise ProofError("The proof has no signature value.")
    try:
        signature = multibase_decode(proof_value)
    except DidKeyError as error:
        raise ProofError("The proof's signature value is not readable.") from error
    verification_method = proof["verificationMethod"]
    key = _resolve(resolve_key, verification_method)
    try:
        key.verify(signature, _hash_data(credential, proof))
    except InvalidSignature:
        raise ProofError(SIGNATURE_MISMATCH) from None
    return str(verification_method)


def sign_data_integrity(
    credential: dict[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
) -> dict[str, Any]:
    """A copy of `credential` with an eddsa-rdfc-2022 proof added (to any existing ones)."""
    _parse_datetime(created, "created")
    proof: dict[str, Any] = {
        "type": DATA_INTEGRITY_PROOF,
        "cryptosuite": EDDSA_RDFC_2022,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": ASSERTION_METHOD,
    }
    proof["proofValue"] = multibase_encode(private_key.sign(_hash_data(credential, proof)))
    signed = copy.deepcopy(credential)
    existing = signed.get("proof")
    if existing is None:
        signed["proof"] = proof
    else:
        signed["proof"] = [*(existing if isinstance(existing, list) else [existing]), proof]
    return signed


def resolve_did_key(
    verification_method: str, *, expected_controller: str | None = None
) -> Ed25519PublicKey:
    """The key of a `did:key:<mb>#<mb>` method; no network. With `expected_controller`
    (the issuer id), the DID must be that issuer."""
    try:
        did, key = split_did_key_url(verification_method)
    except DidKeyError as error:
        raise ProofError(f"The key {verification_method} is not a usable did:key.") from error
    if expected_controller is not None and did != expected_controller:
        raise ProofError("The credential was signed with a did:key that is not its issuer.")
    return key


def _absolute(reference: Any, document_id: str) -> Any:
    if isinstance(reference, str) and reference.startswith("#"):
        return document_id.partition("#")[0] + reference
    return reference


def _listed_methods(doc: dict[str, Any], document_id: str) -> list[dict[str, Any]]:
    methods = []
    for relation in ("verificationMethod", ASSERTION_METHOD):
        entries = doc.get(relation, [])
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, dict):
                methods.append({**entry, "id": _absolute(entry.get("id"), document_id)})
    return methods


def _is_assertion_method(doc: dict[str, Any], document_id: str, method_id: str) -> bool:
    entries = doc.get(ASSERTION_METHOD, [])
    for entry in entries if isinstance(entries, list) else [entries]:
        reference = entry.get("id") if isinstance(entry, dict) else entry
        if _absolute(reference, document_id) == method_id:
            return True
    return False


def key_from_controller_document(
    doc: dict[str, Any], verification_method: str, *, expected_controller: str
) -> Ed25519PublicKey:
    """The Ed25519 key that the issuer's controller document lists for `verification_method`
    (see `public_key_from_controller_document`), for Data Integrity proofs."""
    key = public_key_from_controller_document(
        doc, verification_method, expected_controller=expected_controller
    )
    if not isinstance(key, Ed25519PublicKey):
        raise ProofError(f"The key {verification_method} is not an Ed25519 key.")
    return key


def public_key_from_controller_document(
    doc: dict[str, Any], verification_method: str, *, expected_controller: str
) -> PublicKey:
    """The public key that the issuer's controller document lists for `verification_method`.

    `doc` is the parsed document at the issuer's id (fetched by the caller). It must be the
    issuer's own (`id` == expected_controller == the method URL without its fragment), list
    the method (exact id, or a `#fragment` relative to the document) with that
    `controller`, as Multikey or Ed25519VerificationKey2020 with `publicKeyMultibase`, or
    as JsonWebKey(2020) with a public `publicKeyJwk`, and name it under `assertionMethod`.
    The fragment text itself is never read as a key.
    """
    not_listed = f"The issuer's key document does not list the key {verification_method}."
    document_id = doc.get("id") if isinstance(doc, dict) else None
    if document_id != expected_controller:
        raise ProofError("The key document that was found is not the issuer's.")
    if verification_method.partition("#")[0] != expected_controller:
        raise ProofError("The credential was signed with a key that is not the issuer's.")
    matches = [m for m in _listed_methods(doc, document_id) if m["id"] == verification_method]
    if not matches:
        raise ProofError(not_listed)
    if any(match != matches[0] for match in matches[1:]):
        raise ProofError(f"The issuer's key document lists {verification_method} twice.")
    method = matches[0]
    if method.get("controller") != expected_controller:
        raise ProofError(f"The key {verification_method} is controlled by someone else.")
    if "revoked" in method:
        raise ProofError(f"The issuer has revoked the key {verification_method}.")
    if not _is_assertion_method(doc, document_id, verification_method):
        raise ProofError(f"The issuer has not authorised {verification_method} for credentials.")
    return _method_key(method, verification_method)


def _method_key(method: dict[str, Any], verification_method: str) -> PublicKey:
    kind = method.get("type")
    if kind in KEY_TYPES and isinstance(method.get("publicKeyMultibase"), str):
        try:
            return public_key_from_multikey(method["publicKeyMultibase"])
        except DidKeyError as error:
            raise ProofError(
                f"The key {verification_method} is not a usable Ed25519 key."
            ) from error
    jwk = method.get("publicKeyJwk")
    if kind in JWK_KEY_TYPES and isinstance(jwk, dict):
        return public_key_from_published_jwk(jwk, verification_method)
    raise ProofError(f"The key {verification_method} is not an Ed25519 key.")


def public_key_from_published_jwk(jwk: dict[str, Any], where: str) -> PublicKey:
    """A key an issuer publishes as a JWK. OB 3.0 (JOSE header, kid and jwk): "The JWK
    MUST never contain d"; a published private key lets anyone sign, so it is refused."""
    if not isinstance(jwk, dict):
        raise ProofError(f"The key {where} is not a JSON Web Key.")
    if "d" in jwk:
        raise ProofError(
            f"The key {where} is published with its private part, so anyone could sign with it."
        )
    try:
        return public_key_from_jwk(jwk)
    except JoseError as error:
        raise ProofError(f"The key {where}: {error}") from error
