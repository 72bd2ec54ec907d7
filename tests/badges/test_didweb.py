"""did:web issuers: the DID document is read from the DID's own https domain, the key must
be listed there under assertionMethod, and the issuer is then identified by that domain."""

import json
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from badges.didkey import multikey_from_public_key
from badges.models import Identity, Status
from badges.outcome import Outcome
from badges.proofs import ProofError, sign_data_integrity
from badges.verification import check_payload
from badges.verification.didweb import did_web_document_url
from tests.badges.issuers import RECIPIENT, credential
from tests.badges.keys import ec_key, public_jwk
from tests.fakeweb import FakeWeb

DID = "did:web:issuer.test"
DOCUMENT = "https://issuer.test/.well-known/did.json"


def did_document(did: str, key: Ed25519PrivateKey, *, assertion: bool = True) -> dict[str, Any]:
    method = {"id": f"{did}#key-1", "type": "Multikey", "controller": did,
              "publicKeyMultibase": multikey_from_public_key(key.public_key())}  # fmt: skip
    return {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": did,
        "verificationMethod": [method],
        "assertionMethod": ["#key-1"] if assertion else [],
    }


def signed_by(did: str, key: Ed25519PrivateKey) -> dict[str, Any]:
    return sign_data_integrity(
        credential(issuer=did), private_key=key, verification_method=f"{did}#key-1",
        created="2026-01-10T09:00:00Z",
    )  # fmt: skip


def check(payload: str) -> Outcome:
    return check_payload(payload, emails=[RECIPIENT], now=timezone.now())[0]


def signature_message(outcome: Outcome) -> str:
    return " ".join(c.message for c in outcome.checks if c.key == "signature")


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:issuer.test", "https://issuer.test/.well-known/did.json"),
        ("did:web:issuer.test:people:registrar", "https://issuer.test/people/registrar/did.json"),
        ("did:web:issuer.test%3A8443", "https://issuer.test:8443/.well-known/did.json"),
    ],
)
def test_a_did_web_is_read_from_its_domain(did: str, url: str) -> None:
    assert did_web_document_url(did) == url


@pytest.mark.parametrize(
    "did", ["did:web:", "did:web:issuer.test/x", "did:web:user@issuer.test", "did:key:z6Mk"]
)
def test_what_is_not_a_did_web_is_refused(did: str) -> None:
    with pytest.raises(ProofError):
        did_web_document_url(did)


def test_a_credential_signed_by_a_did_web_issuer_verifies_and_names_its_domain(
    fake_web: FakeWeb,
) -> None:
    key = Ed25519PrivateKey.generate()
    fake_web.add(DOCUMENT, did_document(DID, key))
    outcome = check(json.dumps(signed_by(DID, key)))
    assert outcome.status == Status.VERIFIED, outcome.checks
    assert outcome.identity == Identity.DOMAIN and outcome.identity_domain == "issuer.test"
    assert outcome.key is not None and outcome.key.found_at == DOCUMENT


def test_a_did_web_with_a_path_is_read_from_that_path(fake_web: FakeWeb) -> None:
    did = "did:web:issuer.test:people:registrar"
    key = Ed25519PrivateKey.generate()
    fake_web.add("https://issuer.test/people/registrar/did.json", did_document(did, key))
    assert check(json.dumps(signed_by(did, key))).status == Status.VERIFIED


def test_a_vc_jwt_of_a_did_web_issuer_verifies_with_its_listed_jwk(fake_web: FakeWeb) -> None:
    method = f"{DID}#jwt-1"
    fake_web.add(DOCUMENT, {
        "id": DID, "assertionMethod": [method],
        "verificationMethod": [{"id": method, "type": "JsonWebKey2020", "controller": DID,
                                "publicKeyJwk": public_jwk(ec_key())}],
    })  # fmt: skip
    vc = credential(issuer=DID)
    token = jwt.encode({**vc, "iss": DID, "jti": vc["id"]}, ec_key(), algorithm="ES256",
                       headers={"kid": method})  # fmt: skip
    outcome = check(token)
    assert outcome.status == Status.VERIFIED, outcome.checks
    assert outcome.identity_domain == "issuer.test"


def test_a_key_not_listed_for_assertions_is_refused(fake_web: FakeWeb) -> None:
    key = Ed25519PrivateKey.generate()
    fake_web.add(DOCUMENT, did_document(DID, key, assertion=False))
    outcome = check(json.dumps(signed_by(DID, key)))
    assert outcome.status == Status.FAILED
    assert "not authorised" in signature_message(outcome)


def test_a_document_of_another_did_is_refused(fake_web: FakeWeb) -> None:
    key = Ed25519PrivateKey.generate()
    fake_web.add(DOCUMENT, did_document("did:web:elsewhere.test", key))
    outcome = check(json.dumps(signed_by(DID, key)))
    assert outcome.status == Status.FAILED
    assert "is not did:web:issuer.test's" in signature_message(outcome)


def test_a_document_redirected_to_another_site_is_refused(fake_web: FakeWeb) -> None:
    key = Ed25519PrivateKey.generate()
    fake_web.add_redirect(DOCUMENT, "https://elsewhere.test/did.json")
    fake_web.add("https://elsewhere.test/did.json", did_document(DID, key))
    outcome = check(json.dumps(signed_by(DID, key)))
    assert outcome.status == Status.FAILED
    assert "served from another site" in signature_message(outcome)


def test_a_did_web_domain_that_does_not_answer_is_not_verifiable_now(
    fake_web: FakeWeb, settings: Any
) -> None:
    settings.OUTBOUND_FETCH_TIMEOUT = 0.3
    fake_web.add_slow(DOCUMENT, 5)
    outcome = check(json.dumps(signed_by(DID, Ed25519PrivateKey.generate())))
    assert outcome.status == Status.UNVERIFIABLE


def test_an_issuer_of_another_did_method_cannot_be_checked_here(fake_web: FakeWeb) -> None:
    did = "did:example:issuer"
    outcome = check(json.dumps(signed_by(did, Ed25519PrivateKey.generate())))
    assert outcome.status == Status.FAILED
    assert "is not a did:key or did:web" in signature_message(outcome)
    assert fake_web.requests == []
