from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from artefacts.services import Details, artefact_create_file
from reflections.models import Reflection, ReflectionPrompt
from reflections.services import ReflectionInput, reflection_create
from tests import filemakers as make
from tests.conftest import People

FORM = {"title": "Week 3", "body_markdown": "It went **well**.", "written_on": "2026-03-01",
        "visibility": "tutors", "tags": "placement"}  # fmt: skip


def _artefact(owner: Any, title: str = "Poster", visibility: str = "tutors") -> Any:
    return artefact_create_file(
        owner=owner,
        upload=make.uploaded("poster.pdf", make.pdf(title)),
        details=Details(title=title, visibility=visibility),
    )


def test_write_a_reflection_linked_to_evidence(client: Client, people: People) -> None:
    poster = _artefact(people.learner)
    client.force_login(people.learner)
    response = client.post(reverse("reflections:create"), {**FORM, "artefacts": [poster.pk]})
    reflection = Reflection.objects.get(owner=people.learner)
    assert response["Location"] == reflection.get_absolute_url()
    assert reflection.body_html == "<p>It went <strong>well</strong>.</p>"
    assert list(reflection.artefacts.all()) == [poster]
    page = client.get(reflection.get_absolute_url()).content.decode()
    assert "Poster" in page and "<strong>well</strong>" in page


def test_another_learners_artefact_cannot_be_linked(client: Client, people: People) -> None:
    theirs = _artefact(people.classmate)
    client.force_login(people.learner)
    response = client.post(reverse("reflections:create"), {**FORM, "artefacts": [theirs.pk]})
    assert response.status_code == 400
    assert "not in your evidence library" in response.content.decode()
    assert not Reflection.objects.exists()


@pytest.mark.parametrize(
    "hostile",
    [
        "[x](javascript:alert(1))",
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<iframe src='https://evil.example'></iframe>",
        '<a href="#" onclick="alert(1)">x</a>',
        '<p style="background:url(javascript:alert(1))">x</p>',
    ],
)
def test_markdown_cannot_carry_script(client: Client, people: People, hostile: str) -> None:
    client.force_login(people.learner)
    client.post(reverse("reflections:create"), {**FORM, "body_markdown": hostile})
    html = Reflection.objects.get().body_html.lower()
    for bad in ("<script", "javascript:", "onerror", "onclick", "<iframe", "style=", "<img"):
        assert bad not in html


def test_a_prompt_prefills_the_entry(client: Client, people: People) -> None:
    prompt = ReflectionPrompt.objects.create(title="Rolfe", body="## What?\n\n## So what?")
    client.force_login(people.learner)
    page = client.get(reverse("reflections:create") + f"?prompt={prompt.public_id}")
    assert "## What?" in page.content.decode()


def test_the_preview_uses_the_same_sanitising(client: Client, people: People) -> None:
    client.force_login(people.learner)
    response = client.post(
        reverse("reflections:preview"), {"text": "**hi** <script>x</script>[a](javascript:x)"}
    )
    html = response.json()["html"]
    assert "<strong>hi</strong>" in html and "<script" not in html and "javascript" not in html


def test_the_preview_refuses_anonymous_and_get(client: Client, people: People) -> None:
    assert client.post(reverse("reflections:preview"), {"text": "x"}).status_code == 302
    client.force_login(people.learner)
    assert client.get(reverse("reflections:preview")).status_code == 405


def test_a_tutor_reading_a_shared_reflection_does_not_see_private_linked_evidence(
    client: Client, people: People
) -> None:
    shared = _artefact(people.learner, "Shared poster")
    private = _artefact(people.learner, "Private draft", visibility="private")
    reflection = reflection_create(
        owner=people.learner,
        data=ReflectionInput(title="Week 3", body_markdown="x", artefacts=[shared, private]),
    )
    client.force_login(people.tutor)
    page = client.get(reflection.get_absolute_url()).content.decode()
    assert "Shared poster" in page and "Private draft" not in page


READ = ["detail"]
WRITE = ["edit", "delete"]


@pytest.mark.parametrize("name", READ + WRITE)
@pytest.mark.parametrize("who", ["classmate", "outsider", "other_tutor", "admin"])
def test_strangers_cannot_reach_a_reflection(
    client: Client, people: People, name: str, who: str
) -> None:
    reflection = reflection_create(
        owner=people.learner, data=ReflectionInput(title="t", body_markdown="b")
    )
    client.force_login(getattr(people, who))
    status = client.get(reverse(f"reflections:{name}", args=[reflection.public_id])).status_code
    assert (
        status == 404 if name in READ or who in ("classmate", "outsider") else status in (403, 404)
    )


def test_the_cohort_tutor_cannot_read_a_private_reflection(client: Client, people: People) -> None:
    reflection = reflection_create(
        owner=people.learner,
        data=ReflectionInput(title="t", body_markdown="b", visibility="private"),
    )
    client.force_login(people.tutor)
    assert client.get(reflection.get_absolute_url()).status_code == 404


def test_the_cohort_tutor_reads_but_cannot_edit_a_shared_reflection(
    client: Client, people: People
) -> None:
    reflection = reflection_create(
        owner=people.learner, data=ReflectionInput(title="t", body_markdown="b")
    )
    client.force_login(people.tutor)
    assert client.get(reflection.get_absolute_url()).status_code == 200
    assert (
        client.post(reverse("reflections:edit", args=[reflection.public_id]), FORM).status_code
        == 403
    )


@pytest.mark.parametrize("name", ["detail", "edit", "delete"])
def test_anonymous_is_sent_to_sign_in(client: Client, people: People, name: str) -> None:
    reflection = reflection_create(
        owner=people.learner, data=ReflectionInput(title="t", body_markdown="b")
    )
    response = client.get(reverse(f"reflections:{name}", args=[reflection.public_id]))
    assert response.status_code == 302


def test_deleting_a_reflection_keeps_its_evidence(client: Client, people: People) -> None:
    poster = _artefact(people.learner)
    reflection = reflection_create(
        owner=people.learner, data=ReflectionInput(title="t", body_markdown="b", artefacts=[poster])
    )
    client.force_login(people.learner)
    client.post(reverse("reflections:delete", args=[reflection.public_id]))
    assert not Reflection.objects.exists()
    poster.refresh_from_db()


def test_a_pathological_bracket_run_is_refused_with_a_reason(
    client: Client, people: People
) -> None:
    client.force_login(people.learner)
    response = client.post(reverse("reflections:create"), {**FORM, "body_markdown": "(" * 5000})
    assert response.status_code == 400
    assert "a run of 100 or more “(” characters" in response.content.decode()
    assert not Reflection.objects.exists()
    preview = client.post(reverse("reflections:preview"), {"text": "(" * 5000})
    assert preview.status_code == 400
    assert "Shorten the run" in preview.json()["error"]
