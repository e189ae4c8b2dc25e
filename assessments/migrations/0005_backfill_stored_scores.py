"""Store the scores of every assessment whose scores were never stored (answered before
migration 0004, or written around the services), so that stored scores are the one
source every page reads. The scores come from the same pure rule the services use
(assessments.domain.scoring.stored_score_rows); assessments without answers are marked
as computed with nothing to store."""

import pandas as pd
from django.db import migrations
from django.db.models import Case, IntegerField, When
from django.utils import timezone

from assessments.domain.answers import DONT_KNOW
from assessments.domain.scoring import stored_score_rows

BATCH = 500  # assessments a round: a few hundred thousand answers at most in memory


def backfill(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Answer = apps.get_model("assessments", "Answer")
    Question = apps.get_model("assessments", "Question")
    StoredScore = apps.get_model("assessments", "StoredScore")
    pending = list(
        Assessment.objects.filter(scores_stored_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "cycle__framework_id")
    )
    for start in range(0, len(pending), BATCH):
        batch = pending[start : start + BATCH]
        ids = [pk for pk, _ in batch]
        answers = pd.DataFrame(
            list(
                Answer.objects.filter(response__assessment_id__in=ids, level__isnull=False)
                .annotate(
                    dont_know=Case(
                        When(special=DONT_KNOW, then=1), default=0, output_field=IntegerField()
                    )
                )
                .values_list("response__assessment_id", "question_id", "level", "dont_know")
            ),
            columns=["assessment", "question", "level", "dont_know"],
        )
        answers["level"] = answers["level"].astype(float)
        answers["dont_know"] = answers["dont_know"].astype(bool)
        questions = pd.DataFrame(
            list(
                Question.objects.filter(framework_id__in={f for _, f in batch}).values_list(
                    "pk", "capability__code", "dimension__code", "weight"
                )
            ),
            columns=["question", "capability", "dimension", "weight"],
        )
        questions["weight"] = questions["weight"].astype(float)
        StoredScore.objects.filter(assessment_id__in=ids).delete()
        StoredScore.objects.bulk_create(
            [
                StoredScore(
                    assessment_id=assessment,
                    capability=capability,
                    dimension=dimension,
                    score=score,
                    level=level,
                )
                for assessment, capability, dimension, score, level in stored_score_rows(
                    answers, questions
                )
            ],
            batch_size=5000,
        )
        Assessment.objects.filter(pk__in=ids).update(scores_stored_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("assessments", "0004_stored_scores")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False)]
