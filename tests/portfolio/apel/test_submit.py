"""Submitting a claim: the page (declaration, coverage with its gaps, the choice of
assessor), the one transaction that declares, submits, assigns and emails, and every
refused input, after which nothing is written and nothing is sent."""

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.institutions.models import Membership, MembershipState
from core.models import OutboundEmail
from portfolio.apel import assessors, services
from portfolio.apel.services import DECLARATION, ClaimRefused
from portfolio.models import Claim, ClaimAssessor, ClaimState, LearningOutcome, Programme
from tests.conftest import People
from tests.factories import InstitutionFactory
from tests.portfolio.apel.apel_data import claim_for, programme
from tests.portfolio.apel.assessor_data import (
    assessor_user,
    draft_with,
    evidence_of,
    token_sent_to,
)
from tests.portfolio.showcase_data import reflection

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(people: People) -> Claim:
    return draft_with(people.learner, evidence_of(people.learner))


@pytest.fixture
def signed_in(client: Client, people: People) -> Client:
    client.force_login(people.learner)
    return client


def _url(claim: Claim) -> str:
    return reverse("apel:claim_submit", args=[claim.public_id])


def _post(client: Client, claim: Claim, capture: Any, **data: Any) -> Any:
    with capture(execute=True):
        return client.post(_url(claim), data)


def _nothing_written(claim: Claim, events_before: int) -> None:
    claim.refresh_from_db()
    assert claim.state == ClaimState.DRAFT and claim.declared_at is None
    assert not claim.declaration and claim.submitted_at is None
    assert not ClaimAssessor.objects.filter(claim=claim).exists()
    assert claim.events.count() == events_before
    assert not OutboundEmail.objects.exists() and mail.outbox == []


def test_the_page_shows_the_declaration_the_coverage_and_the_assessors(
    signed_in: Client, draft: Claim
) -> None:
    ours = assessor_user(name="Ann Assessor")
    suspended = assessor_user(name="Sam Suspended")
    Membership.objects.filter(user=suspended).update(state=MembershipState.SUSPENDED)
    assessor_user(name="Fred Foreign", institution=InstitutionFactory.create())
    page = signed_in.get(_url(draft)).content.decode()
    assert str(DECLARATION)[:80] in page and 'name="declared"' in page
    assert "2 of 3 outcomes have evidence, from 4 items." in page
    assert 'data-testid="gaps-warning"' in page and "You can still submit" in page
    assert f'value="{ours.public_id}"' in page and "Ann Assessor" in page
    assert "Sam Suspended" not in page and "Fred Foreign" not in page


def test_submitting_to_an_institution_assessor_freezes_assigns_and_emails(
    signed_in: Client, draft: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    person = assessor_user(name="Ann Assessor")
    response = _post(
        signed_in,
        draft,
        django_capture_on_commit_callbacks,
        declared="on",
        route="institution",
        assessor=str(person.public_id),
    )
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.state == ClaimState.SUBMITTED and draft.declaration == str(DECLARATION)
    assert draft.declared_at is not None and draft.submitted_at is not None
    assert draft.assessors.get().user == person
    kinds = list(draft.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["declared", "submitted", "assessor_assigned"]
    [message] = mail.outbox
    assert message.to == [person.email]
    assert reverse("apel:assess_claim", args=[draft.public_id]) in message.body
    page = signed_in.get(response["Location"]).content.decode()
    assert "Your claim is submitted and sent to Ann Assessor." in page


def test_submitting_to_a_named_person_emails_them_a_link(
    signed_in: Client, draft: Claim, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    response = _post(
        signed_in,
        draft,
        django_capture_on_commit_callbacks,
        declared="on",
        route="email",
        name="Grace Hopper",
        email="grace@navy.test",
    )
    assert response.status_code == 302
    assert draft.assessors.get().email == "grace@navy.test"
    token = token_sent_to("grace@navy.test")
    signed_in.logout()
    assert client.get(reverse("apel:assess_link", args=[token])).status_code == 200


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"route": "email", "name": "G", "email": "g@x.test"},
            "Confirm the declaration of authenticity",
        ),
        ({"declared": "on", "name": "G", "email": "g@x.test"}, "Choose who assesses your claim."),
        ({"declared": "on", "route": "institution"}, "Choose an assessor from the list."),
        (
            {"declared": "on", "route": "institution", "assessor": "not-a-uuid"},
            "Choose an assessor from the list.",
        ),
        ({"declared": "on", "route": "email", "email": "g@x.test"}, "Give the name of the person"),
        ({"declared": "on", "route": "email", "name": "G"}, "Give their email address"),
        (
            {"declared": "on", "route": "email", "name": "G", "email": "not an address"},
            "Enter an email address like name@example.com.",
        ),
        ({"declared": "on", "route": "sideways"}, "Select a valid choice."),
    ],
)
def test_refused_input_says_what_to_do_and_writes_nothing(
    signed_in: Client,
    draft: Claim,
    django_capture_on_commit_callbacks: Any,
    data: dict[str, str],
    message: str,
) -> None:
    assessor_user()
    before = draft.events.count()
    response = _post(signed_in, draft, django_capture_on_commit_callbacks, **data)
    assert response.status_code == 400 and message in response.content.decode()
    _nothing_written(draft, before)


@pytest.mark.parametrize("who", ["foreign", "suspended", "tutor"])
def test_only_an_active_assessor_of_the_institution_can_be_chosen(
    signed_in: Client,
    people: People,
    draft: Claim,
    django_capture_on_commit_callbacks: Any,
    who: str,
) -> None:
    assessor_user()
    if who == "foreign":
        chosen = assessor_user(institution=InstitutionFactory.create())
    elif who == "suspended":
        chosen = assessor_user()
        Membership.objects.filter(user=chosen).update(state=MembershipState.SUSPENDED)
    else:
        chosen = people.tutor
    before = draft.events.count()
    data = {"declared": "on", "route": "institution", "assessor": str(chosen.public_id)}
    response = _post(signed_in, draft, django_capture_on_commit_callbacks, **data)
    assert response.status_code == 400
    assert "Choose an assessor from the list." in response.content.decode()
    _nothing_written(draft, before)


def test_the_learners_own_address_is_refused(
    signed_in: Client, people: People, draft: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    before = draft.events.count()
    data = {"declared": "on", "route": "email", "name": "Me", "email": people.learner.email}
    response = _post(signed_in, draft, django_capture_on_commit_callbacks, **data)
    assert response.status_code == 400 and "not your own" in response.content.decode()
    _nothing_written(draft, before)  # the submission was rolled back with the refusal


def test_a_draft_without_evidence_cannot_be_submitted(
    signed_in: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    empty = claim_for(people.learner, programme(outcomes=2))
    page = signed_in.get(_url(empty)).content.decode()
    assert "Map evidence to at least one outcome before you submit." in page
    before = empty.events.count()
    data = {"declared": "on", "route": "email", "name": "G", "email": "g@x.test"}
    response = _post(signed_in, empty, django_capture_on_commit_callbacks, **data)
    assert response.status_code == 400
    assert "Map evidence to at least one outcome before you submit." in response.content.decode()
    _nothing_written(empty, before)


def test_a_submitted_claim_cannot_be_submitted_again(
    signed_in: Client, draft: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assessors.claim_submit_to(claim=draft, declared=True, name="G", email="g@x.test")
    mail.outbox.clear()
    before = draft.events.count()
    data = {"declared": "on", "route": "email", "name": "H", "email": "h@x.test"}
    response = _post(signed_in, draft, django_capture_on_commit_callbacks, **data)
    assert response.status_code == 409 and "already submitted" in response.content.decode()
    assert signed_in.get(_url(draft)).status_code == 200
    assert draft.assessors.count() == 1 and draft.events.count() == before
    assert mail.outbox == []


def _own_programme(learner: Any) -> Programme:
    made = Programme.objects.create(entered_by=learner, title="My own programme")
    LearningOutcome.objects.create(programme=made, code="LO1", text="Plan a project.")
    return made


def test_a_learner_entered_programme_goes_by_email_only(
    signed_in: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    person = assessor_user()
    claim = claim_for(
        people.learner, _own_programme(people.learner), {"LO1": [reflection(people.learner)]}
    )
    page = signed_in.get(_url(claim)).content.decode()
    assert 'name="assessor"' not in page and "You entered this programme yourself" in page
    before = claim.events.count()
    chosen = {"declared": "on", "route": "institution", "assessor": str(person.public_id)}
    refused = _post(signed_in, claim, django_capture_on_commit_callbacks, **chosen)
    assert refused.status_code == 400 and "Give their email address" in refused.content.decode()
    _nothing_written(claim, before)
    by_email = {"declared": "on", "name": "Grace Hopper", "email": "grace@navy.test"}
    response = _post(signed_in, claim, django_capture_on_commit_callbacks, **by_email)
    assert response.status_code == 302 and claim.assessors.get().user is None


def test_an_institution_assessor_is_never_assigned_a_learner_entered_claim(
    people: People,
) -> None:
    claim = claim_for(
        people.learner, _own_programme(people.learner), {"LO1": [reflection(people.learner)]}
    )
    before = claim.events.count()
    with pytest.raises(ClaimRefused, match="named person by email"):
        assessors.claim_submit_to(claim=claim, declared=True, user=assessor_user())
    _nothing_written(claim, before)


def test_a_new_version_offers_the_previous_assessor_again(
    signed_in: Client, draft: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    person = assessor_user()
    with django_capture_on_commit_callbacks(execute=True):
        assessors.claim_submit_to(claim=draft, declared=True, user=person)
    newer = services.claim_new_version(claim=draft)
    page = signed_in.get(_url(newer)).content.decode()
    assert f'<option value="{person.public_id}" selected>' in page
    assert re.search(r'<input type="radio" name="route" value="institution"[^>]* checked', page)
