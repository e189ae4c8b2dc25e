"""Scores stored per assessment, so that reports over hundreds of units read a few
thousand rows instead of scoring every answer of a cycle on every request.

What is stored: for each assessment, each capability's score and level (a
StoredScore with dimension "") and each cell's (capability × dimension), exactly as
`assessments.domain.stored_scores.stored_rows` computes them from its answers.

They never go stale because the only code that changes answers refreshes them in
the same transaction: `answers_save` (the questionnaire, seed_demo) and
`answers_import` (tidy CSV/XLSX files and offline workbooks, once for every
assessment an import touched). `assessment_submit` refreshes them too, so a signed-off
assessment's stored scores are those of the answers it was signed with. Reopening
changes no answer, and frameworks are immutable once an assessment uses them (a
question's weight, capability and dimension cannot change). Anything else that
writes answers must call `scores_refresh`; migration 0005 stored the scores of the
assessments answered before scores were stored.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from assessments.domain.stored_scores import stored_rows
from assessments.models import Assessment, StoredScore
from assessments.queries.scores import scorable_answers, scored_questions


# No savepoint of its own: inside answers_save's transaction it would cost two queries,
# and any error here rolls that whole save back anyway.
@transaction.atomic(savepoint=False)
def scores_refresh(
    *, assessments: QuerySet[Assessment], known: list[tuple[int, int]] | None = None
) -> int:
    """Compute and store the scores of the given assessments from their answers, in
    six queries whatever their number (five when the caller gives `known`: the
    assessments' (pk, framework pk) it has already read). Returns the number of
    assessments refreshed."""
    found = (
        known if known is not None else list(assessments.values_list("pk", "cycle__framework_id"))
    )
    if not found:
        return 0
    ids = [pk for pk, _ in found]
    selected = Assessment.objects.filter(pk__in=ids)
    rows = stored_rows(
        scorable_answers(selected), scored_questions({framework for _, framework in found})
    )
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
            for assessment, capability, dimension, score, level in rows
        ],
        batch_size=5000,
    )
    selected.update(scores_stored_at=timezone.now())
    return len(ids)
