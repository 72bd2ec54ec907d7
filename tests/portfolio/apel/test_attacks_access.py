"""Access attacks the assessor tests do not already make: evidence reached through a
version it is no longer in, evidence deleted since, a link's stored hash used as a link,
the headers on every answer under a link, and a suspended learner's own claim."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.institutions.models import Membership, MembershipState
from artefacts.services import artefact_delete
from badges.services import badge_delete
from portfolio.apel import services
from portfolio.models import Claim
from tests.conftest import People
from tests.portfolio.apel.apel_data import answer
from tests.portfolio.apel.assessor_data import (
    Evidence,
    draft_with,
    evidence_of,
    submit_by_email,
)

pytestmark = pytest.mark.django_db


def _link(token: str, part: str = "", item: Any = None) -> str:
    name = f"apel:assess_link{'_' + part if part else ''}"
    return reverse(name, args=[token] if item is None else [token, item])


def _item_urls(token: str, evidence: Evidence) -> list[str]:
    image, held = evidence.image.public_id, evidence.held.public_id
    return [
        _link(token, "file", image),
        _link(token, "thumbnail", image),
        _link(token, "badge", held),
        _link(token, "badge_image", held),
        _link(token, "badge_report", held),
    ]


@pytest.fixture
def evidence(people: People) -> Evidence:
    return evidence_of(people.learner)


def test_evidence_removed_in_a_new_version_is_not_reached_through_its_link(
    client: Client, people: People, evidence: Evidence, django_capture_on_commit_callbacks: Any
) -> None:
    """Version 1 maps the image and the badge to LO1; version 2 drops them and goes to
    another assessor, who reaches neither. Version 1's assessor still reaches both, as
    they were submitted to them."""
    capture = django_capture_on_commit_callbacks
    first = draft_with(people.learner, evidence)
    _first_assessor, first_token = submit_by_email(first, capture)
    second = services.claim_new_version(claim=first)
    for mapping in answer(second, "LO1").mappings.select_related("answer__claim"):
        services.mapping_remove(mapping=mapping)
    _second_assessor, second_token = submit_by_email(
        second, capture, name="Second", email="second@x.test"
    )
    for url in _item_urls(second_token, evidence):
        assert client.get(url).status_code == 404, url
    assert client.get(_link(second_token, "file", evidence.pdf.public_id)).status_code == 200
    for url in _item_urls(first_token, evidence):
        assert client.get(url).status_code == 200, url


def test_evidence_deleted_since_submission_is_not_found(
    client: Client, people: People, evidence: Evidence, django_capture_on_commit_callbacks: Any
) -> None:
    claim = draft_with(people.learner, evidence)
    _assessor, token = submit_by_email(claim, django_capture_on_commit_callbacks)
    urls = _item_urls(token, evidence)
    artefact_delete(artefact=evidence.image)
    badge_delete(badge=evidence.held)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.get(_link(token)).status_code == 200  # the rest of the claim still opens


def test_a_links_stored_hash_is_not_a_link(
    client: Client, people: People, evidence: Evidence, django_capture_on_commit_callbacks: Any
) -> None:
    """Someone who reads the database gets hashes, which open nothing."""
    claim = draft_with(people.learner, evidence)
    assessor, token = submit_by_email(claim, django_capture_on_commit_callbacks)
    assert len(token) >= 32  # 192 random bits, URL-safe
    assert client.get(_link(str(assessor.token_hash))).status_code == 404


def test_every_answer_under_a_link_is_private_uncached_and_keeps_the_link_to_itself(
    client: Client, people: People, evidence: Evidence, django_capture_on_commit_callbacks: Any
) -> None:
    claim = draft_with(people.learner, evidence)
    _assessor, token = submit_by_email(claim, django_capture_on_commit_callbacks)
    responses = [client.get(url) for url in [_link(token), *_item_urls(token, evidence)]]
    responses += [
        client.post(_link(token, "judge"), {"outcome": "LO1", "judgement": "meets"}),  # 302
        client.post(_link(token, "judge"), {"outcome": "LO9", "judgement": "meets"}),  # 400
        client.get(_link(token, "file", evidence.unmapped.public_id)),  # 404
        client.get(_link("x" * 40)),  # 404, no such link
    ]
    assert [r.status_code for r in responses] == [200] * 6 + [302, 400, 404, 404]
    for response in responses:
        assert response["Cache-Control"] == "private, no-store"
        assert response["Referrer-Policy"] == "same-origin"
        assert "noindex" in response["X-Robots-Tag"]


def test_a_suspended_learner_still_reads_and_finishes_their_own_claim(
    client: Client, people: People, evidence: Evidence
) -> None:
    """Suspension hides them from the institution; what they made stays theirs."""
    claim = draft_with(people.learner, evidence)
    Membership.objects.filter(user=people.learner).update(state=MembershipState.SUSPENDED)
    client.force_login(people.learner)
    assert client.get(claim.get_absolute_url()).status_code == 200
    justified = client.post(
        reverse("apel:claim_justify", args=[claim.public_id]),
        {"outcome": "LO1", "justification": "Mine still"},
    )
    assert justified.status_code == 302 and answer(claim, "LO1").justification == "Mine still"
    assert Claim.objects.get(pk=claim.pk).learner == people.learner
