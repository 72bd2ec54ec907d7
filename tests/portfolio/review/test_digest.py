"""Notification email: at most one digest an hour per person, plain text, opt-out per
kind. Time is controlled by passing `now`, never by sleeping."""

from datetime import date, timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from portfolio.models import Notification
from portfolio.review import digest, notifications, services, tasks


def feedback(people, body: str) -> None:
    services.thread_start(author=people.tutor, learner=people.learner, body=body)


def test_two_notifications_in_a_minute_make_one_email_listing_both(
    people, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        feedback(people, "First thoughts")
        feedback(people, "Second thoughts")
    [email] = mailoutbox
    assert email.to == [people.learner.email]
    assert "First thoughts" in email.body and "Second thoughts" in email.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_news_of_three_kinds_within_seconds_makes_one_email_then_one_an_hour_later(
    people, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    # The report: feedback, a next step and a meeting arrived as three emails in 13 s.
    with django_capture_on_commit_callbacks(execute=True):
        feedback(people, "Good start")
    with django_capture_on_commit_callbacks(execute=True):
        services.goal_create(learner=people.learner, title="Add sources", created_by=people.tutor)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_record(
            tutor=people.tutor,
            learner=people.learner,
            held_on=date(2026, 3, 2),
            summary="Talked",
            next_steps=[],
        )
    [first] = mailoutbox
    assert "Good start" in first.body and "Add sources" not in first.body
    sent_at = Notification.objects.exclude(emailed_at=None).get().emailed_at
    assert sent_at is not None

    # Inside the hour the sweep gathers, and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.digest_sweep(now=sent_at + timedelta(minutes=59)) == 0
    assert len(mailoutbox) == 1

    # Once the hour is up, one email lists both kinds of news.
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.digest_sweep(now=sent_at + timedelta(hours=1)) == 1
    second = mailoutbox[1]
    assert "Add sources" in second.body and "review meeting" in second.body
    assert second.subject == "2 updates in your portfolio"
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.digest_sweep(now=sent_at + timedelta(hours=3)) == 0
    assert len(mailoutbox) == 2


def test_the_task_queued_by_news_inside_the_hour_sends_nothing(
    people, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        feedback(people, "One")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notification_digest_task.delay(people.learner.pk).get() == 0
        feedback(people, "Two")
    assert len(mailoutbox) == 1


def test_the_sweep_leaves_opted_out_news_and_other_people_alone(
    people, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    notifications.notification_preference_set(user=people.learner, kind="feedback", email=False)
    with django_capture_on_commit_callbacks(execute=True):
        feedback(people, "Quiet")
    later = timezone.now() + timedelta(hours=2)
    assert digest.digest_due_user_ids(now=later) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.digest_sweep(now=later) == 0
    assert mailoutbox == []


def test_the_send_digests_command_sends_what_is_due(
    people, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        feedback(people, "First")
    Notification.objects.update(emailed_at=timezone.now() - timedelta(hours=2))
    notifications.notify(recipient=people.learner, kind="goal", text="Later news", url="/")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=StringIO())
    assert len(mailoutbox) == 2 and "Later news" in mailoutbox[1].body


def test_beat_runs_the_sweep(settings) -> None:
    from portfolio.celery import app

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "portfolio.review.tasks.notification_digest_sweep_task" in names
    assert "portfolio.review.tasks.notification_digest_sweep_task" in app.tasks


def test_opting_out_of_a_kind_stops_its_email_only(
    people, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    notifications.notification_preference_set(user=people.learner, kind="feedback", email=False)
    with django_capture_on_commit_callbacks(execute=True):
        feedback(people, "Quiet")
    assert mailoutbox == []
    assert notifications.unread_count(people.learner) == 1  # still shown in the app
    with django_capture_on_commit_callbacks(execute=True):
        services.goal_create(learner=people.learner, title="Loud", created_by=people.tutor)
    assert len(mailoutbox) == 1


def test_script_in_a_comment_is_neither_emailed_nor_stored_as_html(
    people, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    body = 'Nice <script>alert("x")</script> <b onclick="evil()">work</b> & more'
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.thread_start(author=people.tutor, learner=people.learner, body=body)
    stored = thread.comments.get().body_html
    assert "<script" not in stored and "onclick" not in stored and "alert" not in stored
    [email] = mailoutbox
    assert "<script" not in email.body and "alert" not in email.body
    assert "onclick" not in email.body and "<b" not in email.body
    assert "Nice work & more" in email.body  # plain text: no &amp;
    assert email.alternatives == []  # plain text only


def test_the_tutors_get_feedback_request_email(
    people, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_request_create(learner=people.learner, question="Please look")
    assert [m.to for m in mailoutbox] == [[people.tutor.email]]
    assert "Please look" in mailoutbox[0].body
