"""What the people and cohort pages do for an institution admin, and their query counts
pinned at 10 and 1,000 members."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.institutions.models import Institution, Membership, MembershipState
from accounts.models import Cohort, Role, User
from tests.accounts.institutions.conftest import Staff
from tests.conftest import People
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, staff: Staff) -> Client:
    client.force_login(staff.admin)
    return client


def _people_url(staff: Staff, **query: str) -> str:
    url = reverse("institutions:people", args=[staff.institution.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _bulk_members(institution: Institution, count: int, cohort: Cohort | None = None) -> None:
    users = User.objects.bulk_create(
        [User(email=f"bulk{n:05d}@example.org", name=f"Bulk {n:05d}") for n in range(count)]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, institution=institution, role="learner") for u in users]
    )
    if cohort is not None:
        cohort.learners.add(*users)


def test_people_are_found_by_name_or_email_with_their_emails(
    admin_client: Client, people: People, staff: Staff
) -> None:
    html = admin_client.get(_people_url(staff, q=people.learner.email)).content.decode()
    assert people.learner.email in html
    assert staff.other_admin.email not in html  # another institution's member
    html = admin_client.get(_people_url(staff, q="no-such-person")).content.decode()
    assert "Nobody matches this search" in html


def test_inviting_a_new_person_emails_them_a_link(
    admin_client: Client,
    staff: Staff,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = reverse("institutions:invite", args=[staff.institution.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"email": "ann@example.org", "name": "Ann", "role": "tutor"}
        )
    assert response.status_code == 302
    ann = User.objects.get(email="ann@example.org")
    assert ann.role == Role.TUTOR and not ann.has_usable_password()
    assert Membership.objects.get(user=ann).role == "tutor"
    [message] = mailoutbox
    assert "/invitations/" in message.body and staff.institution.name in message.from_email


def test_an_invitation_with_a_bad_address_is_refused(admin_client: Client, staff: Staff) -> None:
    url = reverse("institutions:invite", args=[staff.institution.slug])
    response = admin_client.post(url, {"email": "not-an-address", "name": "X", "role": "learner"})
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not User.objects.filter(name="X").exists()


def test_changing_a_role_changes_the_persons_pages(
    admin_client: Client, people: People, staff: Staff
) -> None:
    url = reverse(
        "institutions:person_role", args=[staff.institution.slug, people.learner.public_id]
    )
    admin_client.post(url, {"role": "tutor"})
    people.learner.refresh_from_db()
    assert people.learner.role == Role.TUTOR
    assert Membership.objects.get(user=people.learner).role == "tutor"


def test_an_unknown_role_is_refused(admin_client: Client, people: People, staff: Staff) -> None:
    url = reverse(
        "institutions:person_role", args=[staff.institution.slug, people.learner.public_id]
    )
    response = admin_client.post(url, {"role": "king"}, follow=True)
    assert "Choose one of the roles" in response.content.decode()
    assert Membership.objects.get(user=people.learner).role == "learner"


def test_an_admin_cannot_demote_or_suspend_themselves(admin_client: Client, staff: Staff) -> None:
    slug, me = staff.institution.slug, staff.admin.public_id
    admin_client.post(reverse("institutions:person_role", args=[slug, me]), {"role": "learner"})
    admin_client.post(reverse("institutions:person_state", args=[slug, me]), {"state": "suspended"})
    membership = Membership.objects.get(user=staff.admin)
    assert (membership.role, membership.state) == ("admin", "active")


def test_a_suspended_learner_disappears_from_their_tutor_and_keeps_their_work(
    admin_client: Client, client: Client, people: People, staff: Staff
) -> None:
    url = reverse(
        "institutions:person_state", args=[staff.institution.slug, people.learner.public_id]
    )
    admin_client.post(url, {"state": "suspended"})
    assert Membership.objects.get(user=people.learner).state == MembershipState.SUSPENDED
    assert people.learner not in User.objects.taught_by(people.tutor)
    assert people.classmate in User.objects.taught_by(people.tutor)
    people.learner.refresh_from_db()
    assert people.learner.is_active  # still signs in to their own portfolio
    admin_client.post(url, {"state": "active"})
    assert people.learner in User.objects.taught_by(people.tutor)


def test_cohorts_are_created_and_refused_when_the_name_is_taken(
    admin_client: Client, people: People, staff: Staff
) -> None:
    url = reverse("institutions:cohorts", args=[staff.institution.slug])
    assert admin_client.post(url, {"name": "Evening class"}).status_code == 302
    response = admin_client.post(url, {"name": people.cohort.name.upper()})
    assert response.status_code == 400 and "exists already" in response.content.decode()
    assert Cohort.objects.filter(institution=staff.institution).count() == 3
    # Another institution may use the same name.
    Cohort.objects.create(institution=staff.other_institution, name="Evening class")


def test_people_are_added_from_a_search_that_shows_emails(
    admin_client: Client, people: People, staff: Staff
) -> None:
    newcomer = LearnerFactory.create(name="Nadia Newcomer")
    url = reverse("institutions:cohort", args=[staff.institution.slug, people.cohort.public_id])
    html = admin_client.get(url + "?q=Nadia").content.decode()
    assert newcomer.email in html
    outsider = admin_client.get(url + f"?q={staff.other_admin.email}").content.decode()
    assert "No member of the institution outside this cohort matches" in outsider
    add = reverse("institutions:cohort_add", args=[staff.institution.slug, people.cohort.public_id])
    admin_client.post(add, {"person": str(newcomer.public_id), "as_role": "learner"})
    assert newcomer in people.cohort.learners.all()
    assert newcomer in User.objects.taught_by(people.tutor)


def test_people_are_added_by_email_and_outsiders_are_named(
    admin_client: Client, people: People, staff: Staff
) -> None:
    tutor = people.other_tutor
    add = reverse("institutions:cohort_add", args=[staff.institution.slug, people.cohort.public_id])
    response = admin_client.post(
        add,
        {"emails": f"{tutor.email}, {staff.other_admin.email}", "as_role": "tutor"},
        follow=True,
    )
    assert tutor in people.cohort.tutors.all()
    assert staff.other_admin not in people.cohort.tutors.all()
    assert "Not members of this institution" in response.content.decode()


def test_an_archived_cohort_drops_off_its_tutors_pages(
    admin_client: Client, people: People, staff: Staff
) -> None:
    url = reverse(
        "institutions:cohort_archive", args=[staff.institution.slug, people.cohort.public_id]
    )
    admin_client.post(url, {"archived": "1"})
    assert not Cohort.objects.taught_by(people.tutor).exists()
    assert people.learner not in User.objects.taught_by(people.tutor)
    admin_client.post(url, {"archived": "0"})
    assert people.learner in User.objects.taught_by(people.tutor)


def test_removing_a_learner_from_a_cohort(
    admin_client: Client, people: People, staff: Staff
) -> None:
    url = reverse(
        "institutions:cohort_remove",
        args=[staff.institution.slug, people.cohort.public_id, people.learner.public_id],
    )
    admin_client.post(url)
    assert people.learner not in people.cohort.learners.all()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_people_page_runs_the_same_queries_for_10_and_1000_members(
    admin_client: Client, staff: Staff
) -> None:
    institution = staff.other_institution
    Membership.objects.create(user=staff.admin, institution=institution, role="admin")
    url = reverse("institutions:people", args=[institution.slug])
    _bulk_members(institution, 10)
    small = _queries(admin_client, url)
    _bulk_members_more(institution, 990)
    assert _queries(admin_client, url) == small <= 10
    assert _queries(admin_client, url + "?q=bulk&role=learner") <= small


def _bulk_members_more(institution: Institution, count: int) -> None:
    users = User.objects.bulk_create(
        [User(email=f"more{n:05d}@example.org", name=f"More {n:05d}") for n in range(count)]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, institution=institution, role="learner") for u in users]
    )


def test_the_cohort_pages_run_the_same_queries_for_10_and_1000_members(
    admin_client: Client, staff: Staff
) -> None:
    institution = staff.other_institution
    Membership.objects.create(user=staff.admin, institution=institution, role="admin")
    cohort = Cohort.objects.create(institution=institution, name="Big")
    detail = reverse("institutions:cohort", args=[institution.slug, cohort.public_id])
    listing = reverse("institutions:cohorts", args=[institution.slug])
    _bulk_members(institution, 10, cohort)
    small = (_queries(admin_client, detail), _queries(admin_client, listing))
    users = User.objects.bulk_create(
        [User(email=f"big{n:05d}@example.org", name=f"Big {n:05d}") for n in range(990)]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, institution=institution, role="learner") for u in users]
    )
    cohort.learners.add(*users)
    assert (_queries(admin_client, detail), _queries(admin_client, listing)) == small
    assert small[0] <= 12 and small[1] <= 8
    html = admin_client.get(detail).content.decode()
    assert "1000 learners" in html and "Page 1 of 20" in html


def test_the_dashboard_counts_only_the_admins_institution(client: Client, staff: Staff) -> None:
    LearnerFactory.create(institution=staff.other_institution)
    client.force_login(staff.other_admin)
    summary = client.get(reverse("accounts:institution_dashboard")).context["summary"]
    assert summary == {
        "learners": 1, "learners_without_cohort": 1, "tutors": 0, "admins": 1, "cohorts": 0,
    }  # fmt: skip


def test_a_suspended_admin_loses_the_dashboard(client: Client, staff: Staff) -> None:
    client.force_login(staff.suspended_admin)
    assert client.get(reverse("accounts:institution_dashboard")).status_code == 403


def test_a_suspended_learner_is_left_off_their_tutors_cohort_pages(
    client: Client, people: People
) -> None:
    User.objects.filter(pk=people.classmate.pk).update(name="Cat Classmate")
    Membership.objects.filter(user=people.learner).update(state=MembershipState.SUSPENDED)
    client.force_login(people.tutor)
    html = client.get(people.cohort.get_absolute_url()).content.decode()
    assert "Cat Classmate" in html and people.learner.email not in html
    assert "1 learner" in client.get(reverse("accounts:tutor_dashboard")).content.decode()


def test_a_suspended_learner_is_left_off_the_review_dashboard(
    client: Client, people: People
) -> None:
    User.objects.filter(pk=people.learner.pk).update(name="Sam Suspended")
    User.objects.filter(pk=people.classmate.pk).update(name="Cat Classmate")
    client.force_login(people.tutor)
    url = reverse("review_tutor:dashboard")
    assert "Sam Suspended" in client.get(url).content.decode()
    Membership.objects.filter(user=people.learner).update(state=MembershipState.SUSPENDED)
    html = client.get(url).content.decode()
    assert "Sam Suspended" not in html and "Cat Classmate" in html
