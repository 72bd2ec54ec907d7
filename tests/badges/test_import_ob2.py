"""Open Badges 2.0, imported the three ways a learner can, with the shared fixtures'
expected results."""

import base64
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from badges.models import Badge, Status
from badges.services import badge_reverify
from tests.badges.issuers import OB2, earner, earner_client, import_badge, serve_ob2_issuer, text
from tests.fakeweb import FakeWeb

__all__ = ["earner", "earner_client"]  # fixtures


def only_badge() -> Badge:
    (badge,) = Badge.objects.all()
    return badge


def test_hosted_assertion_pasted_as_json_verifies(earner_client: Client, fake_web: FakeWeb) -> None:
    serve_ob2_issuer(fake_web)
    response = import_badge(earner_client, text=text(OB2 / "basic-assertion.json"))
    badge = only_badge()
    assert response["Location"] == badge.get_absolute_url()
    assert badge.status == Status.VERIFIED, badge.checks
    assert (badge.name, badge.issuer_name) == ("Awesome Robotics Badge", "An Example Badge Issuer")
    assert badge.spec_version == "2.0" and badge.source == "json"
    assert {c["key"] for c in badge.checks} >= {
        "structure",
        "issuer",
        "signature",
        "dates",
        "recipient",
    }
    page = earner_client.get(badge.get_absolute_url()).content.decode()
    assert "Verified" in page and "Issued to one of your verified email addresses." in page


def test_baked_png_verifies_and_keeps_the_image_unchanged(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    serve_ob2_issuer(fake_web)
    image = (OB2 / "simple-badge.png").read_bytes()
    import_badge(earner_client, image=SimpleUploadedFile("badge.png", image))
    badge = only_badge()
    assert badge.status == Status.VERIFIED, badge.checks
    assert badge.source == "image"
    assert badge.original_image.read() == image
    served = earner_client.get(reverse("badges:image", args=[badge.public_id]))
    body = b"".join(served.streaming_content)  # type: ignore[attr-defined]
    assert served["Content-Type"] == "image/png" and b"openbadges" not in body


def test_signed_assertion_verifies_with_the_issuers_key(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    serve_ob2_issuer(fake_web)
    import_badge(earner_client, text=text(OB2 / "simple.jwt"))
    badge = only_badge()
    assert badge.status == Status.VERIFIED, badge.checks
    assert badge.source == "jws"
    assert any(c["message"] == "The issuer's signature is valid." for c in badge.checks)


def test_hosted_url_verifies(earner_client: Client, fake_web: FakeWeb) -> None:
    serve_ob2_issuer(fake_web)
    import_badge(earner_client, url="https://example.org/beths-robotics-badge.json")
    assert only_badge().status == Status.VERIFIED


def test_expired_badge_imports_marked_expired(earner_client: Client, fake_web: FakeWeb) -> None:
    serve_ob2_issuer(fake_web, assertion="basic-assertion-expired.json")
    import_badge(earner_client, text=text(OB2 / "basic-assertion-expired.json"))
    badge = only_badge()
    assert badge.status == Status.EXPIRED
    assert "Expired on 2022-11-15" in badge.status_reason or any(
        "Expired on 2022-11-15" in c["message"] for c in badge.checks
    )


@pytest.mark.parametrize(
    ("fixture", "says"),
    [
        ("basic-assertion-in-future.json", "issued in the future"),
        ("basic-assertion-invalid-context.json", "not a valid Open Badge"),
    ],
)
def test_invalid_badges_are_refused_with_the_reason(
    earner_client: Client, fake_web: FakeWeb, fixture: str, says: str
) -> None:
    serve_ob2_issuer(fake_web, assertion=fixture)
    response = import_badge(earner_client, text=text(OB2 / fixture))
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Badge.objects.exists()


def test_a_badge_issued_to_someone_else_is_refused(
    client: Client, db: None, fake_web: FakeWeb
) -> None:
    from tests.factories import LearnerFactory

    serve_ob2_issuer(fake_web)
    client.force_login(LearnerFactory.create(email="someone.else@example.org"))
    response = import_badge(client, text=text(OB2 / "basic-assertion.json"))
    assert response.status_code == 400
    assert "Issued to someone else" in response.content.decode()
    assert not Badge.objects.exists()


def test_the_same_badge_twice_is_refused(earner_client: Client, fake_web: FakeWeb) -> None:
    serve_ob2_issuer(fake_web)
    import_badge(earner_client, text=text(OB2 / "basic-assertion.json"))
    response = import_badge(earner_client, url="https://example.org/beths-robotics-badge.json")
    assert response.status_code == 400
    assert "You already have this badge" in response.content.decode()
    assert Badge.objects.count() == 1


def test_a_tampered_signed_assertion_fails(earner_client: Client, fake_web: FakeWeb) -> None:
    serve_ob2_issuer(fake_web)
    header, payload, signature = text(OB2 / "simple.jwt").strip().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["issuedOn"] = "2017-01-01T00:00:00Z"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    response = import_badge(earner_client, text=f"{header}.{forged}.{signature}")
    assert response.status_code == 400
    assert not Badge.objects.exists()


def test_a_hosted_badge_on_another_site_than_its_issuer_fails(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    serve_ob2_issuer(fake_web)
    assertion = json.loads(text(OB2 / "basic-assertion.json"))
    assertion["id"] = "https://badges.test/beths-robotics-badge.json"
    fake_web.add(assertion["id"], assertion)
    response = import_badge(earner_client, text=json.dumps(assertion))
    assert response.status_code == 400
    assert "does not list as its own" in response.content.decode()


def test_a_redirect_to_a_private_address_is_refused_before_connecting(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    fake_web.add_redirect("https://badges.test/a.json", "http://169.254.169.254/latest/meta-data")
    response = import_badge(earner_client, url="https://badges.test/a.json")
    assert response.status_code == 400
    assert not Badge.objects.exists()
    assert fake_web.requests == ["https://badges.test/a.json"]


def test_revocation_and_unreachable_issuer_on_reverification(
    earner_client: Client, fake_web: FakeWeb, settings: Any
) -> None:
    serve_ob2_issuer(fake_web)
    import_badge(earner_client, text=text(OB2 / "basic-assertion.json"))
    badge = only_badge()

    fake_web.add_slow("https://example.org/beths-robotics-badge.json", 5)
    settings.OUTBOUND_FETCH_TIMEOUT = 0.3
    checked = badge_reverify(badge_id=badge.pk)
    assert checked is not None and checked.status == Status.UNVERIFIABLE

    fake_web.add("https://example.org/beths-robotics-badge.json", {"gone": True}, status=410)
    checked = badge_reverify(badge_id=badge.pk)
    assert checked is not None and checked.status == Status.REVOKED
    history = list(checked.verifications.values_list("status", "changed"))
    assert history[:3] == [("revoked", True), ("unverifiable", True), ("verified", True)]
