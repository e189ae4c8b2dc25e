"""Scores for many assessments at once: load answers in a fixed number of queries,
score them with assessments.scoring, and label them with organisation, unit and cycle."""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.db.models import Case, When

from assessments import scoring
from assessments.models import Answer, Assessment, Capability, Dimension, Question
from assessments.scoring import DONT_KNOW

BY = ("assessment",)


def assessments_frame(assessments) -> pd.DataFrame:
    """One row per assessment with its labels (one query)."""
    rows = assessments.values_list(
        "pk",
        "unit__organisation__slug",
        "unit__slug",
        "unit__name",
        "unit__region",
        "unit__tags",
        "cycle__name",
        "cycle__framework_id",
        "status",
    )
    return pd.DataFrame(
        list(rows),
        columns=[
            "assessment",
            "organisation",
            "unit",
            "unit_name",
            "region",
            "tags",
            "cycle",
            "framework",
            "status",
        ],
    )


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
    values = np.array(list(rows), dtype=np.int64).reshape(-1, 4)
    frame = pd.DataFrame(values, columns=["assessment", "question", "level", "dont_know"])
    frame["level"] = frame["level"].astype(float)
    frame["dont_know"] = frame["dont_know"].astype(bool)
    return frame


def capability_summary(cells: pd.DataFrame) -> pd.DataFrame:
    """Rule 4 as scoring.capability_scores — level = the lowest cell level, score = the
    mean of the cell scores — without naming the binding dimensions: building those
    tuples is the slowest step of scoring hundreds of units, and the portfolio pages
    do not show them. A test checks both agree."""
    keys = [*BY, "capability"]
    if cells.empty:
        return pd.DataFrame(columns=[*keys, "score", "level"])
    return (
        cells.groupby(keys, sort=False)
        .agg(score=("score", "mean"), level=("level", "min"))
        .reset_index()
    )


def score_assessments(
    assessments, *, binding_dimensions: bool = True
) -> tuple[pd.DataFrame, scoring.Scores]:
    """(labels, scores) for the given assessments queryset, in three queries.

    Assessments on different framework versions are scored together: questions
    are keyed by id, which is unique across versions, so each answer meets its
    own version's capability, dimension and weight. The scores' `question`
    column holds question codes, as everywhere else. With
    `binding_dimensions=False` the capabilities frame has no binding_dimensions
    column (see capability_summary).
    """
    labels = assessments_frame(assessments)
    answers = answer_levels(assessments)
    questions = questions_frame(set(labels["framework"]))
    by_id = questions.drop(columns="question").rename(columns={"question_id": "question"})
    levels = scoring.question_levels(answers, BY)
    cells = scoring.cell_scores(levels, by_id, BY)
    if binding_dimensions:
        capabilities = scoring.capability_scores(cells, BY)
    else:
        capabilities = capability_summary(cells)
    codes = dict(zip(questions["question_id"], questions["question"], strict=True))
    return labels, scoring.Scores(
        question_levels=levels.assign(question=levels["question"].map(codes)),
        cells=cells,
        capabilities=capabilities,
        units=scoring.maturity_indices(capabilities, BY),
    )


def tidy_scores(assessments) -> pd.DataFrame:
    """One row per assessment per capability per dimension, blank where nothing is scorable."""
    labels, scores = score_assessments(assessments)
    framework_ids = list(set(labels["framework"]))
    capabilities = pd.DataFrame(
        list(
            Capability.objects.filter(framework_id__in=framework_ids).values_list(
                "framework_id", "code", "position"
            )
        ),
        columns=["framework", "capability", "capability_position"],
    )
    dimensions = pd.DataFrame(
        list(
            Dimension.objects.filter(framework_id__in=framework_ids).values_list(
                "framework_id", "code", "position"
            )
        ),
        columns=["framework", "dimension", "dimension_position"],
    )
    grid = labels.merge(capabilities, on="framework").merge(dimensions, on="framework")
    table = grid.merge(scores.cells, on=["assessment", "capability", "dimension"], how="left")
    table = table.sort_values(
        ["organisation", "cycle", "unit", "capability_position", "dimension_position"]
    )
    table["score"] = table["score"].round(4)
    table["level"] = table["level"].astype("Int64")
    return table[
        ["organisation", "unit", "cycle", "capability", "dimension", "score", "level"]
    ].reset_index(drop=True)


def assessments_in(cycle: str | None = None, organisation: str | None = None):
    selected = Assessment.objects.all()
    if cycle:
        selected = selected.filter(cycle__name=cycle)
    if organisation:
        selected = selected.filter(unit__organisation__slug=organisation)
    return selected
