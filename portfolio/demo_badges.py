"""Demo badges for `make run`: Open Badges 3.0 credentials signed here by a did:key issuer
and baked into PNG images, so they verify offline; a demo issuer registry that lists that
issuer, so they show as genuinely Verified; one self-issued credential that claims a
university and shows the difference; and an institution stack built on them."""

import hashlib
import io
from datetime import date, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image, ImageDraw, ImageFont

from accounts.institutions.services import institution_default
from badges.baking import bake_png
from badges.didkey import did_key_from_public_key, did_key_verification_method
from badges.models import Badge, IssuerRegistry, RegistryIssuer, Stack
from badges.proofs import sign_data_integrity
from badges.services import badge_import
from badges.stacks import stack_create
from portfolio.demo_apel import badge_alignments

ACHIEVEMENTS = "https://demo.example/achievements/"
DEMO_ISSUER_NAME = "Demo Institute of Technology"
DEMO_REGISTRY_NAME = "Demo institution registry"
# The demo issuer's key is derived from a public phrase so that its DID is the same on
# every machine and the demo registry can list it. Demo data only: anyone can sign with it.
_DEMO_ISSUER_SEED = hashlib.sha256(b"learner-portfolio demo issuer").digest()


def demo_issuer_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_DEMO_ISSUER_SEED)


def demo_issuer_did() -> str:
    return did_key_from_public_key(demo_issuer_key().public_key())


DEMO_BADGES = [
    ("accessible-forms", "Accessible Web Forms", (31, 79, 168), 60, None),
    ("usability-testing", "Usability Testing", (27, 107, 58), 30, None),
    ("git-basics", "Version Control with Git", (122, 77, 0), 400, 30),  # expired 30 days ago
]


def badge_png(label: str, colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([(10, 10), (390, 390)], fill=colour, outline=(255, 255, 255), width=12)
    words = label.split()
    font = ImageFont.load_default(size=34)
    for line, word in enumerate(words):
        draw.text((200, 200 + (line - (len(words) - 1) / 2) * 42), word, fill="white",
                  font=font, anchor="mm")  # fmt: skip
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def demo_credential(
    *, issuer_key: Ed25519PrivateKey, email: str, slug: str, name: str, issued: date,
    expires: date | None, issuer_name: str = DEMO_ISSUER_NAME,
    issuer_url: str = "https://demo.example/",
) -> dict[str, Any]:  # fmt: skip
    did = did_key_from_public_key(issuer_key.public_key())
    salt = hashlib.sha256(f"{email}{slug}".encode()).hexdigest()[:16]
    credential: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"urn:uuid:{hashlib.sha256(f'{email}:{slug}'.encode()).hexdigest()[:32]}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": issuer_name, "url": issuer_url},
        "validFrom": f"{issued.isoformat()}T09:00:00Z",
        "name": name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                "salt": salt,
                "identityHash": "sha256$" + hashlib.sha256(f"{email}{salt}".encode()).hexdigest(),
            }],
            "achievement": {
                "id": ACHIEVEMENTS + slug, "type": ["Achievement"], "name": name,
                "description": f"Shows practical, assessed skill in {name.lower()}.",
                "criteria": {"narrative": "Completed the module's project and passed its "
                                          "practical assessment."},
                "creditsAvailable": 5,
                "fieldOfStudy": "Computing",
            },
        },
    }  # fmt: skip
    alignments = badge_alignments(slug)  # outcomes of the demo programme it covers
    if alignments:
        credential["credentialSubject"]["achievement"]["alignment"] = alignments
    if expires is not None:
        credential["validUntil"] = f"{expires.isoformat()}T09:00:00Z"
    return sign_data_integrity(
        credential,
        private_key=issuer_key,
        verification_method=did_key_verification_method(did),
        created=f"{issued.isoformat()}T09:00:00Z",
    )


def seed_registry(*, now: Any) -> None:
    """The demo institution trusts a registry that lists the demo issuer (as if uploaded)."""
    registry, _created = IssuerRegistry.objects.get_or_create(
        name=DEMO_REGISTRY_NAME,
        defaults={"file_name": "demo-registry.json", "format": IssuerRegistry.Format.DCC,
                  "fetched_at": now, "institution": institution_default()},
    )  # fmt: skip
    RegistryIssuer.objects.get_or_create(
        registry=registry,
        issuer_id=demo_issuer_did(),
        defaults={"name": DEMO_ISSUER_NAME, "url": "https://demo.example/"},
    )


def seed_badges(learner: Any, *, today: date, self_issued: bool = False) -> int:
    """Import the demo badges for this learner (once), as baked images. Returns how many.
    With `self_issued`, also one the learner signed themselves claiming a university:
    its signature is valid, but nothing ties it to the university."""
    if Badge.objects.filter(owner=learner).exists():
        return 0
    import json

    issuer_key = demo_issuer_key()
    for slug, name, colour, days_ago, expired_days_ago in DEMO_BADGES:
        credential = demo_credential(
            issuer_key=issuer_key,
            email=learner.email,
            slug=slug,
            name=name,
            issued=today - timedelta(days=days_ago),
            expires=today - timedelta(days=expired_days_ago) if expired_days_ago else None,
        )
        image = bake_png(badge_png(name, colour), json.dumps(credential),
                         keyword="openbadgecredential")  # fmt: skip
        badge_import(owner=learner, payload=json.dumps(credential), source="image", image=image)
    if not self_issued:
        return len(DEMO_BADGES)
    claimed = demo_credential(
        issuer_key=Ed25519PrivateKey.generate(),
        email=learner.email,
        slug="data-science-masterclass",
        name="Data Science Masterclass",
        issued=today - timedelta(days=10),
        expires=None,
        issuer_name="University of Northbridge",
        issuer_url="https://www.northbridge.ac.uk/",
    )
    badge_import(owner=learner, payload=json.dumps(claimed), source="json")
    return len(DEMO_BADGES) + 1


def seed_institution_stack() -> None:
    if Stack.objects.filter(owner=None, name="Web Accessibility Practitioner").exists():
        return
    stack_create(
        owner=None,
        institution=institution_default(),
        name="Web Accessibility Practitioner",
        description="The institution's micro-credential for building and testing accessible "
        "web services.",
        items=[
            (ACHIEVEMENTS + "accessible-forms", "Accessible Web Forms", True),
            (ACHIEVEMENTS + "usability-testing", "Usability Testing", True),
            (ACHIEVEMENTS + "screen-reader-testing", "Screen Reader Testing", True),
            (ACHIEVEMENTS + "git-basics", "Version Control with Git", False),
        ],
    )
