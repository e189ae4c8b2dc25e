"""Scores stored per assessment, so that reports over hundreds of units read a few
thousand rows instead of scoring every answer of a cycle on every request.

What is stored: for each assessment, each capability's score and level (a
StoredScore with dimension "") and each cell's (capability × dimension) — exactly
what assessments.scoring computes from its answers. `Assessment.scores_stored_at`
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

`answer_levels` and `questions_frame` are the two fixed queries every scorer uses
(also reports.aggregation).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Case, QuerySet, When
from django.utils import timezone

from . import scoring
from .models import Answer, Assessment, Question, StoredScore
from .scoring import DONT_KNOW

BY = ("assessment",)
CAPABILITY = ""  # the dimension of a capability's own row


def raw_rows(queryset) -> list[tuple]:
    """The rows of a `values_list` queryset read straight from the database cursor: the
    ORM writes the SQL, but Django's per-row processing — more than half the time of
    reading 100,000 answers — is skipped. Only for columns that need no conversion from
    what the driver returns (integers, floats, text)."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # e.g. pk__in=[]: Django would not query either
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def answer_levels(assessments) -> pd.DataFrame:
    """The scorable answers of the given assessments as the `answers` frame of
    assessments.scoring: assessment, question (its id), level, dont_know.

    One query joining only the response table, returning four narrow columns: the
    database does no string work and pandas merges integers. "Not applicable"
    answers (no level) are left out here rather than in pandas (rule 2 leaves them
    out anyway); the respondent is not fetched, as no scoring rule needs it.
    """
    rows = (
        Answer.objects.filter(response__assessment__in=assessments, level__isnull=False)
        .annotate(dont_know=Case(When(special=DONT_KNOW, then=1), default=0))
        .values_list("response__assessment_id", "question_id", "level", "dont_know")
    )
    # All four columns are integers: numpy converts the rows in one step, where pandas
    # would infer a type per cell.
    values = np.array(raw_rows(rows), dtype=np.int64).reshape(-1, 4)
    frame = pd.DataFrame(values, columns=["assessment", "question", "level", "dont_know"])
    frame["level"] = frame["level"].astype(float)
    frame["dont_know"] = frame["dont_know"].astype(bool)
    return frame


def questions_frame(framework_ids) -> pd.DataFrame:
    """The questions of the given framework versions, keyed by question id (one query)."""
    rows = Question.objects.filter(framework_id__in=list(framework_ids)).values_list(
        "pk", "framework_id", "code", "capability__code", "dimension__code", "weight"
    )
    frame = pd.DataFrame(
        list(rows),
        columns=["question_id", "framework", "question", "capability", "dimension", "weight"],
    )
    frame["weight"] = frame["weight"].astype(float)
    return frame


def score_answers(
    answers: pd.DataFrame, questions: pd.DataFrame, *, binding_dimensions: bool = True
) -> scoring.Scores:
    """Scores keyed by `assessment` from `answer_levels` and `questions_frame`; the
    question levels name questions by code, as everywhere else.

    Questions are keyed by id, unique across framework versions, so assessments on
    different versions are scored together. With `binding_dimensions=False` the
    capabilities frame has no binding_dimensions column (see capability_summary)."""
    by_id = questions.drop(columns="question").rename(columns={"question_id": "question"})
    levels = scoring.question_levels(answers, BY)
    cells = scoring.cell_scores(levels, by_id, BY)
    if binding_dimensions:
        capabilities = scoring.capability_scores(cells, BY)
    else:
        capabilities = capability_summary(cells)
    codes = dict(zip(questions["question_id"], questions["question"], strict=True))
    return scoring.Scores(
        question_levels=levels.assign(question=levels["question"].map(codes)),
        cells=cells,
        capabilities=capabilities,
        units=scoring.maturity_indices(capabilities, BY),
    )


def capability_summary(cells: pd.DataFrame) -> pd.DataFrame:
    """Rule 4 as scoring.capability_scores — level = the lowest cell level, score = the
    mean of the cell scores — without naming the binding dimensions, which reports over
    many units do not show. A test checks both agree."""
    keys = [*BY, "capability"]
    if cells.empty:
        return pd.DataFrame(columns=[*keys, "score", "level"])
    return (
        cells.groupby(keys, sort=False)
        .agg(score=("score", "mean"), level=("level", "min"))
        .reset_index()
    )


# --- the service ---------------------------------------------------------------------------


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
        questions_frame({framework for _, framework in found}),
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


# --- readers -------------------------------------------------------------------------------


def stored_scores(assessments, *, cells: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(capabilities, cells) stored for the given assessments, in one query:
    capabilities has assessment, capability, score, level; cells adds dimension (empty
    when `cells` is False). Assessments not marked as stored (scores_stored_at None) have no
    rows here, whatever rows the table holds: unstored_scores scores those."""
    rows = StoredScore.objects.filter(
        assessment__in=assessments, assessment__scores_stored_at__isnull=False
    )
    if not cells:
        rows = rows.filter(dimension=CAPABILITY)
    frame = pd.DataFrame(
        raw_rows(rows.values_list("assessment_id", "capability", "dimension", "score", "level")),
        columns=["assessment", "capability", "dimension", "score", "level"],
    )
    frame["score"] = frame["score"].astype(float)
    frame["level"] = frame["level"].astype(int)
    own = frame["dimension"] == CAPABILITY
    capabilities = frame.loc[own, ["assessment", "capability", "score", "level"]]
    return capabilities.reset_index(drop=True), frame.loc[~own].reset_index(drop=True)


def unstored_scores(assessments) -> scoring.Scores:
    """The scores of those of the given assessments that have none stored, computed from
    their answers in one query (the answers carry their question's capability, dimension
    and weight). Without binding dimensions; question levels keyed by question id."""
    rows = (
        Answer.objects.filter(
            response__assessment__in=assessments,
            response__assessment__scores_stored_at__isnull=True,
            level__isnull=False,
        )
        .annotate(dont_know=Case(When(special=DONT_KNOW, then=1), default=0))
        .values_list(
            "response__assessment_id",
            "question_id",
            "level",
            "dont_know",
            "question__capability__code",
            "question__dimension__code",
            "question__weight",
        )
    )
    frame = pd.DataFrame(
        raw_rows(rows),
        columns=[
            "assessment",
            "question",
            "level",
            "dont_know",
            "capability",
            "dimension",
            "weight",
        ],
    )
    frame["level"] = frame["level"].astype(float)
    frame["dont_know"] = frame["dont_know"].astype(bool)
    frame["weight"] = frame["weight"].astype(float)
    questions = frame[["question", "capability", "dimension", "weight"]].drop_duplicates("question")
    levels = scoring.question_levels(frame[["assessment", "question", "level", "dont_know"]], BY)
    cells_ = scoring.cell_scores(levels, questions, BY)
    capabilities = capability_summary(cells_)
    return scoring.Scores(
        question_levels=levels,
        cells=cells_,
        capabilities=capabilities,
        units=scoring.maturity_indices(capabilities, BY),
    )
