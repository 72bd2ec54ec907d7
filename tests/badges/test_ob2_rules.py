"""The OB 2.0 specification's Verification section, rule by rule, and the ways an attacker
would try to get round each one. Issuers are real https sites on tests/fakeweb.py."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from badges.models import Badge, Status
from badges.outcome import BadgeRejected, Outcome, Result
from badges.services import badge_import, badge_reverify
from badges.verification import check_payload
from tests.badges.issuers import RECIPIENT, earner, earner_client, form_errors, import_badge
from tests.badges.keys import b64url, rsa_key, sign_jwt, unsigned_token
from tests.fakeweb import FakeWeb

__all__ = ["earner", "earner_client"]  # fixtures

SITE = "https://issuer.test"
ISSUER = f"{SITE}/issuer.json"
BADGE = f"{SITE}/badge.json"
KEY = f"{SITE}/key.json"
HOSTED = f"{SITE}/assertions/1.json"
ATTACKER_KEY = "https://attacker.test/key.json"
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def key_document(url: str, key: rsa.RSAPrivateKey, owner: str = ISSUER) -> dict[str, Any]:
    return {"@context": "https://w3id.org/openbadges/v2", "id": url,
            "type": "CryptographicKey", "owner": owner, "publicKeyPem": pem(key)}  # fmt: skip


def profile(**extra: Any) -> dict[str, Any]:
    return {"@context": "https://w3id.org/openbadges/v2", "id": ISSUER, "type": "Issuer",
            "name": "Issuer Test", "url": SITE, "email": "badges@issuer.test", **extra}  # fmt: skip


def serve_issuer(web: FakeWeb, **extra: Any) -> None:
    """issuer.test publishes its badge class, its profile (listing KEY unless told
    otherwise) and KEY, the shared test RSA key."""
    web.add(BADGE, {"@context": "https://w3id.org/openbadges/v2", "id": BADGE,
                    "type": "BadgeClass", "name": "Robotics", "description": "Robots.",
                    "criteria": f"{SITE}/criteria", "issuer": ISSUER})  # fmt: skip
    web.add(ISSUER, profile(**{"publicKey": [KEY], **extra}))
    web.add(KEY, key_document(KEY, rsa_key()))


def assertion(**extra: Any) -> dict[str, Any]:
    salt = "pepper"
    digest = hashlib.sha256((RECIPIENT + salt).encode()).hexdigest()
    return {
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
        "id": "urn:uuid:7f4c1f36-5e9b-4d7c-9a53-1c7c6fb3a8a1",
        "recipient": {"type": "email", "hashed": True, "salt": salt,
                      "identity": f"sha256${digest}"},
        "badge": BADGE, "issuedOn": "2025-06-01T10:00:00Z",
        "verification": {"type": "signed", "creator": KEY}, **extra,
    }  # fmt: skip


def hosted(**extra: Any) -> dict[str, Any]:
    return assertion(**{"id": HOSTED, "verification": {"type": "hosted"}, **extra})


def check(payload: dict[str, Any] | str) -> Outcome:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    outcome, _facts = check_payload(text, emails=[RECIPIENT], now=NOW)
    return outcome


def result(outcome: Outcome, key: str) -> list[str]:
    return [c.result for c in outcome.checks if c.key == key]


# --- signed: the key must be one the issuer's own profile lists ---------------------------


def test_a_signed_badge_verifies_with_a_key_the_issuers_profile_lists(fake_web: FakeWeb) -> None:
    serve_issuer(fake_web)
    outcome = check(sign_jwt(assertion(), rsa_key(), "RS256"))
    assert outcome.status == Status.VERIFIED, outcome.checks
    assert outcome.identity_domain == "issuer.test"
    assert outcome.key is not None and outcome.key.id == KEY


def test_a_key_that_only_claims_the_issuer_as_owner_is_refused(fake_web: FakeWeb) -> None:
    """The issuer lists no keys; the attacker's key document names the issuer as owner."""
    serve_issuer(fake_web, publicKey=[])
    forger = other_key()
    fake_web.add(ATTACKER_KEY, key_document(ATTACKER_KEY, forger))
    outcome = check(sign_jwt(assertion(verification={"type": "signed", "creator": ATTACKER_KEY}),
                             forger, "RS256"))  # fmt: skip
    assert outcome.status == Status.FAILED
    assert "lists no signing keys" in outcome.reason
    assert outcome.identity_domain == ""


def test_a_key_the_issuer_does_not_list_is_refused(fake_web: FakeWeb) -> None:
    serve_issuer(fake_web)
    forger = other_key()
    fake_web.add(ATTACKER_KEY, key_document(ATTACKER_KEY, forger))
    outcome = check(sign_jwt(assertion(verification={"type": "signed", "creator": ATTACKER_KEY}),
                             forger, "RS256"))  # fmt: skip
    assert outcome.status == Status.FAILED
    assert "not one the issuer lists" in outcome.reason


def test_an_issuer_profile_embedded_in_the_token_is_not_trusted_over_the_real_one(
    fake_web: FakeWeb,
) -> None:
    serve_issuer(fake_web)
    forger = other_key()
    fake_web.add(ATTACKER_KEY, key_document(ATTACKER_KEY, forger))
    embedded = {"id": BADGE, "type": "BadgeClass", "name": "Robotics", "criteria": "x",
                "issuer": profile(publicKey=[ATTACKER_KEY])}  # fmt: skip
    forged = assertion(badge=embedded, verification={"type": "signed", "creator": ATTACKER_KEY})
    outcome = check(sign_jwt(forged, forger, "RS256"))
    assert outcome.status == Status.FAILED
    assert "not one the issuer lists" in outcome.reason


def test_a_key_on_http_is_fetched_over_https_so_a_swapped_copy_cannot_verify(
    fake_web: FakeWeb,
) -> None:
    """What travels over http can be swapped on the way (here: http answers with the
    attacker's key); the same address over https answers with the issuer's."""
    http_key = KEY.replace("https://", "http://")
    serve_issuer(fake_web, publicKey=[http_key])
    forger = other_key()
    fake_web.add(KEY, key_document(http_key, rsa_key()))
    fake_web.add(http_key, key_document(http_key, forger))
    token = sign_jwt(
        assertion(verification={"type": "signed", "creator": http_key}), forger, "RS256"
    )
    assert check(token).status == Status.FAILED
    genuine = check(sign_jwt(assertion(verification={"type": "signed", "creator": http_key}),
                             rsa_key(), "RS256"))  # fmt: skip
    assert genuine.status == Status.VERIFIED, genuine.checks


def test_a_key_only_published_over_http_does_not_identify_the_issuer(fake_web: FakeWeb) -> None:
    http_key = "http://keys.test/key.json"
    serve_issuer(fake_web, publicKey=[http_key])
    fake_web.add(http_key, key_document(http_key, rsa_key()))
    outcome = check(sign_jwt(assertion(verification={"type": "signed", "creator": http_key}),
                             rsa_key(), "RS256"))  # fmt: skip
    assert result(outcome, "signature") == [Result.PASSED]
    assert outcome.status == Status.UNIDENTIFIED
    assert "insecure connection" in outcome.identity_note


def test_a_key_document_that_names_another_address_is_refused(fake_web: FakeWeb) -> None:
    serve_issuer(fake_web)
    fake_web.add(KEY, key_document(f"{SITE}/another-key.json", rsa_key()))
    outcome = check(sign_jwt(assertion(), rsa_key(), "RS256"))
    assert outcome.status == Status.FAILED


def test_without_a_creator_the_keys_the_issuer_lists_are_tried(fake_web: FakeWeb) -> None:
    serve_issuer(fake_web)
    outcome = check(sign_jwt(assertion(verification={"type": "signed"}), rsa_key(), "RS256"))
    assert outcome.status == Status.VERIFIED, outcome.checks


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_only_rs256_signatures_are_accepted(fake_web: FakeWeb, alg: str) -> None:
    """Regression guard (already refused before): an unsigned token, or one "signed" with
    the public key as an HMAC secret."""
    serve_issuer(fake_web)
    payload = json.dumps(assertion()).encode()
    if alg == "none":
        token = unsigned_token({"alg": "none"}, assertion(), b"")
    else:
        import hmac

        head = b64url(json.dumps({"alg": "HS256"}).encode()) + "." + b64url(payload)
        mac = hmac.new(pem(rsa_key()).encode(), head.encode(), hashlib.sha256).digest()
        token = head + "." + b64url(mac)
    outcome = check(token)
    assert outcome.status == Status.FAILED
    assert result(outcome, "signature") == [Result.FAILED]


def test_a_signed_badge_whose_issuer_cannot_be_reached_is_refused(
    earner: Any, fake_web: FakeWeb
) -> None:
    fake_web.add_host("issuer.test")  # answers, but not for the badge class
    token = sign_jwt(assertion(badge="https://gone.test/badge.json"), rsa_key(), "RS256")
    with pytest.raises(BadgeRejected) as refused:
        badge_import(owner=earner, payload=token, source="jws")
    assert refused.value.unreachable and "Could not reach the issuer" in str(refused.value)
    assert not Badge.objects.exists()


# --- signed: revocation list ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "revoked"),
    [
        ([{"id": "urn:uuid:someone-else", "revocationReason": "Error"}], False),  # no uid
        (["urn:uuid:someone-else", {"uid": "x1"}], False),
        (
            [
                {
                    "id": "urn:uuid:7f4c1f36-5e9b-4d7c-9a53-1c7c6fb3a8a1",
                    "revocationReason": "Misconduct",
                }
            ],
            True,
        ),
        (["urn:uuid:7f4c1f36-5e9b-4d7c-9a53-1c7c6fb3a8a1"], True),
    ],
)
def test_the_revocation_list_names_a_badge_only_by_its_own_id(
    fake_web: FakeWeb, entries: list[Any], revoked: bool
) -> None:
    serve_issuer(fake_web, revocationList=f"{SITE}/revoked.json")
    fake_web.add(f"{SITE}/revoked.json", {"type": "RevocationList", "revokedAssertions": entries})
    outcome = check(sign_jwt(assertion(), rsa_key(), "RS256"))
    assert (outcome.status == Status.REVOKED) is revoked, outcome.checks
    if revoked and isinstance(entries[0], dict):
        assert "Misconduct" in outcome.reason


def test_without_a_revocation_list_revocation_is_not_applicable(fake_web: FakeWeb) -> None:
    serve_issuer(fake_web)
    outcome = check(sign_jwt(assertion(), rsa_key(), "RS256"))
    assert result(outcome, "revocation") == [Result.NOT_APPLICABLE]


def test_a_1_x_revocation_list_of_uids_revokes_a_signed_1_x_badge(fake_web: FakeWeb) -> None:
    fake_web.add(f"{SITE}/v1/badge.json", {"name": "Robotics", "description": "Robots.",
                 "criteria": f"{SITE}/c", "issuer": f"{SITE}/v1/org.json"})  # fmt: skip
    fake_web.add(f"{SITE}/v1/org.json", {"name": "Issuer Test", "url": SITE,
                 "revocationList": f"{SITE}/v1/revoked.json"})  # fmt: skip
    fake_web.add(f"{SITE}/v1/revoked.json", {"f2c20": "Issued in error"})
    fake_web.add(f"{SITE}/v1/key.pem", pem(rsa_key()), content_type="application/x-pem-file")
    v1 = {"uid": "f2c20", "recipient": assertion()["recipient"],
          "badge": f"{SITE}/v1/badge.json", "issuedOn": 1359217910,
          "verify": {"type": "signed", "url": f"{SITE}/v1/key.pem"}}  # fmt: skip
    outcome = check(sign_jwt(v1, rsa_key(), "RS256"))
    assert outcome.status == Status.REVOKED and "Issued in error" in outcome.reason


# --- hosted ------------------------------------------------------------------------------


def test_a_hosted_badge_whose_issuer_has_no_id_is_refused(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    badge = {"type": "BadgeClass", "name": "Robotics", "criteria": "x",
             "issuer": {"type": "Issuer", "name": "Issuer Test"}}  # fmt: skip
    document = hosted(id="https://anywhere.test/1.json", badge=badge)
    fake_web.add(document["id"], document)
    response = import_badge(earner_client, text=json.dumps(document))
    assert response.status_code == 400
    assert "web address (id)" in form_errors(response)
    assert not Badge.objects.exists()


def test_an_embedded_issuer_cannot_allow_its_own_origin(fake_web: FakeWeb) -> None:
    """Hosted on attacker.test, embedding the real issuer's id with a policy allowing
    attacker.test: the profile at that id, which allows no such thing, is what counts."""
    serve_issuer(fake_web)
    issuer = profile(verification={"allowedOrigins": ["attacker.test"]}, name="Real University")
    badge = {
        "id": BADGE,
        "type": "BadgeClass",
        "name": "Robotics",
        "criteria": "x",
        "issuer": issuer,
    }
    document = hosted(id="https://attacker.test/1.json", badge=badge)
    fake_web.add(document["id"], document)
    outcome = check(document)
    assert outcome.status == Status.FAILED
    assert "does not list as its own" in outcome.reason
    assert outcome.identity_domain == ""


def test_the_issuers_verification_policy_is_followed(fake_web: FakeWeb) -> None:
    policy = {"allowedOrigins": ["awards.issuer.test"],
              "startsWith": "https://awards.issuer.test/2025/"}  # fmt: skip
    serve_issuer(fake_web, verification=policy)
    allowed = hosted(id="https://awards.issuer.test/2025/1.json")
    elsewhere = hosted(id="https://awards.issuer.test/2024/1.json")
    for document in (allowed, elsewhere):
        fake_web.add(document["id"], document)
    assert check(allowed).status == Status.VERIFIED
    assert check(elsewhere).status == Status.FAILED


def test_a_hosted_copy_that_names_another_address_is_refused(fake_web: FakeWeb) -> None:
    serve_issuer(fake_web)
    fake_web.add(HOSTED, hosted(id=f"{SITE}/assertions/2.json"))
    with pytest.raises(BadgeRejected, match="another web address"):
        check(hosted())


def test_a_redirect_off_the_issuers_site_is_not_the_issuers_copy(fake_web: FakeWeb) -> None:
    serve_issuer(fake_web)
    fake_web.add_redirect(HOSTED, "https://elsewhere.test/1.json")
    fake_web.add("https://elsewhere.test/1.json", hosted())
    outcome = check(hosted())
    assert outcome.status == Status.FAILED
    assert "elsewhere.test" in outcome.reason


def test_an_issuer_profile_fetched_over_http_does_not_identify_the_issuer(
    fake_web: FakeWeb,
) -> None:
    serve_issuer(fake_web)
    http_issuer = "http://issuer.test/plain-issuer.json"  # and nothing at its https twin
    fake_web.add(BADGE, {"id": BADGE, "type": "BadgeClass", "name": "Robotics",
                         "criteria": "x", "issuer": http_issuer})  # fmt: skip
    fake_web.add(http_issuer, profile(id=http_issuer))
    fake_web.add(HOSTED, hosted())
    outcome = check(hosted())
    assert result(outcome, "issuer") == [Result.PASSED]
    assert outcome.status == Status.UNIDENTIFIED
    assert "insecure connection" in outcome.identity_note


@pytest.mark.parametrize("status", [200, 410])
def test_a_revoked_stub_refuses_the_import_and_revokes_on_reverification(
    earner: Any, fake_web: FakeWeb, status: int
) -> None:
    serve_issuer(fake_web)
    fake_web.add(HOSTED, hosted())
    badge = badge_import(owner=earner, payload=json.dumps(hosted()), source="json")
    stub = {"id": HOSTED, "revoked": True, "revocationReason": "Issued in error"}
    fake_web.add(HOSTED, stub, status=status)

    checked = badge_reverify(badge_id=badge.pk)
    assert checked is not None and checked.status == Status.REVOKED
    assert "Issued in error" in checked.status_reason
    with pytest.raises(BadgeRejected, match="revoked by its issuer"):
        badge_import(owner=earner, payload=json.dumps(hosted(id=HOSTED)), source="url")


def test_a_revoked_stub_at_the_address_given_is_refused(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    fake_web.add(HOSTED, {"id": HOSTED, "revoked": True})
    response = import_badge(earner_client, url=HOSTED)
    assert response.status_code == 400
    assert "revoked by its issuer" in form_errors(response)


def test_a_hosted_badge_whose_issuer_cannot_be_reached_is_refused(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    """The learner's own copy says whatever it likes; only the issuer's counts."""
    document = hosted(id="https://unreachable.test/1.json", badge={
        "id": BADGE, "type": "BadgeClass", "name": "Nobel Prize", "criteria": "x",
        "issuer": profile()})  # fmt: skip
    response = import_badge(earner_client, text=json.dumps(document))
    assert response.status_code == 400
    assert "Could not reach the issuer" in form_errors(response)
    assert "Try again later" in form_errors(response)
    assert not Badge.objects.exists()


def test_reverification_keeps_the_issuers_copy_when_it_cannot_be_reached(
    earner: Any, fake_web: FakeWeb, settings: Any
) -> None:
    serve_issuer(fake_web)
    fake_web.add(HOSTED, hosted())
    pasted = hosted(badge={"id": BADGE, "type": "BadgeClass", "name": "Nobel Prize",
                           "criteria": "x", "issuer": profile()})  # fmt: skip
    badge = badge_import(owner=earner, payload=json.dumps(pasted), source="json")
    assert badge.name == "Robotics" and badge.document == hosted()

    settings.OUTBOUND_FETCH_TIMEOUT = 0.3
    fake_web.add_slow(HOSTED, 5)
    checked = badge_reverify(badge_id=badge.pk)
    assert checked is not None and checked.status == Status.UNVERIFIABLE
    assert "Could not reach the issuer" in checked.status_reason
    checked.refresh_from_db()
    assert checked.name == "Robotics" and checked.document == hosted()


# --- dates -------------------------------------------------------------------------------


def test_an_expiry_before_the_issue_date_fails(fake_web: FakeWeb) -> None:
    serve_issuer(fake_web)
    token = sign_jwt(assertion(expires="2025-05-01T00:00:00Z"), rsa_key(), "RS256")
    outcome = check(token)
    assert outcome.status == Status.FAILED
    assert "expires before it was issued" in outcome.reason
