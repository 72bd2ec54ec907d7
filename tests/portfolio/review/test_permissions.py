"""Who may do what in tutor review: every rule, enforced by the services themselves."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import User
from artefacts.models import Artefact
from artefacts.services import Details, artefact_create_link
from portfolio.models import FeedbackThread, Goal
from portfolio.review import selectors, services
from reflections.models import Reflection
from reflections.services import ReflectionInput, reflection_create
from tests.factories import LearnerFactory


def link(owner: User, title: str = "Site survey", visibility: str = "tutors") -> Artefact:
    return artefact_create_link(
        owner=owner,
        url="https://example.org/survey",
        details=Details(title=title, visibility=visibility),
    )


def reflection(owner: User, visibility: str = "tutors") -> Reflection:
    return reflection_create(
        owner=owner,
        data=ReflectionInput(title="Week 3", body_markdown="I learned", visibility=visibility),
    )


class TestATutor:
    def test_can_comment_on_a_shared_item_of_a_taught_learner(self, people) -> None:
        item = link(people.learner)
        thread = services.thread_start(
            author=people.tutor, learner=people.learner, target=item, body="Good work"
        )
        assert thread.artefact == item
        assert thread.comments.get().body_html == "<p>Good work</p>"

    def test_can_comment_on_the_whole_portfolio(self, people) -> None:
        thread = services.thread_start(author=people.tutor, learner=people.learner, body="Hi")
        assert thread.target is None

    def test_cannot_comment_on_a_private_item(self, people) -> None:
        for item in (
            link(people.learner, visibility="private"),
            reflection(people.learner, "private"),
        ):
            with pytest.raises(PermissionDenied):
                services.thread_start(
                    author=people.tutor, learner=people.learner, target=item, body="x"
                )
        assert not FeedbackThread.objects.exists()

    def test_of_another_cohort_cannot_comment(self, people) -> None:
        with pytest.raises(PermissionDenied):
            services.thread_start(author=people.other_tutor, learner=people.learner, body="x")
        with pytest.raises(PermissionDenied):
            services.thread_start(
                author=people.other_tutor,
                learner=people.learner,
                target=link(people.learner),
                body="x",
            )

    def test_cannot_anchor_a_thread_to_another_learners_item(self, people) -> None:
        with pytest.raises(PermissionDenied):
            services.thread_start(
                author=people.tutor,
                learner=people.learner,
                target=link(people.classmate),
                body="x",
            )

    def test_of_another_cohort_cannot_reply_mark_addressed_or_read(self, people) -> None:
        thread = services.thread_start(author=people.tutor, learner=people.learner, body="Hi")
        with pytest.raises(PermissionDenied):
            services.comment_reply(author=people.other_tutor, thread=thread, body="x")
        with pytest.raises(PermissionDenied):
            services.thread_set_addressed(actor=people.other_tutor, thread=thread, addressed=True)
        with pytest.raises(PermissionDenied):
            selectors.threads_for_learner(people.other_tutor, people.learner)
        with pytest.raises(PermissionDenied):
            services.comment_make_next_step(tutor=people.other_tutor, comment=thread.comments.get())

    def test_of_another_cohort_cannot_set_goals_meetings_or_marks(self, people) -> None:
        with pytest.raises(PermissionDenied):
            services.goal_create(learner=people.learner, title="x", created_by=people.other_tutor)
        with pytest.raises(PermissionDenied):
            services.meeting_record(
                tutor=people.other_tutor,
                learner=people.learner,
                held_on=date(2025, 1, 1),
                summary="",
                next_steps=["x"],
            )
        with pytest.raises(PermissionDenied):
            services.review_mark_set(tutor=people.other_tutor, learner=people.learner)
        goal = services.goal_create(learner=people.learner, title="Mine", created_by=people.learner)
        with pytest.raises(PermissionDenied):
            services.goal_update(actor=people.other_tutor, goal=goal, status="done")

    def test_loses_access_when_the_learner_leaves_the_cohort(self, people) -> None:
        item = link(people.learner)
        thread = services.thread_start(
            author=people.tutor, learner=people.learner, target=item, body="Before"
        )
        people.cohort.learners.remove(people.learner)
        with pytest.raises(PermissionDenied):
            services.comment_reply(author=people.tutor, thread=thread, body="After")
        with pytest.raises(PermissionDenied):
            selectors.threads_for_item(people.tutor, item)
        with pytest.raises(PermissionDenied):
            services.review_mark_set(tutor=people.tutor, learner=people.learner)
        rows = selectors.tutor_dashboard_rows(tutor=people.tutor)
        assert [row.learner for row in rows] == [people.classmate]
        # Their earlier comment stays visible to the learner.
        [seen] = selectors.threads_for_learner(people.learner, people.learner)
        assert [c.body_markdown for c in seen.comments.all()] == ["Before"]

    def test_never_sees_threads_on_items_made_private_later(self, people) -> None:
        item = link(people.learner)
        services.thread_start(author=people.tutor, learner=people.learner, target=item, body="x")
        Artefact.objects.filter(pk=item.pk).update(visibility="private")
        item.refresh_from_db()
        assert selectors.threads_for_learner(people.tutor, people.learner) == []
        with pytest.raises(PermissionDenied):
            selectors.threads_for_item(people.tutor, item)
        assert len(selectors.threads_for_learner(people.learner, people.learner)) == 1

    def test_cannot_link_evidence_to_a_goal(self, people) -> None:
        goal = services.goal_create(learner=people.learner, title="x", created_by=people.tutor)
        with pytest.raises(PermissionDenied):
            services.goal_link_evidence(
                learner=people.tutor, goal=goal, artefacts=[link(people.learner)]
            )

    def test_cannot_set_a_next_step_on_a_learners_own_goal_path(self, people) -> None:
        with pytest.raises(PermissionDenied):
            services.thread_start(
                author=people.learner, learner=people.learner, body="x", next_step=True
            )


class TestALearner:
    def test_can_start_a_thread_about_their_own_item(self, people) -> None:
        thread = services.thread_start(
            author=people.learner,
            learner=people.learner,
            target=link(people.learner, visibility="private"),
            body="Thoughts?",
        )
        assert thread.started_by == people.learner

    def test_cannot_act_on_another_learners_portfolio(self, people) -> None:
        with pytest.raises(PermissionDenied):
            services.thread_start(author=people.classmate, learner=people.learner, body="x")
        thread = services.thread_start(author=people.tutor, learner=people.learner, body="Hi")
        with pytest.raises(PermissionDenied):
            services.comment_reply(author=people.classmate, thread=thread, body="x")
        with pytest.raises(PermissionDenied):
            services.thread_set_addressed(actor=people.classmate, thread=thread, addressed=True)
        with pytest.raises(PermissionDenied):
            services.goal_create(learner=people.learner, title="x", created_by=people.classmate)
        with pytest.raises(PermissionDenied):
            selectors.threads_for_learner(people.classmate, people.learner)
        with pytest.raises(PermissionDenied):
            services.review_mark_set(tutor=people.classmate, learner=people.learner)

    def test_cannot_link_someone_elses_artefact_or_goal(self, people) -> None:
        goal = services.goal_create(learner=people.learner, title="x", created_by=people.learner)
        with pytest.raises(PermissionDenied):
            services.goal_link_evidence(
                learner=people.learner, goal=goal, artefacts=[link(people.classmate)]
            )
        with pytest.raises(PermissionDenied):
            services.goal_link_evidence(
                learner=people.classmate, goal=goal, artefacts=[link(people.classmate)]
            )
        services.goal_link_evidence(
            learner=people.learner, goal=goal, artefacts=[link(people.learner)]
        )
        assert goal.evidence.count() == 1

    def test_can_mark_feedback_addressed_and_the_tutor_can_reopen(self, people) -> None:
        thread = services.thread_start(author=people.tutor, learner=people.learner, body="Hi")
        services.thread_set_addressed(actor=people.learner, thread=thread, addressed=True)
        assert thread.status == "addressed" and thread.addressed_at is not None
        services.thread_set_addressed(actor=people.tutor, thread=thread, addressed=False)
        assert thread.status == "open" and thread.addressed_at is None

    def test_cannot_ask_for_feedback_on_someone_elses_item(self, people) -> None:
        with pytest.raises(PermissionDenied):
            services.feedback_request_create(learner=people.learner, target=link(people.classmate))
        with pytest.raises(PermissionDenied):
            services.feedback_request_create(learner=people.tutor)


class TestNobodyElse:
    @pytest.mark.parametrize("who", ["none", "admin", "inactive_tutor"])
    def test_cannot_do_anything(self, people, who) -> None:
        actor = {"none": None, "admin": people.admin, "inactive_tutor": people.tutor}[who]
        if who == "inactive_tutor":
            User.objects.filter(pk=people.tutor.pk).update(is_active=False)
            actor.refresh_from_db()
        thread = FeedbackThread.objects.create(learner=people.learner, started_by=people.learner)
        calls = [
            lambda: services.thread_start(author=actor, learner=people.learner, body="x"),
            lambda: services.comment_reply(author=actor, thread=thread, body="x"),
            lambda: services.thread_set_addressed(actor=actor, thread=thread, addressed=True),
            lambda: services.goal_create(learner=people.learner, title="x", created_by=actor),
            lambda: services.review_mark_set(tutor=actor, learner=people.learner),
            lambda: selectors.threads_for_learner(actor, people.learner),
            lambda: selectors.learning_plan(people.learner, viewer=actor),
            lambda: selectors.activity_by_week(people.learner, actor),
        ]
        for call in calls:
            with pytest.raises(PermissionDenied):
                call()
        assert not Goal.objects.exists()

    def test_a_learner_outside_any_cohort_has_no_tutor(self, db, people) -> None:
        loner = LearnerFactory.create()
        with pytest.raises(PermissionDenied):
            services.thread_start(author=people.tutor, learner=loner, body="x")
