"""Every staff page, and each actor that must NOT reach it: anonymous visitors go to sign
in; learners, tutors, a suspended admin and the admin of another institution get a 403;
nothing changes on a refused POST."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from accounts.institutions.models import Membership, OnboardingBatch
from accounts.institutions.services import institution_default
from accounts.models import Cohort
from tests.accounts.institutions.conftest import Staff
from tests.conftest import People

pytestmark = pytest.mark.django_db

Url = Callable[[People, OnboardingBatch], str]


def _urls(people: People, batch: OnboardingBatch) -> list[tuple[str, str]]:
    slug = institution_default().slug
    cohort, learner = people.cohort.public_id, people.learner.public_id
    return [
        ("get", reverse("institutions:people", args=[slug])),
        ("get", reverse("institutions:invite", args=[slug])),
        ("post", reverse("institutions:invite", args=[slug])),
        ("post", reverse("institutions:person_role", args=[slug, learner])),
        ("post", reverse("institutions:person_state", args=[slug, learner])),
        ("get", reverse("institutions:cohorts", args=[slug])),
        ("post", reverse("institutions:cohorts", args=[slug])),
        ("get", reverse("institutions:cohort", args=[slug, cohort])),
        ("post", reverse("institutions:cohort_add", args=[slug, cohort])),
        ("post", reverse("institutions:cohort_remove", args=[slug, cohort, learner])),
        ("post", reverse("institutions:cohort_archive", args=[slug, cohort])),
        ("get", reverse("institutions:onboarding", args=[slug])),
        ("post", reverse("institutions:onboarding", args=[slug])),
        ("get", reverse("institutions:onboarding_batch", args=[slug, batch.public_id])),
        ("post", reverse("institutions:onboarding_confirm", args=[slug, batch.public_id])),
        ("get", reverse("institutions:branding", args=[slug])),
        ("post", reverse("institutions:branding", args=[slug])),
    ]


@pytest.fixture
def batch(staff: Staff) -> OnboardingBatch:
    return OnboardingBatch.objects.create(
        institution=staff.institution,
        uploaded_by=staff.admin,
        rows=[{"line": 2, "email": "new@example.org", "name": "New", "role": "learner",
               "cohort": "", "action": "invite"}],
    )  # fmt: skip


def _snapshot(people: People) -> tuple[object, ...]:
    cohort = Cohort.objects.get(pk=people.cohort.pk)
    return (
        sorted(Membership.objects.values_list("user_id", "role", "state")),
        sorted(cohort.learners.values_list("pk", flat=True)),
        cohort.archived_at,
        Cohort.objects.count(),
        list(OnboardingBatch.objects.values_list("state", flat=True)),
        institution_default().name,
    )


def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client, people: People, batch: OnboardingBatch
) -> None:
    before = _snapshot(people)
    for method, url in _urls(people, batch):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    assert _snapshot(people) == before


@pytest.mark.parametrize(
    "actor", ["learner", "tutor", "other_admin", "suspended_admin", "superuser"]
)
def test_everyone_but_its_active_admins_is_refused(
    client: Client, people: People, staff: Staff, batch: OnboardingBatch, actor: str
) -> None:
    from tests.factories import UserFactory

    user = {
        "learner": people.learner,
        "tutor": people.tutor,
        "other_admin": staff.other_admin,
        "suspended_admin": staff.suspended_admin,
        "superuser": UserFactory.create(is_superuser=True, institution=False),
    }[actor]
    client.force_login(user)
    before = _snapshot(people)
    for method, url in _urls(people, batch):
        assert getattr(client, method)(url).status_code == 403, (actor, url)
    assert _snapshot(people) == before


def test_its_admin_reaches_every_page(
    client: Client, people: People, staff: Staff, batch: OnboardingBatch
) -> None:
    client.force_login(staff.admin)
    for method, url in _urls(people, batch):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_an_unknown_institution_is_not_found(client: Client, staff: Staff) -> None:
    client.force_login(staff.admin)
    assert client.get(reverse("institutions:people", args=["nowhere"])).status_code == 404


def test_another_institutions_cohort_is_not_found_from_ours(
    client: Client, people: People, staff: Staff
) -> None:
    theirs = Cohort.objects.create(institution=staff.other_institution, name="Theirs")
    client.force_login(staff.admin)
    url = reverse("institutions:cohort", args=[staff.institution.slug, theirs.public_id])
    assert client.get(url).status_code == 404
    archive = reverse(
        "institutions:cohort_archive", args=[staff.institution.slug, theirs.public_id]
    )
    assert client.post(archive, {"archived": "1"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.archived_at is None


def test_another_institutions_member_cannot_be_suspended_from_ours(
    client: Client, staff: Staff
) -> None:
    client.force_login(staff.admin)
    url = reverse(
        "institutions:person_state", args=[staff.institution.slug, staff.other_admin.public_id]
    )
    assert client.post(url, {"state": "suspended"}).status_code == 404
    assert Membership.objects.get(user=staff.other_admin).state == "active"


def test_staff_home_sends_an_admin_to_their_institution(client: Client, staff: Staff) -> None:
    client.force_login(staff.other_admin)
    response = client.get(reverse("institutions:home"))
    assert response["Location"] == reverse("institutions:people", args=["other"])


@pytest.mark.parametrize("actor", ["learner", "tutor"])
def test_staff_home_refuses_people_who_run_no_institution(
    client: Client, people: People, actor: str
) -> None:
    client.force_login(getattr(people, actor))
    assert client.get(reverse("institutions:home")).status_code == 403
