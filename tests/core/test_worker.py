"""Background work through a real broker and a real `celery worker` process."""

import re
import time
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from artefacts.models import Artefact
from core.email import email_to_payload
from core.tasks import email_send_task
from tests import filemakers as make
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
    # On the site's public address (SITE_URL), whatever host the request came in on.
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", text)
    assert match, text
    response = client.get(match.group(1), follow=True)
    assert response.status_code == 200
    assert b"new password" in response.content.lower()


def test_an_uploaded_image_is_prepared_by_the_worker(
    celery_worker: Worker, client: Client, settings: Any
) -> None:
    # The worker and this process share one media folder, as web and worker hosts share
    # object storage in production.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": celery_worker.media_root},
        },
    }
    learner = LearnerFactory.create()
    client.force_login(learner)
    response = client.post(
        reverse("artefacts:upload"),
        {"visibility": "tutors", "learned_on": "2026-01-01", "tags": "",
         "files": [make.uploaded("photo.jpg", make.jpeg(1600, 1200, gps=True))]},
    )  # fmt: skip
    assert response.status_code == 200
    artefact = Artefact.objects.get(owner=learner)
    deadline = time.monotonic() + 30
    while artefact.preview == Artefact.Preview.PENDING and time.monotonic() < deadline:
        time.sleep(0.1)
        artefact.refresh_from_db()
    assert artefact.preview == Artefact.Preview.READY, celery_worker.log.read_text()
    thumbnail = client.get(reverse("artefacts:thumbnail", args=[artefact.public_id]))
    assert thumbnail.status_code == 200
    assert (celery_worker.media_root / str(artefact.thumbnail.name)).exists()
