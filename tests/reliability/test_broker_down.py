"""The broker being down when work is queued loses nothing and breaks no page: the row
is saved, the request succeeds, and a sweep over the database queues the work later.
The broker is really unreachable here (a closed port), nothing of ours is replaced."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from artefacts.models import Artefact
from artefacts.services import artefact_preview_sweep
from core.email import email_enqueue, email_outbox_sweep
from core.models import OutboundEmail
from portfolio.review import services as review
from portfolio.review.digest import digest_sweep
from tests import filemakers as make
from tests.conftest import People
from tests.reliability.test_outbox import _message
from tests.services import CLOSED_BROKER_URL, celery_broker

pytestmark = pytest.mark.django_db

LATER = timedelta(minutes=3)


def test_an_upload_with_the_broker_down_succeeds_and_the_sweep_makes_its_preview(
    client: Client, people: People, django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    client.force_login(people.learner)
    with celery_broker(CLOSED_BROKER_URL), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("artefacts:upload"),
            {
                "visibility": "tutors",
                "learned_on": "2026-03-14",
                "files": [make.uploaded("site.jpg", make.jpeg())],
            },
        )
    assert response.status_code == 200
    artefact = Artefact.objects.get(owner=people.learner)
    assert artefact.preview == Artefact.Preview.PENDING
    assert "Could not queue artefacts.tasks.artefact_prepare_preview_task" in caplog.text
    page = client.get(artefact.get_absolute_url())
    assert "Preparing the preview" in page.content.decode()

    assert artefact_preview_sweep(now=timezone.now() + LATER) == 1
    artefact.refresh_from_db()
    assert artefact.preview == Artefact.Preview.READY
    assert artefact.display_file and artefact.thumbnail


def test_the_preview_sweep_leaves_a_fresh_upload_to_its_own_task(people: People) -> None:
    artefact = Artefact.objects.create(
        owner=people.learner, kind=Artefact.Kind.FILE, title="t", preview="pending"
    )
    assert artefact_preview_sweep() == 0
    assert artefact_preview_sweep(now=timezone.now() + timedelta(days=2)) == 0
    artefact.refresh_from_db()
    assert artefact.preview == Artefact.Preview.FAILED  # a day pending: given up


def test_an_email_queued_with_the_broker_down_is_sent_by_the_outbox_sweep(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with celery_broker(CLOSED_BROKER_URL), django_capture_on_commit_callbacks(execute=True):
        outbound = email_enqueue(_message())
    assert mail.outbox == []
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.PENDING

    assert email_outbox_sweep(now=timezone.now() + LATER) == 1
    assert [m.subject for m in mail.outbox] == ["Your digest"]


def test_feedback_left_with_the_broker_down_is_emailed_by_the_digest_sweep(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    with celery_broker(CLOSED_BROKER_URL), django_capture_on_commit_callbacks(execute=True):
        review.thread_start(author=people.tutor, learner=people.learner, body="Nice")
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert digest_sweep() == 1
    assert [m.to for m in mail.outbox] == [[people.learner.email]]
