"""What the assessor records: a judgement per outcome and the overall recommendation,
through the page, signed in or by link. Each write is checked (valid and refused), is
kept in the claim's history under the assessor's name, and the recommendation is
emailed to the learner."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from portfolio.apel import assessors
from portfolio.apel.services import ClaimRefused
from portfolio.models import Claim, ClaimAssessor, ClaimState
from tests.conftest import People
from tests.portfolio.apel.apel_data import answer
from tests.portfolio.apel.assessor_data import (
    assessor_user,
    draft_with,
    evidence_of,
    submit_by_email,
    submit_to_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(people: People, django_capture_on_commit_callbacks: Any) -> tuple[Claim, str]:
    claim = draft_with(people.learner, evidence_of(people.learner))
    _assessor, token = submit_by_email(claim, django_capture_on_commit_callbacks)
    return claim, token


def _judge(client: Client, token: str, **data: str) -> Any:
    return client.post(reverse("apel:assess_link_judge", args=[token]), data)


def _recommend(client: Client, token: str, **data: str) -> Any:
    return client.post(reverse("apel:assess_link_recommend", args=[token]), data)


def test_a_judgement_is_saved_under_the_assessors_name_and_in_the_history(
    client: Client, linked: tuple[Claim, str]
) -> None:
    claim, token = linked
    response = _judge(client, token, outcome="LO2", judgement="partly", comment="Add a log.")
    assert response.status_code == 302
    assert response["Location"].endswith("#outcome-LO2")
    saved = answer(claim, "LO2")
    assert (saved.judgement, saved.judgement_comment) == ("partly", "Add a log.")
    assert saved.judged_by == "Grace Hopper <grace@navy.test>" and saved.judged_at
    event = claim.events.get(kind="judged")
    assert event.actor == saved.judged_by and event.detail["outcome"] == "LO2"
    page = client.get(response["Location"]).content.decode()
    assert "Your judgement of LO2 is saved." in page and "Add a log." in page


def test_changing_a_judgement_is_recorded_too(client: Client, linked: tuple[Claim, str]) -> None:
    claim, token = linked
    _judge(client, token, outcome="LO1", judgement="not_yet", comment="No dates.")
    _judge(client, token, outcome="LO1", judgement="meets", comment="")
    assert answer(claim, "LO1").judgement == "meets"
    judged = claim.events.filter(kind="judged").values_list("detail__judgement", flat=True)
    assert list(judged) == ["not_yet", "meets"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"outcome": "LO1"}, "Choose meets, partly meets or not yet met."),
        ({"outcome": "LO1", "judgement": "brilliant"}, "Select a valid choice."),
        ({"outcome": "LO1", "judgement": "partly", "comment": "  "}, "Say what is missing"),
        ({"outcome": "LO1", "judgement": "not_yet"}, "Say what is missing"),
        ({"outcome": "LO9", "judgement": "meets"}, "That outcome is not part of this claim."),
        ({"outcome": "LO1", "judgement": "meets", "comment": "x" * 5001}, "at most 5000"),
    ],
)
def test_a_refused_judgement_says_why_and_keeps_what_was_typed(
    client: Client, linked: tuple[Claim, str], data: dict[str, str], message: str
) -> None:
    claim, token = linked
    response = _judge(client, token, **data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert not claim.answers.exclude(judgement="").exists()
    assert not claim.events.filter(kind="judged").exists()
    if data.get("comment", "").strip() and len(data["comment"]) < 100 and data["outcome"] == "LO1":
        assert data["comment"] in page


def test_the_recommendation_needs_every_outcome_judged_then_emails_the_learner(
    client: Client, people: People, linked: tuple[Claim, str], django_capture_on_commit_callbacks
) -> None:
    claim, token = linked
    _judge(client, token, outcome="LO1", judgement="meets")
    early = _recommend(client, token, recommendation="award")
    assert early.status_code == 400 and "2 still need one" in early.content.decode()
    _judge(client, token, outcome="LO2", judgement="meets")
    _judge(client, token, outcome="LO3", judgement="not_yet", comment="No evidence.")
    no_comment = _recommend(client, token, recommendation="partial")
    assert no_comment.status_code == 400 and "what the learner should do next" in (
        no_comment.content.decode()
    )
    assert _recommend(client, token, recommendation="maybe").status_code == 400
    claim.refresh_from_db()
    assert claim.state == ClaimState.SUBMITTED and not claim.recommendation
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = _recommend(client, token, recommendation="partial", comment="Show LO3 at work.")
    assert done.status_code == 302
    claim.refresh_from_db()
    assert (claim.state, claim.recommendation) == (ClaimState.ASSESSED, "partial")
    assert claim.assessed_by == "Grace Hopper <grace@navy.test>"
    [message] = mail.outbox
    assert message.to == [people.learner.email]
    assert "has been assessed" in message.subject and "Show LO3 at work." in message.body
    assert claim.get_absolute_url() in message.body
    kinds = list(claim.events.values_list("kind", flat=True))
    assert kinds[-1] == "recommended" and kinds.count("judged") == 3


def test_an_account_assessor_judges_from_their_page(
    client: Client, people: People, django_capture_on_commit_callbacks
) -> None:
    claim = draft_with(people.learner, evidence_of(people.learner))
    person = assessor_user(name="Ann Assessor")
    submit_to_user(claim, person, django_capture_on_commit_callbacks)
    client.force_login(person)
    url = reverse("apel:assess_claim_judge", args=[claim.public_id])
    assert client.post(url, {"outcome": "LO1", "judgement": "meets"}).status_code == 302
    assert answer(claim, "LO1").judged_by == f"Ann Assessor <{person.email}>"


def test_access_revoked_between_page_and_post_refuses_the_write(
    linked: tuple[Claim, str],
) -> None:
    claim, _token = linked
    assessor = ClaimAssessor.objects.get(claim=claim)
    assessors.assessor_revoke(assessor=assessor)
    with pytest.raises(ClaimRefused, match="access to this claim has ended"):
        assessors.assessor_judge(
            assessor=assessor, answer=answer(claim, "LO1"), judgement="meets", comment=""
        )
    assert answer(claim, "LO1").judgement == ""


def test_an_outcome_of_another_claim_cannot_be_judged(
    people: People, linked: tuple[Claim, str], django_capture_on_commit_callbacks
) -> None:
    claim, _token = linked
    other = draft_with(people.classmate, evidence_of(people.classmate))
    submit_by_email(other, django_capture_on_commit_callbacks, email="other@x.test")
    with pytest.raises(ClaimRefused):
        assessors.assessor_judge(
            assessor=ClaimAssessor.objects.get(claim=claim),
            answer=answer(other, "LO1"),
            judgement="meets",
            comment="",
        )
    assert answer(other, "LO1").judgement == ""


def test_the_page_shows_the_declaration_evidence_and_transcript(
    client: Client, people: People, linked: tuple[Claim, str]
) -> None:
    claim, token = linked
    page = client.get(reverse("apel:assess_link", args=[token])).content.decode()
    claim.refresh_from_db()
    assert claim.declaration[:60] in page and "Confirmed by" in page
    assert "apel-matrix" in page and "Credentials in this claim" in page
    for title in ("Site visit photo", "Risk assessment", "What the placement taught me"):
        assert title in page
    assert "I learned to <em>plan</em> ahead." in page  # the reflection's text
    assert "Python programming" in page and "Verified" in page
    assert "Unrelated payslip" not in page  # not mapped
