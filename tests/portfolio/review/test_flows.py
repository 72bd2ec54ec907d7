"""Next steps become goals; meetings record goals; requests get answered; notifications."""

from datetime import date

from portfolio.models import FeedbackRequest, Goal, Notification
from portfolio.review import notifications, selectors, services
from tests.portfolio.review.test_permissions import link


def test_a_next_step_becomes_a_goal_in_the_learners_plan(people) -> None:
    thread = services.thread_start(
        author=people.tutor, learner=people.learner, body="Add a **risk assessment**"
    )
    comment = thread.comments.get()
    goal = services.comment_make_next_step(tutor=people.tutor, comment=comment)
    comment.refresh_from_db()
    assert comment.is_next_step and comment.goal == goal
    assert goal.title == "Add a risk assessment"
    assert goal.learner == people.learner and goal.source_comment == comment
    assert services.comment_make_next_step(tutor=people.tutor, comment=comment) == goal
    assert Goal.objects.count() == 1
    assert [g.title for g in selectors.learning_plan(people.learner, viewer=people.learner)] == [
        "Add a risk assessment"
    ]
    assert Notification.objects.filter(recipient=people.learner, kind="goal").count() == 1


def test_a_comment_posted_as_a_next_step_makes_the_goal_at_once(people) -> None:
    thread = services.thread_start(
        author=people.tutor, learner=people.learner, body="Practise", next_step=True
    )
    goal = thread.comments.get().goal
    assert goal is not None and goal.title == "Practise"


def test_a_meeting_records_goals_and_tells_the_learner(people) -> None:
    meeting, goals = services.meeting_record(
        tutor=people.tutor,
        learner=people.learner,
        held_on=date(2025, 3, 1),
        summary="We talked <script>alert(1)</script>",
        next_steps=["Finish unit 2", " ", "Book placement"],
    )
    assert "<script" not in meeting.summary_html
    assert [g.title for g in goals] == ["Finish unit 2", "Book placement"]
    assert all(g.meeting == meeting and g.created_by == people.tutor for g in goals)
    kinds = sorted(
        Notification.objects.filter(recipient=people.learner).values_list("kind", flat=True)
    )
    assert kinds == ["goal", "goal", "meeting"]


def test_goal_status_done_sets_done_at_and_evidence_links(people) -> None:
    goal = services.goal_create(
        learner=people.learner, title="Wire a circuit", created_by=people.learner
    )
    assert not Notification.objects.exists()  # the learner's own goal tells nobody
    services.goal_update(actor=people.learner, goal=goal, status="done", due_on=date(2025, 5, 1))
    assert goal.done_at is not None and goal.due_on == date(2025, 5, 1)
    services.goal_update(actor=people.tutor, goal=goal, status="in_progress", due_on=None)
    assert goal.done_at is None and goal.due_on is None
    services.goal_link_evidence(learner=people.learner, goal=goal, artefacts=[link(people.learner)])
    private = link(people.learner, visibility="private")
    services.goal_link_evidence(learner=people.learner, goal=goal, artefacts=[private])
    [for_tutor] = selectors.learning_plan(people.learner, viewer=people.tutor)
    assert private not in for_tutor.evidence.all() and for_tutor.evidence.count() == 1
    assert selectors.goals_open_done(people.learner) == {"open": 1, "done": 0}


def test_a_feedback_request_tells_the_tutors_and_a_reply_resolves_it(people) -> None:
    item = link(people.learner)
    request = services.feedback_request_create(
        learner=people.learner, target=item, question="Is this enough?"
    )
    [note] = Notification.objects.filter(recipient=people.tutor)
    assert note.kind == "feedback_request" and "Is this enough?" in note.text
    assert not Notification.objects.filter(recipient=people.other_tutor).exists()
    services.thread_start(author=people.tutor, learner=people.learner, body="Whole portfolio")
    request.refresh_from_db()
    assert request.resolved_at is None  # a comment elsewhere does not answer it
    services.thread_start(author=people.tutor, learner=people.learner, target=item, body="Yes")
    request.refresh_from_db()
    assert request.resolved_at is not None
    assert not FeedbackRequest.objects.filter(resolved_at__isnull=True).exists()


def test_a_learners_reply_tells_the_tutor_and_reopens_the_thread(people) -> None:
    thread = services.thread_start(author=people.tutor, learner=people.learner, body="Hi")
    services.thread_set_addressed(actor=people.learner, thread=thread, addressed=True)
    services.comment_reply(author=people.learner, thread=thread, body="Done it")
    thread.refresh_from_db()
    assert thread.status == "open"
    [note] = Notification.objects.filter(recipient=people.tutor)
    assert note.kind == "reply" and "Done it" in note.text


def test_unread_count_and_mark_read(people) -> None:
    services.thread_start(author=people.tutor, learner=people.learner, body="One")
    services.thread_start(author=people.tutor, learner=people.learner, body="Two")
    assert notifications.unread_count(people.learner) == 2
    newest = notifications.notifications_for(people.learner, limit=1)
    assert [n.text for n in newest] == [newest[0].text] and "Two" in newest[0].text
    assert notifications.mark_read(people.classmate, [newest[0].public_id]) == 0
    assert notifications.mark_read(people.learner, [newest[0].public_id]) == 1
    assert notifications.unread_count(people.learner) == 1
    assert notifications.mark_read(people.learner) == 1
    assert notifications.unread_count(people.learner) == 0
    assert notifications.unread_count(None) == 0
