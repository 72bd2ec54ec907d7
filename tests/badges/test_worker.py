"""Re-verification goes through the real broker and a real worker process (CI's run)."""

import json
import time

import pytest
from allauth.account.models import EmailAddress

from badges.models import Badge, Status
from badges.services import badge_import
from badges.tasks import badge_reverify_task
from tests.badges.issuers import credential, sign_did_key
from tests.factories import LearnerFactory
from tests.services import Worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_rechecks_a_badge_and_records_the_history(celery_worker: Worker) -> None:
    learner = LearnerFactory.create(email="worker-badges@example.org")
    assert EmailAddress.objects.filter(user=learner, verified=True).exists()
    signed = sign_did_key(credential(issuer="did:key:x", recipient=learner.email))
    badge = badge_import(owner=learner, payload=json.dumps(signed), source="json")
    assert badge.verifications.count() == 1

    # The learner loses the address the badge was issued to: the next check fails.
    EmailAddress.objects.filter(user=learner).update(verified=False)
    result = badge_reverify_task.delay(badge.pk)
    assert result.get(timeout=60) == Status.FAILED

    deadline = time.monotonic() + 10
    while Badge.objects.get(pk=badge.pk).verifications.count() < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    badge.refresh_from_db()
    assert badge.status == Status.FAILED
    assert "Issued to someone else" in badge.status_reason
    latest = badge.verifications.first()
    assert latest is not None and latest.changed
