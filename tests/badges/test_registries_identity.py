"""A badge's issuer identity follows the registries: listed means Verified, unlisted means
"signature valid · issuer not identified", and a registry that cannot be fetched keeps
vouching with its last good copy."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from badges.models import Badge, Identity, Status
from badges.registries.services import (
    registry_add_file,
    registry_add_url,
    registry_delete,
    registry_refresh,
)
from badges.services import badge_import
from tests.badges.issuers import credential, earner, sign_did_key
from tests.badges.registries import DCC_URL, listing, registry_bytes, registry_document, upload
from tests.fakeweb import FakeWeb

__all__ = ["earner"]  # fixture

Capture = Callable[..., Any]


def _unidentified_badge(owner: Any, name: str = "Python") -> tuple[Badge, str]:
    signed = sign_did_key(
        credential(issuer="did:key:x", name=name, achievement_id=f"https://badges.test/{name}")
    )
    badge = badge_import(owner=owner, payload=json.dumps(signed), source="json")
    assert badge.status == Status.UNIDENTIFIED
    return badge, signed["issuer"]["id"]


def _identity(badge: Badge) -> tuple[str, str]:
    badge.refresh_from_db()
    return badge.status, badge.issuer_identity


def test_listing_the_issuer_makes_its_badge_verified(
    earner: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    badge, issuer = _unidentified_badge(earner)
    with django_capture_on_commit_callbacks(execute=True):
        registry = registry_add_file(
            name="Partners", upload=upload(registry_bytes(listing(issuer))), added_by=None
        )
    assert _identity(badge) == (Status.VERIFIED, Identity.REGISTRY)
    assert badge.report["issuer"]["registry"]["name"] == registry.name
    latest = badge.verifications.first()
    assert latest is not None and latest.changed


def test_other_issuers_badges_are_not_rechecked(
    earner: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    badge, _issuer = _unidentified_badge(earner)
    with django_capture_on_commit_callbacks(execute=True):
        registry_add_file(
            name="Partners", upload=upload(registry_bytes(listing("did:web:other.test"))),
            added_by=None,
        )  # fmt: skip
    assert badge.verifications.count() == 1
    assert _identity(badge) == (Status.UNIDENTIFIED, Identity.NOT_IDENTIFIED)


def test_deleting_the_registry_makes_the_badge_unidentified_again(
    earner: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    badge, issuer = _unidentified_badge(earner)
    with django_capture_on_commit_callbacks(execute=True):
        registry = registry_add_file(
            name="Partners", upload=upload(registry_bytes(listing(issuer))), added_by=None
        )
    with django_capture_on_commit_callbacks(execute=True) as queued:
        registry_delete(registry=registry)
    assert len(queued) == 1
    assert _identity(badge) == (Status.UNIDENTIFIED, Identity.NOT_IDENTIFIED)


def test_an_issuer_removed_on_refresh_is_no_longer_identified(
    earner: Any, fake_web: FakeWeb, django_capture_on_commit_callbacks: Capture
) -> None:
    badge, issuer = _unidentified_badge(earner)
    fake_web.add(DCC_URL, registry_document(listing(issuer, "did:web:stays.test")))
    with django_capture_on_commit_callbacks(execute=True):
        registry = registry_add_url(name="DCC", url=DCC_URL, added_by=None)
    assert _identity(badge) == (Status.VERIFIED, Identity.REGISTRY)

    fake_web.add(DCC_URL, registry_document(listing("did:web:stays.test")))
    with django_capture_on_commit_callbacks(execute=True):
        registry_refresh(registry=registry)
    assert _identity(badge) == (Status.UNIDENTIFIED, Identity.NOT_IDENTIFIED)


def test_a_registry_that_fails_to_fetch_keeps_vouching_with_its_last_copy(
    earner: Any, fake_web: FakeWeb, django_capture_on_commit_callbacks: Capture
) -> None:
    badge, issuer = _unidentified_badge(earner)
    fake_web.add(DCC_URL, registry_document(listing(issuer)))
    with django_capture_on_commit_callbacks(execute=True):
        registry = registry_add_url(name="DCC", url=DCC_URL, added_by=None)
    fake_web.add(DCC_URL, "Service unavailable", status=503, content_type="text/plain")

    with django_capture_on_commit_callbacks(execute=True) as queued:
        stored = registry_refresh(registry=registry)
    assert stored is not None and "503" in stored.last_error
    assert queued == []  # nothing changed, so nothing to re-check
    from badges.services import badge_reverify

    badge_reverify(badge_id=badge.pk)
    assert _identity(badge) == (Status.VERIFIED, Identity.REGISTRY)


def test_an_unchanged_refresh_rechecks_nothing(
    earner: Any, fake_web: FakeWeb, django_capture_on_commit_callbacks: Capture
) -> None:
    badge, issuer = _unidentified_badge(earner)
    fake_web.add(DCC_URL, registry_document(listing(issuer)))
    with django_capture_on_commit_callbacks(execute=True):
        registry = registry_add_url(name="DCC", url=DCC_URL, added_by=None)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        registry_refresh(registry=registry)
    assert queued == []
    assert badge.verifications.count() == 2


@pytest.mark.parametrize("listed", ["other case", "prefix"])
def test_issuer_ids_match_exactly(
    earner: Any, listed: str, django_capture_on_commit_callbacks: Capture
) -> None:
    """A prefix or a different case of the DID is another issuer."""
    badge, issuer = _unidentified_badge(earner)
    near_miss = {"other case": "did:key:" + issuer[8:].swapcase(), "prefix": issuer[:-1]}[listed]
    with django_capture_on_commit_callbacks(execute=True):
        registry_add_file(
            name="Near", upload=upload(registry_bytes(listing(near_miss))), added_by=None
        )
    assert _identity(badge) == (Status.UNIDENTIFIED, Identity.NOT_IDENTIFIED)


def test_a_registry_listed_issuer_is_explained_by_the_registry_not_by_its_key(
    earner: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    """A did:key issuer a trusted registry lists is identified by the registry: the
    explanation says so, never that nothing ties the credential to the issuer."""
    badge, issuer = _unidentified_badge(earner)
    assert "anyone can make one" in badge.issuer_identity_explanation
    with django_capture_on_commit_callbacks(execute=True):
        registry_add_file(
            name="Partners", upload=upload(registry_bytes(listing(issuer))), added_by=None
        )
    badge.refresh_from_db()
    assert badge.issuer_identity == Identity.REGISTRY
    assert "anyone can make one" not in badge.issuer_identity_explanation
    assert "“Partners” lists the issuer's id" in badge.issuer_identity_explanation
