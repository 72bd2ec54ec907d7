"""An attestation is shown wherever its evidence is: the evidence page, the formative
timeline, the tutor's review page, the shared showcase and the showcase PDF; editing
the evidence afterwards shows "attested an earlier version" with the date of the
change; a withdrawn attestation says so."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from artefacts.models import Artefact
from artefacts.services import Details, artefact_update
from core.models import Visibility
from portfolio.models import Showcase
from portfolio.showcases import services as showcase_services
from reflections.services import ReflectionInput, reflection_update
from tests.conftest import People
from tests.portfolio.attestations.helpers import attested
from tests.portfolio.showcase_data import link_artefact, reflection, showcase_with

LINE = "Attested by Jane Smith, Line manager, acme.com"
STATEMENT = "I supervised this project."


@pytest.fixture
def shown(people: People) -> Any:
    item = link_artefact(people.learner, title="Site survey")
    attestation = attested(people.learner, item)
    showcase = showcase_with(people.learner, {"Work": [item]})
    token = showcase_services.link_create(showcase=showcase, label="Acme").token
    return item, attestation, showcase, token


def _pages(client: Client, people: People, item: Any, token: str) -> dict[str, str]:
    client.force_login(people.learner)
    pages = {
        "evidence page": client.get(item.get_absolute_url()),
        "timeline": client.get(reverse("portfolio:formative")),
    }
    client.force_login(people.tutor)
    review = reverse("review_tutor:learner", args=[people.learner.public_id])
    pages["review page"] = client.get(review)
    pages["tutor's view of the item"] = client.get(item.get_absolute_url())
    client.logout()
    pages["shared showcase"] = client.get(reverse("share:showcase", args=[token]))
    for name, response in pages.items():
        assert response.status_code == 200, name
    return {name: response.content.decode() for name, response in pages.items()}


@pytest.mark.django_db
def test_an_attestation_is_shown_on_every_page_that_shows_the_evidence(
    client: Client, people: People, shown: Any
) -> None:
    item, attestation, _showcase, token = shown
    for name, html in _pages(client, people, item, token).items():
        assert LINE in html, name
        assert f"“{STATEMENT}”" in html, name
        assert attestation.fingerprint in html, name  # in its details
        assert "Attested an earlier version" not in html, name


@pytest.mark.django_db
def test_editing_the_evidence_afterwards_shows_an_earlier_version_and_when(
    client: Client, people: People, shown: Any
) -> None:
    item, _attestation, _showcase, token = shown
    artefact_update(artefact=item, details=Details(title="Site survey, revised"))
    item.refresh_from_db()
    assert item.content_changed_at is not None
    # dated far ahead, so the page's date is certainly the change's
    Artefact.objects.filter(pk=item.pk).update(
        content_changed_at=datetime(2030, 3, 3, 12, 0, tzinfo=UTC)
    )

    for name, html in _pages(client, people, item, token).items():
        assert "Attested an earlier version" in html, name
        assert 'datetime="2030-03-03"' in html and "3 Mar 2030" in html, name
        assert "it was attested as “Site survey”" in html, name


@pytest.mark.django_db
def test_changing_only_tags_or_visibility_is_not_a_change_of_the_evidence(
    people: People,
) -> None:
    written = reflection(people.learner)
    attestation = attested(people.learner, written)
    reflection_update(
        reflection=written,
        data=ReflectionInput(
            title=written.title,
            body_markdown=written.body_markdown,
            visibility=Visibility.PRIVATE,
            tags=("new",),
        ),
    )
    attestation.refresh_from_db()
    assert attestation.changed_since is None
    reflection_update(
        reflection=written,
        data=ReflectionInput(title=written.title, body_markdown="Rewritten."),
    )
    attestation.refresh_from_db()
    assert attestation.changed_since is not None


@pytest.mark.django_db
def test_attesting_marks_the_showcases_holding_the_item_changed(people: People, shown: Any) -> None:
    item, _attestation, showcase, _token = shown
    before = Showcase.objects.get(pk=showcase.pk).updated_at
    attested(people.learner, item, email="bob@example.net", name="Bob")
    assert Showcase.objects.get(pk=showcase.pk).updated_at > before


@pytest.mark.django_db
def test_the_learners_page_lists_their_requests(client: Client, people: People) -> None:
    item = link_artefact(people.learner)
    attested(people.learner, item)
    client.force_login(people.learner)
    html = client.get(item.get_absolute_url()).content.decode()
    assert "Jane Smith (jane.smith@acme.com)" in html
    assert "Ask someone to attest this" in html


@pytest.mark.django_db
def test_the_shared_page_shows_each_items_own_attestations_newest_first_in_one_query(
    client: Client, people: People, django_assert_max_num_queries: Any
) -> None:
    survey = link_artefact(people.learner, title="Site survey")
    written = reflection(people.learner, title="What the survey taught me")
    bare = link_artefact(people.learner, title="Unattested link")
    attested(people.learner, survey, name="Jane Smith", email="jane@acme.com")
    attested(people.learner, survey, name="Bob Jones", email="bob@acme.com")
    attested(people.learner, written, name="Ann Lee", email="ann@acme.com")
    # The survey twice (two sections may hold the same item): its attestations both times.
    showcase = showcase_with(
        people.learner, {"Work": [survey, bare], "Thinking": [written], "Again": [survey]}
    )
    token = showcase_services.link_create(showcase=showcase, label="Acme").token

    # link check, link, sections, items, attestations; savepoint, first open, release
    with django_assert_max_num_queries(8):
        html = client.get(reverse("share:showcase", args=[token])).content.decode()

    articles = html.split('<article class="showcase-item ')[1:]
    assert [a.count('data-testid="attestation"') for a in articles] == [2, 0, 1, 2]
    assert articles[0].index("Bob Jones") < articles[0].index("Jane Smith")  # newest first
    assert "Ann Lee" in articles[2] and "Ann Lee" not in articles[0] + articles[3]


@pytest.mark.django_db
def test_an_attested_item_made_private_takes_its_attestations_off_the_shared_page(
    client: Client, people: People, shown: Any
) -> None:
    item, _attestation, _showcase, token = shown
    artefact_update(artefact=item, details=Details(title=item.title, visibility="private"))
    html = client.get(reverse("share:showcase", args=[token])).content.decode()
    assert LINE not in html and "Site survey" not in html
