"""Signature validity and issuer identity are two facts, shown apart on every page that
shows a badge: the learner's badge page, the employer's shared badge page, the showcase
card, the formative timeline and the badge list; and the verification report."""

import json
import re
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client
from django.urls import reverse

from accounts.models import User
from badges import services
from badges.didkey import multikey_from_public_key
from badges.models import Badge
from portfolio.showcases import services as showcases
from tests.badges.issuers import (
    controller_document,
    credential,
    sign_did_key,
    sign_hosted_key,
    sign_trusted,
)
from tests.fakeweb import FakeWeb

OXFORD = "https://www.ox.ac.uk/"


def _self_issued(owner: User) -> Badge:
    """A credential the learner signed with a fresh did:key, naming a university."""
    doc = credential(issuer="did:key:x", recipient=owner.email)
    doc["issuer"] = {**doc["issuer"], "name": "University of Oxford", "url": OXFORD}
    return services.badge_import(
        owner=owner, payload=json.dumps(sign_did_key(doc)), source=Badge.Source.JSON
    )


def _shared(owner: User, badge: Badge) -> str:
    showcase = showcases.showcase_create(owner=owner, title="For Acme", summary="")
    section = showcases.section_add(showcase=showcase, heading="Credentials")
    showcases.items_add(section=section, targets=[badge])
    return showcases.link_create(showcase=showcase, label="Acme").token


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def learner(people: Any) -> User:
    return people.learner


# --- a self-issued credential: signature valid, issuer not identified -----------------


def test_a_self_issued_credential_naming_a_university_is_not_verified(learner: User) -> None:
    badge = _self_issued(learner)
    assert badge.status == "unidentified"
    assert badge.get_status_display() == "Signature valid · issuer not identified"
    assert badge.issuer_identity == "none"
    assert badge.issuer_web_page == ""  # the claimed URL is never linked as the issuer's
    signature = [c for c in badge.checks if c["key"] == "signature"]
    assert [c["result"] for c in signature] == ["passed"]


def test_the_learner_sees_the_issuer_is_only_claimed(client: Client, learner: User) -> None:
    badge = _self_issued(learner)
    client.force_login(learner)
    page = _page(client, badge.get_absolute_url())
    assert "Signature valid · issuer not identified" in page
    assert "status--verified" not in page and "status--unidentified" in page
    assert "Issuer not identified" in page
    assert "The credential says it is from “University of Oxford”" in page
    assert f'href="{OXFORD}"' not in page
    listing = _page(client, reverse("badges:list"))
    assert "Claims to be from University of Oxford · issuer not identified" in listing
    assert "status--verified" not in listing


def test_the_employer_sees_no_verified_on_the_shared_page_or_card(
    client: Client, learner: User
) -> None:
    badge = _self_issued(learner)
    token = _shared(learner, badge)
    card = _page(client, reverse("share:showcase", args=[token]))
    assert "Claims to be from University of Oxford · issuer not identified" in card
    assert "Signature valid · issuer not identified" in card
    assert ">Verified<" not in card and "status--verified" not in card
    page = _page(client, reverse("share:badge", args=[token, badge.public_id]))
    assert "Issuer not identified" in page
    assert ">Verified<" not in page
    assert f'href="{OXFORD}"' not in page


def test_the_tutor_sees_the_same_finding_on_the_timeline(
    client: Client, people: Any, learner: User
) -> None:
    _self_issued(learner)
    client.force_login(people.tutor)
    page = _page(client, reverse("portfolio:formative_learner", args=[learner.public_id]))
    assert "Claims to be from University of Oxford · issuer not identified" in page
    assert "Signature valid · issuer not identified" in page


# --- identified by a registry ----------------------------------------------------------


def test_a_registry_listed_issuer_is_verified_and_says_which_registry(
    client: Client, learner: User
) -> None:
    signed = sign_trusted(credential(issuer="did:key:x", recipient=learner.email))
    badge = services.badge_import(
        owner=learner, payload=json.dumps(signed), source=Badge.Source.JSON
    )
    assert (badge.status, badge.issuer_identity) == ("verified", "registry")
    token = _shared(learner, badge)
    card = _page(client, reverse("share:showcase", args=[token]))
    assert "Issued by Test Institute · listed by Test registry" in card
    page = _page(client, reverse("share:badge", args=[token, badge.public_id]))
    assert "Listed in a registry the institution trusts: Test registry" in page
    assert "The registry was last fetched" in page


# --- identified by domain -------------------------------------------------------------

ISSUER = "https://issuer.example.edu/profile"


def _domain_badge(owner: User, web: FakeWeb) -> Badge:
    key = Ed25519PrivateKey.generate()
    web.add(ISSUER, controller_document(ISSUER, multikey_from_public_key(key.public_key())))
    signed = sign_hosted_key(credential(issuer=ISSUER, recipient=owner.email), key, ISSUER)
    return services.badge_import(owner=owner, payload=json.dumps(signed), source=Badge.Source.JSON)


def test_an_issuer_publishing_its_key_on_its_domain_is_shown_by_that_domain(
    client: Client, learner: User, fake_web: FakeWeb
) -> None:
    badge = _domain_badge(learner, fake_web)
    assert (badge.status, badge.issuer_identity, badge.issuer_domain) == (
        "verified", "domain", "issuer.example.edu")  # fmt: skip
    token = _shared(learner, badge)
    card = _page(client, reverse("share:showcase", args=[token]))
    assert "Issued by <strong>issuer.example.edu</strong> (Test Institute)" in card
    page = _page(client, reverse("share:badge", args=[token, badge.public_id]))
    assert "Identified by domain." in page


# --- the verification report ----------------------------------------------------------


def test_the_report_names_the_key_where_it_was_found_and_what_was_fetched(
    client: Client, learner: User, fake_web: FakeWeb
) -> None:
    badge = _domain_badge(learner, fake_web)
    client.force_login(learner)
    response = client.get(reverse("badges:report", args=[badge.public_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    report = json.loads(response.content)
    verification = report["verification"]
    assert verification["status"] == "verified"
    assert verification["key"]["id"].startswith(ISSUER + "#z6Mk")
    assert verification["key"]["found_at"] == ISSUER
    assert {"url": ISSUER, "status": 200, "error": ""} in verification["fetched"]
    assert verification["issuer"]["identity"] == "domain"
    assert verification["issuer"]["domain"] == "issuer.example.edu"
    assert report["badge"]["issuer_id"] == ISSUER
    page = _page(client, badge.get_absolute_url())
    assert f"<code>{ISSUER}</code>: answered 200" in page


def test_the_report_of_a_self_issued_badge_says_the_key_describes_only_itself(
    client: Client, learner: User
) -> None:
    badge = _self_issued(learner)
    token = _shared(learner, badge)
    response = client.get(reverse("share:badge_report", args=[token, badge.public_id]))
    report = json.loads(response.content)["verification"]
    assert report["key"]["found_at"] == "did:key"
    assert report["issuer"]["identity"] == "none"
    assert report["issuer"]["registry"] is None
    assert report["fetched"] == []
    assert "self-describing key" in report["issuer"]["explanation"]


# --- wording that does not contradict itself ------------------------------------------


def test_no_revocation_status_is_not_applicable_not_passed(learner: User) -> None:
    badge = _self_issued(learner)
    revocation = [c for c in badge.checks if c["key"] == "revocation"]
    assert [c["result"] for c in revocation] == ["not_applicable"]


def test_an_expired_badges_date_check_is_not_passed(client: Client, learner: User) -> None:
    doc = credential(
        issuer="did:key:x",
        recipient=learner.email,
        valid_from="2025-01-10T09:00:00Z",
        validUntil="2025-07-10T09:00:00Z",
    )
    badge = services.badge_import(
        owner=learner, payload=json.dumps(sign_trusted(doc)), source=Badge.Source.JSON
    )
    assert badge.status == "expired"
    dates = [c for c in badge.checks if c["key"] == "dates"]
    assert [c["result"] for c in dates] == ["failed"]
    assert dates[0]["params"] == {"date": "2025-07-10T09:00:00+00:00"}  # a fact, not words
    client.force_login(learner)
    page = _page(client, badge.get_absolute_url())
    assert "check--failed" in page
    assert "Passed</span>\n      \n        Expired" not in page
    # Written in the reader's locale when shown, never as the stored ISO date.
    assert "Expired on 2025-07-10" not in page
    assert re.search(r"Expired on (10 Jul|Jul(y|\.)? 10,) 2025", page)


def test_a_registry_listed_issuer_is_shown_by_the_registrys_name_not_the_one_it_claims(
    client: Client, learner: User
) -> None:
    doc = credential(issuer="did:key:x", recipient=learner.email)
    doc["issuer"] = {**doc["issuer"], "name": "University of Oxford", "url": OXFORD}
    signed = sign_trusted(doc)  # the registry lists this DID as "Test Institute"
    badge = services.badge_import(
        owner=learner, payload=json.dumps(signed), source=Badge.Source.JSON
    )
    assert badge.issuer_identity == "registry"
    assert badge.issuer_web_page == ""  # the registry lists no web address for it
    token = _shared(learner, badge)
    card = _page(client, reverse("share:showcase", args=[token]))
    assert "Issued by Test Institute · listed by Test registry" in card
    assert "Issued by University of Oxford" not in card
    page = _page(client, reverse("share:badge", args=[token, badge.public_id]))
    assert "<strong>Test Institute</strong>, listed in Test registry" in page
    assert "The credential calls its issuer “University of Oxford”" in page
    assert f'href="{OXFORD}"' not in page


def test_a_domain_identified_issuer_links_only_an_address_on_that_domain(
    learner: User, fake_web: FakeWeb
) -> None:
    badge = _domain_badge(learner, fake_web)
    Badge.objects.filter(pk=badge.pk).update(issuer_url="https://issuer.example.edu/about")
    badge.refresh_from_db()
    assert badge.issuer_web_page == "https://issuer.example.edu/about"
    Badge.objects.filter(pk=badge.pk).update(issuer_url=OXFORD)
    badge.refresh_from_db()
    assert badge.issuer_web_page == ""  # a claimed address elsewhere is not linked
