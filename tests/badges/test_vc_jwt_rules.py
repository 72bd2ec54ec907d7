"""OB 3.0 VC-JWT, rule by rule ("JSON Web Token Proof Format", "Verify a Credential"):
the key from kid (a JWK, a JWKS or the issuer's controller document) or jwk, bound to the
issuer; the header's typ and cty; iss, sub, jti, nbf and exp against the credential."""

import time
from datetime import datetime
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone

from badges.models import Identity, Status
from badges.outcome import Outcome
from badges.verification import check_payload
from tests.badges.issuers import RECIPIENT, credential
from tests.badges.keys import ALGORITHM_KEYS, ec_key, public_jwk, rsa_key
from tests.fakeweb import FakeWeb

ISSUER = "https://issuer.test/profile"
KID = "https://issuer.test/keys/1"


def token_for(
    vc: dict[str, Any], key: Any, alg: str, headers: dict[str, Any], **claims: Any
) -> str:
    payload = {"iss": ISSUER, "jti": vc["id"], "nbf": _seconds(vc["validFrom"]), **claims}
    return jwt.encode({**vc, **payload}, key, algorithm=alg, headers=headers)


def _seconds(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def check(token: str) -> Outcome:
    outcome, _facts = check_payload(token, emails=[RECIPIENT], now=timezone.now())
    return outcome


def signature(outcome: Outcome) -> tuple[bool | None, str]:
    (check_,) = [c for c in outcome.checks if c.key == "signature"]
    return check_.ok, check_.message


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_a_token_whose_kid_is_a_jwk_on_the_issuers_site_verifies(
    fake_web: FakeWeb, alg: str
) -> None:
    key = ALGORITHM_KEYS[alg]()
    fake_web.add(KID, public_jwk(key))
    outcome = check(token_for(credential(issuer=ISSUER), key, alg, {"kid": KID}))
    assert outcome.status == Status.VERIFIED, outcome.checks
    assert outcome.identity == Identity.DOMAIN and outcome.identity_domain == "issuer.test"
    assert outcome.key is not None and outcome.key.found_at == KID
    assert KID in fake_web.requests


def test_a_kid_naming_a_key_of_the_issuers_jwks_verifies(fake_web: FakeWeb) -> None:
    jwks = "https://issuer.test/.well-known/jwks.json"
    other = public_jwk(ec.generate_private_key(ec.SECP256R1()))
    fake_web.add(jwks, {"keys": [{**other, "kid": "old"}, {**public_jwk(ec_key()), "kid": "k1"}]})
    outcome = check(token_for(credential(issuer=ISSUER), ec_key(), "ES256", {"kid": f"{jwks}#k1"}))
    assert outcome.status == Status.VERIFIED, outcome.checks


def test_a_kid_in_the_issuers_controller_document_as_a_jwk_verifies(fake_web: FakeWeb) -> None:
    method = f"{ISSUER}#key-1"
    fake_web.add(ISSUER, {
        "id": ISSUER,
        "verificationMethod": [{"id": method, "type": "JsonWebKey2020", "controller": ISSUER,
                                "publicKeyJwk": public_jwk(rsa_key())}],
        "assertionMethod": [method],
    })  # fmt: skip
    outcome = check(token_for(credential(issuer=ISSUER), rsa_key(), "RS256", {"kid": "key-1"}))
    assert outcome.status == Status.VERIFIED, outcome.checks


def test_a_token_signed_with_another_key_fails_its_signature(fake_web: FakeWeb) -> None:
    fake_web.add(KID, public_jwk(ec_key()))
    forger = ec.generate_private_key(ec.SECP256R1())
    outcome = check(token_for(credential(issuer=ISSUER), forger, "ES256", {"kid": KID}))
    assert outcome.status == Status.FAILED
    assert "signature does not match" in signature(outcome)[1]


def test_a_token_whose_iss_is_not_the_credentials_issuer_fails(fake_web: FakeWeb) -> None:
    fake_web.add(KID, public_jwk(rsa_key()))
    vc = credential(issuer=ISSUER)
    outcome = check(token_for(vc, rsa_key(), "RS256", {"kid": KID}, iss="https://issuer.test/x"))
    assert outcome.status == Status.FAILED
    assert "is not the credential's issuer" in signature(outcome)[1]


@pytest.mark.parametrize(
    ("claims", "says"),
    [({"sub": "did:example:someone"}, "not the credential's subject"),
     ({"jti": "urn:uuid:another"}, "not the credential's id")],
)  # fmt: skip
def test_sub_and_jti_must_be_the_credentials(
    fake_web: FakeWeb, claims: dict[str, Any], says: str
) -> None:
    fake_web.add(KID, public_jwk(rsa_key()))
    vc = credential(issuer=ISSUER)
    vc["credentialSubject"]["id"] = "did:example:learner"
    outcome = check(token_for(vc, rsa_key(), "RS256", {"kid": KID}, **claims))
    assert outcome.status == Status.FAILED
    assert says in signature(outcome)[1]


def test_a_key_published_on_another_site_is_not_the_issuers(fake_web: FakeWeb) -> None:
    foreign = "https://keys.test/jwk.json"
    fake_web.add(foreign, public_jwk(rsa_key()))
    outcome = check(token_for(credential(issuer=ISSUER), rsa_key(), "RS256", {"kid": foreign}))
    assert outcome.status == Status.FAILED
    assert "published at keys.test, not on the issuer's own site" in signature(outcome)[1]
    assert foreign not in fake_web.requests


def test_a_key_carried_in_the_token_does_not_prove_an_https_issuer(fake_web: FakeWeb) -> None:
    headers = {"jwk": public_jwk(ec_key())}
    outcome = check(token_for(credential(issuer=ISSUER), ec_key(), "ES256", headers))
    assert outcome.status == Status.FAILED
    assert "carries its own key" in signature(outcome)[1]


def test_a_published_private_key_is_refused(fake_web: FakeWeb) -> None:
    from jwt.algorithms import ECAlgorithm

    fake_web.add(KID, ECAlgorithm.to_jwk(ec_key(), as_dict=True))  # with "d"
    outcome = check(token_for(credential(issuer=ISSUER), ec_key(), "ES256", {"kid": KID}))
    assert outcome.status == Status.FAILED
    assert "private part" in signature(outcome)[1]


def test_the_issuers_key_not_answering_is_not_verifiable_now(
    fake_web: FakeWeb, settings: Any
) -> None:
    settings.OUTBOUND_FETCH_TIMEOUT = 0.3
    fake_web.add_slow(KID, 5)
    outcome = check(token_for(credential(issuer=ISSUER), rsa_key(), "RS256", {"kid": KID}))
    assert outcome.status == Status.UNVERIFIABLE
    assert signature(outcome)[0] is None


def test_a_token_past_its_exp_is_expired_though_the_credential_has_no_valid_until(
    fake_web: FakeWeb,
) -> None:
    fake_web.add(KID, public_jwk(rsa_key()))
    vc = credential(issuer=ISSUER)
    token = token_for(vc, rsa_key(), "RS256", {"kid": KID}, exp=int(time.time()) - 86400)
    outcome = check(token)
    assert outcome.status == Status.EXPIRED, outcome.checks
    assert outcome.document["validUntil"]


def test_a_token_whose_nbf_is_in_the_future_is_refused_like_a_future_valid_from(
    fake_web: FakeWeb,
) -> None:
    fake_web.add(KID, public_jwk(rsa_key()))
    vc = credential(issuer=ISSUER)
    del vc["validFrom"]
    payload = {**vc, "iss": ISSUER, "jti": vc["id"], "nbf": int(time.time()) + 30 * 86400}
    outcome = check(jwt.encode(payload, rsa_key(), algorithm="RS256", headers={"kid": KID}))
    assert outcome.status == Status.FAILED
    (dates,) = [c for c in outcome.checks if c.key == "dates"]
    assert "issued in the future" in dates.message


@pytest.mark.parametrize(
    ("header", "says"),
    [({"typ": "JOSE+JSON"}, "is not a JWT"), ({"cty": "JWT"}, "is not a credential"),
     ({"crit": ["b64"], "b64": True}, "crit")],
)  # fmt: skip
def test_header_types_other_than_a_credential_jwt_are_refused(
    fake_web: FakeWeb, header: dict[str, Any], says: str
) -> None:
    fake_web.add(KID, public_jwk(rsa_key()))
    token = token_for(credential(issuer=ISSUER), rsa_key(), "RS256", {"kid": KID, **header})
    outcome = check(token)
    assert outcome.status == Status.FAILED
    assert says in signature(outcome)[1]


def test_the_vc_jose_cose_type_is_accepted(fake_web: FakeWeb) -> None:
    fake_web.add(KID, public_jwk(rsa_key()))
    headers = {"kid": KID, "typ": "vc+jwt", "cty": "vc"}
    outcome = check(token_for(credential(issuer=ISSUER), rsa_key(), "RS256", headers))
    assert outcome.status == Status.VERIFIED, outcome.checks


@pytest.mark.parametrize(("revoked", "status"), [({7}, Status.REVOKED), (set(), Status.VERIFIED)])
def test_a_status_list_served_as_a_vc_jwt_by_the_issuer_is_believed(
    fake_web: FakeWeb, revoked: set[int], status: str
) -> None:
    from tests.badges.issuers import bitstring

    list_url = "https://issuer.test/status/3"
    fake_web.add(KID, public_jwk(rsa_key()))
    status_list = {
        "@context": ["https://www.w3.org/ns/credentials/v2"], "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": ISSUER, "validFrom": "2026-01-10T09:00:00Z",
        "credentialSubject": {"type": "BitstringStatusList", "statusPurpose": "revocation",
                              "encodedList": bitstring(revoked, size=131072)},
    }  # fmt: skip
    list_token = jwt.encode({**status_list, "iss": ISSUER}, rsa_key(), algorithm="RS256",
                            headers={"kid": KID})  # fmt: skip
    fake_web.add(list_url, list_token, content_type="application/vc+jwt")
    entry = {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
             "statusListIndex": "7", "statusListCredential": list_url}  # fmt: skip
    vc = credential(issuer=ISSUER, credentialStatus=entry)
    outcome = check(token_for(vc, rsa_key(), "RS256", {"kid": KID}))
    assert outcome.status == status, outcome.checks
