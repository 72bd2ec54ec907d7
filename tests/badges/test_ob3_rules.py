"""OB 3.0 "OpenBadgeCredential Verification", rule by rule: the credential conforms
(type, context, subject, issuer id, credentialSchema), its proof (purpose, several
proofs), and its status (Bitstring status lists whose own proof must hold, the 1EdTech
revocation list, kinds we cannot check)."""

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from badges.didkey import did_key_from_public_key, did_key_verification_method
from badges.models import Status
from badges.outcome import Check, Outcome
from badges.proofs import sign_data_integrity
from badges.verification import check_payload
from tests.badges.issuers import RECIPIENT, bitstring, credential, sign_did_key
from tests.fakeweb import FakeWeb

LIST_URL = "https://issuer.test/status/1"
SCHEMA_URL = "https://issuer.test/schema.json"
CREATED = "2026-01-10T09:00:00Z"


def check(document: dict[str, Any]) -> Outcome:
    outcome, _facts = check_payload(json.dumps(document), emails=[RECIPIENT], now=timezone.now())
    return outcome


def only(outcome: Outcome, key: str) -> Check:
    (found,) = [c for c in outcome.checks if c.key == key]
    return found


def sign_as(doc: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """Sign as the did:key of `key`, leaving the document's issuer as it is."""
    did = did_key_from_public_key(key.public_key())
    method = did_key_verification_method(did)
    return sign_data_integrity(doc, private_key=key, verification_method=method, created=CREATED)


# --- the credential conforms --------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda vc: vc.update(type=["OpenBadgeCredential"]), "VerifiableCredential"),
        (lambda vc: vc["@context"].reverse(), "first @context"),
        (lambda vc: vc["@context"].pop(), "does not name https://purl.imsglobal.org"),
        (lambda vc: vc["issuer"].update(id="Test Institute"), "not a web address or DID"),
        (lambda vc: vc["credentialSubject"].pop("identifier"), "neither an id nor an identifier"),
    ],
)
def test_a_credential_that_does_not_follow_the_standard_fails_its_structure(
    db: None, change: Any, says: str
) -> None:
    vc = credential(issuer="did:key:x")
    change(vc)
    outcome = check(vc)  # unsigned: the structure is checked whatever the signature says
    assert only(outcome, "structure").ok is False
    assert says in only(outcome, "structure").message
    assert outcome.status == Status.FAILED


def schema(*, required: list[str]) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "object",
            "required": required}  # fmt: skip


def with_schema(vc: dict[str, Any]) -> dict[str, Any]:
    entry = {"id": SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}
    extensions = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
    return {**vc, "@context": [*vc["@context"], extensions], "credentialSchema": [entry]}


def test_a_credential_that_matches_its_schema_passes(fake_web: FakeWeb) -> None:
    fake_web.add(SCHEMA_URL, schema(required=["credentialSubject", "issuer"]))
    outcome = check(sign_did_key(with_schema(credential(issuer="did:key:x"))))
    assert only(outcome, "schema").ok is True
    assert outcome.status == Status.UNIDENTIFIED


def test_a_credential_that_breaks_its_schema_fails(fake_web: FakeWeb) -> None:
    fake_web.add(SCHEMA_URL, schema(required=["awardedDate"]))
    outcome = check(sign_did_key(with_schema(credential(issuer="did:key:x"))))
    assert only(outcome, "schema").ok is False
    assert "awardedDate" in only(outcome, "schema").message
    assert outcome.status == Status.FAILED


def test_a_schema_that_is_not_served_is_not_checkable_not_forged(fake_web: FakeWeb) -> None:
    fake_web.add_host("issuer.test")
    outcome = check(sign_did_key(with_schema(credential(issuer="did:key:x"))))
    assert only(outcome, "schema").result == "not_checked"
    assert outcome.status == Status.UNVERIFIABLE


# --- the proof ----------------------------------------------------------------------------


def test_a_proof_made_for_another_purpose_is_refused(db: None) -> None:
    key = Ed25519PrivateKey.generate()
    did = did_key_from_public_key(key.public_key())
    vc = {**credential(issuer=did)}
    signed = sign_as(vc, key)
    signed["proof"]["proofPurpose"] = "authentication"
    outcome = check(signed)
    assert "assertionMethod" in only(outcome, "signature").message
    assert outcome.status == Status.FAILED


def test_any_one_proof_of_the_issuer_is_enough(db: None) -> None:
    """OB 3.0: "If multiple proofs are provided, the verifier MAY use any one proof"."""
    key = Ed25519PrivateKey.generate()
    did = did_key_from_public_key(key.public_key())
    bystander = sign_as(credential(issuer=did), Ed25519PrivateKey.generate())
    both = sign_as(bystander, key)
    both["proof"] = [*both["proof"]] if isinstance(both["proof"], list) else both["proof"]
    assert len(both["proof"]) == 2 and both["proof"][0]["verificationMethod"] != did
    assert only(check(both), "signature").ok is True


def test_no_proof_of_the_issuer_fails(db: None) -> None:
    did = did_key_from_public_key(Ed25519PrivateKey.generate().public_key())
    signed = sign_as(credential(issuer=did), Ed25519PrivateKey.generate())
    assert only(check(signed), "signature").ok is False


# --- the status ---------------------------------------------------------------------------


def status_entry(purpose: str = "revocation", index: int = 94567) -> dict[str, Any]:
    return {"id": f"{LIST_URL}#{index}", "type": "BitstringStatusListEntry",
            "statusPurpose": purpose, "statusListIndex": str(index),
            "statusListCredential": LIST_URL}  # fmt: skip


def status_list(issuer: str, revoked: set[int], purpose: str = "revocation",
                size: int = 131072) -> dict[str, Any]:  # fmt: skip
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": LIST_URL, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer, "validFrom": CREATED,
        "credentialSubject": {"id": f"{LIST_URL}#list", "type": "BitstringStatusList",
                              "statusPurpose": purpose,
                              "encodedList": bitstring(revoked, size=size)},
    }  # fmt: skip


def issuer_and_credential(**extra: Any) -> tuple[Ed25519PrivateKey, str, dict[str, Any]]:
    key = Ed25519PrivateKey.generate()
    did = did_key_from_public_key(key.public_key())
    return key, did, sign_as(credential(issuer=did, **extra), key)


@pytest.mark.parametrize(("revoked", "status"), [({94567}, Status.REVOKED), ({3}, None)])
def test_a_status_list_signed_by_the_issuer_is_believed(
    fake_web: FakeWeb, revoked: set[int], status: str | None
) -> None:
    key, did, signed = issuer_and_credential(credentialStatus=status_entry())
    fake_web.add(LIST_URL, sign_as(status_list(did, revoked), key))
    outcome = check(signed)
    assert only(outcome, "revocation").ok is (status is None)
    assert outcome.status == (status or Status.UNIDENTIFIED)


def test_a_status_list_whose_proof_is_broken_is_not_believed(fake_web: FakeWeb) -> None:
    key, did, signed = issuer_and_credential(credentialStatus=status_entry())
    tampered = sign_as(status_list(did, {94567}), key)
    tampered["credentialSubject"]["encodedList"] = bitstring(set(), size=131072)
    fake_web.add(LIST_URL, tampered)
    outcome = check(signed)
    assert only(outcome, "revocation").ok is False
    assert "fails its own signature check" in only(outcome, "revocation").message
    assert outcome.status == Status.FAILED


def test_an_unsigned_status_list_is_not_believed(fake_web: FakeWeb) -> None:
    _key, did, signed = issuer_and_credential(credentialStatus=status_entry())
    fake_web.add(LIST_URL, status_list(did, set()))
    outcome = check(signed)
    assert only(outcome, "revocation").ok is False
    assert outcome.status == Status.FAILED


def test_a_status_list_signed_by_someone_else_is_not_believed(fake_web: FakeWeb) -> None:
    _key, _did, signed = issuer_and_credential(credentialStatus=status_entry())
    stranger = Ed25519PrivateKey.generate()
    other = did_key_from_public_key(stranger.public_key())
    fake_web.add(LIST_URL, sign_as(status_list(other, set()), stranger))
    outcome = check(signed)
    assert only(outcome, "revocation").ok is False
    assert outcome.status == Status.FAILED


@pytest.mark.parametrize(
    ("entry_purpose", "list_purpose", "size", "says"),
    [("revocation", "suspension", 131072, "not a revocation list"),
     ("revocation", "revocation", 16384, "malformed")],
)  # fmt: skip
def test_a_status_list_of_the_wrong_purpose_or_too_short_fails(
    fake_web: FakeWeb, entry_purpose: str, list_purpose: str, size: int, says: str
) -> None:
    key, did, signed = issuer_and_credential(credentialStatus=status_entry(entry_purpose, 7))
    fake_web.add(LIST_URL, sign_as(status_list(did, set(), list_purpose, size), key))
    outcome = check(signed)
    assert says in only(outcome, "revocation").message
    assert outcome.status == Status.FAILED


def test_a_suspended_credential_is_not_valid_now(fake_web: FakeWeb) -> None:
    key, did, signed = issuer_and_credential(credentialStatus=status_entry("suspension"))
    fake_web.add(LIST_URL, sign_as(status_list(did, {94567}, "suspension"), key))
    outcome = check(signed)
    assert outcome.status == Status.REVOKED
    assert "suspended" in only(outcome, "revocation").message


def test_a_status_entry_that_says_nothing_of_validity_is_not_applicable(db: None) -> None:
    _key, _did, signed = issuer_and_credential(credentialStatus=status_entry("message"))
    assert only(check(signed), "revocation").result == "not_applicable"


def test_no_status_at_all_is_not_applicable(db: None) -> None:
    _key, _did, signed = issuer_and_credential()
    assert only(check(signed), "revocation").result == "not_applicable"


def test_a_status_method_we_cannot_check_is_not_checked(db: None) -> None:
    # Named by its IRI: an inline context defining a term for it would be refused
    # (tests/badges/test_attacks.py).
    entry = {"id": LIST_URL, "type": "https://status.test/SomeOtherStatus2030"}
    signed = sign_did_key(credential(issuer="did:key:x", credentialStatus=entry))
    outcome = check(signed)
    assert only(outcome, "revocation").result == "not_checked"
    assert outcome.status == Status.UNVERIFIABLE


def test_an_entry_without_a_status_list_credential_is_not_looked_up_at_its_own_id(
    fake_web: FakeWeb,
) -> None:
    entry = status_entry()
    del entry["statusListCredential"]
    _key, _did, signed = issuer_and_credential(credentialStatus=entry)
    fake_web.add_host("issuer.test")
    outcome = check(signed)
    assert only(outcome, "revocation").ok is False
    assert fake_web.requests == []


def test_a_withdrawn_1edtech_revocation_is_not_a_revocation(fake_web: FakeWeb) -> None:
    entry = {"id": LIST_URL, "type": "1EdTechRevocationList"}
    vc = credential(issuer="did:key:x", credentialStatus=entry)
    vc["@context"] = [*vc["@context"], "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"]
    signed = sign_did_key(vc)
    withdrawn = [{"id": signed["id"], "revoked": False}]
    fake_web.add(LIST_URL, {"id": LIST_URL, "revokedCredential": withdrawn})
    assert only(check(signed), "revocation").ok is True


def test_a_1edtech_revocation_list_that_claims_to_be_a_credential_must_be_signed(
    fake_web: FakeWeb,
) -> None:
    entry = {"id": LIST_URL, "type": "1EdTechRevocationList"}
    vc = credential(issuer="did:key:x", credentialStatus=entry)
    vc["@context"] = [*vc["@context"], "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"]
    signed = sign_did_key(vc)
    fake_web.add(LIST_URL, {"@context": ["https://www.w3.org/ns/credentials/v2"],
                            "id": LIST_URL, "type": ["VerifiableCredential"],
                            "issuer": signed["issuer"]["id"],
                            "credentialSubject": {"revokedCredentials": []}})  # fmt: skip
    outcome = check(signed)
    assert only(outcome, "revocation").ok is False
    assert "fails its own signature check" in only(outcome, "revocation").message
