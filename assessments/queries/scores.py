"""Reads of scores: the stored scores of many assessments, and the answer levels that
every score is computed from, each in one fixed query.

`answer_levels` and `questions_by_id_frame` are the two queries every scorer uses
(the score refresh of assessments/services/scores.py, and the roadmaps).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, When

from assessments.domain.answers import DONT_KNOW
from assessments.domain.scoring import (
    Scores,
    capability_scores,
    cell_scores,
    maturity_indices,
    question_levels,
)
from assessments.models import Answer, Question, StoredScore

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


def questions_by_id_frame(framework_ids) -> pd.DataFrame:
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
) -> Scores:
    """Scores keyed by `assessment` from `answer_levels` and `questions_frame`; the
    question levels name questions by code, as everywhere else.

    Questions are keyed by id, unique across framework versions, so assessments on
    different versions are scored together. With `binding_dimensions=False` the
    capabilities frame has no binding_dimensions column (see capability_summary)."""
    by_id = questions.drop(columns="question").rename(columns={"question_id": "question"})
    levels = question_levels(answers, BY)
    cells = cell_scores(levels, by_id, BY)
    if binding_dimensions:
        capabilities = capability_scores(cells, BY)
    else:
        capabilities = capability_summary(cells)
    codes = dict(zip(questions["question_id"], questions["question"], strict=True))
    return Scores(
        question_levels=levels.assign(question=levels["question"].map(codes)),
        cells=cells,
        capabilities=capabilities,
        units=maturity_indices(capabilities, BY),
    )


def capability_summary(cells: pd.DataFrame) -> pd.DataFrame:
    """Rule 4 as capability_scores — level = the lowest cell level, score = the
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


def unstored_scores(assessments) -> Scores:
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
    levels = question_levels(frame[["assessment", "question", "level", "dont_know"]], BY)
    cells_ = cell_scores(levels, questions, BY)
    capabilities = capability_summary(cells_)
    return Scores(
        question_levels=levels,
        cells=cells_,
        capabilities=capabilities,
        units=maturity_indices(capabilities, BY),
    )
