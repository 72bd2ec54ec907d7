"""CLR 2.0: the ClrCredential's own proof (its registrar's signature) is checked, as JSON
or as a VC-JWT, before any credential inside it is imported."""

import json
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client

from badges.didkey import did_key_from_public_key, did_key_verification_method
from badges.models import Badge
from badges.proofs import sign_data_integrity
from tests.badges.issuers import (
    credential,
    earner,
    earner_client,
    form_errors,
    import_badge,
    sign_did_key,
)
from tests.badges.keys import public_jwk, rsa_key
from tests.fakeweb import FakeWeb

__all__ = ["earner", "earner_client"]  # fixtures

REGISTRAR = "https://registrar.test/profile"


def clr(issuer: str, *held: Any) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:7f7a1c2e-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Registry"},
        "validFrom": "2026-01-10T09:00:00Z",
        "name": "Transcript",
        "credentialSubject": {
            "type": ["ClrSubject"], "id": "did:example:learner",
            "verifiableCredential": list(held),
        },
    }  # fmt: skip


def held_badges() -> list[dict[str, Any]]:
    good = sign_did_key(credential(issuer="did:key:x", name="Python programming"))
    other = sign_did_key(
        credential(issuer="did:key:x", name="SQL", achievement_id="https://badges.test/sql")
    )
    return [good, other]


def signed_clr(*held: Any, key: Ed25519PrivateKey | None = None) -> dict[str, Any]:
    key = key or Ed25519PrivateKey.generate()
    did = did_key_from_public_key(key.public_key())
    return sign_data_integrity(
        clr(did, *held), private_key=key, verification_method=did_key_verification_method(did),
        created="2026-01-10T09:00:00Z",
    )  # fmt: skip


def names() -> list[str]:
    return sorted(Badge.objects.values_list("name", flat=True))


def test_a_signed_clr_imports_the_credentials_it_holds(earner_client: Client) -> None:
    response = import_badge(earner_client, text=json.dumps(signed_clr(*held_badges())))
    assert response.status_code == 302, form_errors(response)
    assert names() == ["Python programming", "SQL"]


def test_a_clr_whose_own_signature_is_broken_imports_nothing(earner_client: Client) -> None:
    record = signed_clr(*held_badges())
    record["name"] = "Transcript, with honours"  # changed after the registrar signed it
    response = import_badge(earner_client, text=json.dumps(record))
    assert response.status_code == 400
    assert "learner record (CLR) was not imported" in form_errors(response)
    assert "signature does not match" in form_errors(response)
    assert names() == []


def test_a_clr_with_another_held_credential_swapped_in_imports_nothing(
    earner_client: Client,
) -> None:
    record = signed_clr(*held_badges())
    forged = sign_did_key(credential(issuer="did:key:x", name="Rocket science"))
    record["credentialSubject"]["verifiableCredential"][1] = forged
    response = import_badge(earner_client, text=json.dumps(record))
    assert response.status_code == 400
    assert names() == []


def test_an_unsigned_clr_imports_nothing(earner_client: Client) -> None:
    record = clr("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", *held_badges())
    response = import_badge(earner_client, text=json.dumps(record))
    assert response.status_code == 400
    assert "not signed" in form_errors(response)
    assert names() == []


def test_a_clr_signed_with_a_key_its_issuer_does_not_hold_imports_nothing(
    earner_client: Client,
) -> None:
    record = signed_clr(*held_badges())
    stranger = did_key_from_public_key(Ed25519PrivateKey.generate().public_key())
    record["issuer"]["id"] = stranger
    response = import_badge(earner_client, text=json.dumps(record))
    assert response.status_code == 400
    assert names() == []


def test_a_clr_as_a_vc_jwt_is_checked_and_imported(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    kid = "https://registrar.test/keys/1"
    fake_web.add(kid, public_jwk(rsa_key()))
    record = clr(REGISTRAR, *held_badges())
    claims = {"iss": REGISTRAR, "jti": record["id"], "sub": "did:example:learner"}
    token = jwt.encode({**record, **claims}, rsa_key(), algorithm="RS256", headers={"kid": kid})
    response = import_badge(earner_client, text=token)
    assert response.status_code == 302, form_errors(response)
    assert names() == ["Python programming", "SQL"]


def test_a_clr_vc_jwt_signed_by_another_key_imports_nothing(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    kid = "https://registrar.test/keys/1"
    fake_web.add(kid, public_jwk(rsa_key()))
    record = clr(REGISTRAR, *held_badges())
    from cryptography.hazmat.primitives.asymmetric import rsa

    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode({**record, "iss": REGISTRAR}, forger, algorithm="RS256",
                       headers={"kid": kid})  # fmt: skip
    response = import_badge(earner_client, text=token)
    assert response.status_code == 400
    assert "signature does not match" in form_errors(response)
    assert names() == []
