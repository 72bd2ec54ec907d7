"""The learner's control over who assesses a submitted claim: the "Assessors" section
(templates/apel/partials/assessors.html) and its revoke and re-send buttons."""

from typing import Any

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from portfolio.apel import assessors
from portfolio.apel.assessor_selectors import assessors_of
from portfolio.models import Claim, ClaimAssessor
from tests.conftest import People
from tests.portfolio.apel.assessor_data import (
    assessor_user,
    draft_with,
    evidence_of,
    submit_by_email,
    token_sent_to,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(people: People, django_capture_on_commit_callbacks: Any) -> tuple[Claim, str]:
    claim = draft_with(people.learner, evidence_of(people.learner))
    _assessor, token = submit_by_email(claim, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assessors.assessor_assign(claim=claim, user=assessor_user(name="Ann Assessor"))
    return claim, token


def _section(claim: Claim) -> str:
    request = RequestFactory().get("/")
    context = {"claim": claim, "assessors": assessors_of(claim=claim)}
    return render_to_string("apel/partials/assessors.html", context, request=request)


def _action(claim: Claim, name: str, email: str) -> str:
    found = ClaimAssessor.objects.get(claim=claim, email=email)
    return reverse(f"apel:assessor_{name}", args=[claim.public_id, found.public_id])


def test_the_section_lists_each_assessor_with_what_they_can_do(sent: tuple[Claim, str]) -> None:
    claim, _token = sent
    html = _section(claim)
    assert "Grace Hopper" in html and "Through an emailed link, until" in html
    assert "Ann Assessor" in html and "With their account" in html
    assert html.count("Revoke access") == 2
    assert "Send a new link" in html and "Send a reminder" in html
    assert _action(claim, "revoke", "grace@navy.test") in html


def test_nothing_is_shown_for_a_claim_not_yet_sent(people: People) -> None:
    draft = draft_with(people.learner, evidence_of(people.learner))
    assert _section(draft).strip() == ""


def test_the_learner_revokes_a_link_and_it_stops_working(
    client: Client, people: People, sent: tuple[Claim, str]
) -> None:
    claim, token = sent
    client.force_login(people.learner)
    response = client.post(_action(claim, "revoke", "grace@navy.test"), follow=True)
    assert response.redirect_chain[-1][0] == f"{claim.get_absolute_url()}#assessors"
    assert "Grace Hopper can no longer open this claim." in response.content.decode()
    assert "Revoked" in _section(claim)
    again = client.post(_action(claim, "revoke", "grace@navy.test"), follow=True)
    assert "already revoked" in again.content.decode()
    client.logout()
    assert client.get(reverse("apel:assess_link", args=[token])).status_code == 410
    assert claim.events.filter(kind="assessor_revoked").count() == 1


def test_the_learner_sends_a_new_link_and_only_it_works(
    client: Client,
    people: People,
    sent: tuple[Claim, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    claim, old = sent
    client.force_login(people.learner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_action(claim, "resend", "grace@navy.test"), follow=True)
    assert "A new link is on its way to grace@navy.test" in response.content.decode()
    new = token_sent_to("grace@navy.test")
    client.logout()
    assert client.get(reverse("apel:assess_link", args=[old])).status_code == 404
    assert client.get(reverse("apel:assess_link", args=[new])).status_code == 200


def test_a_reminder_to_an_account_assessor_and_the_daily_limit(
    client: Client,
    people: People,
    sent: tuple[Claim, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    claim, _token = sent
    person = ClaimAssessor.objects.get(claim=claim, user__isnull=False)
    client.force_login(people.learner)
    mail.outbox.clear()
    for _n in range(assessors.RESENDS_PER_DAY):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(_action(claim, "resend", person.email))
    assert len(mail.outbox) == assessors.RESENDS_PER_DAY
    assert all("Reminder" in m.subject for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(_action(claim, "resend", person.email), follow=True)
    assert "as many emails as you can today" in refused.content.decode()
    assert len(mail.outbox) == assessors.RESENDS_PER_DAY
