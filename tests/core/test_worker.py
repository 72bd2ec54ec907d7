"""Background work through a real broker and a real `celery worker` process."""

import re

import pytest
from django.core.mail import EmailMessage
from django.test import Client

from core.email import email_to_payload
from core.tasks import email_send_task
from tests.factories import LearnerFactory
from tests.services import Worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_runs_a_task_and_returns_its_result(celery_worker: Worker) -> None:
    message = EmailMessage("Hello", "Body text", "from@example.org", ["to@example.org"])
    result = email_send_task.delay(email_to_payload(message))
    assert result.get(timeout=30) == 1
    assert "Subject: Hello" in celery_worker.wait_for_mail(to="to@example.org")


def test_password_reset_mail_is_sent_by_the_worker_and_its_link_works(
    celery_worker: Worker, client: Client
) -> None:
    learner = LearnerFactory.create(email="worker-reset@example.org")
    response = client.post("/accounts/password/reset/", {"email": learner.email})
    assert response.status_code == 302

    text = celery_worker.wait_for_mail(to="worker-reset@example.org")
    match = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", text)
    assert match, text
    response = client.get(match.group(1), follow=True)
    assert response.status_code == 200
    assert b"new password" in response.content.lower()
