"""Re-verification on a schedule and on demand; its history."""

import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse

from badges.models import Badge, Verification
from badges.services import badge_import
from badges.tasks import badges_reverify_all_task
from tests.badges.issuers import credential, earner, earner_client, sign_did_key

__all__ = ["earner", "earner_client"]  # fixtures


def _badge(owner: Any, name: str = "Python") -> Badge:
    signed = sign_did_key(
        credential(issuer="did:key:x", name=name, achievement_id=f"https://badges.test/{name}")
    )
    return badge_import(owner=owner, payload=json.dumps(signed), source="json")


def test_every_badge_is_rechecked_daily_by_default() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["badges-reverify-all"]
    assert entry["task"] == "badges.tasks.badges_reverify_all_task"
    assert entry["schedule"] == timedelta(hours=24)


def test_the_sweep_checks_each_badge_once(earner: Any) -> None:
    badges = [_badge(earner, "Python"), _badge(earner, "SQL")]
    assert badges_reverify_all_task.delay().get() == 2
    for badge in badges:
        assert badge.verifications.count() == 2
        latest = badge.verifications.first()
        assert latest is not None and not latest.changed


def test_check_again_from_the_badge_page(
    earner_client: Client, earner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    badge = _badge(earner)
    with django_capture_on_commit_callbacks(execute=True):
        response = earner_client.post(reverse("badges:verify", args=[badge.public_id]))
    assert response["Location"] == badge.get_absolute_url()
    assert Verification.objects.filter(badge=badge).count() == 2
    page = earner_client.get(badge.get_absolute_url()).content.decode()
    assert "History of checks" in page


def test_check_again_needs_a_post(earner_client: Client, earner: Any) -> None:
    badge = _badge(earner)
    assert earner_client.get(reverse("badges:verify", args=[badge.public_id])).status_code == 405
