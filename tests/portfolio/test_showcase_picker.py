"""The item picker and the editor tell same-named items apart (thumbnail or kind, file
name, date), and ticks survive a new search."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.models import Showcase
from portfolio.showcases import services
from tests.conftest import People
from tests.portfolio.showcase_data import badge, image_artefact, link_artefact, pdf_artefact


@pytest.fixture
def learner_client(client: Client, people: People) -> Client:
    client.force_login(people.learner)
    return client


def empty_showcase(owner: Any) -> Showcase:
    showcase = services.showcase_create(owner=owner, title="For Acme")
    services.section_add(showcase=showcase, heading="Projects")
    return showcase


def picker(client: Client, showcase: Showcase, q: str = "", chosen: Any = ()) -> str:
    url = reverse("showcases:picker", args=[showcase.public_id])
    response = client.get(url, {"q": q, "section": "1", "chosen": list(chosen)})
    assert response.status_code == 200
    return response.content.decode()


def choice(fragment: str, ref: str) -> str:
    """The picker row of one item."""
    found = re.search(
        rf'<li class="picker-choice"><input [^>]*value="{ref}".*?</li>', fragment, re.S
    )
    assert found, fragment
    return found.group()


def test_the_picker_tells_two_files_of_the_same_name_apart(
    learner_client: Client, people: People
) -> None:
    photo = image_artefact(people.learner, title="Final report")
    pdf = pdf_artefact(people.learner, title="Final report")
    held = badge(people.learner)
    fragment = picker(learner_client, empty_showcase(people.learner))

    photo_row = choice(fragment, f"artefact:{photo.public_id}")
    assert reverse("artefacts:thumbnail", args=[photo.public_id]) in photo_row
    assert "Image · site-visit.png · " in photo_row
    pdf_row = choice(fragment, f"artefact:{pdf.public_id}")
    assert '<span class="kind-label">PDF</span>' in pdf_row
    assert "PDF · risk-assessment.pdf · " in pdf_row
    assert reverse("badges:image", args=[held.public_id]) in choice(
        fragment, f"badge:{held.public_id}"
    )


def test_the_editor_shows_each_items_thumbnail_kind_and_file(
    learner_client: Client, people: People
) -> None:
    photo = image_artefact(people.learner, title="Final report")
    pdf = pdf_artefact(people.learner, title="Final report")
    showcase = empty_showcase(people.learner)
    services.items_add(section=showcase.sections.get(), targets=[photo, pdf])
    page = learner_client.get(showcase.get_absolute_url()).content.decode()
    items = re.findall(r'<li class="editor-item".*?</li>', page, re.S)
    assert len(items) == 2
    assert reverse("artefacts:thumbnail", args=[photo.public_id]) in items[0]
    assert "site-visit.png" in items[0]
    assert '<span class="kind-label">PDF</span>' in items[1]
    assert "risk-assessment.pdf" in items[1]


def test_ticked_items_stay_ticked_and_first_when_searching_again(
    learner_client: Client, people: People
) -> None:
    blog = link_artefact(people.learner, title="My blog post")
    pdf = pdf_artefact(people.learner, title="Risk assessment")
    showcase = empty_showcase(people.learner)
    ref = f"artefact:{blog.public_id}"

    fragment = picker(learner_client, showcase, q="Risk", chosen=[ref])

    rows = re.findall(r'<li class="picker-choice">.*?</li>', fragment, re.S)
    assert len(rows) == 2  # the ticked blog post, then the match
    assert f'value="{ref}"' in rows[0] and " checked" in rows[0]
    assert f'value="artefact:{pdf.public_id}"' in rows[1] and " checked" not in rows[1]
    # Ticked and also a match: listed once.
    again = picker(learner_client, showcase, q="blog", chosen=[ref])
    assert again.count(f'value="{ref}"') == 1


@pytest.mark.parametrize(
    "chosen",
    [
        "artefact:zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
        "photo:00000000-0000-4000-8000-000000000000",
        "artefact",
        "theirs",
    ],
)
def test_a_ticked_reference_that_is_bad_or_someone_elses_is_left_out(
    learner_client: Client, people: People, chosen: str
) -> None:
    theirs = link_artefact(people.classmate, title="Classmate's post")
    if chosen == "theirs":
        chosen = f"artefact:{theirs.public_id}"
    fragment = picker(learner_client, empty_showcase(people.learner), chosen=[chosen])
    assert "Classmate" not in fragment and " checked" not in fragment


@pytest.mark.parametrize("ticked", [1, 30])
def test_the_picker_runs_the_same_queries_however_many_are_ticked(
    learner_client: Client, people: People, django_assert_max_num_queries: Any, ticked: int
) -> None:
    showcase = empty_showcase(people.learner)
    chosen = [
        f"artefact:{link_artefact(people.learner, title=f'Work {i}').public_id}"
        for i in range(ticked)
    ]
    # session, user; showcase; the ticked artefacts; three searches
    with django_assert_max_num_queries(7):
        fragment = picker(learner_client, showcase, q="nothing like this", chosen=chosen)
    assert fragment.count(" checked") == ticked
