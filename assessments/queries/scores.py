"""Reads of scores, each in a fixed number of queries whatever the number of assessments.

Cell, capability and maturity scores are read as stored (`stored_scores`): every
service that changes answers stores them in the same transaction
(assessments/services/scores.py), and migration 0005 stored those of older
assessments, so there is one way a page learns a score. What is not stored is read
from the answers: each question's unit level (`question_levels_of`), which disputes,
don't-know counts and to-do lists need. `assessment_scores` puts both together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, F, FloatField, OuterRef, Subquery, When
from django.db.models.functions import Cast, Coalesce

from assessments.domain.answers import DONT_KNOW
from assessments.domain.scoring import (
    Scores,
    maturity_indices,
    question_levels,
    with_binding,
)
from assessments.domain.stored_scores import CAPABILITY_ROW, ScorableAnswer, ScoredQuestion
from assessments.models import Answer, Level, Question, StoredScore

BY = ("assessment",)


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


def _answer_level_rows(assessments) -> list[tuple]:
    """(assessment, question id, level, dont_know 0/1, value) of the given assessments'
    scorable answers: one query joining only the response table, returning five narrow
    number columns, so the database does no string work. "Not applicable" answers (no
    level) are left out here (rule 2 leaves them out anyway); the respondent is not
    fetched, as no scoring rule needs it. `value` is what the answer counts as: a valued
    option's value (SAMM's 0.25), else its level."""
    return raw_rows(
        Answer.objects.filter(response__assessment__in=assessments, level__isnull=False)
        .annotate(
            dont_know=Case(When(special=DONT_KNOW, then=1), default=0),
            worth=Coalesce(F("option_value"), Cast("level", FloatField())),
        )
        .values_list("response__assessment_id", "question_id", "level", "dont_know", "worth")
    )


def answer_levels(assessments) -> pd.DataFrame:
    """The scorable answers of the given assessments as the `answers` frame of
    assessments.scoring: assessment, question (its id), level, dont_know, value; one query."""
    # All five columns are numbers: numpy converts the rows in one step, where pandas
    # would infer a type per cell.
    values = np.array(_answer_level_rows(assessments), dtype=np.float64).reshape(-1, 5)
    frame = pd.DataFrame(values, columns=["assessment", "question", "level", "dont_know", "value"])
    frame["assessment"] = frame["assessment"].astype(np.int64)
    frame["question"] = frame["question"].astype(np.int64)
    frame["dont_know"] = frame["dont_know"].astype(bool)
    return frame


def scorable_answers(assessments) -> list[ScorableAnswer]:
    """The same answers as `answer_levels`, as rows for stored_scores.stored_rows."""
    return [
        ScorableAnswer(assessment, question, level, value)
        for assessment, question, level, _, value in _answer_level_rows(assessments)
    ]


def scored_questions(framework_ids) -> dict[int, ScoredQuestion]:
    """The questions of the given framework versions by id, with what their capability's
    aggregation needs: its rule, a yes/no question's level (`gate`) and the framework's
    top level. One query."""
    top = Level.objects.filter(framework=OuterRef("framework")).order_by("-number")
    rows = (
        Question.objects.filter(framework_id__in=list(framework_ids))
        .annotate(top=Subquery(top.values("number")[:1]))
        .values_list(
            "pk",
            "capability__code",
            "dimension__code",
            "weight",
            "capability__aggregation",
            "level",
            "top",
        )
    )
    return {
        pk: ScoredQuestion(capability, dimension, float(weight), rule, gate, top_level)
        for pk, capability, dimension, weight, rule, gate, top_level in rows
    }


def stored_scores(assessments, *, cells: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(capabilities, cells) stored for the given assessments, in one query:
    capabilities has assessment, capability, score, level; cells adds dimension (empty
    when `cells` is False)."""
    rows = StoredScore.objects.filter(assessment__in=assessments)
    if not cells:
        # the capabilities' own rows only, without their (empty) dimension column
        read = raw_rows(
            rows.filter(dimension=CAPABILITY_ROW).values_list(
                "assessment_id", "capability", "score", "level"
            )
        )
        assessment, capability, score, level = zip(*read, strict=True) if read else ((), (), (), ())
        capabilities = pd.DataFrame(
            {
                "assessment": np.array(assessment, dtype=np.int64),
                "capability": pd.Series(capability, dtype="str"),
                "score": np.array(score, dtype=float),
                "level": np.array(level, dtype=np.int64),
            }
        )
        empty = pd.DataFrame(
            {
                "assessment": np.array([], dtype=np.int64),
                "capability": pd.Series([], dtype="str"),
                "dimension": pd.Series([], dtype="str"),
                "score": np.array([], dtype=float),
                "level": np.array([], dtype=np.int64),
            }
        )
        return capabilities, empty
    frame = pd.DataFrame(
        raw_rows(rows.values_list("assessment_id", "capability", "dimension", "score", "level")),
        columns=["assessment", "capability", "dimension", "score", "level"],
    )
    frame["score"] = frame["score"].astype(float)
    frame["level"] = frame["level"].astype(int)
    own = frame["dimension"] == CAPABILITY_ROW
    capabilities = frame.loc[own, ["assessment", "capability", "score", "level"]]
    return capabilities.reset_index(drop=True), frame.loc[~own].reset_index(drop=True)


def question_levels_of(assessments) -> pd.DataFrame:
    """Each question's unit level in the given assessments (scoring rule 2), questions named
    by code: assessment, question, level, respondents, spread, disputed, dont_know. Two
    queries: the answer levels and the questions they answer."""
    answers = answer_levels(assessments).drop(columns="value")  # levels are what they show
    if answers.empty:
        return question_levels(answers, BY)
    questions = Question.objects.filter(pk__in=set(answers["question"])).values_list("pk", "code")
    levels = question_levels(answers, BY)
    return levels.assign(question=levels["question"].map(dict(questions)))


def assessment_scores(assessments) -> Scores:
    """The given assessments' stored scores, capabilities with their binding dimensions
    (the dimensions at the capability's level), and their question levels: three queries."""
    capabilities, cells = stored_scores(assessments)
    return Scores(
        question_levels=question_levels_of(assessments),
        cells=cells,
        capabilities=with_binding(capabilities, cells, BY),
        units=maturity_indices(capabilities, BY),
    )
