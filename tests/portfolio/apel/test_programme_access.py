"""Who may reach each programme page. Staff pages: only the institution's active admins
(anyone else signed in gets a 403, anonymous visitors go to sign in, another
institution's programme is not found). Learner pages: only learners; a programme they
may not read (unpublished, another institution's, another learner's) is not found, and
the editing pages only open for a programme the learner entered themselves."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, MembershipState
from portfolio.models import Course, LearningOutcome, Programme
from tests.accounts.institutions.conftest import Staff
from tests.conftest import People
from tests.factories import LearnerFactory
from tests.portfolio.apel.conftest import Programmes

pytestmark = pytest.mark.django_db

EDITING = [
    ("get", "programme_edit"), ("post", "programme_edit"),
    ("get", "programme_delete"), ("post", "programme_delete"),
    ("get", "programme_course_new"), ("post", "programme_course_new"),
    ("get", "programme_course"), ("post", "programme_course"),
    ("get", "programme_outcome_new"), ("post", "programme_outcome_new"),
    ("get", "programme_outcome"), ("post", "programme_outcome"),
    ("get", "programme_import"), ("post", "programme_import"),
    ("post", "programme_import_confirm"),
    ("get", "programme_manage"), ("get", "programme_outcomes_csv"),
]  # fmt: skip
EVERY_POST = {"action": "delete", "outcome-code": "X1", "outcome-text": "x", "course-code": "X",
              "title": "Changed", "token": "x"}  # fmt: skip


def _args(programme: Programme, name: str) -> list[Any]:
    if name == "programme_course":
        return [programme.public_id, Course.objects.filter(programme=programme).first().pk]  # type: ignore[union-attr]
    if name == "programme_outcome":
        return [programme.public_id, programme.outcomes.first().pk]  # type: ignore[union-attr]
    return [programme.public_id]


def staff_urls(staff: Staff, programme: Programme) -> list[tuple[str, str]]:
    slug = staff.institution.slug
    ns = "apel_staff"
    urls = [
        ("get", reverse(f"{ns}:programme_list", args=[slug])),
        ("get", reverse(f"{ns}:programme_new", args=[slug])),
        ("post", reverse(f"{ns}:programme_new", args=[slug])),
        ("post", reverse(f"{ns}:programme_publish", args=[slug, programme.public_id])),
    ]
    return urls + [
        (method, reverse(f"{ns}:{name}", args=[slug, *_args(programme, name)]))
        for method, name in EDITING
    ]


def learner_editing_urls(programme: Programme) -> list[tuple[str, str]]:
    return [
        (method, reverse(f"apel:{name}", args=_args(programme, name)))
        for method, name in EDITING
        if name != "programme_outcomes_csv"  # readable, not editing: checked below
    ]


def _state() -> tuple[Any, ...]:
    return (
        list(Programme.objects.values_list("title", "published_at").order_by("pk")),
        list(LearningOutcome.objects.values_list("code", "text", "position").order_by("pk")),
        list(Course.objects.values_list("code", "title").order_by("pk")),
    )


class TestStaffPages:
    def test_anonymous_visitors_are_sent_to_sign_in(
        self, client: Client, staff: Staff, programmes: Programmes
    ) -> None:
        before = _state()
        for method, url in staff_urls(staff, programmes.ours):
            response = getattr(client, method)(url, EVERY_POST)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("account_login")), url
        assert _state() == before

    @pytest.mark.parametrize("actor", ["learner", "tutor", "other_admin", "suspended_admin"])
    def test_only_the_institutions_active_admins_reach_them(
        self, client: Client, people: People, staff: Staff, programmes: Programmes, actor: str
    ) -> None:
        client.force_login(getattr(staff, actor, None) or getattr(people, actor))
        before = _state()
        for method, url in staff_urls(staff, programmes.ours):
            assert getattr(client, method)(url, EVERY_POST).status_code == 403, (method, url)
        assert _state() == before

    def test_another_institutions_programme_is_not_found(
        self, client: Client, staff: Staff, programmes: Programmes
    ) -> None:
        client.force_login(staff.admin)
        before = _state()
        for programme in (programmes.theirs, programmes.entered):
            for method, url in staff_urls(staff, programme)[3:]:
                assert getattr(client, method)(url, EVERY_POST).status_code == 404, (method, url)
        assert _state() == before

    def test_a_course_or_outcome_of_another_programme_is_not_found(
        self, client: Client, staff: Staff, programmes: Programmes
    ) -> None:
        client.force_login(staff.admin)
        slug, ours = staff.institution.slug, programmes.ours.public_id
        course = Course.objects.filter(programme=programmes.draft).first()
        outcome = programmes.draft.outcomes.first()
        assert course is not None and outcome is not None
        course_url = reverse("apel_staff:programme_course", args=[slug, ours, course.pk])
        outcome_url = reverse("apel_staff:programme_outcome", args=[slug, ours, outcome.pk])
        for url in (course_url, outcome_url):
            assert client.get(url).status_code == 404
            assert client.post(url, {"action": "delete"}).status_code == 404
        assert Course.objects.filter(pk=course.pk).exists()
        assert LearningOutcome.objects.filter(pk=outcome.pk).exists()


class TestLearnerPages:
    def _all_urls(self, programme: Programme) -> list[tuple[str, str]]:
        return [
            ("get", reverse("apel:programme_list")),
            ("get", reverse("apel:programme_new")),
            ("post", reverse("apel:programme_new")),
            ("get", reverse("apel:programme_detail", args=[programme.public_id])),
            ("get", reverse("apel:programme_outcomes_csv", args=[programme.public_id])),
            *learner_editing_urls(programme),
        ]

    def test_anonymous_visitors_are_sent_to_sign_in(
        self, client: Client, programmes: Programmes
    ) -> None:
        before = _state()
        urls = [
            *self._all_urls(programmes.entered),
            ("get", reverse("apel:programme_csv_template")),
        ]
        for method, url in urls:
            response = getattr(client, method)(url, EVERY_POST)
            assert response["Location"].startswith(reverse("account_login")), url
        assert _state() == before

    @pytest.mark.parametrize("actor", ["tutor", "admin", "other_admin"])
    def test_tutors_and_admins_do_not_reach_them(
        self, client: Client, people: People, staff: Staff, programmes: Programmes, actor: str
    ) -> None:
        client.force_login(getattr(people, actor, None) or getattr(staff, actor))
        before = _state()
        for method, url in self._all_urls(programmes.entered):
            assert getattr(client, method)(url, EVERY_POST).status_code == 403, (method, url)
        assert _state() == before

    def test_another_learners_programme_is_not_found(
        self, client: Client, people: People, programmes: Programmes
    ) -> None:
        client.force_login(people.learner)
        before = _state()
        for method, url in self._all_urls(programmes.classmates)[3:]:
            assert getattr(client, method)(url, EVERY_POST).status_code == 404, (method, url)
        assert _state() == before
        html = client.get(reverse("apel:programme_list")).content.decode()
        assert "Classmate&#x27;s course" not in html and "My own course" in html

    def test_an_institutions_programme_is_read_but_never_edited_by_a_learner(
        self, client: Client, people: People, programmes: Programmes
    ) -> None:
        client.force_login(people.learner)
        detail = reverse("apel:programme_detail", args=[programmes.ours.public_id])
        assert client.get(detail).status_code == 200
        before = _state()
        for method, url in learner_editing_urls(programmes.ours):
            assert getattr(client, method)(url, EVERY_POST).status_code == 404, (method, url)
        assert _state() == before

    def test_unpublished_and_other_institutions_programmes_are_not_found(
        self, client: Client, people: People, staff: Staff, programmes: Programmes
    ) -> None:
        elsewhere = LearnerFactory.create(institution=staff.other_institution)
        cases = [
            (people.learner, programmes.draft),
            (people.learner, programmes.theirs),
            (elsewhere, programmes.ours),
            (elsewhere, programmes.draft),
            (elsewhere, programmes.entered),
        ]
        for learner, programme in cases:
            client.force_login(learner)
            for name in ("programme_detail", "programme_outcomes_csv", "programme_manage"):
                url = reverse(f"apel:{name}", args=[programme.public_id])
                assert client.get(url).status_code == 404, (learner, programme, name)
            listed = client.get(reverse("apel:programme_list")).content.decode()
            assert programme.title not in listed

    def test_a_suspended_member_no_longer_reads_the_institutions_programmes(
        self, client: Client, people: People, programmes: Programmes
    ) -> None:
        Membership.objects.filter(user=people.learner).update(state=MembershipState.SUSPENDED)
        client.force_login(people.learner)
        url = reverse("apel:programme_detail", args=[programmes.ours.public_id])
        assert client.get(url).status_code == 404
        own = reverse("apel:programme_detail", args=[programmes.entered.public_id])
        assert client.get(own).status_code == 200
