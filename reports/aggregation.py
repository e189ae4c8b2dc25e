"""Scores for many assessments at once: load answers in a fixed number of queries,
score them with assessments.scoring, and label them with organisation, unit and cycle."""

from __future__ import annotations

import pandas as pd

from assessments import scoring
from assessments.models import Assessment, Capability, Dimension, Question
from assessments.queries import answer_levels_frame

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
    rows = Question.objects.filter(framework_id__in=list(framework_ids)).values_list(
        "framework_id", "code", "capability__code", "dimension__code", "weight"
    )
    return pd.DataFrame(
        list(rows), columns=["framework", "question", "capability", "dimension", "weight"]
    )


def score_assessments(assessments) -> tuple[pd.DataFrame, scoring.Scores]:
    """(labels, scores) for the given assessments queryset, in four queries.

    Assessments on different framework versions are scored against their own
    version's questions.
    """
    labels = assessments_frame(assessments)
    answers = answer_levels_frame(assessments)
    questions = questions_frame(set(labels["framework"]))
    if labels.empty:
        return labels, scoring.score(answers, questions.drop(columns="framework"), BY)
    answers = answers.merge(labels[["assessment", "framework"]], on="assessment")
    parts = []
    for framework_id, group in answers.groupby("framework"):
        framework_questions = questions[questions["framework"] == framework_id].drop(
            columns="framework"
        )
        parts.append(scoring.score(group.drop(columns="framework"), framework_questions, BY))
    if not parts:
        return labels, scoring.score(
            answers.drop(columns="framework"), questions.drop(columns="framework"), BY
        )
    merged = scoring.Scores(
        *(
            pd.concat([getattr(p, name) for p in parts], ignore_index=True)
            for name in ("question_levels", "cells", "capabilities", "units")
        )
    )
    return labels, merged


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
