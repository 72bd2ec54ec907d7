"""Badges checked under the old rules may say "Verified" where the new ones would not
(a self-issued did:key badge, a forged signed 2.0 badge). No such status survives: every
stored "Verified" becomes "Not verifiable now" until it is checked again, and the old
check results gain the four-way result the pages now show. The re-check itself is queued
after migrate by badges.apps (every badge whose report is still empty)."""

from django.db import migrations

RECHECK_REASON = (
    "Being checked again under stricter verification rules; the result shows here soon."
)


def _result(ok):
    return {True: "passed", False: "failed"}.get(ok, "not_checked")


def forwards(apps, schema_editor):
    Badge = apps.get_model("badges", "Badge")
    Verification = apps.get_model("badges", "Verification")
    for badge in Badge.objects.all().iterator():
        badge.checks = [{**c, "result": _result(c.get("ok"))} for c in badge.checks or []]
        if badge.status == "verified":
            badge.status = "unverifiable"
            badge.status_reason = RECHECK_REASON
        badge.save(update_fields=["checks", "status", "status_reason"])
    for verification in Verification.objects.all().iterator():
        verification.checks = [
            {**c, "result": _result(c.get("ok"))} for c in verification.checks or []
        ]
        verification.save(update_fields=["checks"])


class Migration(migrations.Migration):
    dependencies = [("badges", "0002_issuer_identity_and_registries")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
