"""Choosing a prompt after typing keeps what was typed: the prompt's text is added after
it, without JavaScript, and nothing is saved until the learner saves."""

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from artefacts.services import Details, artefact_create_link
from reflections.models import Reflection, ReflectionPrompt
from tests.conftest import People

TYPED = {
    "prompt": "",
    "title": "My placement week",
    "body_markdown": "I ran the stand-up on Monday.",
    "written_on": "2026-03-01",
    "visibility": "private",
    "tags": "placement, teamwork",
}


@pytest.fixture
def rolfe(db: None) -> ReflectionPrompt:
    return ReflectionPrompt.objects.create(title="Rolfe", body="## What?\n\n## So what?")


def _textarea(page: str) -> str:
    found = re.search(r'<textarea name="body_markdown"[^>]*>\n?(.*?)</textarea>', page, re.S)
    assert found, page
    return html.unescape(found.group(1))


def _value(page: str, name: str) -> str:
    found = re.search(rf'<input type="\w+" name="{name}" value="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else ""


def test_choosing_a_prompt_keeps_the_typed_title_and_text(
    client: Client, people: People, rolfe: ReflectionPrompt
) -> None:
    poster = artefact_create_link(
        owner=people.learner, url="https://example.org", details=Details(title="Poster")
    )
    client.force_login(people.learner)
    typed = {**TYPED, "artefacts": [str(poster.pk)], "use_prompt": str(rolfe.public_id)}
    response = client.post(reverse("reflections:create"), typed)

    assert response.status_code == 200
    page = response.content.decode()
    assert _textarea(page) == "I ran the stand-up on Monday.\n\n## What?\n\n## So what?"
    assert _value(page, "title") == "My placement week"
    assert _value(page, "tags") == "placement, teamwork"
    assert _value(page, "written_on") == "2026-03-01"
    assert re.search(r'value="private"[^>]*checked', page)
    assert re.search(rf'value="{poster.pk}"[^>]*checked', page)
    assert _value(page, "prompt") == str(rolfe.public_id)
    assert "This field is required" not in page
    assert not Reflection.objects.exists()  # choosing a prompt saves nothing


def test_a_prompt_chosen_on_an_empty_page_gives_its_title_and_text(
    client: Client, people: People, rolfe: ReflectionPrompt
) -> None:
    client.force_login(people.learner)
    empty = {**TYPED, "title": "", "body_markdown": "", "use_prompt": str(rolfe.public_id)}
    page = client.post(reverse("reflections:create"), empty).content.decode()
    assert _textarea(page) == "## What?\n\n## So what?"
    assert _value(page, "title") == "Rolfe"


def test_saving_after_choosing_a_prompt_records_the_prompt(
    client: Client, people: People, rolfe: ReflectionPrompt
) -> None:
    client.force_login(people.learner)
    response = client.post(reverse("reflections:create"), {**TYPED, "prompt": rolfe.public_id})
    assert response.status_code == 302
    assert Reflection.objects.get().prompt == rolfe


def test_writing_without_a_prompt_keeps_the_text_and_forgets_the_prompt(
    client: Client, people: People, rolfe: ReflectionPrompt
) -> None:
    client.force_login(people.learner)
    url = reverse("reflections:create") + f"?prompt={rolfe.public_id}"
    page = client.post(url, {**TYPED, "prompt": rolfe.public_id, "use_prompt": ""})
    assert _textarea(page.content.decode()) == TYPED["body_markdown"]
    assert _value(page.content.decode(), "prompt") == ""
    client.post(url, TYPED)
    assert Reflection.objects.get().prompt is None


@pytest.mark.parametrize("chosen", ["not-a-uuid", "5f0c6e3c-0000-4000-8000-000000000000", "old"])
def test_a_prompt_no_longer_offered_is_explained_and_the_text_kept(
    client: Client, people: People, rolfe: ReflectionPrompt, chosen: Any
) -> None:
    if chosen == "old":
        ReflectionPrompt.objects.filter(pk=rolfe.pk).update(is_active=False)
        chosen = str(rolfe.public_id)
    client.force_login(people.learner)
    response = client.post(reverse("reflections:create"), {**TYPED, "use_prompt": chosen})
    assert response.status_code == 400
    page = response.content.decode()
    assert "That prompt is no longer offered" in page
    assert _textarea(page) == TYPED["body_markdown"]
    assert not Reflection.objects.exists()


def test_the_prompt_buttons_submit_the_form_and_enter_still_saves(
    client: Client, people: People, rolfe: ReflectionPrompt
) -> None:
    client.force_login(people.learner)
    page = client.get(reverse("reflections:create")).content.decode()
    buttons = re.findall(r'<button type="submit" form="reflection-form"[^>]*>', page)
    # The first submit button is the one Enter presses: it saves; the prompt's comes after.
    assert 'name="use_prompt"' not in buttons[0]
    assert f'name="use_prompt" value="{rolfe.public_id}"' in buttons[1]
    assert f'href="?prompt={rolfe.public_id}"' not in page
