"""Open Badges 1.0 and 0.5 badges, upgraded to 2.0 on import and checked the same way."""

import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives import serialization
from django.test import Client

from badges.models import Badge, Status
from tests.badges.issuers import RECIPIENT, earner, earner_client, form_errors, import_badge
from tests.badges.keys import rsa_key, sign_jwt
from tests.fakeweb import FakeWeb

__all__ = ["earner", "earner_client"]  # fixtures

SITE = "https://badges.test"
SALT = "deadsea"


def identity(email: str = RECIPIENT) -> str:
    return "sha256$" + hashlib.sha256((email + SALT).encode()).hexdigest()


def serve_v1_issuer(web: FakeWeb) -> None:
    web.add(f"{SITE}/badge.json", {
        "name": "Awesome Robotics Badge", "description": "For doing awesome things with robots.",
        "image": f"{SITE}/badge.png", "criteria": f"{SITE}/criteria.html",
        "issuer": f"{SITE}/issuer.json",
        "alignment": [{"name": "Robotics", "url": f"{SITE}/frameworks/robotics"}],
    })  # fmt: skip
    web.add(
        f"{SITE}/issuer.json", {"name": "Robotics Club", "url": SITE, "email": "club@badges.test"}
    )


def v1_assertion(verify: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "uid": "f2c20",
        "recipient": {"type": "email", "hashed": True, "salt": SALT, "identity": identity()},
        "badge": f"{SITE}/badge.json",
        "verify": verify,
        "issuedOn": 1359217910,
        **extra,
    }


def test_a_hosted_1_0_badge_is_upgraded_and_verified(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    serve_v1_issuer(fake_web)
    hosted = f"{SITE}/assertions/f2c20.json"
    assertion = v1_assertion({"type": "hosted", "url": hosted})
    fake_web.add(hosted, assertion)
    response = import_badge(earner_client, url=hosted)
    assert response.status_code == 302, form_errors(response)
    (badge,) = Badge.objects.all()
    assert badge.status == Status.VERIFIED, badge.checks
    assert (badge.name, badge.issuer_name) == ("Awesome Robotics Badge", "Robotics Club")
    assert badge.issued_at is not None and badge.issued_at.isoformat().startswith("2013-01-26")
    assert badge.details["alignments"][0]["targetName"] == "Robotics"
    assert badge.original_payload == hosted  # what the learner gave, unchanged


def test_a_signed_1_0_badge_verifies_with_a_pem_key_on_the_issuers_site(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    serve_v1_issuer(fake_web)
    key = rsa_key()
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    fake_web.add(f"{SITE}/public.pem", pem, content_type="application/x-pem-file")
    token = sign_jwt(v1_assertion({"type": "signed", "url": f"{SITE}/public.pem"}), key, "RS256")
    response = import_badge(earner_client, text=token)
    assert response.status_code == 302, form_errors(response)
    assert Badge.objects.get().status == Status.VERIFIED


def test_a_signed_1_0_badge_with_a_key_on_another_site_is_refused(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    serve_v1_issuer(fake_web)
    key = rsa_key()
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    fake_web.add("https://keys.test/public.pem", pem, content_type="application/x-pem-file")
    token = sign_jwt(
        v1_assertion({"type": "signed", "url": "https://keys.test/public.pem"}), key, "RS256"
    )
    response = import_badge(earner_client, text=token)
    assert response.status_code == 400
    assert "not on the issuer's own site" in form_errors(response)


def test_a_0_5_badge_by_url_is_upgraded_and_verified(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    hosted = f"{SITE}/backpack/1.json"
    fake_web.add(hosted, {
        "recipient": identity(), "salt": SALT, "issued_on": "2012-07-01",
        "badge": {"version": "0.5.0", "name": "Webcraft Apprentice", "image": "/img/badge.png",
                  "description": "Took the first steps.", "criteria": "/criteria.html",
                  "issuer": {"origin": SITE, "name": "P2PU", "contact": "badges@badges.test"}},
    })  # fmt: skip
    response = import_badge(earner_client, url=hosted)
    assert response.status_code == 302, form_errors(response)
    badge = Badge.objects.get()
    assert badge.status == Status.VERIFIED, badge.checks
    assert badge.details["criteria"]["url"] == f"{SITE}/criteria.html"


def test_a_1_0_badge_without_a_recipient_is_refused_with_the_reason(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    serve_v1_issuer(fake_web)
    assertion = v1_assertion({"type": "hosted", "url": f"{SITE}/a.json"})
    del assertion["recipient"]
    response = import_badge(earner_client, text=json.dumps(assertion))
    assert response.status_code == 400
    assert "no recipient" in form_errors(response)
