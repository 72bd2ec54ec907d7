"""Links, written pieces, editing, and deleting with its files removed after commit."""

from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from artefacts.models import Artefact
from artefacts.services import Details, artefact_create_file, artefact_delete
from reflections.services import ReflectionInput, reflection_create
from tests import filemakers as make
from tests.conftest import People

BASE = {"visibility": "tutors", "learned_on": "2026-02-01", "tags": ""}


@pytest.fixture
def learner_client(client: Client, people: People) -> Client:
    client.force_login(people.learner)
    return client


def test_add_a_link_without_fetching_it(learner_client: Client, people: People) -> None:
    response = learner_client.post(
        reverse("artefacts:add_link"),
        {**BASE, "url": "https://github.com/lena/robot", "title": "Robot code",
         "description": "My part: the sensors."},
    )  # fmt: skip
    artefact = Artefact.objects.get(owner=people.learner)
    assert response["Location"] == artefact.get_absolute_url()
    assert (artefact.kind, artefact.url) == ("link", "https://github.com/lena/robot")
    page = learner_client.get(artefact.get_absolute_url()).content.decode()
    assert 'rel="nofollow noopener noreferrer"' in page


@pytest.mark.parametrize(
    "bad_url", ["javascript:alert(1)", "ftp://example.org/x", "file:///etc/passwd", "not a url"]
)
def test_a_link_must_be_a_web_address(learner_client: Client, bad_url: str) -> None:
    response = learner_client.post(
        reverse("artefacts:add_link"), {**BASE, "url": bad_url, "title": "x"}
    )
    assert response.status_code == 400
    assert "Enter a valid URL." in response.content.decode()
    assert not Artefact.objects.exists()


def test_a_written_piece_is_stored_sanitised(learner_client: Client, people: People) -> None:
    learner_client.post(
        reverse("artefacts:add_text"),
        {**BASE, "title": "Essay", "body_markdown": "# Intro\n\nHi <script>alert(1)</script>"},
    )
    artefact = Artefact.objects.get(owner=people.learner)
    assert "<h2>Intro</h2>" in artefact.body_html
    assert "<script" not in artefact.body_html
    page = learner_client.get(artefact.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page


def test_editing_changes_the_details_but_never_the_file(
    learner_client: Client, people: People
) -> None:
    artefact = artefact_create_file(
        owner=people.learner, upload=make.uploaded("a.pdf", make.pdf()), details=Details(title="A")
    )
    stored = artefact.file.name
    response = learner_client.post(
        reverse("artefacts:edit", args=[artefact.public_id]),
        {**BASE, "title": "Better title", "description": "Now explained", "visibility": "private",
         "tags": "final"},
    )  # fmt: skip
    assert response.status_code == 302
    artefact.refresh_from_db()
    assert (artefact.title, artefact.visibility, artefact.file.name) == (
        "Better title", "private", stored,
    )  # fmt: skip
    assert [t.name for t in artefact.tags.all()] == ["final"]


def test_an_edit_with_a_bad_date_explains_and_changes_nothing(
    learner_client: Client, people: People
) -> None:
    artefact = artefact_create_file(
        owner=people.learner, upload=make.uploaded("a.pdf", make.pdf()), details=Details(title="A")
    )
    response = learner_client.post(
        reverse("artefacts:edit", args=[artefact.public_id]),
        {**BASE, "title": "B", "learned_on": "31/31/2026"},
    )
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    artefact.refresh_from_db()
    assert artefact.title == "A"


def test_delete_asks_first_and_names_the_reflections_that_use_it(
    learner_client: Client, people: People
) -> None:
    artefact = artefact_create_file(
        owner=people.learner, upload=make.uploaded("a.pdf", make.pdf()), details=Details(title="A")
    )
    reflection_create(
        owner=people.learner,
        data=ReflectionInput(title="What I learned", body_markdown="x", artefacts=[artefact]),
    )
    page = learner_client.get(reverse("artefacts:delete", args=[artefact.public_id]))
    html = page.content.decode()
    assert "This evidence is used elsewhere" in html and "What I learned" in html
    assert Artefact.objects.filter(pk=artefact.pk).exists()
    response = learner_client.post(reverse("artefacts:delete", args=[artefact.public_id]))
    assert response["Location"] == reverse("portfolio:library")
    assert not Artefact.objects.filter(pk=artefact.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_files_are_removed_only_once_the_delete_commits(_media_root: Path) -> None:
    from tests.factories import LearnerFactory

    learner = LearnerFactory.create()
    artefact = artefact_create_file(
        owner=learner, upload=make.uploaded("a.pdf", make.pdf()), details=Details(title="A")
    )
    path = _media_root / str(artefact.file.name)
    assert path.exists()

    with pytest.raises(RuntimeError), transaction.atomic():
        artefact_delete(artefact=Artefact.objects.get(pk=artefact.pk))
        assert path.exists()  # not yet: the delete has not committed
        raise RuntimeError("something after the delete failed")
    assert path.exists() and Artefact.objects.filter(pk=artefact.pk).exists()

    artefact_delete(artefact=Artefact.objects.get(pk=artefact.pk))
    assert not path.exists()
