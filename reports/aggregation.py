"""Scores for many assessments at once: load answers in a fixed number of queries,
score them with assessments.scoring, and label them with organisation, unit and cycle."""

from __future__ import annotations

import pandas as pd

from assessments import scoring
from assessments.models import Assessment, Capability, Dimension

# The loading and scoring of answers lives beside the stored scores it also computes.
from assessments.stored_scores import (  # noqa: F401 (capability_summary: used by tests)
    BY,
    answer_levels,
    capability_summary,
    questions_frame,
    score_answers,
)


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


def score_assessments(
    assessments, *, binding_dimensions: bool = True
) -> tuple[pd.DataFrame, scoring.Scores]:
    """(labels, scores) for the given assessments queryset, in three queries, scored from
    their answers (assessments.stored_scores.score_answers). With
    `binding_dimensions=False` the capabilities frame has no binding_dimensions column."""
    labels = assessments_frame(assessments)
    scores = score_answers(
        answer_levels(assessments),
        questions_frame(set(labels["framework"])),
        binding_dimensions=binding_dimensions,
    )
    return labels, scores


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
