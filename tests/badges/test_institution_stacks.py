"""An institution's badge stacks on its staff pages: who may reach them, picking badges
from those its learners hold or by address, ordering, the progress preview, and which
learners are offered the stack."""

import pytest
from django.test import Client
from django.urls import reverse

from badges.models import Stack, StackItem
from badges.stacks import stack_create, stacks_for
from tests.accounts.institutions.conftest import Staff, staff
from tests.badges.test_stacks import PYTHON, SQL, held
from tests.conftest import People
from tests.factories import LearnerFactory

__all__ = ["staff"]  # fixture
pytestmark = pytest.mark.django_db


@pytest.fixture
def stack(staff: Staff) -> Stack:
    return stack_create(
        owner=None, institution=staff.institution, name="Data analyst", description="",
        items=[(PYTHON, "Python", True)],
    )  # fmt: skip


def _urls(staff: Staff, stack: Stack) -> list[tuple[str, str]]:
    slug, sid = staff.institution.slug, stack.public_id
    item = stack.items.get().pk
    return [
        ("get", reverse("institution_stacks:list", args=[slug])),
        ("post", reverse("institution_stacks:list", args=[slug])),
        ("get", reverse("institution_stacks:detail", args=[slug, sid])),
        ("post", reverse("institution_stacks:detail", args=[slug, sid])),
        ("post", reverse("institution_stacks:add_held", args=[slug, sid])),
        ("post", reverse("institution_stacks:item", args=[slug, sid, item])),
        ("post", reverse("institution_stacks:delete", args=[slug, sid])),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, staff: Staff, stack: Stack) -> None:
    for method, url in _urls(staff, stack):
        assert getattr(client, method)(url)["Location"].startswith(reverse("account_login"))
    assert Stack.objects.filter(pk=stack.pk).exists()


@pytest.mark.parametrize("actor", ["learner", "tutor", "other_admin", "suspended_admin"])
def test_only_its_active_admins_reach_them(
    client: Client, people: People, staff: Staff, stack: Stack, actor: str
) -> None:
    client.force_login(getattr(staff, actor, None) or getattr(people, actor))
    for method, url in _urls(staff, stack):
        assert getattr(client, method)(url, {"action": "remove", "name": "X"}).status_code == 403
    assert StackItem.objects.filter(stack=stack).count() == 1
    assert Stack.objects.count() == 1


def test_another_institutions_stack_is_not_found(client: Client, staff: Staff) -> None:
    theirs = stack_create(
        owner=None, institution=staff.other_institution, name="Theirs", description="", items=[]
    )
    client.force_login(staff.admin)
    url = reverse("institution_stacks:detail", args=[staff.institution.slug, theirs.public_id])
    assert client.get(url).status_code == 404


def test_badges_are_found_among_those_the_institutions_learners_hold(
    client: Client, people: People, staff: Staff, stack: Stack
) -> None:
    held(people.learner, SQL, "SQL for analysts", email=people.learner.email)
    outsider = LearnerFactory.create(institution=staff.other_institution)
    held(outsider, "https://badges.test/achievements/sqlite", "SQLite", email=outsider.email)
    client.force_login(staff.admin)
    url = reverse("institution_stacks:detail", args=[staff.institution.slug, stack.public_id])
    html = client.get(url + "?q=SQL").content.decode()
    assert "SQL for analysts" in html and SQL in html and "1 learner holds it" in html
    assert "SQLite" not in html
    add = reverse("institution_stacks:add_held", args=[staff.institution.slug, stack.public_id])
    client.post(add, {"achievement_id": SQL, "required": "0"})
    item = stack.items.get(achievement_id=SQL)
    assert (item.label, item.required, item.position) == ("SQL for analysts", False, 1)
    # A badge nobody here holds cannot be added this way.
    client.post(add, {"achievement_id": "https://badges.test/achievements/sqlite"})
    assert stack.items.count() == 2


def test_a_pasted_address_is_added_and_a_bad_one_is_refused(
    client: Client, staff: Staff, stack: Stack
) -> None:
    client.force_login(staff.admin)
    url = reverse("institution_stacks:detail", args=[staff.institution.slug, stack.public_id])
    response = client.post(url, {"achievement_id": "javascript:alert(1)", "label": "X"})
    assert response.status_code == 400 and "starts with https://" in response.content.decode()
    response = client.post(url, {"achievement_id": PYTHON, "label": "Again"})
    assert response.status_code == 400 and "in the stack already" in response.content.decode()
    client.post(url, {"achievement_id": "https://issuer.example/badges/git", "label": "Git"})
    assert list(stack.items.order_by("position").values_list("label", flat=True)) == [
        "Python", "Git",
    ]  # fmt: skip


def test_items_are_ordered_and_removed(client: Client, staff: Staff, stack: Stack) -> None:
    client.force_login(staff.admin)
    detail = reverse("institution_stacks:detail", args=[staff.institution.slug, stack.public_id])
    client.post(detail, {"achievement_id": SQL, "label": "SQL", "required": "on"})
    sql = stack.items.get(achievement_id=SQL)
    item_url = reverse(
        "institution_stacks:item", args=[staff.institution.slug, stack.public_id, sql.pk]
    )
    client.post(item_url, {"action": "up"})
    assert list(stack.items.order_by("position").values_list("label", flat=True)) == [
        "SQL",
        "Python",
    ]
    client.post(item_url, {"action": "remove"})
    assert list(stack.items.values_list("label", flat=True)) == ["Python"]


def test_the_preview_counts_learners_who_earned_each_badge(
    client: Client, people: People, staff: Staff, stack: Stack
) -> None:
    held(people.learner, PYTHON, "Python", email=people.learner.email)
    client.force_login(staff.admin)
    url = reverse("institution_stacks:detail", args=[staff.institution.slug, stack.public_id])
    html = client.get(url).content.decode()
    assert "earned by 1 learner" in html
    assert "1 of your learners has earned every required badge" in html


def test_only_the_institutions_learners_are_offered_the_stack(
    people: People, staff: Staff, stack: Stack
) -> None:
    outsider = LearnerFactory.create(institution=staff.other_institution)
    assert stack in stacks_for(user=people.learner)
    assert stack not in stacks_for(user=outsider)
