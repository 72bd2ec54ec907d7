"""The programme pages run a fixed number of queries: the same at 5 outcomes as at 100
(in two courses), on the staff list, the staff programme page and the learner's."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.apel import programmes as service
from portfolio.apel.programmes import ProgrammeDetails
from portfolio.models import Programme
from tests.accounts.institutions.conftest import Staff
from tests.conftest import People
from tests.portfolio.apel.conftest import programme_with_outcomes

pytestmark = pytest.mark.django_db
SIZES = [5, 100]


def _published(staff: Staff, outcomes: int, title: str = "BSc Web") -> Programme:
    programme = service.programme_create(
        details=ProgrammeDetails(title=title), institution=staff.institution
    )
    return service.programme_publish(programme=programme_with_outcomes(programme, outcomes))


@pytest.mark.parametrize("outcomes", SIZES)
def test_the_staff_list_runs_the_same_queries_whatever_the_programmes_size(
    client: Client, staff: Staff, django_assert_max_num_queries: Any, outcomes: int
) -> None:
    for n in range(3):
        _published(staff, outcomes, title=f"Programme {n}")
    client.force_login(staff.admin)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("apel_staff:programme_list", args=[staff.institution.slug]))
    assert response.content.decode().count(f'<td data-label="Outcomes">{outcomes}</td>') == 3


@pytest.mark.parametrize("outcomes", SIZES)
def test_the_staff_programme_page_runs_the_same_queries_whatever_its_size(
    client: Client, staff: Staff, django_assert_max_num_queries: Any, outcomes: int
) -> None:
    programme = _published(staff, outcomes)
    client.force_login(staff.admin)
    url = reverse("apel_staff:programme_manage", args=[staff.institution.slug, programme.public_id])
    with django_assert_max_num_queries(9):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('<tr id="outcome-') == outcomes
    assert html.count('value="up"') == outcomes - 2  # each course's first cannot move up


@pytest.mark.parametrize("outcomes", SIZES)
def test_the_learners_programme_page_runs_the_same_queries_whatever_its_size(
    client: Client, people: People, staff: Staff, django_assert_max_num_queries: Any, outcomes: int
) -> None:
    programme = _published(staff, outcomes)
    client.force_login(people.learner)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("apel:programme_detail", args=[programme.public_id]))
    assert response.content.decode().count('<li id="outcome-') == outcomes


@pytest.mark.parametrize("outcomes", SIZES)
def test_the_learners_list_runs_the_same_queries_whatever_the_programmes_size(
    client: Client, people: People, staff: Staff, django_assert_max_num_queries: Any, outcomes: int
) -> None:
    for n in range(3):
        _published(staff, outcomes, title=f"Programme {n}")
    client.force_login(people.learner)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("apel:programme_list"))
    assert response.content.decode().count(f"{outcomes} learning outcomes") == 3
