import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_single_sign_on_to_institution")]

    operations = [
        migrations.AlterField(
            model_name="singlesignon",
            name="institution",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="single_sign_on",
                to="accounts.institution",
            ),
        ),
        migrations.RemoveField(model_name="singlesignon", name="institution_slug"),
        migrations.RemoveField(model_name="singlesignon", name="institution_name"),
        migrations.AlterModelOptions(
            name="singlesignon",
            options={
                "ordering": ["institution__name"],
                "verbose_name": "single sign-on",
                "verbose_name_plural": "single sign-on",
            },
        ),
    ]
