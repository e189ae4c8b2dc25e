"""Scores stored per assessment, so that reports over hundreds of units read a few
thousand rows instead of scoring every answer of a cycle on every request.

What is stored: for each assessment, each capability's score and level (a
StoredScore with dimension "") and each cell's (capability × dimension) — exactly
what assessments/domain/scoring.py computes from its answers. `Assessment.scores_stored_at`
says when they were computed; None means nothing is stored, and readers score
that assessment's answers themselves (assessments answered before scores were
stored, or data written around the services, such as test factories).

They never go stale because the only code that changes answers refreshes them in
the same transaction: `services.answers_save` (the questionnaire, seed_demo) and
`imports.answers_import` (tidy CSV/XLSX files and offline workbooks, once for every
assessment an import touched). `assessment_submit` refreshes them too, so a signed-off
assessment's stored scores are those of the answers it was signed with. Reopening
changes no answer, and frameworks are immutable once an assessment uses them (a
question's weight, capability and dimension cannot change). Anything else that
writes answers must call `scores_refresh`.

`answer_levels` and `questions_by_id_frame` (assessments/queries/scores.py) are the two fixed queries every scorer uses
(also the roadmaps).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from assessments.models import Assessment, StoredScore
from assessments.queries.scores import (
    CAPABILITY,
    answer_levels,
    questions_by_id_frame,
    score_answers,
)


# No savepoint of its own: inside answers_save's transaction it would cost two queries,
# and any error here rolls that whole save back anyway.
@transaction.atomic(savepoint=False)
def scores_refresh(*, assessments: QuerySet[Assessment]) -> int:
    """Compute and store the scores of the given assessments from their answers, in
    six queries whatever their number. Returns the number of assessments refreshed."""
    found = list(assessments.values_list("pk", "cycle__framework_id"))
    if not found:
        return 0
    ids = [pk for pk, _ in found]
    selected = Assessment.objects.filter(pk__in=ids)
    scores = score_answers(
        answer_levels(selected),
        questions_by_id_frame({framework for _, framework in found}),
        binding_dimensions=False,
    )
    rows = [
        StoredScore(
            assessment_id=assessment,
            capability=capability,
            dimension=CAPABILITY,
            score=score,
            level=level,
        )
        for assessment, capability, score, level in scores.capabilities[
            ["assessment", "capability", "score", "level"]
        ].itertuples(index=False)
    ] + [
        StoredScore(
            assessment_id=assessment,
            capability=capability,
            dimension=dimension,
            score=score,
            level=level,
        )
        for assessment, capability, dimension, score, level in scores.cells[
            ["assessment", "capability", "dimension", "score", "level"]
        ].itertuples(index=False)
    ]
    StoredScore.objects.filter(assessment_id__in=ids).delete()
    StoredScore.objects.bulk_create(rows, batch_size=5000)
    selected.update(scores_stored_at=timezone.now())
    return len(ids)
