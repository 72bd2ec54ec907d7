"""Re-verifying 1,000 badges with issuer-registry matching, against the same re-check
without any registry: the matching must cost at most 1.2x.

The badges are Open Badges 3.0 credentials signed by ISSUERS did:key issuers (no network:
the key is in the identifier), imported for one learner. Each pass runs badge_reverify
on every badge in this process, one after another, as the daily sweep's tasks do:

- without: no registry exists, so every badge ends "signature valid, issuer not identified";
- with: a registry of REGISTRY_SIZE issuer ids lists the ISSUERS, so every badge ends
  "verified" through a registry match (one indexed look-up per badge);

in the order without, with, without, with, so that warming up favours neither side;
each side's time is the better of its two passes. The ratio is with / without.
"""

import json
import time
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection
from django.utils import timezone

from badges.didkey import did_key_from_public_key, did_key_verification_method
from badges.models import Badge, IssuerRegistry, RegistryIssuer, Status
from badges.proofs import sign_data_integrity
from badges.services import badge_import, badge_reverify
from bench import datagen
from bench.environment import reset_database
from bench.harness import BenchmarkError, format_grid, scaled

COUNT = scaled((1000,))[0]
ISSUERS = 10
REGISTRY_SIZE = 5000
LIMIT = 1.2


@dataclass(frozen=True)
class MatchingResult:
    database: str
    count: int
    without: float
    with_registry: float

    @property
    def ratio(self) -> float:
        return self.with_registry / self.without


def did_key_credential(key: Ed25519PrivateKey, email: str, number: int) -> str:
    import hashlib

    did = did_key_from_public_key(key.public_key())
    salt = f"s{number}"
    doc = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"urn:uuid:00000000-0000-4000-8000-{number:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": "Bench College"},
        "validFrom": "2026-01-10T09:00:00Z",
        "name": f"Bench badge {number}",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                "salt": salt,
                "identityHash": "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest(),
            }],
            "achievement": {
                "id": f"https://bench.example/achievements/{number}", "type": ["Achievement"],
                "name": f"Bench badge {number}", "criteria": {"narrative": "Benchmarked."},
            },
        },
    }  # fmt: skip
    signed = sign_data_integrity(
        doc,
        private_key=key,
        verification_method=did_key_verification_method(did),
        created="2026-01-10T09:00:00Z",
    )
    return json.dumps(signed)


def _pass(ids: list[int], expected: str) -> float:
    start = time.perf_counter()
    for badge_id in ids:
        badge_reverify(badge_id=badge_id)
    seconds = time.perf_counter() - start
    statuses = set(Badge.objects.filter(pk__in=ids).values_list("status", flat=True))
    if statuses != {expected}:
        raise BenchmarkError(f"re-verification gave {statuses}, expected only {expected}")
    return seconds


def _registry(dids: list[str]) -> IssuerRegistry:
    registry = IssuerRegistry.objects.create(
        name="Bench registry", file_name="bench.json", format="dcc", fetched_at=timezone.now()
    )
    fillers = [f"did:web:college{n}.bench.example" for n in range(REGISTRY_SIZE - len(dids))]
    RegistryIssuer.objects.bulk_create(
        RegistryIssuer(registry=registry, issuer_id=issuer_id, name="Listed")
        for issuer_id in [*fillers, *dids]
    )
    return registry


def run() -> MatchingResult:
    """Flushes the database first; leaves the learner, the badges and no registry."""
    reset_database()
    learner = datagen.generate(learners=1).sample_learner
    keys = [Ed25519PrivateKey.generate() for _ in range(ISSUERS)]
    dids = [did_key_from_public_key(k.public_key()) for k in keys]
    ids = [
        badge_import(
            owner=learner,
            payload=did_key_credential(keys[n % ISSUERS], learner.email, n),
            source=Badge.Source.JSON,
        ).pk
        for n in range(COUNT)
    ]
    without, with_registry = [], []
    for _round in range(2):
        without.append(_pass(ids, Status.UNIDENTIFIED))
        registry = _registry(dids)
        with_registry.append(_pass(ids, Status.VERIFIED))
        registry.delete()
    return MatchingResult(
        database=connection.vendor,
        count=COUNT,
        without=min(without),
        with_registry=min(with_registry),
    )


def format_result(result: MatchingResult) -> str:
    cells: list[tuple[str, ...]] = [
        ("re-verification", "badges", "seconds", "badges/s", "ratio to no registry"),
        ("without any registry (floor)", str(result.count), f"{result.without:.2f}",
         f"{result.count / result.without:.0f}", "1.0x"),
        (f"with a {REGISTRY_SIZE}-issuer registry", str(result.count),
         f"{result.with_registry:.2f}", f"{result.count / result.with_registry:.0f}",
         f"{result.ratio:.2f}x"),
    ]  # fmt: skip
    verdict = "yes" if result.ratio <= LIMIT else "NO"
    return "\n".join(
        [
            format_grid(cells),
            f"registry matching within {LIMIT}x of no registry ({result.database}): {verdict}",
        ]
    )
