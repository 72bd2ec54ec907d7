"""The assessor's pages run a fixed number of queries whatever the claim's size: the
same ceiling at 5 outcomes and 5 items as at 100 outcomes and 200 items."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.apel import services
from portfolio.models import Claim
from tests.factories import LearnerFactory
from tests.portfolio.apel.apel_data import answer, claim_for, programme
from tests.portfolio.apel.assessor_data import assessor_user, submit_by_email, submit_to_user
from tests.portfolio.showcase_data import badge, image_artefact, pdf_artefact, reflection

pytestmark = pytest.mark.django_db

# Signed in: the session and the user, the assignment (with its membership check), the
# opening noted (one UPDATE), and claim_view's six (with the submitted evidence, to tell
# what was removed since). A link holder has no session or user.
PAGE_QUERIES = 10
SIZES = [(5, 5), (100, 200)]


def _claim(outcomes: int, items: int) -> Claim:
    """A claim with `items` items of every kind spread over its outcomes; each outcome
    judged, so every part of the page is drawn."""
    learner = LearnerFactory.create()
    evidence: list[Any] = [image_artefact(learner), pdf_artefact(learner), badge(learner)]
    evidence += [reflection(learner, title=f"Reflection {n}") for n in range(items - 3)]
    claim = claim_for(learner, programme(outcomes=outcomes))
    for n, item in enumerate(evidence):
        services.mapping_add(answer=answer(claim, f"LO{n % outcomes + 1}"), item=item)
    return claim


def _judge_all(claim: Claim) -> None:
    for a in claim.answers.select_related("outcome", "claim"):
        services.judgement_record(answer=a, judgement="partly", comment="More, please.", by="A")


@pytest.mark.parametrize("outcomes, items", SIZES)
def test_the_link_holders_page_is_flat(
    client: Client,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
    outcomes: int,
    items: int,
) -> None:
    claim = _claim(outcomes, items)
    _assessor, token = submit_by_email(claim, django_capture_on_commit_callbacks)
    _judge_all(claim)
    url = reverse("apel:assess_link", args=[token])
    client.get(url)  # the first opening writes the history once
    with django_assert_max_num_queries(PAGE_QUERIES - 2):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200 and page.count('class="card apel-outcome"') == outcomes
    assert page.count('class="card apel-item"') == items


@pytest.mark.parametrize("outcomes, items", SIZES)
def test_the_account_assessors_page_is_flat(
    client: Client,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
    outcomes: int,
    items: int,
) -> None:
    claim = _claim(outcomes, items)
    person = assessor_user()
    submit_to_user(claim, person, django_capture_on_commit_callbacks)
    _judge_all(claim)
    client.force_login(person)
    url = reverse("apel:assess_claim", args=[claim.public_id])
    client.get(url)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Judged “Partly meets” by A") == outcomes
    with django_assert_max_num_queries(6):
        listed = client.get(reverse("apel:assess_list"))
    assert f"{outcomes} of {outcomes} outcomes judged" in listed.content.decode()
