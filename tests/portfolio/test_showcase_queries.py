"""The employer's page and the showcase editor run a constant number of SQL queries
whatever the number of items: pinned at 5 and at 200 items (artefact links and images,
reflections and badges over three sections)."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.models import ShowcaseItem
from portfolio.showcases import services
from tests.conftest import People
from tests.portfolio.showcase_data import filled_showcase

SIZES = [5, 200]


SHARED_ITEM = 'class="showcase-item '
EDITOR_ITEM = 'class="editor-item"'


def _assert_shows(showcase: Any, count: int, html: str, marker: str) -> None:
    """The page really shows every item (so a flat count is not an empty page's)."""
    assert ShowcaseItem.objects.filter(section__showcase=showcase).count() == count
    assert html.count(marker) == count


@pytest.mark.parametrize("items", SIZES)
def test_the_shared_page_runs_the_same_queries_whatever_its_size(
    client: Client, people: People, django_assert_max_num_queries: Any, items: int
) -> None:
    showcase = filled_showcase(people.learner, items)
    url = reverse(
        "share:showcase", args=[services.link_create(showcase=showcase, label="Acme").token]
    )

    # the link's check; the link with its showcase, owner and institution; sections;
    # items with their artefacts, reflections and badges; their attestations; then the
    # first open: savepoint, count it, release
    with django_assert_max_num_queries(8):
        first = client.get(url)
    # the rendered page is kept: the link's check, and the count (one UPDATE)
    with django_assert_max_num_queries(2):
        later = client.get(url)

    assert first.status_code == later.status_code == 200
    _assert_shows(showcase, items, later.content.decode(), SHARED_ITEM)


@pytest.mark.parametrize("items", SIZES)
def test_the_editor_runs_the_same_queries_whatever_its_size(
    client: Client, people: People, django_assert_max_num_queries: Any, items: int
) -> None:
    showcase = filled_showcase(people.learner, items)
    client.force_login(people.learner)

    # session, user; showcase, sections, items with their targets; the picker's three
    with django_assert_max_num_queries(8):
        response = client.get(reverse("showcases:detail", args=[showcase.public_id]))

    assert response.status_code == 200
    _assert_shows(showcase, items, response.content.decode(), EDITOR_ITEM)


@pytest.mark.parametrize("items", SIZES)
def test_the_owners_preview_runs_the_same_queries_whatever_its_size(
    client: Client, people: People, django_assert_max_num_queries: Any, items: int
) -> None:
    showcase = filled_showcase(people.learner, items)
    client.force_login(people.learner)

    # session, user; the owner's showcase; showcase with owner, sections, items; the
    # attestations of its artefacts and reflections
    with django_assert_max_num_queries(7):
        response = client.get(reverse("showcases:preview", args=[showcase.public_id]))

    assert response.status_code == 200
    _assert_shows(showcase, items, response.content.decode(), SHARED_ITEM)
