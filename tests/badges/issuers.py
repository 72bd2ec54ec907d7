"""Test issuers: the shared OB 2.0 fixtures served as their issuer would serve them, and
OB 3.0 credentials signed here with fresh keys (did:key or an https controller document)."""

import base64
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client
from django.urls import reverse

from accounts.models import User
from badges.didkey import (
    did_key_from_public_key,
    did_key_verification_method,
    multikey_from_public_key,
)
from badges.proofs import sign_data_integrity
from tests.fakeweb import FakeWeb

FIXTURES = Path(__file__).parent / "fixtures"
OB2 = FIXTURES / "ob20"
OB3 = FIXTURES / "ob30"
RECIPIENT = "nobody@example.org"  # the fixtures' (salted, hashed) recipient
ISSUER = "https://example.com/issuers/876543"  # the OB 3.0 fixtures' issuer


def text(path: Path) -> str:
    return path.read_text()


def serve_ob2_issuer(web: FakeWeb, *, assertion: str = "basic-assertion.json") -> None:
    """example.org answers with the fixture assets, and hosts `assertion` at its id."""
    for base in ("https://example.org/", "http://example.org/"):
        web.serve_directory(base, OB2 / "assets")
    hosted = json.loads(text(OB2 / assertion))
    web.add(hosted["id"], hosted)


def controller_document(issuer: str, *keys: str) -> dict[str, Any]:
    """An issuer profile listing these Multikey keys (publicKeyMultibase) as its own."""
    methods = [
        {"id": f"{issuer}#{key}", "type": "Multikey", "controller": issuer,
         "publicKeyMultibase": key}
        for key in keys
    ]  # fmt: skip
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/data-integrity/v1"],
        "id": issuer,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


def fixture_keys(*names: str) -> list[str]:
    """The multibase keys the OB 3.0 fixtures were signed with (from their methods)."""
    keys = []
    for name in names:
        proof = json.loads(text(OB3 / name))["proof"]
        proof = proof[0] if isinstance(proof, list) else proof
        keys.append(proof["verificationMethod"].split("#", 1)[1])
    return keys


def serve_ob3_issuer(web: FakeWeb) -> None:
    """The fixtures' issuer publishes both keys its fixtures were signed with."""
    keys = fixture_keys("simple.json")
    baked = json.loads(_baked_credential())
    proof = baked["proof"][0] if isinstance(baked["proof"], list) else baked["proof"]
    keys.append(proof["verificationMethod"].split("#", 1)[1])
    web.add(ISSUER, controller_document(ISSUER, *dict.fromkeys(keys)))


def _baked_credential() -> str:
    from badges.baking import extract

    return extract((OB3 / "simple-json.png").read_bytes()).payload


def credential(
    *,
    issuer: str,
    recipient: str = RECIPIENT,
    achievement_id: str = "https://badges.test/achievements/python",
    name: str = "Python programming",
    valid_from: str = "2026-01-10T09:00:00Z",
    **extra: Any,
) -> dict[str, Any]:
    """An unsigned OB 3.0 credential naming `recipient` by hashed email."""
    import hashlib

    salt = "pepper"
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"urn:uuid:{_digest(achievement_id + recipient + valid_from)[:32]}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Test Institute"},
        "validFrom": valid_from,
        "name": name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                "salt": salt,
                "identityHash": "sha256$" + hashlib.sha256((recipient + salt).encode()).hexdigest(),
            }],
            "achievement": {
                "id": achievement_id, "type": ["Achievement"], "name": name,
                "description": f"Can do {name.lower()}.",
                "criteria": {"narrative": "Passed the practical assessment."},
                "creditsAvailable": 5,
            },
        },
        **extra,
    }  # fmt: skip


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def sign_did_key(doc: dict[str, Any], key: Ed25519PrivateKey | None = None) -> dict[str, Any]:
    """Sign `doc` as its did:key issuer (the issuer id is set to the key's DID)."""
    key = key or Ed25519PrivateKey.generate()
    did = did_key_from_public_key(key.public_key())
    doc = {**doc, "issuer": {**doc["issuer"], "id": did}}
    return sign_data_integrity(
        doc, private_key=key, verification_method=did_key_verification_method(did),
        created="2026-01-10T09:00:00Z",
    )  # fmt: skip


def trust_issuer(issuer_id: str, *, name: str = "Test registry") -> None:
    """List `issuer_id` in an issuer registry the institution trusts (as if fetched now),
    so that a badge it signs can be Verified, not merely "signature valid"."""
    from django.utils import timezone

    from badges.models import IssuerRegistry, RegistryIssuer

    registry, _created = IssuerRegistry.objects.get_or_create(
        name=name,
        defaults={"url": "https://registry.test/registry.json", "format": "dcc",
                  "fetched_at": timezone.now()},
    )  # fmt: skip
    RegistryIssuer.objects.get_or_create(
        registry=registry, issuer_id=issuer_id, defaults={"name": "Test Institute"}
    )


def sign_trusted(doc: dict[str, Any], key: Ed25519PrivateKey | None = None) -> dict[str, Any]:
    """Sign `doc` with a fresh did:key and list that DID in a trusted registry: a badge
    that is Verified (intact, and its issuer identified by a registry)."""
    signed = sign_did_key(doc, key)
    trust_issuer(signed["issuer"]["id"])
    return signed


def sign_hosted_key(doc: dict[str, Any], key: Ed25519PrivateKey, issuer: str) -> dict[str, Any]:
    method = f"{issuer}#{multikey_from_public_key(key.public_key())}"
    return sign_data_integrity(
        doc, private_key=key, verification_method=method, created="2026-01-10T09:00:00Z"
    )


def bitstring(revoked_indexes: set[int], *, size: int = 16 * 1024) -> str:
    """An encodedList (multibase base64url of the gzipped bitstring, MSB first)."""
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode().rstrip("=")


def form_errors(response: Any) -> str:
    """The import form's error messages as plain text (unescaped)."""
    form = response.context["form"]
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def import_badge(client: Client, **fields: Any) -> Any:
    """POST the import form as a learner would (one of image / text / url)."""
    data = {"visibility": "tutors", "note": "", **fields}
    return client.post(reverse("badges:import"), data)


@pytest.fixture
def earner(db: None) -> User:
    """A learner whose verified address is the fixtures' recipient."""
    from tests.factories import LearnerFactory

    learner = LearnerFactory.create(email=RECIPIENT, verified_email=False)
    EmailAddress.objects.create(user=learner, email=RECIPIENT, primary=True, verified=True)
    return learner


@pytest.fixture
def earner_client(client: Client, earner: User) -> Client:
    client.force_login(earner)
    return client
