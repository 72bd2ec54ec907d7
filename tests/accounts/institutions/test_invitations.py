"""The invitation link: signed, expiring, single use; it sets a password and lands the
person signed in on their dashboard."""

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from accounts.institutions import invitations
from accounts.institutions.invitations import invitation_url, member_invite
from accounts.institutions.models import Membership
from accounts.models import User
from tests.accounts.institutions.conftest import Staff

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-new-password-42"


@pytest.fixture
def invited(staff: Staff, people: Any) -> User:
    membership, created = member_invite(
        institution=staff.institution, email="ivy@example.org", name="Ivy", role="learner",
        cohort=people.cohort,
    )  # fmt: skip
    assert created
    return membership.user


def _path(user: User) -> str:
    return invitation_url(user=user).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_accepting_sets_the_password_and_signs_in(
    client: Client, invited: User, people: Any
) -> None:
    url = _path(invited)
    assert "Choose your password" in client.get(url).content.decode()
    response = client.post(
        url, {"name": "Ivy Ives", "new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert response["Location"] == reverse("accounts:dashboard")
    assert client.get(reverse("portfolio:learner_dashboard")).status_code == 200
    invited.refresh_from_db()
    assert invited.check_password(PASSWORD) and invited.name == "Ivy Ives"
    assert EmailAddress.objects.get(user=invited).verified
    assert Membership.objects.get(user=invited).joined_at is not None
    assert invited in User.objects.taught_by(people.tutor)


def test_a_link_works_once(client: Client, invited: User) -> None:
    url = _path(invited)
    client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    client.logout()
    response = client.get(url)
    assert response.status_code == 410
    assert "no longer works" in response.content.decode()
    response = client.post(
        url, {"new_password1": "other-pass-99x", "new_password2": "other-pass-99x"}
    )
    assert response.status_code == 410
    invited.refresh_from_db()
    assert invited.check_password(PASSWORD)


def test_a_link_expires(client: Client, invited: User, monkeypatch: pytest.MonkeyPatch) -> None:
    url = _path(invited)
    assert client.get(url).status_code == 200
    monkeypatch.setattr(invitations, "MAX_AGE_SECONDS", -1)  # older than its lifetime
    assert client.get(url).status_code == 410


def test_a_forged_link_is_refused(client: Client, invited: User) -> None:
    url = _path(invited)
    assert client.get(url[:-3] + "xyz/").status_code == 410


def test_mismatched_passwords_are_refused_and_nothing_changes(
    client: Client, invited: User
) -> None:
    response = client.post(_path(invited), {"new_password1": PASSWORD, "new_password2": "nope"})
    assert response.status_code == 400
    invited.refresh_from_db()
    assert not invited.has_usable_password()
