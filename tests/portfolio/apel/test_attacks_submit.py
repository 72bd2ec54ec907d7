"""Attacks through submission and its emails: line breaks in what goes into a header,
headers smuggled in the assessor's name or address, the site used to send claims to any
address without end, and a learner the institution suspended sending it work."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.institutions.models import Membership, MembershipState
from accounts.models import User
from core.models import OutboundEmail
from portfolio.apel import assessors, services
from portfolio.apel.assessors import INVITES_PER_ADDRESS, INVITES_PER_DAY
from portfolio.models import Claim, ClaimAssessor, ClaimState, LearningOutcome, Programme
from tests.conftest import People
from tests.portfolio.apel.apel_data import claim_for, programme
from tests.portfolio.apel.assessor_data import (
    assessor_user,
    draft_with,
    evidence_of,
    submit_by_email,
)
from tests.portfolio.showcase_data import reflection

pytestmark = pytest.mark.django_db


def _submit_url(claim: Claim) -> str:
    return reverse("apel:claim_submit", args=[claim.public_id])


def test_line_breaks_in_a_title_or_a_name_never_stop_an_email(
    client: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    """A subject is one header line: the claim's title (in the learner's email) and the
    learner's name (in the assessor's) are put on one line, and both emails go."""
    capture = django_capture_on_commit_callbacks
    User.objects.filter(pk=people.learner.pk).update(name="Ada\nBcc: evil@x.test")
    claim = draft_with(people.learner, evidence_of(people.learner))
    client.force_login(people.learner)
    renamed = client.post(
        reverse("apel:claim_rename", args=[claim.public_id]), {"title": "Year one\r\nof the BSc"}
    )
    assert renamed.status_code == 302
    _assessor, token = submit_by_email(claim, capture)
    [invited] = mail.outbox
    assert invited.subject == "Ada Bcc: evil@x.test asks you to assess their APEL claim"
    for code in ("LO1", "LO2", "LO3"):
        judged = {"outcome": code, "judgement": "meets"}
        client.post(reverse("apel:assess_link_judge", args=[token]), judged)
    with capture(execute=True):
        client.post(
            reverse("apel:assess_link_recommend", args=[token]), {"recommendation": "award"}
        )
    assert [m.subject for m in mail.outbox[1:]] == [
        "Your APEL claim “Year one of the BSc” has been assessed"
    ]
    assert not OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).exists()
    for message in mail.outbox:
        assert "evil@x.test" not in message.recipients()
        assert "\nBcc:" not in message.message().as_string().split("\n\n", 1)[0]


def test_a_header_in_the_assessors_name_stays_in_the_body_and_one_in_the_address_is_refused(
    client: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    claim = draft_with(people.learner, evidence_of(people.learner))
    client.force_login(people.learner)
    data = {"declared": "on", "route": "email", "name": "Grace", "email": "g@x.test\nBcc: e@x.test"}
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(_submit_url(claim), data)
    assert refused.status_code == 400 and not mail.outbox
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.DRAFT
    data |= {"name": "Grace\r\nBcc: evil@x.test", "email": "grace@navy.test"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_submit_url(claim), data).status_code == 302
    [message] = mail.outbox
    assert message.recipients() == ["grace@navy.test"]
    assert "Hello Grace\nBcc: evil@x.test," in message.body.replace("\r\n", "\n")


def _fresh_claim(learner: Any) -> Claim:
    return claim_for(learner, programme(outcomes=1), {"LO1": [reflection(learner)]})


def _invite(claim: Claim, email: str, capture: Any) -> None:
    with capture(execute=True):
        assessors.claim_submit_to(claim=claim, declared=True, name="Someone", email=email)


def test_claims_sent_by_email_are_limited_per_address_and_per_learner(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    for _n in range(INVITES_PER_ADDRESS):
        _invite(_fresh_claim(people.learner), "boss@acme.test", capture)
    refused = _fresh_claim(people.learner)
    with pytest.raises(services.ClaimRefused, match="as many claims as it can receive today"):
        _invite(refused, "BOSS@acme.test", capture)
    refused.refresh_from_db()
    assert refused.state == ClaimState.DRAFT and not refused.assessors.exists()
    for n in range(INVITES_PER_DAY - INVITES_PER_ADDRESS):
        _invite(_fresh_claim(people.learner), f"person{n}@acme.test", capture)
    with pytest.raises(services.ClaimRefused, match="as many claims by email as you can today"):
        _invite(refused, "someone.new@acme.test", capture)
    assert len(mail.outbox) == INVITES_PER_DAY
    assert ClaimAssessor.objects.count() == INVITES_PER_DAY
    _invite(_fresh_claim(people.classmate), "boss2@acme.test", capture)  # another learner


def test_a_refused_submission_does_not_count_against_the_limit(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    empty = claim_for(people.learner, programme(outcomes=1))  # nothing mapped: refused
    for _n in range(INVITES_PER_ADDRESS + 1):
        with pytest.raises(services.ClaimRefused, match="Map evidence"):
            _invite(empty, "boss@acme.test", django_capture_on_commit_callbacks)
    _invite(_fresh_claim(people.learner), "boss@acme.test", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_the_page_says_when_the_limit_is_reached_and_submits_nothing(
    client: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    for _n in range(INVITES_PER_ADDRESS):
        _invite(_fresh_claim(people.learner), "boss@acme.test", django_capture_on_commit_callbacks)
    claim = _fresh_claim(people.learner)
    client.force_login(people.learner)
    data = {"declared": "on", "route": "email", "name": "Boss", "email": "boss@acme.test"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_submit_url(claim), data)
    assert response.status_code == 400
    assert "This address has been sent as many claims" in response.content.decode()
    claim.refresh_from_db()
    assert claim.state == ClaimState.DRAFT and not claim.events.filter(kind="submitted").exists()
    assert len(mail.outbox) == INVITES_PER_ADDRESS


def test_a_suspended_learner_cannot_send_work_to_the_institutions_assessors(
    client: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    """Suspending a member hides them from the institution's staff: their claim against
    its programme goes to a named person by email, not to its assessors."""
    ann = assessor_user(name="Ann Assessor")
    claim = draft_with(people.learner, evidence_of(people.learner))
    Membership.objects.filter(user=people.learner).update(state=MembershipState.SUSPENDED)
    client.force_login(people.learner)
    page = client.get(_submit_url(claim)).content.decode()
    assert "You are no longer an active member of" in page and "Ann Assessor" not in page
    data = {"declared": "on", "route": "institution", "assessor": str(ann.public_id)}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_submit_url(claim), data).status_code == 400
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.DRAFT and not mail.outbox
    services.claim_submit(claim=claim, declared=True)
    with pytest.raises(services.ClaimRefused, match="not an assessor of"):
        assessors.assessor_assign(claim=Claim.objects.get(pk=claim.pk), user=ann)
    assert not ClaimAssessor.objects.exists()


def test_an_active_learner_still_chooses_the_institutions_assessors(
    client: Client, people: People
) -> None:
    ann = assessor_user(name="Ann Assessor")
    claim = draft_with(people.learner, evidence_of(people.learner))
    client.force_login(people.learner)
    page = client.get(_submit_url(claim)).content.decode()
    assert f'value="{ann.public_id}"' in page and "no longer an active member" not in page


def test_a_suspended_learners_new_version_offers_their_named_assessor_again(
    client: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    claim = draft_with(people.learner, evidence_of(people.learner))
    _assessor, _token = submit_by_email(claim, django_capture_on_commit_callbacks)
    newer = services.claim_new_version(claim=claim)
    Membership.objects.filter(user=people.learner).update(state=MembershipState.SUSPENDED)
    client.force_login(people.learner)
    page = client.get(_submit_url(newer)).content.decode()
    assert "You are no longer an active member of" in page
    assert 'value="grace@navy.test"' in page


def test_a_programme_the_learner_entered_is_not_called_a_lapsed_membership(
    client: Client, people: People
) -> None:
    own = Programme.objects.create(entered_by=people.learner, title="My own course")
    LearningOutcome.objects.create(programme=own, code="LO1", text="Do it")
    claim = claim_for(people.learner, own, {"LO1": [reflection(people.learner)]})
    client.force_login(people.learner)
    page = client.get(_submit_url(claim)).content.decode()
    assert "You entered this programme yourself" in page
    assert "no longer an active member" not in page
