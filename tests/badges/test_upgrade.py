"""After the upgrade to issuer identity, no old "Verified" survives that the new rules
would not give: migration 0003 retires it, and every badge without a report is checked
again after migrate."""

import importlib
import json

from django.apps import apps
from django.core.management import call_command

from badges import services
from badges.models import Badge
from badges.tasks import badges_recheck_unreported
from tests.badges.issuers import credential, sign_did_key
from tests.conftest import People

upgrade = importlib.import_module("badges.migrations.0003_recheck_under_new_rules")


def _as_before_the_upgrade(people: People) -> Badge:
    """A self-issued did:key badge as the old rules stored it: "Verified", no report,
    checks with only ok/message."""
    earner = people.learner
    signed = sign_did_key(credential(issuer="did:key:x", recipient=earner.email))
    badge = services.badge_import(owner=earner, payload=json.dumps(signed), source="json")
    old_checks = [{"key": c["key"], "ok": c["ok"], "message": c["message"]} for c in badge.checks]
    Badge.objects.filter(pk=badge.pk).update(
        status="verified", report={}, checks=old_checks, issuer_identity="none"
    )
    return Badge.objects.get(pk=badge.pk)


def test_the_migration_retires_every_old_verified_and_reads_old_checks(people: People) -> None:
    badge = _as_before_the_upgrade(people)
    upgrade.forwards(apps, None)
    badge.refresh_from_db()
    assert badge.status == "unverifiable"
    assert "checked again under stricter verification rules" in badge.status_reason
    assert {c["result"] for c in badge.checks} <= {"passed", "failed", "not_checked"}
    assert all("result" in c for c in badge.checks)


def test_badges_without_a_report_are_checked_again_under_the_new_rules(people: People) -> None:
    badge = _as_before_the_upgrade(people)
    assert badges_recheck_unreported() == 1
    badge.refresh_from_db()
    assert badge.status == "unidentified"  # what the new rules give a self-issued badge
    assert badge.report["issuer"]["identity"] == "none"
    assert badges_recheck_unreported() == 0  # checked once; nothing left to do


def test_migrate_queues_the_re_check(people: People) -> None:
    badge = _as_before_the_upgrade(people)
    call_command("migrate", verbosity=0)
    badge.refresh_from_db()
    assert badge.status == "unidentified" and badge.report
