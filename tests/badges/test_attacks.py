"""An attacker's view of verification: a learner (or an outsider) trying to get "Verified",
an identified issuer or a registry's word, or a better status than the badge deserves,
and genuine badges that must not be refused on the way.

Each test names the behaviour that must hold. Issuers are real sites on tests/fakeweb.py;
"registry-listed" issuers are listed in an issuer registry an institution trusts."""

import hashlib
import json
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from badges.didkey import did_key_from_public_key, did_key_verification_method
from badges.models import Identity, Status
from badges.outcome import BadgeRejected, Check, Outcome
from badges.proofs import sign_data_integrity
from badges.services import badge_check
from tests.badges.issuers import (
    RECIPIENT,
    bitstring,
    controller_document,
    credential,
    earner,
    sign_hosted_key,
    trust_issuer,
)
from tests.badges.keys import public_jwk, rsa_key, sign_jwt
from tests.badges.test_ob2_rules import HOSTED, hosted, pem, serve_issuer
from tests.badges.test_ob2_rules import ISSUER as OB2_ISSUER
from tests.fakeweb import FakeWeb

__all__ = ["earner"]  # fixture

CREATED = "2026-01-10T09:00:00Z"
VICTIM_DID = "did:web:victim.test"
LIST_URL = "https://issuer.test/status/1"
OB2 = "https://w3id.org/openbadges/v2"


def checked(owner: Any, document: dict[str, Any] | str) -> Outcome:
    payload = document if isinstance(document, str) else json.dumps(document)
    outcome, _facts = badge_check(payload=payload, owner=owner, now=timezone.now())
    return outcome


def only(outcome: Outcome, key: str) -> Check:
    (found,) = [c for c in outcome.checks if c.key == key]
    return found


def did_key_issuer() -> tuple[Ed25519PrivateKey, str]:
    key = Ed25519PrivateKey.generate()
    return key, did_key_from_public_key(key.public_key())


def sign_as(doc: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """Sign with the did:key of `key`, leaving the document's issuer as it is."""
    method = did_key_verification_method(did_key_from_public_key(key.public_key()))
    return sign_data_integrity(doc, private_key=key, verification_method=method, created=CREATED)


def hashed_recipient() -> dict[str, Any]:
    digest = hashlib.sha256((RECIPIENT + "pepper").encode()).hexdigest()
    return {"type": "email", "hashed": True, "salt": "pepper", "identity": f"sha256${digest}"}


def ob2_badge_class(issuer: dict[str, Any] | str) -> dict[str, Any]:
    return {"id": "urn:uuid:6f0a4c9e-1111-4000-8000-000000000001", "type": "BadgeClass",
            "name": "Robotics", "description": "Robots.", "criteria": {"narrative": "Built one."},
            "issuer": issuer}  # fmt: skip


def status_entry(purpose: Any = "revocation", index: int = 94567) -> dict[str, Any]:
    return {"id": f"{LIST_URL}#{index}", "type": "BitstringStatusListEntry",
            "statusPurpose": purpose, "statusListIndex": str(index),
            "statusListCredential": LIST_URL}  # fmt: skip


def revoked_list(issuer: str, key: Ed25519PrivateKey) -> dict[str, Any]:
    """The issuer's status list, signed, with the credential's bit (94567) set."""
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": LIST_URL, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer, "validFrom": CREATED,
        "credentialSubject": {"id": f"{LIST_URL}#list", "type": "BitstringStatusList",
                              "statusPurpose": "revocation",
                              "encodedList": bitstring({94567}, size=131072)},
    }  # fmt: skip
    return sign_as(document, key)


# --- keys and issuer ids ------------------------------------------------------------------


def test_a_registry_listed_did_key_signed_with_another_key_is_not_the_issuers(
    earner: Any,
) -> None:
    _victim_key, victim = did_key_issuer()
    trust_issuer(victim)
    forged = sign_as(credential(issuer=victim), Ed25519PrivateKey.generate())
    outcome = checked(earner, forged)
    assert only(outcome, "signature").ok is False
    assert outcome.registry is None and outcome.status == Status.FAILED


def test_a_token_carrying_its_own_jwk_cannot_sign_for_a_registry_listed_did_key(
    earner: Any,
) -> None:
    _victim_key, victim = did_key_issuer()
    trust_issuer(victim)
    forger = Ed25519PrivateKey.generate()
    vc = credential(issuer=victim)
    token = jwt.encode(
        {**vc, "iss": victim}, forger, algorithm="EdDSA", headers={"jwk": public_jwk(forger)}
    )
    outcome = checked(earner, token)
    assert only(outcome, "signature").ok is False
    assert outcome.registry is None and outcome.status == Status.FAILED


def test_jku_and_x5u_headers_are_never_followed(earner: Any, fake_web: FakeWeb) -> None:
    forger = rsa_key()
    fake_web.add("https://attacker.test/jwks.json", {"keys": [public_jwk(forger)]})
    issuer = "https://victim.test/issuer"
    headers = {"jku": "https://attacker.test/jwks.json", "x5u": "https://attacker.test/cert"}
    token = jwt.encode(
        {**credential(issuer=issuer), "iss": issuer}, forger, algorithm="RS256", headers=headers
    )
    outcome = checked(earner, token)
    assert only(outcome, "signature").ok is False
    assert not [f for f in outcome.fetches if "attacker.test" in f["url"]]


def test_userinfo_naming_the_victim_does_not_identify_the_victims_domain(
    earner: Any, fake_web: FakeWeb
) -> None:
    """https://victim.test@attacker.test/ is attacker.test's address."""
    issuer = "https://victim.test@attacker.test/issuer"
    key = Ed25519PrivateKey.generate()
    from badges.didkey import multikey_from_public_key

    fake_web.add(
        "https://attacker.test/issuer",
        controller_document(issuer, multikey_from_public_key(key.public_key())),
    )
    outcome = checked(earner, sign_hosted_key(credential(issuer=issuer), key, issuer))
    assert outcome.identity_domain in ("", "attacker.test")
    assert "victim" not in outcome.identity_domain


@pytest.mark.parametrize(
    ("kid", "vouched"),
    [
        ("https://shared.test/attacker/key.json", False),
        ("https://shared.test/victim/../attacker/key.json", False),
        ("https://shared.test/victim/%2e%2e/attacker/key.json", False),
        ("https://shared.test/victim/key.json", True),
    ],
)
def test_a_key_elsewhere_on_the_issuers_shared_host_does_not_earn_the_registrys_word(
    earner: Any, fake_web: FakeWeb, kid: str, vouched: bool
) -> None:
    """On a host many people publish on (raw.githubusercontent.com, a storage bucket),
    https://host/attacker/ is not https://host/victim/: a key published there identifies
    the domain (which is true), but a registry listing the victim's id must not vouch."""
    victim = "https://shared.test/victim/issuer.json"
    trust_issuer(victim)
    signer = rsa_key()
    fake_web.add(kid, public_jwk(signer))
    token = jwt.encode(
        {**credential(issuer=victim), "iss": victim}, signer, algorithm="RS256",
        headers={"kid": kid},
    )  # fmt: skip
    outcome = checked(earner, token)
    assert only(outcome, "signature").ok is True
    assert (outcome.registry is not None) is vouched
    assert outcome.identity == (Identity.REGISTRY if vouched else Identity.DOMAIN)


@pytest.mark.parametrize(
    ("hosted_at", "vouched"),
    [
        ("https://shared.test/attacker/1.json", False),
        ("https://shared.test/victim/../attacker/1.json", False),
        ("https://shared.test/victim/a/1.json", True),
    ],
)
def test_a_badge_hosted_elsewhere_on_the_issuers_shared_host_does_not_earn_the_registrys_word(
    earner: Any, fake_web: FakeWeb, hosted_at: str, vouched: bool
) -> None:
    """OB 2.0's default policy lets any address on the issuer id's origin host its
    badges; that identifies the domain, but not the id a registry lists."""
    victim = "https://shared.test/victim/issuer.json"
    trust_issuer(victim)
    fake_web.add(victim, {"@context": OB2, "id": victim, "type": "Issuer", "name": "Victim"})
    badge_class = {**ob2_badge_class(victim), "id": f"{hosted_at}.badge"}
    fake_web.add(badge_class["id"], {"@context": OB2, **badge_class})
    assertion = {
        "@context": OB2, "type": "Assertion", "id": hosted_at, "recipient": hashed_recipient(),
        "badge": badge_class["id"], "issuedOn": "2025-06-01T10:00:00Z",
        "verification": {"type": "hosted"},
    }  # fmt: skip
    fake_web.add(hosted_at, assertion)
    outcome = checked(earner, hosted_at)
    assert only(outcome, "issuer").ok is True
    assert (outcome.registry is not None) is vouched
    assert outcome.identity == (Identity.REGISTRY if vouched else Identity.DOMAIN)


def test_an_issuers_starts_with_policy_cannot_be_climbed_out_of(
    earner: Any, fake_web: FakeWeb
) -> None:
    victim = "https://shared.test/victim/issuer.json"
    policy = {"startsWith": "https://shared.test/victim/"}
    fake_web.add(victim, {"@context": OB2, "id": victim, "type": "Issuer", "name": "Victim",
                          "verification": policy})  # fmt: skip
    hosted_at = "https://shared.test/victim/../attacker/1.json"
    badge_class = {"@context": OB2, **ob2_badge_class(victim), "id": f"{hosted_at}.badge"}
    fake_web.add(badge_class["id"], badge_class)
    fake_web.add(hosted_at, {
        "@context": OB2, "type": "Assertion", "id": hosted_at, "recipient": hashed_recipient(),
        "badge": badge_class["id"], "issuedOn": "2025-06-01T10:00:00Z",
        "verification": {"type": "hosted"},
    })  # fmt: skip
    outcome = checked(earner, hosted_at)
    assert only(outcome, "issuer").ok is False
    assert outcome.identity == Identity.NOT_IDENTIFIED and outcome.status == Status.FAILED


def test_a_did_web_cannot_climb_out_of_its_path(db: None) -> None:
    """did:web:shared.test:victim:..:attacker would be read from the attacker's folder
    while reading like the victim's DID."""
    from badges.proofs import ProofError
    from badges.verification.didweb import did_web_document_url

    for did in ("did:web:shared.test:victim:..:attacker", "did:web:shared.test:victim:%2e%2e:x"):
        with pytest.raises(ProofError):
            did_web_document_url(did)


# --- OB 2.0: an issuer whose id is not a web address --------------------------------------


def test_a_signed_ob2_badge_with_an_embedded_issuer_cannot_borrow_a_listed_did(
    earner: Any,
) -> None:
    """The embedded profile is the signer's own word: listing its own key there proves
    nothing, so a registry that lists the id it names must not vouch for it."""
    trust_issuer(VICTIM_DID)
    forger = rsa_key()
    issuer = {"id": VICTIM_DID, "type": "Profile", "name": "Victim University",
              "publicKey": [{"id": "urn:attacker-key", "publicKeyPem": pem(forger)}]}  # fmt: skip
    assertion = {
        "@context": OB2, "type": "Assertion", "id": "urn:uuid:0e0e0e0e-0000-4000-8000-00000000000a",
        "recipient": hashed_recipient(), "badge": ob2_badge_class(issuer),
        "issuedOn": "2025-06-01T10:00:00Z",
        "verification": {"type": "signed", "creator": "urn:attacker-key"},
    }  # fmt: skip
    outcome = checked(earner, sign_jwt(assertion, forger, "RS256"))
    assert outcome.registry is None
    assert outcome.status != Status.VERIFIED


def test_a_hosted_ob2_badge_on_the_attackers_site_cannot_borrow_a_listed_did(
    earner: Any, fake_web: FakeWeb
) -> None:
    trust_issuer(VICTIM_DID)
    issuer = {"id": VICTIM_DID, "type": "Profile", "name": "Victim University"}
    hosted = "https://attacker.test/assertions/1.json"
    assertion = {
        "@context": OB2, "type": "Assertion", "id": hosted, "recipient": hashed_recipient(),
        "badge": ob2_badge_class(issuer), "issuedOn": "2025-06-01T10:00:00Z",
        "verification": {"type": "hosted"},
    }  # fmt: skip
    fake_web.add(hosted, assertion)
    outcome = checked(earner, hosted)
    assert outcome.registry is None
    assert outcome.status != Status.VERIFIED


def test_a_hosted_ob2_badge_of_a_registry_listed_issuer_on_its_own_site_keeps_its_word(
    earner: Any, fake_web: FakeWeb
) -> None:
    """The guard above must not refuse the genuine case: hosted where the issuer's
    profile, read from its own id, says its badges live."""
    serve_issuer(fake_web)
    trust_issuer(OB2_ISSUER)
    fake_web.add(HOSTED, hosted())
    outcome = checked(earner, HOSTED)
    assert outcome.registry is not None
    assert outcome.identity == Identity.REGISTRY and outcome.status == Status.VERIFIED


# --- the same signed data, written another way (JSON-LD) ----------------------------------


def test_a_status_purpose_written_as_a_list_still_revokes(earner: Any, fake_web: FakeWeb) -> None:
    """["revocation"] and "revocation" are the same signed statement."""
    key, did = did_key_issuer()
    trust_issuer(did)
    fake_web.add(LIST_URL, revoked_list(did, key))
    signed = sign_as(credential(issuer=did, credentialStatus=status_entry()), key)
    signed["credentialStatus"]["statusPurpose"] = ["revocation"]
    assert checked(earner, signed).status == Status.REVOKED


def test_a_valid_until_written_as_a_list_still_expires(earner: Any) -> None:
    key, did = did_key_issuer()
    trust_issuer(did)
    signed = sign_as(credential(issuer=did, validUntil="2026-02-01T00:00:00Z"), key)
    signed["validUntil"] = [signed["validUntil"]]
    assert checked(earner, signed).status != Status.VERIFIED


def test_a_valid_until_written_as_a_value_object_still_expires(earner: Any) -> None:
    """The attacker rewrites the issuer's signed "validUntil": "…" as a JSON-LD value
    object: the same RDF, so the same signature."""
    key, did = did_key_issuer()
    trust_issuer(did)
    signed = sign_as(credential(issuer=did, validUntil="2026-02-01T00:00:00Z"), key)
    signed["validUntil"] = {
        "@value": "2026-02-01T00:00:00Z",
        "@type": "http://www.w3.org/2001/XMLSchema#dateTime",
    }
    outcome = checked(earner, signed)
    assert outcome.status != Status.VERIFIED


def test_a_status_entry_moved_under_its_full_iri_is_still_checked(
    earner: Any, fake_web: FakeWeb
) -> None:
    key, did = did_key_issuer()
    trust_issuer(did)
    fake_web.add(LIST_URL, revoked_list(did, key))
    signed = sign_as(credential(issuer=did, credentialStatus=status_entry()), key)
    signed["https://www.w3.org/2018/credentials#credentialStatus"] = signed.pop("credentialStatus")
    outcome = checked(earner, signed)
    assert outcome.status != Status.VERIFIED


def test_a_context_of_its_own_cannot_rename_the_status_away(earner: Any, fake_web: FakeWeb) -> None:
    """An inline @context aliasing credentialStatus: the canonical form (and so the
    signature) is unchanged, but a reader of the JSON would see no status."""
    key, did = did_key_issuer()
    trust_issuer(did)
    fake_web.add(LIST_URL, revoked_list(did, key))
    signed = sign_as(credential(issuer=did, credentialStatus=status_entry()), key)
    signed["@context"] = [
        *signed["@context"],
        {"st": {"@id": "https://www.w3.org/2018/credentials#credentialStatus", "@type": "@id"}},
    ]
    signed["st"] = signed.pop("credentialStatus")
    outcome = checked(earner, signed)
    assert outcome.status != Status.VERIFIED


def test_a_status_entry_whose_type_is_written_as_a_full_iri_is_still_checked(
    earner: Any, fake_web: FakeWeb
) -> None:
    key, did = did_key_issuer()
    trust_issuer(did)
    fake_web.add(LIST_URL, revoked_list(did, key))
    signed = sign_as(credential(issuer=did, credentialStatus=status_entry()), key)
    signed["credentialStatus"]["type"] = (
        "https://www.w3.org/ns/credentials/status#BitstringStatusListEntry"
    )
    outcome = checked(earner, signed)
    assert outcome.status in (Status.REVOKED, Status.FAILED)


def test_a_status_size_written_as_a_list_still_revokes(earner: Any, fake_web: FakeWeb) -> None:
    key, did = did_key_issuer()
    trust_issuer(did)
    fake_web.add(LIST_URL, revoked_list(did, key))
    entry = {**status_entry(), "statusSize": 1}
    signed = sign_as(credential(issuer=did, credentialStatus=entry), key)
    signed["credentialStatus"]["statusSize"] = [1]
    outcome = checked(earner, signed)
    assert outcome.status in (Status.REVOKED, Status.FAILED)


def test_an_internationalised_look_alike_domain_is_shown_as_it_really_is(
    earner: Any, fake_web: FakeWeb
) -> None:
    """víctim.test is not victim.test: the identified domain is written in its ASCII
    (punycode) form, as browsers do for look-alikes, so an employer cannot be fooled."""
    from badges.didkey import multikey_from_public_key

    issuer = "https://víctim.test/issuer"
    ascii_host = "víctim.test".encode("idna").decode()
    key = Ed25519PrivateKey.generate()
    fake_web.add(
        f"https://{ascii_host}/issuer",
        controller_document(issuer, multikey_from_public_key(key.public_key())),
    )
    outcome = checked(earner, sign_hosted_key(credential(issuer=issuer), key, issuer))
    assert only(outcome, "signature").ok is True, outcome.checks
    assert outcome.identity_domain == ascii_host


# --- whose badge it is --------------------------------------------------------------------


def test_a_learner_record_holding_someone_elses_badge_does_not_make_it_theirs(
    earner: Any,
) -> None:
    """A CLR the learner (or anyone) signs is only a wrapper: each badge inside is checked
    on its own, its recipient included."""
    from badges.services import badges_import
    from tests.badges.issuers import sign_trusted
    from tests.badges.test_clr import signed_clr

    someone_elses = sign_trusted(credential(issuer="did:key:x", recipient="rival@example.org"))
    with pytest.raises(BadgeRejected, match="Issued to someone else"):
        badges_import(owner=earner, payload=json.dumps(signed_clr(someone_elses)), source="json")
    assert not earner.badges.exists()


def test_the_earner_is_read_from_the_subject_whose_achievement_is_shown(earner: Any) -> None:
    """Two subjects: someone else's distinction first, the learner's attendance second.
    What is shown (the first subject's achievement) is never confirmed as the learner's."""
    from tests.badges.issuers import sign_trusted

    mine = credential(issuer="did:key:x", name="Attendance")["credentialSubject"]
    theirs = credential(issuer="did:key:x", name="Distinction", recipient="rival@example.org")
    theirs["credentialSubject"] = [theirs["credentialSubject"], mine]
    outcome = checked(earner, sign_trusted(theirs))
    assert outcome.document["credentialSubject"][0]["achievement"]["name"] == "Distinction"
    assert only(outcome, "recipient").ok is False
    assert outcome.status == Status.FAILED


def test_an_address_in_another_case_is_still_the_learners(earner: Any) -> None:
    """Genuine: a badge issued to NOBODY@EXAMPLE.ORG (plain, not hashed) is the learner's."""
    from tests.badges.issuers import sign_trusted

    vc = credential(issuer="did:key:x")
    vc["credentialSubject"]["identifier"] = [{
        "type": "IdentityObject", "identityType": "emailAddress", "hashed": False,
        "identityHash": RECIPIENT.upper(),
    }]  # fmt: skip
    assert checked(earner, sign_trusted(vc)).status == Status.VERIFIED


def test_a_duplicate_key_cannot_show_one_date_while_another_is_signed(earner: Any) -> None:
    """JSON with a key twice: we read the last, so an attacker appending a later
    validUntil changes what is checked, and the signature no longer holds."""
    key, did = did_key_issuer()
    trust_issuer(did)
    signed = sign_as(credential(issuer=did, validUntil="2026-02-01T00:00:00Z"), key)
    text = json.dumps(signed)
    text = text[:-1] + ', "validUntil": "2099-01-01T00:00:00Z"}'
    outcome = checked(earner, text)
    assert only(outcome, "signature").ok is False and outcome.status == Status.FAILED
