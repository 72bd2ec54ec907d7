"""The cohort report for an institution's admins: who may see it, what it counts (only
what learners share with tutors), a CSV that no spreadsheet runs as formulas, and a
constant number of queries."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.institutions.models import Membership
from accounts.models import User
from artefacts.models import Artefact
from core.models import Visibility
from portfolio.models import FeedbackThread
from portfolio.showcases import services as showcases
from tests.accounts.institutions.conftest import Staff, staff

__all__ = ["staff"]  # fixture
from tests.conftest import People

pytestmark = pytest.mark.django_db


def _urls(people: People, staff: Staff) -> list[str]:
    args = [staff.institution.slug, people.cohort.public_id]
    return [reverse("reports:cohort", args=args), reverse("reports:cohort_csv", args=args)]


def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client, people: People, staff: Staff
) -> None:
    for url in _urls(people, staff):
        assert client.get(url)["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("actor", ["learner", "tutor", "other_admin", "suspended_admin"])
def test_only_the_institutions_admins_see_it(
    client: Client, people: People, staff: Staff, actor: str
) -> None:
    user = getattr(staff, actor, None) or getattr(people, actor)
    client.force_login(user)
    for url in _urls(people, staff):
        assert client.get(url).status_code == 403


def test_it_counts_shared_work_feedback_and_showcases(
    client: Client, people: People, staff: Staff
) -> None:
    Artefact.objects.create(owner=people.learner, title="Shared", visibility=Visibility.TUTORS)
    Artefact.objects.create(owner=people.learner, title="Mine", visibility=Visibility.PRIVATE)
    FeedbackThread.objects.create(learner=people.learner, started_by=people.tutor)
    showcase = showcases.showcase_create(owner=people.learner, title="CV")
    showcases.link_create(showcase=showcase, label="Employer")
    showcases.link_create(showcase=showcase, label="Another employer")
    client.force_login(staff.admin)
    response = client.get(_urls(people, staff)[1])
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Email", "Last activity"]
    mine = next(r for r in rows if r[1] == people.learner.email)
    assert mine[3:] == ["1", "0", "0", "0", "1", "1"]
    assert mine[2]  # last activity: the shared artefact
    classmate = next(r for r in rows if r[1] == people.classmate.email)
    assert classmate[2:] == ["", "0", "0", "0", "0", "0", "0"]


def test_the_csv_writes_formulas_as_text(client: Client, people: People, staff: Staff) -> None:
    people.learner.name = '=HYPERLINK("https://evil.example","x")'
    people.learner.save()
    people.classmate.name = "@SUM(A1)"
    people.classmate.save()
    client.force_login(staff.admin)
    text = client.get(_urls(people, staff)[1]).content.decode("utf-8-sig")
    names = {row[0] for row in list(csv.reader(io.StringIO(text)))[1:]}
    assert names == {'\'=HYPERLINK("https://evil.example","x")', "'@SUM(A1)"}


def test_the_page_runs_the_same_queries_for_10_and_1000_learners(
    client: Client, people: People, staff: Staff
) -> None:
    client.force_login(staff.admin)
    url = _urls(people, staff)[0]

    def add(count: int, prefix: str) -> int:
        users = User.objects.bulk_create(
            [User(email=f"{prefix}{n}@example.org", name=f"{prefix} {n}") for n in range(count)]
        )
        Membership.objects.bulk_create(
            [Membership(user=u, institution=staff.institution, role="learner") for u in users]
        )
        people.cohort.learners.add(*users)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert add(8, "small") == add(990, "big") <= 10
