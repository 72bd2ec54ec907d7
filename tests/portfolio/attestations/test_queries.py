"""Attestations add a fixed number of queries: the timeline, the tutor's review page
and the shared showcase run the same number at 5 and at 200 items, each attested."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.attestations import services
from portfolio.models import Attestation
from portfolio.showcases import services as showcase_services
from tests.conftest import People
from tests.portfolio.showcase_data import link_artefact, reflection, showcase_with

SIZES = [5, 200]
MARKER = 'data-testid="attestation"'


def _attested_items(people: People, count: int) -> list[Any]:
    items = [
        reflection(people.learner, title=f"Reflection {i}")
        if i % 2
        else link_artefact(people.learner, title=f"Link {i}")
        for i in range(count)
    ]
    for item in items:
        services.attest_as_tutor(
            tutor=people.tutor, item=item, organisation="College", statement="Seen it."
        )
    assert Attestation.objects.count() == count
    return items


@pytest.mark.django_db
@pytest.mark.parametrize("items", SIZES)
def test_the_timeline_runs_the_same_queries_whatever_its_size(
    client: Client, people: People, django_assert_max_num_queries: Any, items: int
) -> None:
    _attested_items(people, items)
    client.force_login(people.learner)
    # as pinned in tests/portfolio/test_formative.py (attestations included)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("portfolio:formative"))
    assert response.content.decode().count(MARKER) == min(items, 50)


@pytest.mark.django_db
@pytest.mark.parametrize("items", SIZES)
def test_the_review_page_runs_the_same_queries_whatever_its_size(
    client: Client, people: People, django_assert_max_num_queries: Any, items: int
) -> None:
    _attested_items(people, items)
    client.force_login(people.tutor)
    with django_assert_max_num_queries(23):
        response = client.get(reverse("review_tutor:learner", args=[people.learner.public_id]))
    html = response.content.decode()
    assert html.count(MARKER) == items
    assert html.count('<option value="') >= items  # every item can be signed off


@pytest.mark.django_db
@pytest.mark.parametrize("items", SIZES)
def test_the_shared_showcase_runs_the_same_queries_whatever_its_size(
    client: Client, people: People, django_assert_max_num_queries: Any, items: int
) -> None:
    showcase = showcase_with(people.learner, {"Work": _attested_items(people, items)})
    token = showcase_services.link_create(showcase=showcase, label="Acme").token
    # A first, uncached render: the link, the learner with the institution shown,
    # sections, items, two kinds of attestation, and the first opening written.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("share:showcase", args=[token]))
    assert response.content.decode().count(MARKER) == items
