"""Notification email: one digest per kind per hour, plain text, opt-out per kind."""

from datetime import timedelta

from django.utils import timezone

from portfolio.models import Notification
from portfolio.review import notifications, services, tasks


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


def test_a_third_within_the_hour_is_deferred_not_sent(
    people, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
) -> None:
    deferred: list[float] = []
    monkeypatch.setattr(
        tasks, "defer_digest", lambda *, user_id, kind, countdown, eager: deferred.append(countdown)
    )
    with django_capture_on_commit_callbacks(execute=True):
        feedback(people, "One")
    with django_capture_on_commit_callbacks(execute=True):
        feedback(people, "Two")
    assert len(mailoutbox) == 1
    assert len(deferred) == 1 and 3500 < deferred[0] <= 3600
    pending = Notification.objects.get(emailed_at__isnull=True)
    assert "Two" in pending.text

    # An hour later the deferred run sends it.
    Notification.objects.exclude(pk=pending.pk).update(
        emailed_at=timezone.now() - timedelta(hours=1, seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notification_digest_task.delay(people.learner.pk, "feedback").get() == 1
    assert len(mailoutbox) == 2 and "Two" in mailoutbox[1].body


def test_kinds_have_their_own_hour(people, django_capture_on_commit_callbacks, mailoutbox) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        feedback(people, "Hello")
    with django_capture_on_commit_callbacks(execute=True):
        services.goal_create(learner=people.learner, title="Goal", created_by=people.tutor)
    assert len(mailoutbox) == 2


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
