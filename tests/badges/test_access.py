"""Every badge and stack URL, for each person who must not reach it. Someone else's badge
is a 404 (nobody learns it exists); a signed-in person of the wrong role gets a 403 on
learner pages; anonymous visitors are sent to sign in and see nothing."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from badges import services
from badges.baking import bake_png, bake_svg
from badges.models import Badge, Stack, StackItem
from badges.stacks import stack_create
from tests import filemakers as make
from tests.badges.bakery import svg
from tests.badges.issuers import credential, sign_did_key, sign_trusted
from tests.conftest import People

ACHIEVEMENT = "https://badges.test/achievements/python"
NAME = "Python programming"
NOTE = "My first badge."


def _badge(owner: User, *, visibility: str = "tutors", image: str = "png") -> Badge:
    """A verified OB 3.0 badge of `owner`'s, imported from a baked image (so it has a
    display image to serve)."""
    payload = json.dumps(sign_trusted(credential(issuer="did:key:x", recipient=owner.email)))
    if image == "svg":
        baked = bake_svg(svg(), payload, credential=True)
    else:
        baked = bake_png(make.png(), payload, keyword="openbadgecredential")
    badge = services.badge_import(
        owner=owner,
        payload=payload,
        source=Badge.Source.IMAGE,
        image=baked,
        visibility=visibility,
        note=NOTE,
    )
    assert badge.display_image and badge.status == "verified", badge.checks
    return badge


def _stack(owner: User | None, name: str = "Data analyst") -> Stack:
    return stack_create(
        owner=owner, name=name, description="", items=[(ACHIEVEMENT, "Python", True)]
    )


def badge_url(name: str, badge: Badge) -> str:
    return reverse(f"badges:{name}", args=[badge.public_id])


def stack_url(name: str, stack: Stack) -> str:
    return reverse(f"badges:{name}", args=[stack.public_id])


READ_URLS = ["detail", "image", "report"]
WRITE_URLS = ["edit", "delete", "verify"]
LEARNER_PAGES = ["list", "import", "stack_list", "stack_create"]
STACK_URLS = ["stack_detail", "stack_delete"]

Who = Callable[[People], User]
LEARNERS: dict[str, Who] = {
    "a classmate": lambda p: p.classmate,
    "a learner of another cohort": lambda p: p.outsider,
}
NOT_TUTORS_OF_THE_OWNER: dict[str, Who] = {
    **LEARNERS,
    "a tutor of another cohort": lambda p: p.other_tutor,
    "an institution admin": lambda p: p.admin,
}
NOT_LEARNERS: dict[str, Who] = {
    "the cohort tutor": lambda p: p.tutor,
    "a tutor of another cohort": lambda p: p.other_tutor,
    "an institution admin": lambda p: p.admin,
}


def _attempt(client: Client, name: str, url: str, **data: Any) -> Any:
    """Verify only answers POST; every other page is tried with GET."""
    return client.post(url, data) if name == "verify" else client.get(url)


def _unchanged(badge: Badge) -> None:
    stored = Badge.objects.get(pk=badge.pk)
    assert stored.note == NOTE
    assert stored.visibility == badge.visibility
    assert stored.verifications.count() == 1  # only the import's
    assert stored.display_image.storage.exists(str(stored.display_image.name))


# --- anonymous -----------------------------------------------------------------------


@pytest.mark.parametrize("name", READ_URLS + WRITE_URLS)
def test_anonymous_visitors_are_sent_to_sign_in_from_a_badge(
    client: Client, people: People, name: str
) -> None:
    badge = _badge(people.learner)
    response = _attempt(client, name, badge_url(name, badge))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert NAME.encode() not in response.content
    _unchanged(badge)


@pytest.mark.parametrize("name", LEARNER_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in_from_learner_pages(
    client: Client, db: None, name: str
) -> None:
    response = client.get(reverse(f"badges:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", STACK_URLS)
def test_anonymous_visitors_are_sent_to_sign_in_from_a_stack(
    client: Client, people: People, name: str
) -> None:
    stack = _stack(people.learner)
    for response in (client.get(stack_url(name, stack)), client.post(stack_url(name, stack))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert b"Data analyst" not in response.content
    assert Stack.objects.filter(pk=stack.pk).exists()


# --- reading someone else's badge --------------------------------------------------------


@pytest.mark.parametrize("name", READ_URLS)
@pytest.mark.parametrize("who", NOT_TUTORS_OF_THE_OWNER)
@pytest.mark.parametrize("visibility", ["tutors", "private"])
def test_people_who_do_not_teach_the_owner_get_404_reading_a_badge(
    client: Client, people: People, name: str, who: str, visibility: str
) -> None:
    badge = _badge(people.learner, visibility=visibility)
    client.force_login(NOT_TUTORS_OF_THE_OWNER[who](people))
    response = client.get(badge_url(name, badge))
    assert response.status_code == 404
    assert NAME.encode() not in response.content


@pytest.mark.parametrize("name", READ_URLS)
def test_the_cohort_tutor_cannot_read_a_private_badge(
    client: Client, people: People, name: str
) -> None:
    badge = _badge(people.learner, visibility="private")
    client.force_login(people.tutor)
    assert client.get(badge_url(name, badge)).status_code == 404


@pytest.mark.parametrize("name", READ_URLS)
def test_the_cohort_tutor_reads_a_shared_badge(client: Client, people: People, name: str) -> None:
    badge = _badge(people.learner, visibility="tutors")
    client.force_login(people.tutor)
    response = client.get(badge_url(name, badge))
    assert response.status_code == 200
    if name == "detail":
        page = response.content.decode()
        assert NAME in page
        # Reading is all: no way to change or remove it is offered.
        assert badge_url("edit", badge) not in page
        assert badge_url("delete", badge) not in page


def test_a_tutor_loses_access_when_the_learner_leaves_the_cohort(
    client: Client, people: People
) -> None:
    badge = _badge(people.learner)
    client.force_login(people.tutor)
    assert client.get(badge_url("detail", badge)).status_code == 200
    assert client.get(badge_url("image", badge)).status_code == 200
    people.cohort.learners.remove(people.learner)
    assert client.get(badge_url("detail", badge)).status_code == 404
    assert client.get(badge_url("image", badge)).status_code == 404


def test_another_learners_badge_list_does_not_show_the_badge(
    client: Client, people: People
) -> None:
    badge = _badge(people.learner)
    client.force_login(people.classmate)
    page = client.get(reverse("badges:list")).content.decode()
    assert str(badge.public_id) not in page
    assert NAME not in page


# --- changing someone else's badge ---------------------------------------------------------


@pytest.mark.parametrize("name", WRITE_URLS)
@pytest.mark.parametrize("who", LEARNERS)
def test_other_learners_get_404_changing_a_badge(
    client: Client,
    people: People,
    name: str,
    who: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    badge = _badge(people.learner)
    client.force_login(LEARNERS[who](people))
    url = badge_url(name, badge)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        if name != "verify":
            assert client.get(url).status_code == 404
        response = client.post(url, {"note": "Changed.", "visibility": "private"})
    assert response.status_code == 404
    assert NAME.encode() not in response.content
    assert callbacks == []  # no re-check queued
    _unchanged(badge)


@pytest.mark.parametrize("name", WRITE_URLS)
@pytest.mark.parametrize("who", NOT_LEARNERS)
def test_tutors_and_admins_get_403_changing_a_badge(
    client: Client,
    people: People,
    name: str,
    who: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    badge = _badge(people.learner)
    client.force_login(NOT_LEARNERS[who](people))
    url = badge_url(name, badge)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        if name != "verify":
            assert client.get(url).status_code == 403
        response = client.post(url, {"note": "Changed.", "visibility": "private"})
    assert response.status_code == 403
    assert callbacks == []
    _unchanged(badge)


# --- learner-only pages ---------------------------------------------------------------------


@pytest.mark.parametrize("name", LEARNER_PAGES)
@pytest.mark.parametrize("who", NOT_LEARNERS)
def test_tutors_and_admins_get_403_on_learner_pages(
    client: Client, people: People, name: str, who: str
) -> None:
    client.force_login(NOT_LEARNERS[who](people))
    assert client.get(reverse(f"badges:{name}")).status_code == 403


@pytest.mark.parametrize("who", NOT_LEARNERS)
def test_tutors_and_admins_cannot_import_or_define_stacks(
    client: Client, people: People, who: str
) -> None:
    client.force_login(NOT_LEARNERS[who](people))
    payload = json.dumps(sign_did_key(credential(issuer="did:key:x", recipient=people.tutor.email)))
    imported = client.post(reverse("badges:import"), {"text": payload, "visibility": "tutors"})
    defined = client.post(
        reverse("badges:stack_create"), {"name": "Mine", "still_to_earn": ACHIEVEMENT}
    )
    assert (imported.status_code, defined.status_code) == (403, 403)
    assert not Badge.objects.exists()
    assert not Stack.objects.exists()


# --- the owner ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", READ_URLS + WRITE_URLS)
def test_the_owner_reaches_every_page_of_their_badge(
    client: Client, people: People, name: str
) -> None:
    badge = _badge(people.learner, visibility="private")
    client.force_login(people.learner)
    response = _attempt(client, name, badge_url(name, badge))
    if name == "verify":
        assert response.status_code == 302
        assert response["Location"] == badge.get_absolute_url()
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("name", LEARNER_PAGES)
def test_a_learner_reaches_the_learner_pages(client: Client, people: People, name: str) -> None:
    client.force_login(people.learner)
    assert client.get(reverse(f"badges:{name}")).status_code == 200


def test_the_owner_asking_for_a_check_queues_one(
    client: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    badge = _badge(people.learner)
    client.force_login(people.learner)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(badge_url("verify", badge))
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert badge.verifications.count() == 2


def test_asking_for_a_check_by_get_is_refused(client: Client, people: People) -> None:
    badge = _badge(people.learner)
    client.force_login(people.learner)
    assert client.get(badge_url("verify", badge)).status_code == 405


# --- stacks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", STACK_URLS)
@pytest.mark.parametrize("who", LEARNERS)
def test_another_learners_stack_is_404(client: Client, people: People, name: str, who: str) -> None:
    stack = _stack(people.learner)
    client.force_login(LEARNERS[who](people))
    for response in (client.get(stack_url(name, stack)), client.post(stack_url(name, stack))):
        assert response.status_code == 404
        assert b"Data analyst" not in response.content
    assert Stack.objects.filter(pk=stack.pk).exists()


@pytest.mark.parametrize("name", STACK_URLS)
@pytest.mark.parametrize("who", NOT_LEARNERS)
def test_tutors_and_admins_get_403_on_a_stack(
    client: Client, people: People, name: str, who: str
) -> None:
    stack = _stack(people.learner)
    client.force_login(NOT_LEARNERS[who](people))
    assert client.get(stack_url(name, stack)).status_code == 403
    assert client.post(stack_url(name, stack)).status_code == 403
    assert Stack.objects.filter(pk=stack.pk).exists()


@pytest.mark.parametrize("name", STACK_URLS)
def test_the_owner_reaches_their_stack(client: Client, people: People, name: str) -> None:
    stack = _stack(people.learner)
    client.force_login(people.learner)
    assert client.get(stack_url(name, stack)).status_code == 200


def test_another_learners_stack_is_not_listed(client: Client, people: People) -> None:
    _stack(people.learner, name="Data analyst")
    _stack(people.classmate, name="Web developer")
    client.force_login(people.classmate)
    page = client.get(reverse("badges:stack_list")).content.decode()
    assert "Web developer" in page
    assert "Data analyst" not in page


@pytest.mark.parametrize("who", ["learner", "classmate", "outsider"])
def test_an_institution_stack_is_visible_to_every_learner(
    client: Client, people: People, who: str
) -> None:
    stack = _stack(None, name="Institution certificate")
    client.force_login(getattr(people, who))
    listed = client.get(reverse("badges:stack_list")).content.decode()
    assert "Institution certificate" in listed
    assert "From your institution" in listed
    detail = client.get(stack_url("stack_detail", stack))
    assert detail.status_code == 200
    assert stack_url("stack_delete", stack) not in detail.content.decode()


def test_a_learner_cannot_delete_an_institution_stack(client: Client, people: People) -> None:
    stack = _stack(None, name="Institution certificate")
    client.force_login(people.learner)
    assert client.get(stack_url("stack_delete", stack)).status_code == 404
    assert client.post(stack_url("stack_delete", stack)).status_code == 404
    assert Stack.objects.filter(pk=stack.pk).exists()
    assert StackItem.objects.filter(stack=stack).count() == 1


# --- the served image -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "content_type"), [("png", "image/png"), ("svg", "image/svg+xml")]
)
def test_a_badge_image_is_served_inert(
    client: Client, people: People, image: str, content_type: str
) -> None:
    badge = _badge(people.learner, image=image)
    client.force_login(people.learner)
    response = client.get(badge_url("image", badge))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy
    assert "unsafe-eval" not in policy
    assert policy.startswith("sandbox;")
    # An <img> shows either; opened on its own, an SVG (markup) is only ever a download.
    disposition = "attachment;" if image == "svg" else "inline;"
    assert response["Content-Disposition"].startswith(disposition)
