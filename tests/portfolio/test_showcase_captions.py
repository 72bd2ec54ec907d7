"""Captions typed on the editor page are never lost: one Save stores every changed
caption (without script), the item buttons save them too, a caption saved as the learner
leaves it answers in JSON, and a refused save keeps the text and writes nothing."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.models import Showcase, ShowcaseItem
from portfolio.showcases import services
from tests.conftest import People
from tests.portfolio.showcase_data import link_artefact


@pytest.fixture
def learner_client(client: Client, people: People) -> Client:
    client.force_login(people.learner)
    return client


def make_showcase(owner: Any, items: int = 3) -> Showcase:
    showcase = services.showcase_create(owner=owner, title="For Acme")
    section = services.section_add(showcase=showcase, heading="Projects")
    targets = [link_artefact(owner, title=f"Work {i}") for i in range(items)]
    services.items_add(section=section, targets=targets)
    return showcase


def items_of(showcase: Showcase) -> list[ShowcaseItem]:
    return list(ShowcaseItem.objects.filter(section__showcase=showcase).order_by("position"))


def captions(showcase: Showcase) -> list[str]:
    return [item.caption for item in items_of(showcase)]


def save_url(showcase: Showcase) -> str:
    return reverse("showcases:items_save", args=[showcase.public_id])


def test_one_save_stores_every_typed_caption(learner_client: Client, people: People) -> None:
    showcase = make_showcase(people.learner)
    first, second, third = items_of(showcase)
    section = first.section_id
    response = learner_client.post(
        save_url(showcase),
        {
            f"caption-{first.pk}": "Shows I can lead",
            f"caption-{second.pk}": "My first release",
            f"caption-{third.pk}": "Feedback from users\r\nin two lines",
            "save": str(section),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{showcase.get_absolute_url()}#section-{section}"
    assert captions(showcase) == [
        "Shows I can lead", "My first release", "Feedback from users\nin two lines"
    ]  # fmt: skip
    page = learner_client.get(response["Location"]).content.decode()
    assert "3 captions saved." in page
    assert "Shows I can lead" in page and "My first release" in page


def test_the_editor_page_is_one_form_for_every_caption(
    learner_client: Client, people: People
) -> None:
    showcase = make_showcase(people.learner)
    page = learner_client.get(showcase.get_absolute_url()).content.decode()
    assert page.count('form="items-form"') >= 3 * 4  # caption, up, down, remove per item
    assert "Save caption<" not in page  # no per-item save that would drop the others
    for item in items_of(showcase):
        assert f'name="caption-{item.pk}" form="items-form"' in page


def test_saving_writes_only_changed_captions_and_keeps_ones_not_sent(
    learner_client: Client, people: People
) -> None:
    showcase = make_showcase(people.learner)
    first, second, third = items_of(showcase)
    services.captions_update(showcase=showcase, captions={second.pk: "Kept", third.pk: "Old"})
    response = learner_client.post(
        save_url(showcase), {f"caption-{first.pk}": "New", f"caption-{second.pk}": "Kept"}
    )
    assert captions(showcase) == ["New", "Kept", "Old"]
    assert "1 caption saved." in learner_client.get(response["Location"]).content.decode()


def test_saving_with_nothing_changed_says_so(learner_client: Client, people: People) -> None:
    showcase = make_showcase(people.learner, items=1)
    (item,) = items_of(showcase)
    response = learner_client.post(save_url(showcase), {f"caption-{item.pk}": ""}, follow=True)
    assert "No caption had changed." in response.content.decode()


def test_moving_or_removing_an_item_saves_the_typed_captions_first(
    learner_client: Client, people: People
) -> None:
    showcase = make_showcase(people.learner)
    first, second, third = items_of(showcase)
    typed = {f"caption-{first.pk}": "A", f"caption-{second.pk}": "B", f"caption-{third.pk}": "C"}
    moved = learner_client.post(save_url(showcase), {**typed, "down": str(first.pk)})
    assert moved["Location"].endswith(f"#item-{first.pk}")
    assert captions(showcase) == ["B", "A", "C"]
    learner_client.post(save_url(showcase), {**typed, "remove": str(third.pk)})
    assert captions(showcase) == ["B", "A"]


def test_a_caption_too_long_saves_nothing_and_keeps_the_text(
    learner_client: Client, people: People
) -> None:
    showcase = make_showcase(people.learner)
    first, second, _third = items_of(showcase)
    response = learner_client.post(
        save_url(showcase),
        {f"caption-{first.pk}": "Fine and kept", f"caption-{second.pk}": "x" * 2001},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved: a caption is too long." in page
    assert "Ensure this value has at most 2000 characters" in page
    assert "Fine and kept" in page and "x" * 2001 in page
    # Both are marked unsaved, so leaving the page still warns.
    assert f'name="caption-{first.pk}" form="items-form"' in page
    assert page.count(" data-unsaved") == 2
    assert captions(showcase) == ["", "", ""]


@pytest.mark.parametrize("pressed", [{"remove": "999999"}, {"up": "abc"}, {"down": ""}])
def test_a_button_for_an_item_not_in_the_showcase_is_not_found_and_saves_nothing(
    learner_client: Client, people: People, pressed: dict[str, str]
) -> None:
    showcase = make_showcase(people.learner)
    first = items_of(showcase)[0]
    response = learner_client.post(save_url(showcase), {f"caption-{first.pk}": "A", **pressed})
    assert response.status_code == 404
    assert captions(showcase) == ["", "", ""]


def test_another_showcases_items_cannot_be_captioned_or_removed_through_ones_own(
    learner_client: Client, people: People
) -> None:
    mine = make_showcase(people.learner, items=1)
    theirs = make_showcase(people.classmate, items=1)
    (their_item,) = items_of(theirs)
    learner_client.post(save_url(mine), {f"caption-{their_item.pk}": "Hijacked"})
    response = learner_client.post(save_url(mine), {"remove": str(their_item.pk)})
    assert response.status_code == 404
    assert captions(theirs) == [""]


def test_a_caption_saved_on_leaving_the_field_answers_in_json(
    learner_client: Client, people: People
) -> None:
    showcase = make_showcase(people.learner, items=1)
    (item,) = items_of(showcase)
    url = reverse("showcases:item_edit", args=[showcase.public_id, item.pk])
    json_post = {"HTTP_ACCEPT": "application/json"}
    saved = learner_client.post(url, {"caption": "Why it matters"}, **json_post)  # type: ignore[arg-type]
    assert saved.json() == {"saved": True}
    assert captions(showcase) == ["Why it matters"]
    refused = learner_client.post(url, {"caption": "x" * 2001}, **json_post)  # type: ignore[arg-type]
    assert refused.status_code == 400
    assert "at most 2000 characters" in refused.json()["error"]
    assert captions(showcase) == ["Why it matters"]
