from django.db import migrations, models


class Migration(migrations.Migration):
    """Every answer carries a version (existing answers start at 1) and where its latest
    change came from: saves built on an older version are refused (docs/autosave.md)."""

    dependencies = [
        ("assessments", "0008_guidance"),
    ]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="answer",
            name="updated_via",
            field=models.CharField(
                choices=[
                    ("form", "the questionnaire"),
                    ("autosave", "the questionnaire"),
                    ("workbook", "an offline workbook upload"),
                    ("import", "an import"),
                ],
                default="form",
                max_length=16,
            ),
        ),
    ]
