"""Existing people and cohorts move into one default institution, named from the
DEFAULT_INSTITUTION_NAME setting; each person's role becomes their membership role."""

from typing import Any

from django.conf import settings
from django.db import migrations
from django.utils import timezone

DEFAULT_SLUG = "default"


def forwards(apps: Any, schema_editor: Any) -> None:
    Institution = apps.get_model("accounts", "Institution")
    Membership = apps.get_model("accounts", "Membership")
    Cohort = apps.get_model("accounts", "Cohort")
    User = apps.get_model("accounts", "User")
    if not User.objects.exists() and not Cohort.objects.exists():
        return  # a new site: the default institution is made when first needed
    institution, _ = Institution.objects.get_or_create(
        slug=DEFAULT_SLUG, defaults={"name": settings.DEFAULT_INSTITUTION_NAME}
    )
    Cohort.objects.filter(institution__isnull=True).update(institution=institution)
    now = timezone.now()
    Membership.objects.bulk_create(
        [
            Membership(
                user_id=pk,
                institution=institution,
                role=role,
                state="active",
                joined_at=joined or now,
            )
            for pk, role, joined in User.objects.values_list("pk", "role", "date_joined")
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_institutions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
