"""The claim page, the picker and the list run a fixed number of queries whatever the
number of outcomes and items: pinned at 5 outcomes x 5 items and 100 x 200, with the
same bound for both."""

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.apel import services
from portfolio.models import Claim, Export, ExportKind
from tests.portfolio.apel.apel_data import aligned_badge, answer, claim_for, programme
from tests.portfolio.attestations.helpers import attested
from tests.portfolio.showcase_data import link_artefact, reflection, showcase_with

pytestmark = pytest.mark.django_db

CLAIM_PAGE_QUERIES = 15  # 14, and one for the evidence PDFs' section (however many)
PICKER_QUERIES = 11
LIST_QUERIES = 4


def filled(learner: Any, outcomes: int, items: int, suggested: int = 1) -> Claim:
    """A draft with `items` items mapped round the outcomes: every kind there is
    (artefacts, attested ones, reflections, badges with declared values, a showcase
    item), and `suggested` badges suggested but not mapped."""
    evidence: list[Any] = [aligned_badge(learner, name="Testing", code="LO1")]
    for n in range(suggested):
        aligned_badge(learner, name=f"Suggested {n}", code=f"LO{n % outcomes + 2}")
    for n in range(items - 1):
        if n % 3 == 0:
            made = link_artefact(learner, title=f"Link {n}")
            if n % 9 == 0 and n < 40:
                attested(learner, made, email=f"supervisor{n}@acme.com")
            evidence.append(made)
        else:
            evidence.append(reflection(learner, title=f"Reflection {n}"))
    showcase = showcase_with(learner, {"Best": evidence[1:2]})
    claim = claim_for(learner, programme(outcomes=outcomes, currency_years=5))
    for n, item in enumerate(evidence):
        services.mapping_add(
            answer=answer(claim, f"LO{n % outcomes + 1}"),
            item=item,
            showcase_item=showcase.sections.get().items.get() if n == 1 else None,
        )
    services.credential_note_set(claim=claim, badge=evidence[0], study_hours=Decimal(4))
    return claim


@pytest.mark.parametrize("outcomes,items,suggested", [(5, 5, 1), (100, 200, 8)])
def test_the_claim_page_runs_a_fixed_number_of_queries(
    client: Client,
    people,
    django_assert_max_num_queries,
    outcomes: int,
    items: int,
    suggested: int,
) -> None:
    claim = filled(people.learner, outcomes, items, suggested)
    for n in range(suggested):  # as many evidence PDFs as suggestions: 1, then 8
        Export.objects.create(
            owner=people.learner,
            claim=claim,
            kind=ExportKind.APEL_PDF,
            title=f"APEL claim: {claim.title} v1",
            idempotency_key=f"pdf-{n}",
        )
    client.force_login(people.learner)
    with django_assert_max_num_queries(CLAIM_PAGE_QUERIES):
        response = client.get(claim.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="apel-cell--on"') == items
    assert html.count('class="card apel-outcome"') == outcomes
    assert "Attested by" in html and "Aligned to code LO2" in html
    assert html.count('class="apel-suggestion"') == suggested
    assert html.count('class="card export-card"') == suggested


@pytest.mark.parametrize("outcomes,items", [(5, 5), (100, 200)])
def test_the_picker_and_the_list_run_a_fixed_number_of_queries(
    client: Client, people, django_assert_max_num_queries, outcomes: int, items: int
) -> None:
    claim = filled(people.learner, outcomes, items)
    for _copy in range(3):
        claim_for(people.learner, programme(outcomes=outcomes, title="Another"))
    client.force_login(people.learner)
    with django_assert_max_num_queries(PICKER_QUERIES):
        page = client.get(reverse("apel:claim_evidence", args=[claim.public_id]) + "?outcome=LO1")
    assert page.status_code == 200 and page.content.decode().count('name="items"') >= items - 5
    with django_assert_max_num_queries(LIST_QUERIES):
        listed = client.get(reverse("apel:claim_list"))
    assert listed.content.decode().count('class="card apel-series"') == 4
