"""Every page, and each role that must NOT reach it.

Anonymous visitors are sent to sign in; signed-in people of the wrong role get 403;
a tutor asking for another cohort's page gets 404 (its existence is not revealed).
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from tests.conftest import People
from tests.factories import UserFactory

Url = Callable[[People], str]


def _static(name: str) -> Url:
    return lambda people: reverse(name)


def _actor(people: People, role: str) -> User:
    """One of `people`, or a Django superuser (the only people the Django admin lets in)."""
    if role == "superuser":
        return UserFactory.create(is_superuser=True, role=Role.ADMIN, institution=False)
    user: User = getattr(people, role)
    return user


def _cohort_page(people: People) -> str:
    return people.cohort.get_absolute_url()


# (page, who may reach it, who may not and what they get)
PAGES: list[tuple[str, Url, str, dict[str, int]]] = [
    ("learner dashboard", _static("portfolio:learner_dashboard"), "learner",
     {"tutor": 403, "admin": 403}),
    ("tutor dashboard", _static("accounts:tutor_dashboard"), "tutor",
     {"learner": 403, "admin": 403, "other_tutor": 200}),
    ("cohort page", _cohort_page, "tutor",
     {"learner": 403, "admin": 403, "other_tutor": 404}),
    ("institution dashboard", _static("accounts:institution_dashboard"), "admin",
     {"learner": 403, "tutor": 403}),
    # The Django admin is for superusers only: institution admins have the staff pages.
    ("Django admin", _static("admin:index"), "superuser",
     {"learner": 403, "tutor": 403, "admin": 403}),
    ("cohort admin", _static("admin:accounts_cohort_changelist"), "superuser",
     {"learner": 403, "tutor": 403, "admin": 403}),
    ("people admin", _static("admin:accounts_user_changelist"), "superuser",
     {"learner": 403, "tutor": 403, "admin": 403}),
    ("stack admin", _static("admin:badges_stack_changelist"), "superuser",
     {"learner": 403, "tutor": 403, "admin": 403}),
    ("prompt admin", _static("admin:reflections_reflectionprompt_changelist"), "superuser",
     {"learner": 403, "tutor": 403, "admin": 403}),
    ("profile", _static("accounts:profile"), "learner", {}),
    ("two-factor settings", _static("mfa_index"), "learner", {}),
    ("email settings", _static("account_email"), "learner", {}),
]  # fmt: skip

WRONG_ROLE_CASES = [
    pytest.param(url, role, status, id=f"{page}-as-{role}")
    for page, url, _, refusals in PAGES
    for role, status in refusals.items()
    if status != 200
]


@pytest.mark.parametrize(("url", "role", "status"), WRONG_ROLE_CASES)
def test_wrong_role_is_refused(
    client: Client, people: People, url: Url, role: str, status: int
) -> None:
    client.force_login(_actor(people, role))
    # follow: the admin sends signed-in non-staff to its login, which then refuses them.
    response = client.get(url(people), follow=True)
    assert response.status_code == status
    if status == 403:
        assert b"You do not have access to this page" in response.content


@pytest.mark.parametrize(("url", "role"), [pytest.param(u, r, id=p) for p, u, r, _ in PAGES])
def test_anonymous_is_sent_to_sign_in(client: Client, people: People, url: Url, role: str) -> None:
    response = client.get(url(people), follow=True)
    final_url = response.redirect_chain[-1][0]
    assert final_url.startswith(reverse("account_login"))
    assert "next=" in final_url
    assert response.status_code == 200


@pytest.mark.parametrize(("url", "role"), [pytest.param(u, r, id=p) for p, u, r, _ in PAGES])
def test_the_right_role_gets_the_page(client: Client, people: People, url: Url, role: str) -> None:
    client.force_login(_actor(people, role))
    assert client.get(url(people)).status_code == 200


def test_a_tutor_loses_a_cohort_page_when_removed_from_the_cohort(
    client: Client, people: People
) -> None:
    client.force_login(people.tutor)
    url = people.cohort.get_absolute_url()
    assert client.get(url).status_code == 200
    people.cohort.tutors.remove(people.tutor)
    assert client.get(url).status_code == 404


def test_an_unknown_cohort_id_is_a_plain_404(client: Client, people: People) -> None:
    client.force_login(people.tutor)
    response = client.get(
        reverse("accounts:cohort_detail", args=["0" * 8 + "-0000-0000-0000-" + "0" * 12])
    )
    assert response.status_code == 404


def test_a_deactivated_superuser_cannot_reach_the_admin(client: Client, people: People) -> None:
    superuser = _actor(people, "superuser")
    superuser.is_active = False
    superuser.save()
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code in (302, 403)
