"""Emails sent by the real `celery worker` process over the real broker (CI run)."""

import pytest
from django.conf import settings
from django.test import Client

from portfolio.review import services
from tests.conftest import People
from tests.services import Worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_tutor_feedback_reaches_the_learner_by_email_from_the_worker(
    celery_worker: Worker, people: People
) -> None:
    # Committed (transaction=True), so the digest task is published on commit and runs
    # on the worker, which reads the notification from the same test database.
    services.thread_start(
        author=people.tutor,
        learner=people.learner,
        body="<script>alert(1)</script> **Great** work on the site visit",
    )

    text = celery_worker.wait_for_mail(to=people.learner.email)
    assert "Subject: New feedback: 1 update in your portfolio" in text
    assert f"{people.tutor.display_name} left feedback" in text
    assert "Great work on the site visit" in text
    assert "<script" not in text and "alert(1)" not in text
    assert "**" not in text  # Markdown became plain text
    assert f"{settings.SITE_URL}/" in text


def test_the_first_open_of_a_share_link_is_emailed_by_the_worker(
    celery_worker: Worker, people: People, client: Client
) -> None:
    from portfolio.showcases import services as showcases

    showcase = showcases.showcase_create(owner=people.learner, title="For Acme")
    token = showcases.link_create(
        showcase=showcase, label="Acme HR", notify_on_first_open=True
    ).token
    assert client.get(f"/s/{token}/").status_code == 200
    text = celery_worker.wait_for_mail(to=people.learner.email)
    assert "For Acme" in text and "Acme HR" in text
    assert token not in text
