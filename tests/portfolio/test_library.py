"""The evidence library: artefacts and reflections together, newest first, filtered,
searched and paginated with a fixed number of queries."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from artefacts.services import Details, artefact_create_link, artefact_create_text
from reflections.services import ReflectionInput, reflection_create
from tests.conftest import People

LIBRARY = reverse("portfolio:library")


def _fill(owner: Any, count: int, start: date = date(2026, 1, 1)) -> None:
    for i in range(count):
        day = start + timedelta(days=i)
        if i % 3 == 0:
            reflection_create(
                owner=owner,
                data=ReflectionInput(title=f"Reflection {i}", body_markdown="thinking",
                                     written_on=day, tags=("weekly",)),
            )  # fmt: skip
        else:
            artefact_create_link(
                owner=owner,
                url=f"https://example.org/{i}",
                details=Details(title=f"Link {i}", learned_on=day, tags=("web",)),
            )


def titles(client: Client, query: str = "") -> list[str]:
    response = client.get(LIBRARY + query)
    assert response.status_code == 200
    return [item.obj.title for item in response.context["result"].items]


@pytest.fixture
def learner_client(client: Client, people: People) -> Client:
    client.force_login(people.learner)
    return client


def test_newest_first_across_both_kinds(learner_client: Client, people: People) -> None:
    _fill(people.learner, 4)
    assert titles(learner_client) == ["Reflection 3", "Link 2", "Link 1", "Reflection 0"]


def test_only_the_learners_own_items_appear(learner_client: Client, people: People) -> None:
    _fill(people.classmate, 3)
    _fill(people.learner, 1)
    assert titles(learner_client) == ["Reflection 0"]


def test_empty_library_tells_the_learner_where_to_start(learner_client: Client) -> None:
    html = learner_client.get(LIBRARY).content.decode()
    assert "Your library is empty" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kind=reflection", ["Reflection 3", "Reflection 0"]),
        ("?kind=link", ["Link 5", "Link 4", "Link 2", "Link 1"]),
        ("?tag=WEEKLY", ["Reflection 3", "Reflection 0"]),
        ("?date_from=2026-01-02&date_to=2026-01-03", ["Link 2", "Link 1"]),
        ("?visibility=private", ["Secret plan"]),
        ("?q=secret", ["Secret plan"]),
        ("?q=weekly", ["Reflection 3", "Reflection 0"]),
    ],
)
def test_filters_and_search(
    learner_client: Client, people: People, query: str, expected: list[str]
) -> None:
    _fill(people.learner, 6)
    artefact_create_text(
        owner=people.learner,
        body_markdown="The secret is practice.",
        details=Details(title="Secret plan", learned_on=date(2025, 12, 1), visibility="private"),
    )
    assert titles(learner_client, query) == expected


def test_an_impossible_date_range_is_explained(learner_client: Client) -> None:
    response = learner_client.get(LIBRARY + "?date_from=2026-02-01&date_to=2026-01-01")
    assert response.status_code == 400
    assert "must be on or before" in response.content.decode()


def test_pages_hold_25_items(learner_client: Client, people: People) -> None:
    _fill(people.learner, 30)
    assert len(titles(learner_client)) == 25
    assert len(titles(learner_client, "?page=2")) == 5
    assert len(titles(learner_client, "?page=99")) == 5  # past the end: the last page


@pytest.mark.parametrize("items", [5, 60])
def test_query_count_is_flat_whatever_the_library_size(
    learner_client: Client, people: People, django_assert_max_num_queries, items: int
) -> None:
    _fill(people.learner, items)
    # session, user, count, page of ids, artefacts + tags, reflections + tags + links, tag list
    with django_assert_max_num_queries(10):
        learner_client.get(LIBRARY)


@pytest.mark.parametrize("role", ["tutor", "admin"])
def test_only_learners_have_a_library(client: Client, people: People, role: str) -> None:
    client.force_login(getattr(people, role))
    assert client.get(LIBRARY).status_code == 403


def test_anonymous_is_sent_to_sign_in(client: Client, db: None) -> None:
    assert client.get(LIBRARY)["Location"].startswith(reverse("account_login"))
