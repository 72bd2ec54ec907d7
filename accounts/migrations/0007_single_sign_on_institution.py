"""Single sign-on belongs to an Institution (it had a placeholder slug and name while
the two were built apart). Three steps so that PostgreSQL never alters a table with
pending updates: add the link, fill it (0008), make it required and drop the
placeholder (0009). Also merges the two branches' migrations."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_single_sign_on"),
        ("accounts", "0006_merge_0002_encrypt_mfa_secrets_0005_onboarding_batch"),
    ]

    operations = [
        migrations.AddField(
            model_name="singlesignon",
            name="institution",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="single_sign_on",
                to="accounts.institution",
            ),
        ),
    ]
