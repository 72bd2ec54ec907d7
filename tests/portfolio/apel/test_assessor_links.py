"""An assessor's access over time: the emailed link (only its hash kept), its first
opening in the history, expiry, revocation and re-sending by the learner, and the
account assessor's email and list."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.institutions.models import Institution
from portfolio.apel import assessors
from portfolio.apel.assessors import LINK_DAYS, RESENDS_PER_DAY
from portfolio.apel.services import ClaimRefused
from portfolio.attestations.limits import RateLimited
from portfolio.models import Claim, ClaimAssessor
from portfolio.showcases.services import token_hash
from tests.conftest import People
from tests.portfolio.apel.assessor_data import (
    assessor_user,
    draft_with,
    evidence_of,
    submit_by_email,
    submit_to_user,
    token_sent_to,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(people: People) -> Claim:
    return draft_with(people.learner, evidence_of(people.learner))


def test_the_link_is_emailed_and_only_its_hash_is_kept(
    claim: Claim, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    assessor, token = submit_by_email(claim, django_capture_on_commit_callbacks)
    assert assessor.token_hash == token_hash(token) and token not in str(vars(assessor))
    assert assessor.expires_at is not None
    left = assessor.expires_at - timezone.now()
    assert timedelta(days=LINK_DAYS - 1) < left <= timedelta(days=LINK_DAYS)
    [message] = mail.outbox
    assert message.to == ["grace@navy.test"] and message.reply_to == [people.learner.email]
    assert "asks you to assess their APEL claim" in message.subject
    assert "You do not need an account" in message.body and claim.title in message.body
    assert "via" in message.from_email  # the institution's name as the sender


def test_the_first_opening_is_in_the_history_once(
    client: Client, claim: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    _assessor, token = submit_by_email(claim, django_capture_on_commit_callbacks)
    url = reverse("apel:assess_link", args=[token])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    opened = claim.events.filter(kind="assessor_opened")
    assert opened.count() == 1 and opened.get().actor == "Grace Hopper <grace@navy.test>"
    assert ClaimAssessor.objects.get(claim=claim).last_opened_at is not None
    kinds = list(claim.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["submitted", "assessor_assigned", "assessor_opened"]


def test_a_revoked_link_stops_at_once_and_a_new_one_replaces_it(
    client: Client, claim: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    assessor, old = submit_by_email(claim, django_capture_on_commit_callbacks)
    assert assessors.assessor_revoke(assessor=assessor)
    assert not assessors.assessor_revoke(assessor=assessor)  # once
    assert client.get(reverse("apel:assess_link", args=[old])).status_code == 410
    with django_capture_on_commit_callbacks(execute=True):
        sent = assessors.assessor_resend(assessor=assessor)
    new = token_sent_to("grace@navy.test")
    assert new == sent.token != old
    assert client.get(reverse("apel:assess_link", args=[old])).status_code == 404
    assert client.get(reverse("apel:assess_link", args=[new])).status_code == 200
    kinds = list(claim.events.values_list("kind", flat=True))
    assert "assessor_revoked" in kinds and kinds[-2:] == ["assessor_link_resent", "assessor_opened"]


def test_an_expired_link_is_gone_until_sent_again(
    client: Client, claim: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    assessor, token = submit_by_email(claim, django_capture_on_commit_callbacks)
    ClaimAssessor.objects.filter(pk=assessor.pk).update(expires_at=timezone.now())
    response = client.get(reverse("apel:assess_link", args=[token]))
    assert response.status_code == 410 and "ask them to send you a new link" in (
        response.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        assessors.assessor_resend(assessor=assessor)
    assert (
        client.get(reverse("apel:assess_link", args=[token_sent_to("grace@navy.test")])).status_code
        == 200
    )


def test_resending_is_limited_per_day(
    claim: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    assessor, _token = submit_by_email(claim, django_capture_on_commit_callbacks)
    for _n in range(RESENDS_PER_DAY):
        assessors.assessor_resend(assessor=assessor)
    before = ClaimAssessor.objects.get(pk=assessor.pk).token_hash
    with pytest.raises(RateLimited):
        assessors.assessor_resend(assessor=assessor)
    assert ClaimAssessor.objects.get(pk=assessor.pk).token_hash == before


def test_an_account_assessor_is_emailed_the_claims_address_and_finds_it_listed(
    client: Client, claim: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    person = assessor_user(name="Ann Assessor")
    assessor = submit_to_user(claim, person, django_capture_on_commit_callbacks)
    assert assessor.token_hash is None and assessor.expires_at is None
    [message] = mail.outbox
    url = reverse("apel:assess_claim", args=[claim.public_id])
    assert message.to == [person.email] and url in message.body and "Sign in" in message.body
    institution = Institution.objects.get(slug="default")
    assert institution.name in message.from_email
    client.force_login(person)
    listed = client.get(reverse("apel:assess_list")).content.decode()
    assert url in listed and "0 of 3 outcomes judged" in listed


def test_a_revoked_account_assessor_is_not_reminded(
    claim: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    assessor = submit_to_user(claim, assessor_user(), django_capture_on_commit_callbacks)
    assessors.assessor_revoke(assessor=assessor)
    mail.outbox.clear()
    with pytest.raises(ClaimRefused), django_capture_on_commit_callbacks(execute=True):
        assessors.assessor_resend(assessor=assessor)
    assert mail.outbox == []
