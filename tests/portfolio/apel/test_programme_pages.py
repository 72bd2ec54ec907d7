"""The programme pages at work: an admin enters a programme, its courses and outcomes
by hand, orders and publishes it, and cannot delete what claims rely on; a learner sees
their institution's published programmes, outcomes grouped by course, and enters one of
their own, marked as theirs everywhere."""

from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.models import Course, LearningOutcome, Programme
from tests.accounts.institutions.conftest import Staff
from tests.conftest import People
from tests.portfolio.apel.conftest import Programmes, claim_against, outcome_of

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return unescape(response.content.decode()).replace("\xa0", " ")


def _staff(name: str, staff: Staff, *args: Any) -> str:
    return reverse(f"apel_staff:{name}", args=[staff.institution.slug, *args])


class TestAnAdmin:
    def test_finds_programmes_in_the_staff_navigation(
        self, client: Client, staff: Staff, programmes: Programmes
    ) -> None:
        client.force_login(staff.admin)
        people_page = client.get(reverse("institutions:people", args=[staff.institution.slug]))
        assert f'href="{_staff("programme_list", staff)}"' in people_page.content.decode()
        html = _text(client.get(_staff("programme_list", staff)))
        assert 'aria-current="page">Programmes' in html
        assert "BSc Web" in html and "Draft diploma" in html and "Not published" in html
        assert "Their MSc" not in html and "My own course" not in html

    def test_enters_a_programme_with_courses_and_outcomes(
        self, client: Client, staff: Staff
    ) -> None:
        client.force_login(staff.admin)
        new = _staff("programme_new", staff)
        form = {"title": "BSc Nursing", "code": "N1", "total_credits": "360",
                "credit_cap": "400", "currency_years": "5"}  # fmt: skip
        response = client.post(new, form)
        assert response.status_code == 400
        assert "This is more than the programme's 360 credits." in _text(response)
        assert not Programme.objects.exists()
        response = client.post(new, {**form, "credit_cap": "120"})
        programme = Programme.objects.get()
        assert response["Location"] == _staff("programme_manage", staff, programme.public_id)
        assert (programme.institution, programme.credit_cap) == (staff.institution, Decimal(120))

        add_course = _staff("programme_course_new", staff, programme.public_id)
        client.post(
            add_course, {"course-code": "NU101", "course-title": "Care", "course-credits": "20"}
        )
        response = client.post(add_course, {"course-code": "nu101"})
        assert response.status_code == 400
        assert "This programme already has a course nu101" in _text(response)
        course = Course.objects.get()

        add = _staff("programme_outcome_new", staff, programme.public_id)
        first = {"outcome-code": "LO1", "outcome-text": "Give care safely",
                 "outcome-credits": "10", "outcome-course": course.pk}  # fmt: skip
        response = client.post(add, first)
        assert response["Location"].endswith("#new-outcome")
        for bad, message in [
            ({"outcome-code": "lo1", "outcome-text": "Again"}, "already has an outcome lo1"),
            ({"outcome-code": "LO2", "outcome-text": "   "}, "Write the learning outcome."),
            ({"outcome-code": "LO2", "outcome-text": "x", "outcome-credits": "-3"}, "greater than"),
        ]:
            response = client.post(add, bad)
            assert response.status_code == 400 and message in _text(response)
        outcome = LearningOutcome.objects.get()
        assert (outcome.course, outcome.credits) == (course, Decimal(10))

        page = _text(client.get(_staff("programme_manage", staff, programme.public_id)))
        assert "NU101 · Care" in page and "Give care safely" in page and "20 credits" in page
        assert "Evidence must be" in page and "From the last 5 years" in page

    def test_changes_reorders_and_deletes_outcomes(
        self, client: Client, people: People, staff: Staff, programmes: Programmes
    ) -> None:
        client.force_login(staff.admin)
        ours = programmes.ours
        lo3 = ours.outcomes.get(code="LO3")
        url = _staff("programme_outcome", staff, ours.public_id, lo3.pk)
        assert "Change outcome LO3" in _text(client.get(url))
        response = client.post(url, {"outcome-code": "LO3a", "outcome-text": "Better words"})
        assert response["Location"].endswith(f"#outcome-{lo3.pk}")
        lo3.refresh_from_db()
        assert (lo3.code, lo3.text, lo3.course) == ("LO3a", "Better words", None)

        c2 = Course.objects.get(programme=ours, code="C2")
        ours.outcomes.filter(code__in=["LO1", "LO3a"]).update(course=c2)
        client.post(url, {"action": "up"})
        codes = [o.code for o in c2.outcomes.order_by("position")]
        assert codes == ["LO3a", "LO1"]

        claim_against(ours, people.learner, answering=True)
        answered = outcome_of(ours)
        response = client.post(
            _staff("programme_outcome", staff, ours.public_id, answered.pk), {"action": "delete"}
        )
        assert "Claims answer outcome" in _text(client.get(response["Location"]))
        assert LearningOutcome.objects.filter(pk=answered.pk).exists()
        other = ours.outcomes.exclude(pk=answered.pk).first()
        assert other is not None
        response = client.post(
            _staff("programme_outcome", staff, ours.public_id, other.pk), {"action": "delete"}
        )
        assert f"Outcome {other.code} deleted." in _text(client.get(response["Location"]))
        assert not LearningOutcome.objects.filter(pk=other.pk).exists()

    def test_renames_and_deletes_a_course_keeping_its_outcomes(
        self, client: Client, staff: Staff, programmes: Programmes
    ) -> None:
        client.force_login(staff.admin)
        course = Course.objects.get(programme=programmes.ours, code="C1")
        url = _staff("programme_course", staff, programmes.ours.public_id, course.pk)
        response = client.post(url, {"course-code": "C2"})
        assert response.status_code == 400 and "already has a course C2" in _text(response)
        client.post(url, {"course-code": "WD1", "course-title": "Web design"})
        course.refresh_from_db()
        assert (course.code, course.title) == ("WD1", "Web design")
        kept = list(course.outcomes.values_list("pk", flat=True))
        response = client.post(url, {"action": "delete"})
        assert "Its outcomes are still here, in no course." in _text(
            client.get(response["Location"])
        )
        assert LearningOutcome.objects.filter(pk__in=kept, course=None).count() == len(kept)

    def test_publishes_and_unpublishes(
        self, client: Client, people: People, staff: Staff, programmes: Programmes
    ) -> None:
        client.force_login(staff.admin)
        draft = programmes.draft
        publish = _staff("programme_publish", staff, draft.public_id)
        detail = reverse("apel:programme_detail", args=[draft.public_id])
        response = client.post(publish, {"action": "publish"})
        assert "can now see it" in _text(client.get(response["Location"]))
        client.force_login(people.learner)
        assert client.get(detail).status_code == 200
        client.force_login(staff.admin)
        response = client.post(publish, {"action": "unpublish"})
        assert "learners no longer find this programme" in _text(client.get(response["Location"]))
        client.force_login(people.learner)
        assert client.get(detail).status_code == 404

        client.force_login(staff.admin)
        empty = Programme.objects.create(institution=staff.institution, title="Empty")
        response = client.post(_staff("programme_publish", staff, empty.public_id))
        assert "Add at least one learning outcome" in _text(client.get(response["Location"]))
        empty.refresh_from_db()
        assert not empty.is_published

    def test_cannot_delete_a_programme_that_has_claims(
        self, client: Client, people: People, staff: Staff, programmes: Programmes
    ) -> None:
        claim_against(programmes.ours, people.learner)
        client.force_login(staff.admin)
        url = _staff("programme_delete", staff, programmes.ours.public_id)
        page = _text(client.get(url))
        assert "There is 1 claim against this programme, so it cannot be deleted" in page
        assert "Unpublish it instead" in page and "Delete the programme" not in page
        response = client.post(url)
        assert "Unpublish it instead" in _text(client.get(response["Location"]))
        assert Programme.objects.filter(pk=programmes.ours.pk).exists()

        url = _staff("programme_delete", staff, programmes.draft.public_id)
        assert "Its 3 learning outcomes and its courses go with it." in _text(client.get(url))
        response = client.post(url)
        assert response["Location"] == _staff("programme_list", staff)
        assert not Programme.objects.filter(pk=programmes.draft.pk).exists()


class TestALearner:
    def test_sees_their_institutions_published_programmes_and_their_own(
        self, client: Client, people: People, programmes: Programmes
    ) -> None:
        client.force_login(people.learner)
        nav = client.get(reverse("portfolio:learner_dashboard")).content.decode()
        assert f'href="{reverse("apel:programme_list")}"' in nav
        html = _text(client.get(reverse("apel:programme_list")))
        assert "BSc Web" in html and "Published by Demo institution" in html
        assert "My own course" in html and "Entered by you" in html
        for hidden in ("Draft diploma", "Their MSc", "Classmate's course"):
            assert hidden not in html

    def test_reads_a_programmes_outcomes_grouped_by_course(
        self, client: Client, people: People, programmes: Programmes
    ) -> None:
        client.force_login(people.learner)
        html = _text(client.get(reverse("apel:programme_detail", args=[programmes.ours.public_id])))
        c1, c2 = html.index("C1 · Course 1"), html.index("C2 · Course 2")
        lo1, lo2, lo3 = (html.index(f"Outcome number {n}") for n in (1, 2, 3))
        assert c1 < lo2 < c2 < lo1 < lo3
        assert "Published by Demo institution" in html and "Change this programme" not in html

    def test_enters_a_programme_marked_as_theirs(self, client: Client, people: People) -> None:
        client.force_login(people.learner)
        response = client.post(reverse("apel:programme_new"), {"title": "HND Computing",
                                                               "currency_years": "3"})  # fmt: skip
        programme = Programme.objects.get()
        assert programme.entered_by == people.learner and programme.institution is None
        assert response["Location"] == reverse("apel:programme_manage", args=[programme.public_id])
        manage = _text(client.get(response["Location"]))
        assert "Entered by you" in manage and "Only you see this programme." in manage
        assert "Publish" not in manage
        add = reverse("apel:programme_outcome_new", args=[programme.public_id])
        client.post(add, {"outcome-code": "U1", "outcome-text": "Write a program"})
        detail = _text(client.get(reverse("apel:programme_detail", args=[programme.public_id])))
        assert "Entered by you" in detail and "Write a program" in detail
        assert "From the last 3 years" in detail and "Change this programme" in detail
        response = client.post(reverse("apel:programme_delete", args=[programme.public_id]))
        assert response["Location"] == reverse("apel:programme_list")
        assert not Programme.objects.exists()
