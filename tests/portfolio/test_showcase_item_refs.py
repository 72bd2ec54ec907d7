"""Posted item references ("kind:public_id") to the add-items and promote endpoints: any
malformed one, or one naming something that is not the learner's, is refused with a 400
that says what happened, and nothing is added."""

import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.models import Showcase, ShowcaseItem
from portfolio.showcases import services
from tests.conftest import People
from tests.portfolio.showcase_data import link_artefact

BAD_SHAPES = {
    "bad uuid": "artefact:zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
    "unknown kind": "photo:{good}",
    "missing colon": "artefact{good}",
    "empty id": "artefact:",
    "nothing": "",
    "too long": "artefact:{good}0",
    "no such item": f"artefact:{uuid.uuid4()}",
    "wrong kind": "badge:{good}",
    "other learner's": "artefact:{theirs}",
}


def _refs(people: People, shape: str) -> list[str]:
    mine = link_artefact(people.learner, title="Mine")
    theirs = link_artefact(people.classmate, title="Theirs")
    bad = BAD_SHAPES[shape].format(good=mine.public_id, theirs=theirs.public_id)
    # A good reference alongside the bad one: nothing half-added.
    return [f"artefact:{mine.public_id}", bad]


def _assert_refused(response: Any) -> None:
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was added" in page
    assert "not in your evidence library" in page
    assert not ShowcaseItem.objects.exists()


@pytest.mark.parametrize("shape", BAD_SHAPES)
def test_adding_items_refuses_a_bad_reference(client: Client, people: People, shape: str) -> None:
    showcase = services.showcase_create(owner=people.learner, title="For Acme")
    section = services.section_add(showcase=showcase, heading="Projects")
    client.force_login(people.learner)
    response = client.post(
        reverse("showcases:items_add", args=[showcase.public_id, section.pk]),
        {"items": _refs(people, shape)},
    )
    _assert_refused(response)
    assert f"{showcase.get_absolute_url()}#section-{section.pk}" in response.content.decode()


@pytest.mark.parametrize("shape", BAD_SHAPES)
def test_promoting_refuses_a_bad_reference(client: Client, people: People, shape: str) -> None:
    client.force_login(people.learner)
    response = client.post(
        reverse("showcases:promote"),
        {"items": _refs(people, shape), "showcase": "new", "title": "Best of"},
    )
    _assert_refused(response)
    assert not Showcase.objects.exists()


def test_an_other_learners_item_gets_the_same_answer_as_a_missing_one(
    client: Client, people: People
) -> None:
    client.force_login(people.learner)
    url = reverse("showcases:promote")
    theirs = link_artefact(people.classmate, title="Theirs")
    answers = [
        client.post(url, {"items": [ref], "showcase": "new"})
        for ref in (f"artefact:{theirs.public_id}", f"artefact:{uuid.uuid4()}")
    ]
    assert answers[0].status_code == answers[1].status_code == 400
    main = [re.search(r"<main.*</main>", a.content.decode(), re.S) for a in answers]
    assert main[0] and main[1] and main[0].group() == main[1].group()


def test_a_reference_may_use_any_spelling_of_its_uuid_and_repeat(
    client: Client, people: People
) -> None:
    mine = link_artefact(people.learner, title="Mine")
    client.force_login(people.learner)
    spellings = [f"artefact:{mine.public_id}", f"artefact:{mine.public_id.hex.upper()}"]
    response = client.post(reverse("showcases:promote"), {"items": spellings, "showcase": "new"})
    assert response.status_code == 302
    assert ShowcaseItem.objects.get().artefact == mine
