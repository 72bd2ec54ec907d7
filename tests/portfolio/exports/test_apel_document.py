"""The APEL PDF's HTML, before layout: the matrix turns compact when a claim has many
items, each item is printed in full once and referred to after, and building it reads
a fixed number of queries whatever the size of the claim."""

from typing import Any

import pytest

from portfolio.apel import services as apel_services
from portfolio.exports.apel import GRID_MAX_COLUMNS, apel_document
from portfolio.models import Claim, Export, ExportKind
from tests.portfolio.apel.apel_data import aligned_badge, answer, claim_for, programme
from tests.portfolio.showcase_data import link_artefact, reflection

pytestmark = pytest.mark.django_db


def _html(claim: Claim) -> str:
    export = Export(owner=claim.learner, claim=claim, kind=ExportKind.APEL_PDF, title="T")
    document = apel_document(export=export, claim=claim, report=lambda *_: None)
    try:
        assert document.attachment is not None and document.attachment.name == "claim.json"
        return document.html
    finally:
        document.close()


def test_many_items_make_a_compact_matrix_and_each_item_is_printed_once(people) -> None:
    learner = people.learner
    items = [reflection(learner, title=f"Reflection {n}") for n in range(GRID_MAX_COLUMNS + 2)]
    claim = claim_for(learner, programme(outcomes=2), {"LO1": items[:6], "LO2": items[4:]})
    html = _html(claim)
    assert "matrix--compact" in html and "matrix--grid" not in html
    assert "<td>E1, E2, E3, E4, E5, E6</td>" in html
    assert "<td>E5, E6, E7, E8, E9, E10</td>" in html
    for number in range(1, len(items) + 1):
        assert html.count(f'id="item-E{number}"') == 1  # printed in full once
        assert f'<a class="page-ref" href="#item-E{number}"></a>' in html  # the legend
    assert html.count("printed in full on page") == 2  # E5 and E6 again under LO2


def test_few_items_make_a_grid(people) -> None:
    learner = people.learner
    claim = claim_for(learner, programme(outcomes=2), {"LO2": [reflection(learner)]})
    html = _html(claim)
    assert "matrix--grid" in html and "matrix--compact" not in html


def _claim_of(learner: Any, outcomes: int, items: int) -> Claim:
    claim = claim_for(learner, programme(outcomes=outcomes, title=f"P{outcomes}"))
    held = aligned_badge(learner, name=f"Badge {outcomes}")
    apel_services.mapping_add(answer=answer(claim, "LO1"), item=held)
    for n in range(items):
        item = (
            reflection(learner, title=f"R{n}") if n % 2 else link_artefact(learner, title=f"L{n}")
        )
        apel_services.mapping_add(answer=answer(claim, f"LO{n % outcomes + 1}"), item=item)
    return Claim.objects.select_related("learner", "programme").get(pk=claim.pk)


@pytest.mark.parametrize("outcomes,items", [(2, 3), (12, 40)])
def test_building_the_document_reads_a_fixed_number_of_queries(
    people, django_assert_max_num_queries, outcomes: int, items: int
) -> None:
    claim = _claim_of(people.learner, outcomes, items)
    with django_assert_max_num_queries(7):
        html = _html(claim)
    assert html.count('<section class="outcome') == outcomes
