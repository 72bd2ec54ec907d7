"""Data Integrity proofs, checked against the 1EdTech validator's OB 3.0 fixtures."""

import copy
import hashlib
import socket
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

from badges.didkey import (
    did_key_from_public_key,
    did_key_verification_method,
    multibase_encode,
    multikey_from_public_key,
)
from badges.jsonld import CanonizeError, canonize, document_loader
from badges.proofs import (
    SIGNATURE_MISMATCH,
    ProofError,
    key_from_controller_document,
    resolve_did_key,
    sign_data_integrity,
    verify_data_integrity,
)
from tests.badges.keys import ed25519_key, load_json, other_ed25519_key

ISSUER = "https://example.com/issuers/876543"
FIXTURE_METHOD = f"{ISSUER}#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"


def controller_document(
    issuer: str, method: str, public_key_multibase: str, **extra: Any
) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": issuer,
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": issuer,
                "publicKeyMultibase": public_key_multibase,
            }
        ],
        "assertionMethod": [method],
        **extra,
    }


def resolver_for(doc: dict[str, Any], issuer: str) -> Any:
    """What the importer does: the issuer's document (fetched elsewhere) decides the key."""
    return lambda method: key_from_controller_document(doc, method, expected_controller=issuer)


def fixture_resolver(credential: dict[str, Any]) -> Any:
    method = credential["proof"][0]["verificationMethod"]
    issuer = credential["issuer"]["id"]
    doc = controller_document(issuer, method, method.partition("#")[2])
    return resolver_for(doc, issuer)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def simple() -> dict[str, Any]:
    return load_json("ob30/simple.json")


def test_simple_fixture_verifies_with_the_key_from_the_issuers_document(
    simple: dict[str, Any], no_network: None
) -> None:
    assert verify_data_integrity(simple, resolve_key=fixture_resolver(simple)) == [FIXTURE_METHOD]


def test_complete_fixture_verifies(no_network: None) -> None:
    complete = load_json("ob30/complete.json")
    methods = verify_data_integrity(complete, resolve_key=fixture_resolver(complete))
    assert methods == [complete["proof"][0]["verificationMethod"]]


@pytest.mark.parametrize("name", ["simple-err-expired", "simple-err-issued"])
def test_fixtures_rejected_for_their_dates_still_carry_good_signatures(name: str) -> None:
    # Their rejection is about validity dates, which is the importer's job, not the proof's.
    credential = load_json(f"ob30/{name}.json")
    proofs = credential["proof"] if isinstance(credential["proof"], list) else [credential["proof"]]
    credential["proof"] = proofs
    assert verify_data_integrity(credential, resolve_key=fixture_resolver(credential))


def test_wrong_type_fixture_is_refused_because_its_type_is_undefined() -> None:
    credential = load_json("ob30/simple-err-type.json")
    credential["proof"] = [credential["proof"]]
    with pytest.raises(ProofError, match="'OtherCredential', which none of its contexts"):
        verify_data_integrity(credential, resolve_key=fixture_resolver(credential))


def test_fixture_with_a_bad_proof_value_fails() -> None:
    credential = load_json("ob30/simple-err-proof-value.json")
    with pytest.raises(ProofError) as raised:
        verify_data_integrity(credential, resolve_key=fixture_resolver(credential))
    assert str(raised.value) == SIGNATURE_MISMATCH


def test_changed_name_breaks_the_signature(simple: dict[str, Any]) -> None:
    resolve_key = fixture_resolver(simple)
    simple["name"] = "Teamwork Badge (Gold)"
    with pytest.raises(ProofError, match="changed after signing"):
        verify_data_integrity(simple, resolve_key=resolve_key)


def test_changed_proof_options_break_the_signature(simple: dict[str, Any]) -> None:
    resolve_key = fixture_resolver(simple)
    simple["proof"][0]["created"] = "2011-01-01T19:23:24Z"
    with pytest.raises(ProofError, match="changed after signing"):
        verify_data_integrity(simple, resolve_key=resolve_key)


def test_a_different_key_listed_for_the_same_method_id_fails(simple: dict[str, Any]) -> None:
    # The fragment still spells the fixture's key, but the issuer's document decides.
    impostor = multikey_from_public_key(other_ed25519_key().public_key())
    doc = controller_document(ISSUER, FIXTURE_METHOD, impostor)
    with pytest.raises(ProofError, match="changed after signing, or signed with another key"):
        verify_data_integrity(simple, resolve_key=resolver_for(doc, ISSUER))


def test_without_a_controller_document_nothing_verifies(simple: dict[str, Any]) -> None:
    def no_document(method: str) -> Ed25519PublicKey:
        raise ProofError(f"No key document could be fetched for {method}.")

    with pytest.raises(ProofError, match="No key document"):
        verify_data_integrity(simple, resolve_key=no_document)


def test_resolver_errors_reach_the_caller_unchanged(simple: dict[str, Any]) -> None:
    """So the importer can tell "the issuer's site is down" from "forged"."""

    class KeyUnavailable(Exception):
        pass

    def unavailable(method: str) -> Ed25519PublicKey:
        raise KeyUnavailable(method)

    with pytest.raises(KeyUnavailable):
        verify_data_integrity(simple, resolve_key=unavailable)


def test_resolver_must_return_an_ed25519_key(simple: dict[str, Any]) -> None:
    with pytest.raises(ProofError, match="not an Ed25519 key"):
        verify_data_integrity(simple, resolve_key=lambda method: "z6Mk...")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda doc: doc.update(id="https://evil.example/issuers/1"), "not the issuer's"),
        (lambda doc: doc.update(assertionMethod=[]), "not authorised"),
        (
            lambda doc: doc["verificationMethod"][0].update(controller="https://evil.example/"),
            "controlled by someone else",
        ),
        (lambda doc: doc["verificationMethod"][0].update(type="JsonWebKey"), "not an Ed25519"),
        (lambda doc: doc["verificationMethod"][0].update(id=f"{ISSUER}#other"), "does not list"),
        (
            lambda doc: doc["verificationMethod"][0].update(revoked="2020-01-01T00:00:00Z"),
            "revoked",
        ),
    ],
)
def test_controller_document_must_list_the_key_for_the_issuer(
    simple: dict[str, Any], change: Any, message: str
) -> None:
    doc = controller_document(ISSUER, FIXTURE_METHOD, FIXTURE_METHOD.partition("#")[2])
    change(doc)
    with pytest.raises(ProofError, match=message):
        verify_data_integrity(simple, resolve_key=resolver_for(doc, ISSUER))


def test_controller_document_may_use_relative_fragments(simple: dict[str, Any]) -> None:
    fragment = "#" + FIXTURE_METHOD.partition("#")[2]
    doc = controller_document(ISSUER, fragment, fragment[1:])
    assert verify_data_integrity(simple, resolve_key=resolver_for(doc, ISSUER))


def test_key_of_another_issuer_is_refused(simple: dict[str, Any]) -> None:
    doc = controller_document(ISSUER, FIXTURE_METHOD, FIXTURE_METHOD.partition("#")[2])
    with pytest.raises(ProofError, match="not the issuer's"):
        key_from_controller_document(doc, FIXTURE_METHOD, expected_controller="https://other/")


def unsigned_credential(issuer: str) -> dict[str, Any]:
    credential = load_json("ob30/simple.json")
    del credential["proof"]
    credential["issuer"]["id"] = issuer
    return credential


def test_signed_credential_verifies_with_its_did_key_issuer() -> None:
    key = ed25519_key()
    issuer = did_key_from_public_key(key.public_key())
    method = did_key_verification_method(issuer)
    credential = unsigned_credential(issuer)
    signed = sign_data_integrity(
        credential, private_key=key, verification_method=method, created="2024-05-01T10:00:00Z"
    )
    assert "proof" not in credential
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"]["proofValue"].startswith("z")

    def resolve(vm: str) -> Ed25519PublicKey:
        return resolve_did_key(vm, expected_controller=issuer)

    assert verify_data_integrity(signed, resolve_key=resolve) == [method]


def test_did_key_of_someone_else_is_not_the_issuers_key() -> None:
    key = ed25519_key()
    issuer = did_key_from_public_key(key.public_key())
    signed = sign_data_integrity(
        unsigned_credential(issuer),
        private_key=other_ed25519_key(),
        verification_method=did_key_verification_method(
            did_key_from_public_key(other_ed25519_key().public_key())
        ),
        created="2024-05-01T10:00:00Z",
    )
    with pytest.raises(ProofError, match="not its issuer"):
        verify_data_integrity(
            signed, resolve_key=lambda vm: resolve_did_key(vm, expected_controller=issuer)
        )


def test_signature_from_the_wrong_key_fails() -> None:
    key = ed25519_key()
    issuer = did_key_from_public_key(key.public_key())
    method = did_key_verification_method(issuer)
    signed = sign_data_integrity(
        unsigned_credential(issuer),
        private_key=other_ed25519_key(),  # claims the issuer's method, signs with another key
        verification_method=method,
        created="2024-05-01T10:00:00Z",
    )
    with pytest.raises(ProofError) as raised:
        verify_data_integrity(signed, resolve_key=resolve_did_key)
    assert str(raised.value) == SIGNATURE_MISMATCH


def test_every_proof_of_a_proof_set_must_verify() -> None:
    key, other = ed25519_key(), other_ed25519_key()
    issuer = did_key_from_public_key(key.public_key())
    first = did_key_verification_method(issuer)
    second = did_key_verification_method(did_key_from_public_key(other.public_key()))
    signed = sign_data_integrity(
        unsigned_credential(issuer),
        private_key=key,
        verification_method=first,
        created="2024-05-01T10:00:00Z",
    )
    both = sign_data_integrity(
        signed, private_key=other, verification_method=second, created="2024-05-01T10:00:00Z"
    )
    assert verify_data_integrity(both, resolve_key=resolve_did_key) == [first, second]

    broken = copy.deepcopy(both)
    broken["proof"][1]["proofValue"] = broken["proof"][0]["proofValue"]
    with pytest.raises(ProofError, match="changed after signing"):
        verify_data_integrity(broken, resolve_key=resolve_did_key)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p.update(cryptosuite="ecdsa-rdfc-2019"), "cryptosuite"),
        (lambda p: p.update(type="JsonWebSignature2020"), "cannot be checked"),
        (lambda p: p.update(proofPurpose="authentication"), "assertionMethod"),
        (lambda p: p.update(created="yesterday"), "not a date"),
        (lambda p: p.update(expires="2011-01-01T00:00:00Z"), "expired"),
        (lambda p: p.pop("proofValue"), "no signature value"),
        (lambda p: p.update(proofValue="u" + p["proofValue"][1:]), "not readable"),
    ],
)
def test_proof_options_are_checked(simple: dict[str, Any], change: Any, message: str) -> None:
    resolve_key = fixture_resolver(simple)
    change(simple["proof"][0])
    with pytest.raises(ProofError, match=message):
        verify_data_integrity(simple, resolve_key=resolve_key)


def test_credential_without_proof_is_refused(simple: dict[str, Any]) -> None:
    del simple["proof"]
    with pytest.raises(ProofError, match="no embedded proof"):
        verify_data_integrity(simple, resolve_key=resolve_did_key)


def test_context_not_stored_locally_is_refused_without_a_network_attempt(
    simple: dict[str, Any], no_network: None
) -> None:
    resolve_key = fixture_resolver(simple)
    simple["@context"].append("https://evil.example/context.json")
    with pytest.raises(ProofError, match="not stored on this site"):
        verify_data_integrity(simple, resolve_key=resolve_key)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/context.json",
        "http://www.w3.org/ns/credentials/v2",  # http variant: not in the index
        "https://www.w3.org/ns/credentials/v2/",  # trailing slash variant: not in the index
    ],
)
def test_loader_serves_only_exact_indexed_urls(url: str, no_network: None) -> None:
    with pytest.raises(ValueError, match="not stored on this site"):
        document_loader(url)


def test_loader_serves_a_stored_context(no_network: None) -> None:
    url = "https://www.w3.org/ns/credentials/v2"
    loaded = document_loader(url)
    assert loaded["documentUrl"] == url
    assert loaded["contextUrl"] is None
    assert "@context" in loaded["document"]
    loaded["document"]["@context"]["name"] = "changed"
    assert document_loader(url)["document"]["@context"]["name"] == "https://schema.org/name"


def test_undefined_term_is_refused_rather_than_silently_left_unsigned(
    simple: dict[str, Any],
) -> None:
    """Plain JSON-LD drops a term no context defines, so "sneaky" would ride along
    outside the signature: simple.json would still verify. Safe mode refuses instead, both
    in canonize and in verification, and signing such a credential is refused too."""
    resolve_key = fixture_resolver(simple)
    simple["sneaky"] = 1
    with pytest.raises(ProofError, match="'sneaky', which none of its contexts define"):
        verify_data_integrity(simple, resolve_key=resolve_key)
    del simple["proof"]
    with pytest.raises(CanonizeError, match="sneaky"):
        canonize(simple)
    with pytest.raises(ProofError, match="sneaky"):
        sign_data_integrity(
            simple,
            private_key=ed25519_key(),
            verification_method=FIXTURE_METHOD,
            created="2024-05-01T10:00:00Z",
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["credentialSubject"].update(extra="x"), "'extra'"),
        (lambda c: c["type"].append("SneakyCredential"), "'SneakyCredential'"),
        (lambda c: c.update(id="relative/3527"), "not a full address"),
    ],
)
def test_canonize_refuses_what_rdf_would_silently_drop(
    simple: dict[str, Any], change: Any, message: str
) -> None:
    del simple["proof"]
    change(simple)
    with pytest.raises(CanonizeError, match=message):
        canonize(simple)


def test_canonize_gives_rdfc_n_quads(simple: dict[str, Any]) -> None:
    del simple["proof"]
    nquads = canonize(simple)
    assert nquads.endswith(" .\n")
    assert '<https://schema.org/name> "Teamwork Badge"' in nquads
    assert nquads == canonize(copy.deepcopy(simple))


def test_plain_json_ld_would_have_ignored_the_undefined_term(simple: dict[str, Any]) -> None:
    """Why safe mode matters: without it the extra term does not change the signed data."""
    del simple["proof"]
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": document_loader,
    }
    plain = jsonld.normalize(copy.deepcopy(simple), options)
    simple["sneaky"] = 1
    assert jsonld.normalize(simple, options) == plain


def test_ed25519_signature_2020_proofs_verify() -> None:
    key = ed25519_key()
    issuer = did_key_from_public_key(key.public_key())
    method = did_key_verification_method(issuer)
    credential = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://w3id.org/security/suites/ed25519-2020/v1",
        ],
        "id": "urn:uuid:2f0b1d7e-2a57-4a8e-9d44-0d5d2e0f6f11",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "issuanceDate": "2024-05-01T10:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }
    proof = {
        "type": "Ed25519Signature2020",
        "created": "2024-05-01T10:00:00Z",
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    }
    # Proof options hash first, then the document's.
    hash_data = (
        hashlib.sha256(canonize({"@context": credential["@context"], **proof}).encode()).digest()
        + hashlib.sha256(canonize(credential).encode()).digest()
    )
    signed = {**credential, "proof": {**proof, "proofValue": multibase_encode(key.sign(hash_data))}}
    assert verify_data_integrity(signed, resolve_key=resolve_did_key) == [method]

    signed["issuanceDate"] = "2024-05-02T10:00:00Z"
    with pytest.raises(ProofError, match="changed after signing"):
        verify_data_integrity(signed, resolve_key=resolve_did_key)


def jwk_document(jwk: dict[str, Any]) -> dict[str, Any]:
    method = f"{ISSUER}#jwk-1"
    return {
        "id": ISSUER,
        "verificationMethod": [
            {"id": method, "type": "JsonWebKey2020", "controller": ISSUER, "publicKeyJwk": jwk}
        ],
        "assertionMethod": [method],
    }


def test_a_controller_document_may_list_its_key_as_a_public_jwk() -> None:
    from badges.proofs import public_key_from_controller_document
    from tests.badges.keys import ec_key, public_jwk

    doc = jwk_document(public_jwk(ec_key()))
    key = public_key_from_controller_document(doc, f"{ISSUER}#jwk-1", expected_controller=ISSUER)
    assert key.public_numbers() == ec_key().public_key().public_numbers()  # type: ignore[union-attr]


def test_a_jwk_published_with_its_private_part_is_refused() -> None:
    from jwt.algorithms import ECAlgorithm

    from badges.proofs import public_key_from_controller_document
    from tests.badges.keys import ec_key

    doc = jwk_document(ECAlgorithm.to_jwk(ec_key(), as_dict=True))
    with pytest.raises(ProofError, match="private part"):
        public_key_from_controller_document(doc, f"{ISSUER}#jwk-1", expected_controller=ISSUER)


def test_a_jwk_key_cannot_check_a_data_integrity_proof(simple: dict[str, Any]) -> None:
    from tests.badges.keys import ec_key, public_jwk

    doc = jwk_document(public_jwk(ec_key()))
    with pytest.raises(ProofError, match="not an Ed25519 key"):
        key_from_controller_document(doc, f"{ISSUER}#jwk-1", expected_controller=ISSUER)


def test_each_proof_of_a_set_can_be_checked_on_its_own(simple: dict[str, Any]) -> None:
    from badges.proofs import proofs_of, verify_proof

    (proof,) = proofs_of(simple)
    assert verify_proof(simple, proof, resolve_key=fixture_resolver(simple)) == FIXTURE_METHOD
