"""Demo review history for `make run`: feedback threads with replies, next steps,
goals, a review meeting and a request for feedback, made through the review services
so an evaluator opens Feedback, Plan and the tutor's Review pages to real content.

Nothing is emailed while seeding: the demo news is marked emailed at once, and the
older news read, so the learner starts with two unread notifications.
"""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from artefacts.models import Artefact
from portfolio.models import FeedbackThread, Goal, Notification
from portfolio.review import services
from reflections.models import Reflection


def seed_review(*, tutor: Any, learners: list[Any], today: date) -> int:
    """Add review history for each learner who has none yet. Returns how many feedback
    threads were added."""
    added = 0
    for learner in learners:
        if FeedbackThread.objects.filter(learner=learner).exists():
            continue
        if learner == learners[0]:
            added += _lena(tutor, learner, today)
        else:
            added += _leo(tutor, learner)
    _quiet_and_mostly_read(tutor, learners)
    return added


def _lena(tutor: Any, learner: Any, today: date) -> int:
    report = Artefact.objects.get(owner=learner, title="Usability test report")
    poster = Artefact.objects.get(owner=learner, title="Poster: accessible web forms")
    reflection = Reflection.objects.get(owner=learner, title="What the usability test taught me")

    _meeting, goals = services.meeting_record(
        tutor=tutor,
        learner=learner,
        held_on=today - timedelta(days=21),
        summary=(
            "Reviewed the first month's evidence. Lena builds accessible forms with "
            "confidence; the next step is to **test with real users** and reflect on it."
        ),
        next_steps=["Run a usability test with five people", "Write a reflection on the test"],
    )
    for goal in goals:
        services.goal_update(actor=learner, goal=goal, status=Goal.Status.DONE)
    services.goal_link_evidence(learner=learner, goal=goals[0], artefacts=[report])

    whole = services.thread_start(
        author=tutor,
        learner=learner,
        body="Steady progress this term. Your evidence now tells a clear story of your work.",
    )
    services.thread_set_addressed(actor=learner, thread=whole, addressed=True)

    on_report = services.thread_start(
        author=tutor,
        learner=learner,
        target=report,
        body=(
            "A clear write-up of the five sessions. Add the task success rates as a table, "
            "so a reader can compare them at a glance."
        ),
    )
    services.comment_reply(
        author=learner, thread=on_report, body="Added the table in section 3. Thank you!"
    )
    services.comment_reply(author=tutor, thread=on_report, body="That reads much better.")
    services.thread_set_addressed(actor=learner, thread=on_report, addressed=True)

    services.thread_start(
        author=tutor,
        learner=learner,
        target=reflection,
        body=(
            "Good use of *What? So what? Now what?*. Name one thing you will do differently "
            "in your next test, and how you will know it worked."
        ),
    )
    services.thread_start(
        author=tutor,
        learner=learner,
        target=poster,
        body=(
            "Say in one line who the poster is for. Then add the colour contrast ratios "
            "you checked, with the tool you used."
        ),
        next_step=True,
    )
    services.goal_create(
        learner=learner,
        title="Finish the accessibility module",
        due_on=today + timedelta(days=30),
        created_by=learner,
    )
    return 4


def _leo(tutor: Any, learner: Any) -> int:
    repo = Artefact.objects.get(owner=learner, title="Code for the accessible sign-up form")
    thread = services.thread_start(
        author=tutor,
        learner=learner,
        target=repo,
        body="Tidy code and good tests. Explain in the README how to run them.",
    )
    services.comment_reply(author=learner, thread=thread, body="Will do this week.")
    services.feedback_request_create(
        learner=learner,
        target=Artefact.objects.get(owner=learner, title="Usability test report"),
        question="Is the method section detailed enough?",
    )
    return 1


def _quiet_and_mostly_read(tutor: Any, learners: list[Any]) -> None:
    now = timezone.now()
    people = [tutor, *learners]
    Notification.objects.filter(recipient__in=people, emailed_at=None).update(emailed_at=now)
    for person in people:
        newest = Notification.objects.filter(recipient=person).values_list("pk", flat=True)[:2]
        Notification.objects.filter(recipient=person, read_at=None).exclude(
            pk__in=list(newest)
        ).update(read_at=now)
