"""Choice options that carry a value (issue 15, OWASP SAMM's 0, 0.25, 0.5 and 1) and the
`sum` aggregation. Existing questions keep options keyed by level (no values) and existing
answers count as their level (no option value): their scores do not change."""

from django.db import migrations, models

AGGREGATION_CHOICES = [
    ("weighted_mean", "weighted mean"),
    ("gated", "gated"),
    ("sum", "sum"),
]


class Migration(migrations.Migration):
    dependencies = [("assessments", "0019_assignments_and_review")]

    operations = [
        migrations.AddField(
            model_name="question",
            name="option_values",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="answer",
            name="option_value",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="framework",
            name="aggregation",
            field=models.CharField(
                choices=AGGREGATION_CHOICES, default="weighted_mean", max_length=16
            ),
        ),
        migrations.AlterField(
            model_name="capability",
            name="aggregation",
            field=models.CharField(
                choices=AGGREGATION_CHOICES, default="weighted_mean", max_length=16
            ),
        ),
    ]
