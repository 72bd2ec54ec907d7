import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_default_institution")]

    operations = [
        migrations.AlterField(
            model_name="cohort",
            name="institution",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cohorts",
                to="accounts.institution",
                verbose_name="institution",
            ),
        ),
    ]
