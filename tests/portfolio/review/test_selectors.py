"""The tutor dashboard and the chart reads: right numbers, flat query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from artefacts.models import Artefact
from portfolio.review import selectors, services
from tests.factories import CohortFactory, LearnerFactory, TutorFactory
from tests.portfolio.review.test_permissions import link, reflection


@pytest.mark.parametrize("size", [5, 100])
def test_dashboard_runs_one_query_whatever_the_cohort_size(
    db, size, django_assert_num_queries
) -> None:
    tutor = TutorFactory.create()
    learners = LearnerFactory.create_batch(size)
    cohort = CohortFactory.create(tutors=[tutor], learners=learners)
    CohortFactory.create(tutors=[tutor], learners=learners[:2])  # in two of their cohorts
    for learner in learners:
        link(learner)
        services.thread_start(author=tutor, learner=learner, body="Hi")
        services.goal_create(learner=learner, title="Goal", created_by=learner)
    services.feedback_request_create(learner=learners[-1])
    with django_assert_num_queries(1):
        rows = selectors.tutor_dashboard_rows(tutor=tutor)
    assert len(rows) == size
    assert rows[0].learner == learners[-1] and rows[0].asked_for_feedback
    assert all(r.open_feedback == 1 and r.open_goals == 1 for r in rows)
    with django_assert_num_queries(1):
        in_cohort = selectors.tutor_dashboard_rows(
            tutor=tutor, cohort_public_id=cohort.public_id, sort="name"
        )
    assert len(in_cohort) == size


def test_dashboard_counts_only_shared_work_since_the_review_mark(people) -> None:
    old = link(people.learner)
    Artefact.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    services.review_mark_set(
        tutor=people.tutor, learner=people.learner, up_to=timezone.now() - timedelta(days=1)
    )
    newest = reflection(people.learner)
    link(people.learner, visibility="private")
    rows = {r.learner: r for r in selectors.tutor_dashboard_rows(tutor=people.tutor)}
    mine = rows[people.learner]
    assert mine.new_since_review == 1
    assert mine.last_activity == newest.created_at
    assert rows[people.classmate].new_since_review == 0
    assert rows[people.classmate].last_activity is None
    assert people.outsider not in rows
    by_activity = selectors.tutor_dashboard_rows(tutor=people.tutor, sort="activity")
    assert by_activity[0].learner == people.learner
    assert selectors.tutor_dashboard_rows(tutor=people.learner) == []


def test_activity_by_week_counts_what_the_viewer_may_read(people) -> None:
    link(people.learner)
    reflection(people.learner)
    link(people.learner, visibility="private")
    for_learner = selectors.activity_by_week(people.learner, people.learner, weeks=4)
    for_tutor = selectors.activity_by_week(people.learner, people.tutor, weeks=4)
    assert len(for_tutor) == 4 and for_tutor[-1][0].weekday() == 0
    assert for_learner[-1][1] == 3 and for_tutor[-1][1] == 2
    assert sum(count for _week, count in for_tutor) == 2
