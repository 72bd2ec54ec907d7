"""Feedback where the learner looks: on the evidence item's own page, in the nav's
unread count and on the dashboard; the email leads straight to it."""

import re
from html import unescape

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from portfolio.models import FeedbackThread, Notification
from portfolio.review import notifications, services
from portfolio.showcases.services import showcase_create
from tests.conftest import People
from tests.portfolio.review.test_permissions import link, reflection


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def unread_badge(html: str) -> str | None:
    match = re.search(r'data-testid="unread-count">(\d+)', html)
    return match.group(1) if match else None


class TestTheLearner:
    def test_reads_replies_and_marks_addressed_on_the_evidence_page(self, people: People) -> None:
        item = link(people.learner)
        thread = services.thread_start(
            author=people.tutor, learner=people.learner, target=item, body="Cite **sources**."
        )
        page = item.get_absolute_url()
        client = client_for(people.learner)
        html = client.get(page).content.decode()
        assert 'id="feedback"' in html and "<strong>sources</strong>" in html
        assert reverse("review:reply", args=[thread.public_id]) in html
        assert reverse("review:addressed", args=[thread.public_id]) in html
        assert "Feedback thread" not in html  # no raw "Used in" label any more

        back = client.post(
            reverse("review:reply", args=[thread.public_id]),
            {"body": "Added three.", "next": f"{page}#feedback"},
        )
        assert back["Location"] == f"{page}#feedback"
        client.post(
            reverse("review:addressed", args=[thread.public_id]),
            {"addressed": "1", "next": f"{page}#feedback"},
        )
        thread.refresh_from_db()
        assert not thread.is_open
        assert [c.body_markdown for c in thread.comments.all()] == [
            "Cite **sources**.",
            "Added three.",
        ]

    def test_sees_feedback_on_a_reflection_page(self, people: People) -> None:
        item = reflection(people.learner)
        services.thread_start(
            author=people.tutor, learner=people.learner, target=item, body="Go deeper"
        )
        html = client_for(people.learner).get(item.get_absolute_url()).content.decode()
        assert "Go deeper" in html and "Feedback from" in html

    def test_is_told_a_private_item_cannot_get_feedback(self, people: People) -> None:
        item = link(people.learner, visibility="private")
        html = client_for(people.learner).get(item.get_absolute_url()).content.decode()
        assert "This is private, so your tutors cannot see it" in html
        assert reverse("review:ask") not in html

    def test_the_feedback_email_links_to_the_evidence_page_at_its_feedback(
        self, people: People, settings, django_capture_on_commit_callbacks
    ) -> None:
        settings.SITE_URL = "https://portfolio.example.org"
        item = link(people.learner)
        with django_capture_on_commit_callbacks(execute=True):
            services.thread_start(
                author=people.tutor, learner=people.learner, target=item, body="Nice"
            )
        [email] = mail.outbox
        assert f"https://portfolio.example.org{item.get_absolute_url()}#feedback" in email.body


class TestTheUnreadCount:
    def test_shows_in_the_nav_and_goes_when_the_learner_replies(self, people: People) -> None:
        item = link(people.learner)
        client = client_for(people.learner)
        dashboard = reverse("portfolio:learner_dashboard")
        assert unread_badge(client.get(dashboard).content.decode()) is None
        thread = services.thread_start(
            author=people.tutor, learner=people.learner, target=item, body="Look again"
        )
        assert unread_badge(client.get(dashboard).content.decode()) == "1"
        client.post(reverse("review:reply", args=[thread.public_id]), {"body": "Done"})
        assert unread_badge(client.get(dashboard).content.decode()) is None
        # The tutor's reply notification is theirs, not the learner's.
        assert Notification.objects.filter(recipient=people.tutor, read_at=None).count() == 1

    def test_is_cached_and_cleared_on_every_write(
        self, people: People, django_assert_num_queries
    ) -> None:
        assert notifications.unread_count(people.learner) == 0
        with django_assert_num_queries(0):
            assert notifications.unread_count(people.learner) == 0
        notifications.notify(recipient=people.learner, kind="goal", text="New", url="/")
        assert notifications.unread_count(people.learner) == 1
        notifications.mark_read(people.learner)
        assert notifications.unread_count(people.learner) == 0

    @pytest.mark.parametrize("threads", [1, 20])
    def test_the_evidence_page_runs_a_fixed_number_of_queries(
        self, people: People, django_assert_num_queries, threads: int
    ) -> None:
        item = link(people.learner)
        for i in range(threads):
            services.thread_start(
                author=people.tutor, learner=people.learner, target=item, body=f"T{i}"
            )
        client = client_for(people.learner)
        client.get(item.get_absolute_url())  # the unread count is cached after this
        # session, user, artefact, tags, usages (reflections, goals, showcase items),
        # item readable check, threads, comments, open request; attestations and the
        # learner's requests for them; no unread count (cached)
        with django_assert_num_queries(13):
            client.get(item.get_absolute_url())


class TestATutor:
    def test_gives_feedback_on_the_evidence_page_and_comes_back_to_it(self, people: People) -> None:
        item = link(people.learner)
        page = item.get_absolute_url()
        client = client_for(people.tutor)
        html = client.get(page).content.decode()
        assert reverse("review_tutor:item_feedback") in html
        assert f'value="artefact:{item.public_id}"' in html
        response = client.post(
            reverse("review_tutor:item_feedback"),
            {
                "target": f"artefact:{item.public_id}",
                "body": "Good. Add a plan.",
                "next": f"{page}#feedback",
            },
        )
        assert response["Location"] == f"{page}#feedback"
        thread = FeedbackThread.objects.get(artefact=item)
        html = client.get(page).content.decode()
        assert reverse("review_tutor:reply", args=[thread.public_id]) in html
        assert reverse("review_tutor:next_step", args=[thread.comments.get().public_id]) in html

    def test_of_another_cohort_and_a_classmate_get_no_feedback_section(
        self, people: People
    ) -> None:
        item = link(people.learner)
        services.thread_start(
            author=people.tutor, learner=people.learner, target=item, body="Hidden"
        )
        for user in (people.other_tutor, people.classmate, people.outsider):
            response = client_for(user).get(item.get_absolute_url())
            assert response.status_code == 404
            assert "Hidden" not in response.content.decode()

    def test_cannot_see_feedback_on_an_item_made_private(self, people: People) -> None:
        item = link(people.learner)
        services.thread_start(
            author=people.tutor, learner=people.learner, target=item, body="Hidden"
        )
        item.visibility = "private"
        item.save(update_fields=["visibility"])
        assert client_for(people.tutor).get(item.get_absolute_url()).status_code == 404


def test_the_dashboard_shows_new_feedback_open_goals_and_recent_showcases(people: People) -> None:
    item = link(people.learner)
    services.thread_start(author=people.tutor, learner=people.learner, target=item, body="Tidy up")
    services.goal_create(learner=people.learner, title="Finish unit 2", created_by=people.learner)
    done = services.goal_create(learner=people.learner, title="Old goal", created_by=people.learner)
    services.goal_update(actor=people.learner, goal=done, status="done")
    showcase_create(owner=people.learner, title="For Acme")
    html = unescape(
        client_for(people.learner).get(reverse("portfolio:learner_dashboard")).content.decode()
    )
    assert f'href="{item.get_absolute_url()}#feedback"' in html
    assert "Tom" in html or "left feedback" in html
    assert "Finish unit 2" in html and "Old goal" not in html
    assert "For Acme" in html
