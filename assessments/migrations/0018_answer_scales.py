"""Answer scales and aggregation (issue 15): yes/no questions with the level whose
activity they are, and the aggregation a framework (and each capability) declares.
Existing frameworks keep today's rule: weighted_mean."""

from django.db import migrations, models

AGGREGATION_CHOICES = [("weighted_mean", "weighted mean"), ("gated", "gated")]


class Migration(migrations.Migration):
    dependencies = [("assessments", "0017_optional_economics")]

    operations = [
        migrations.AddField(
            model_name="framework",
            name="aggregation",
            field=models.CharField(
                choices=AGGREGATION_CHOICES, default="weighted_mean", max_length=16
            ),
        ),
        migrations.AddField(
            model_name="capability",
            name="aggregation",
            field=models.CharField(
                choices=AGGREGATION_CHOICES, default="weighted_mean", max_length=16
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="level",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="question",
            name="type",
            field=models.CharField(
                choices=[("choice", "Choice"), ("numeric", "Numeric"), ("yes_no", "Yes / no")],
                max_length=16,
            ),
        ),
    ]
