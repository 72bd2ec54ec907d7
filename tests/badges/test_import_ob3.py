"""Open Badges 3.0: the shared fixtures' expected results, and credentials made here for
every other case: did:key, VC-JWT, status lists, keys the issuer does not own."""

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from badges.baking import bake_png
from badges.didkey import did_key_verification_method, multikey_from_public_key
from badges.models import Badge, Identity, Status
from badges.proofs import sign_data_integrity
from tests import filemakers as make
from tests.badges.issuers import (
    ISSUER,
    OB2,
    OB3,
    bitstring,
    controller_document,
    credential,
    earner,
    earner_client,
    fixture_keys,
    form_errors,
    import_badge,
    serve_ob2_issuer,
    serve_ob3_issuer,
    sign_did_key,
    sign_hosted_key,
    sign_trusted,
    text,
)
from tests.badges.keys import sign_jwt
from tests.fakeweb import FakeWeb

__all__ = ["earner", "earner_client"]  # fixtures


def only_badge() -> Badge:
    (badge,) = Badge.objects.all()
    return badge


@pytest.mark.parametrize(
    ("how", "fixture"),
    [("text", "simple.json"), ("image", "simple-json.png"), ("image", "simple-json.svg")],
)
def test_the_fixture_credentials_verify(
    earner_client: Client, fake_web: FakeWeb, how: str, fixture: str
) -> None:
    serve_ob3_issuer(fake_web)
    if how == "text":
        response = import_badge(earner_client, text=text(OB3 / fixture))
    else:
        upload = SimpleUploadedFile(fixture, (OB3 / fixture).read_bytes())
        response = import_badge(earner_client, image=upload)
    assert response.status_code == 302, response.content.decode()[-2000:]
    badge = only_badge()
    # Intact, and its issuer identified by the domain that publishes its key. Its earner is
    # named by a DID, not an email address, so it is "valid · earner not confirmed".
    others = [c["result"] for c in badge.checks if c["key"] != "recipient"]
    assert set(others) <= {"passed", "not_applicable"} and "passed" in others, badge.checks
    assert badge.issuer_identity == Identity.DOMAIN and badge.issuer_domain == "example.com"
    assert badge.status == Status.UNCONFIRMED
    assert badge.spec_version == "3.0" and badge.name == "Teamwork"
    assert ISSUER in fake_web.requests  # the key came from the issuer, not the URL fragment


def test_a_controller_document_with_another_key_makes_the_fixture_fail(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    stranger = multikey_from_public_key(Ed25519PrivateKey.generate().public_key())
    fake_web.add(ISSUER, controller_document(ISSUER, stranger))
    response = import_badge(earner_client, text=text(OB3 / "simple.json"))
    assert response.status_code == 400
    assert not Badge.objects.exists()


def test_the_fixture_is_not_verifiable_now_when_the_issuer_is_down(
    earner_client: Client, fake_web: FakeWeb, settings: Any
) -> None:
    settings.OUTBOUND_FETCH_TIMEOUT = 0.3
    fake_web.add_slow(ISSUER, 5)
    import_badge(earner_client, text=text(OB3 / "simple.json"))
    badge = only_badge()
    assert badge.status == Status.UNVERIFIABLE
    assert "Could not reach" in badge.status_reason


@pytest.mark.parametrize(
    ("fixture", "says"),
    [
        ("simple-err-proof-value.json", "signature does not match"),
        ("simple-err-issued.json", "issued in the future"),
        ("simple-err-type.json", "not a valid Open Badge"),
    ],
)
def test_the_fixtures_that_must_be_refused(
    earner_client: Client, fake_web: FakeWeb, fixture: str, says: str
) -> None:
    serve_ob3_issuer(fake_web)
    response = import_badge(earner_client, text=text(OB3 / fixture))
    assert response.status_code == 400
    assert says.lower() in form_errors(response).lower()
    assert not Badge.objects.exists()


def test_the_expired_fixture_imports_as_expired(earner_client: Client, fake_web: FakeWeb) -> None:
    serve_ob3_issuer(fake_web)
    import_badge(earner_client, text=text(OB3 / "simple-err-expired.json"))
    assert only_badge().status == Status.EXPIRED


def test_the_complete_fixture_shows_its_fields_and_reports_status_as_not_checkable(
    client: Client, db: None, fake_web: FakeWeb
) -> None:
    from tests.factories import LearnerFactory

    issuer = "https://1edtech.edu/issuers/565049"
    fake_web.add(issuer, controller_document(issuer, *fixture_keys("complete.json")))
    client.force_login(LearnerFactory.create(email="student@1edtech.edu"))  # its recipient
    response = import_badge(client, text=text(OB3 / "complete.json"))
    assert response.status_code == 302, form_errors(response)
    badge = only_badge()
    # Its status list is not served here: "not verifiable now", never "failed".
    assert badge.status == Status.UNVERIFIABLE, badge.checks
    (revocation,) = [c for c in badge.checks if c["key"] == "revocation"]
    assert revocation["ok"] is None
    assert {c["key"]: c["ok"] for c in badge.checks}["signature"] is True
    page = client.get(badge.get_absolute_url()).content.decode()
    assert badge.name in page
    assert "Credit, as stated by the issuer" in page or not badge.details["credit"]


def test_a_did_key_credential_is_intact_with_no_network_but_its_issuer_unidentified(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    signed = sign_did_key(credential(issuer="did:key:placeholder"))
    import_badge(earner_client, text=json.dumps(signed))
    badge = only_badge()
    assert badge.status == Status.UNIDENTIFIED, badge.checks  # anyone can make a did:key
    assert badge.issuer_identity == Identity.NOT_IDENTIFIED
    assert badge.details["credit"]["creditsAvailable"] == 5
    assert fake_web.requests == []


def test_a_baked_png_of_a_generated_credential_verifies(earner_client: Client, db: None) -> None:
    signed = sign_trusted(credential(issuer="did:key:placeholder"))
    image = bake_png(make.png(), json.dumps(signed), keyword="openbadgecredential")
    import_badge(earner_client, image=SimpleUploadedFile("b.png", image))
    assert only_badge().status == Status.VERIFIED


def test_a_credential_for_another_email_is_refused(earner_client: Client, db: None) -> None:
    signed = sign_did_key(credential(issuer="did:key:placeholder", recipient="other@example.org"))
    response = import_badge(earner_client, text=json.dumps(signed))
    assert response.status_code == 400
    assert "Issued to someone else" in response.content.decode()


def test_a_changed_credential_fails_its_signature(earner_client: Client, db: None) -> None:
    signed = sign_did_key(credential(issuer="did:key:placeholder"))
    signed["credentialSubject"]["achievement"]["name"] = "Rocket science"
    response = import_badge(earner_client, text=json.dumps(signed))
    assert response.status_code == 400
    assert "signature does not match" in response.content.decode()


def test_a_key_the_issuer_does_not_list_is_refused(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    issuer = "https://issuer.test/profile"
    signing = Ed25519PrivateKey.generate()
    listed = Ed25519PrivateKey.generate()
    fake_web.add(issuer, controller_document(issuer, multikey_from_public_key(listed.public_key())))
    signed = sign_hosted_key(credential(issuer=issuer), signing, issuer)
    response = import_badge(earner_client, text=json.dumps(signed))
    assert response.status_code == 400
    assert not Badge.objects.exists()


def test_a_key_published_outside_the_issuers_profile_is_refused(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    key = Ed25519PrivateKey.generate()
    other = "https://keys.test/profile"
    fake_web.add(other, controller_document(other, multikey_from_public_key(key.public_key())))
    signed = sign_hosted_key(credential(issuer="https://issuer.test/profile"), key, other)
    response = import_badge(earner_client, text=json.dumps(signed))
    assert response.status_code == 400
    assert "outside the issuer's profile" in form_errors(response)


@pytest.mark.parametrize(("revoked", "status"), [(True, 400), (False, 302)])
def test_a_bitstring_status_list_entry_is_checked(
    earner_client: Client, fake_web: FakeWeb, revoked: bool, status: int
) -> None:
    list_url = "https://issuer.test/status/1"
    status_entry = {
        "id": f"{list_url}#94567", "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation", "statusListIndex": "94567",
        "statusListCredential": list_url,
    }  # fmt: skip
    key = Ed25519PrivateKey.generate()
    signed = sign_did_key(credential(issuer="did:key:x", credentialStatus=status_entry), key)
    issuer = signed["issuer"]["id"]
    fake_web.add(list_url, sign_data_integrity({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer, "validFrom": "2026-01-10T09:00:00Z",
        "credentialSubject": {"id": f"{list_url}#list", "type": "BitstringStatusList",
                              "statusPurpose": "revocation",
                              "encodedList": bitstring({94567} if revoked else {3}, size=131072)},
    }, private_key=key, verification_method=did_key_verification_method(issuer),
       created="2026-01-10T09:00:00Z"))  # fmt: skip
    response = import_badge(earner_client, text=json.dumps(signed))
    assert response.status_code == status
    if revoked:
        assert "revoked by its issuer" in response.content.decode()


def test_vc_jwt_credentials_verify_for_each_algorithm(
    earner_client: Client, fake_web: FakeWeb
) -> None:
    from tests.badges.keys import ed25519_key

    issuer = "https://issuer.test/jwt-profile"
    key = ed25519_key()
    multikey = multikey_from_public_key(key.public_key())
    fake_web.add(issuer, controller_document(issuer, multikey))
    vc = credential(issuer=issuer)
    token = sign_jwt(
        {**vc, "iss": issuer, "jti": vc["id"]}, key, "EdDSA", kid=f"{issuer}#{multikey}"
    )
    response = import_badge(earner_client, text=token)
    assert response.status_code == 302, response.content.decode()[-1500:]
    assert only_badge().status == Status.VERIFIED


def test_an_ob2_revocation_list_hit_is_refused(earner_client: Client, fake_web: FakeWeb) -> None:
    serve_ob2_issuer(fake_web)
    issuer = json.loads((OB2 / "assets" / "organization.json").read_text())
    issuer["revocationList"] = "https://example.org/revocations.json"
    fake_web.add(issuer["id"], issuer)
    fake_web.add("https://example.org/revocations.json", {
        "@context": "https://w3id.org/openbadges/v2", "type": "RevocationList",
        "id": "https://example.org/revocations.json",
        "revokedAssertions": [{"id": "https://example.org/beths-robotics-badge.json",
                               "revocationReason": "Issued in error"}],
    })  # fmt: skip
    response = import_badge(earner_client, text=text(OB2 / "simple.jwt"))
    assert response.status_code == 400
    assert "revoked by its issuer" in response.content.decode()


def test_a_clr_imports_each_credential_it_contains(earner_client: Client, db: None) -> None:
    good = sign_did_key(credential(issuer="did:key:x", name="Python programming"))
    other = sign_did_key(
        credential(issuer="did:key:x", name="SQL", achievement_id="https://badges.test/sql")
    )
    forged = sign_did_key(
        credential(issuer="did:key:x", name="Forged", achievement_id="https://badges.test/f")
    )
    forged["credentialSubject"]["achievement"]["name"] = "Changed after signing"
    clr = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": {"id": "did:key:x", "type": ["Profile"], "name": "Registry"},
        "validFrom": "2026-01-10T09:00:00Z",
        "name": "Transcript",
        "credentialSubject": {"type": ["ClrSubject"], "id": "did:example:learner",
                              "verifiableCredential": [good, other, forged]},
    }  # fmt: skip
    response = import_badge(earner_client, text=json.dumps(sign_did_key(clr)))
    assert response.status_code == 302
    assert sorted(Badge.objects.values_list("name", flat=True)) == ["Python programming", "SQL"]
    page = earner_client.get(response["Location"]).content.decode()
    assert "was not added" in page


def test_a_1edtech_revocation_list_hit_is_refused(earner_client: Client, fake_web: FakeWeb) -> None:
    list_url = "https://issuer.test/revocations"
    vc = credential(
        issuer="did:key:x", credentialStatus={"id": list_url, "type": "1EdTechRevocationList"}
    )
    vc["@context"] = [*vc["@context"], "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"]
    signed = sign_did_key(vc)
    fake_web.add(list_url, {"id": list_url, "revokedCredentials": [{"id": signed["id"]}]})
    response = import_badge(earner_client, text=json.dumps(signed))
    assert response.status_code == 400
    assert "revoked by its issuer" in form_errors(response)
