import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import People
from tests.factories import CohortFactory, LearnerFactory, TutorFactory


def test_sign_in_lands_each_role_on_its_own_dashboard(client: Client, people: People) -> None:
    for person, page in [
        (people.learner, "portfolio:learner_dashboard"),
        (people.tutor, "review_tutor:dashboard"),
        (people.admin, "accounts:institution_dashboard"),
    ]:
        client.force_login(person)
        response = client.get(reverse("accounts:dashboard"))
        assert response["Location"] == reverse(page)


def test_tutor_dashboard_lists_exactly_the_learners_of_their_cohorts(
    client: Client, people: People
) -> None:
    client.force_login(people.tutor)
    html = client.get(reverse("accounts:tutor_dashboard")).content.decode()
    assert people.learner.email in html
    assert people.classmate.email in html
    assert people.outsider.email not in html
    assert people.other_cohort.name not in html


def test_a_learner_in_two_of_a_tutors_cohorts_is_listed_under_each(
    client: Client, people: People
) -> None:
    CohortFactory.create(name="Evening group", tutors=[people.tutor], learners=[people.learner])
    client.force_login(people.tutor)
    html = client.get(reverse("accounts:tutor_dashboard")).content.decode()
    assert html.count(people.learner.email) == 2


def test_tutor_with_no_cohort_is_told_what_happens_next(client: Client, db: None) -> None:
    client.force_login(TutorFactory.create())
    html = client.get(reverse("accounts:tutor_dashboard")).content.decode()
    assert "You do not teach any cohort yet" in html


def test_new_learner_sees_an_empty_state_and_first_steps(client: Client, db: None) -> None:
    client.force_login(LearnerFactory.create())
    html = client.get(reverse("portfolio:learner_dashboard")).content.decode()
    assert "You are not in a cohort yet" in html
    assert reverse("mfa_index") in html


def test_learner_dashboard_names_their_tutors(client: Client, people: People) -> None:
    client.force_login(people.learner)
    html = client.get(reverse("portfolio:learner_dashboard")).content.decode()
    assert people.cohort.name in html
    assert people.tutor.name in html
    assert people.other_tutor.name not in html


def test_institution_dashboard_counts_people_and_cohorts(client: Client, people: People) -> None:
    LearnerFactory.create()  # in no cohort
    client.force_login(people.admin)
    summary = client.get(reverse("accounts:institution_dashboard")).context["summary"]
    assert summary == {
        "learners": 4,
        "learners_without_cohort": 1,
        "tutors": 2,
        "admins": 1,
        "cohorts": 2,
    }


@pytest.mark.parametrize("learners", [5, 100])
def test_tutor_dashboard_query_count_does_not_grow_with_learners(
    client: Client, db: None, django_assert_max_num_queries, learners: int
) -> None:
    tutor = TutorFactory.create()
    for _ in range(3):
        CohortFactory.create(
            tutors=[tutor],
            learners=LearnerFactory.create_batch(learners // 3 + 1, verified_email=False),
        )
    client.force_login(tutor)
    # session + user + cohorts + learners (+ savepoints on some backends)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("accounts:tutor_dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 3 * (learners // 3 + 1) + 3
