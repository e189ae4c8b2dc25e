"""Scoring rules of DESIGN.md, as pure functions over plain data. No Django.

1. An answer's level: the chosen option's level (an option that carries a value, e.g.
   SAMM's 0.25, counts as that value and reaches the level it rounds down to), or the measured value mapped
   through the question's thresholds; "don't know" → the lowest level (1 in Ladder's
   own frameworks, 0 in SAMM's); "not applicable" → none.
2. A unit's level on a question: the lower median of its respondents' levels
   (not-applicable answers left out); disputed when levels differ by 2 or more.
3. A cell (capability × dimension): its question levels aggregated as its capability
   declares (aggregation.py): by default the weighted mean, its level the score rounded
   down; `gated`: the highest level whose questions, and those below, are all met;
   `sum`: the weighted sum of the question values, its level the sum rounded down.
4. A capability: level = lowest cell level, score = mean of cell scores (`gated`: the
   score is the level).
5. A unit's maturity index: the mean of its capability scores.
6. Nothing scorable → no score (absent rows / NaN, never 0 or 1).

The frame functions take an `answers` frame with one row per respondent per
question — columns `unit`, `question`, `respondent`, `level` (NaN for "not
applicable"), optionally `dont_know` — and a `questions` frame with columns
`question`, `capability`, `dimension`, `weight`. An answers frame may carry `value` (what
the answer counts as: a valued option's value, else the level); scoring then uses it where
it uses levels in a mean or a sum. `by` names the columns that
identify one assessment (default `("unit",)`; `("cycle", "unit")` for trends).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandas.core.groupby import DataFrameGroupBy

from . import aggregation
from .answers import DONT_KNOW, NOT_APPLICABLE
from .stored_scores import ScorableAnswer, ScoredQuestion, StoredRow, stored_rows

# The lowest level of Ladder's own frameworks; a framework may number its levels from 0.
DONT_KNOW_LEVEL = 1
DISPUTE_SPREAD = 2
LEVEL_TOLERANCE = aggregation.LEVEL_TOLERANCE


def numeric_level(
    value: float,
    thresholds: Mapping[int, float],
    higher_is_better: bool = True,
    lowest: int = DONT_KNOW_LEVEL,
) -> int:
    """The highest level whose threshold the value meets; the lowest level otherwise.

    >>> numeric_level(30, {2: 72, 3: 24, 4: 4, 5: 1}, higher_is_better=False)
    2
    """
    reached = lowest
    for level, threshold in sorted(thresholds.items()):
        meets = value >= threshold if higher_is_better else value <= threshold
        if meets:
            reached = max(reached, int(level))
    return reached


def answer_level(
    *,
    choice: int | None = None,
    value: float | None = None,
    special: str = "",
    thresholds: Mapping[int, float] | None = None,
    higher_is_better: bool = True,
    lowest: int = DONT_KNOW_LEVEL,
) -> int | None:
    """Rule 1: the level an answer counts as, or None for "not applicable"; `lowest` is
    the framework's lowest level."""
    if special == NOT_APPLICABLE:
        return None
    if special == DONT_KNOW:
        return lowest
    if choice is not None:
        return int(choice)
    if value is not None:
        return numeric_level(value, thresholds or {}, higher_is_better, lowest)
    raise ValueError("an answer needs a choice, a value, 'na' or 'dk'")


def lower_median(levels: Sequence[int]) -> int:
    """The median, taking the lower of the two middle values on an even count."""
    ordered = sorted(levels)
    if not ordered:
        raise ValueError("no levels")
    return ordered[(len(ordered) - 1) // 2]


level_of = aggregation.level_of


@dataclass(frozen=True)
class Scores:
    """Everything scored for one or more assessments."""

    question_levels: pd.DataFrame  # by + question, level, respondents, spread, disputed, dont_know
    cells: pd.DataFrame  # by + capability, dimension, score, level
    capabilities: pd.DataFrame  # by + capability, score, level, binding_dimensions
    units: pd.DataFrame  # by + maturity_index


def question_levels(answers: pd.DataFrame, by: Sequence[str] = ("unit",)) -> pd.DataFrame:
    """Rule 2: one row per assessment per question with at least one scorable answer.
    With a `value` column in `answers`, the result has one too: the lower median of the
    respondents' values (its level is the level of that median, as levels round values
    down)."""
    keys = [*by, "question"]
    scorable = answers.dropna(subset=["level"])
    valued = "value" in answers
    columns = [
        *keys,
        "level",
        *(["value"] if valued else []),
        "respondents",
        "spread",
        "disputed",
        "dont_know",
    ]
    if scorable.empty:
        return pd.DataFrame(columns=columns)
    grouped = scorable.groupby(keys, sort=True)["level"]
    if valued:
        # Levels round values down, which keeps their order: the lower median of the levels
        # is the level of the values' lower median, so one median serves both.
        result = (
            scorable.groupby(keys, sort=True)["value"]
            .quantile(0.5, interpolation="lower")
            .astype(float)
            .rename("value")
            .to_frame()
        )
        result.insert(0, "level", np.floor(result["value"] + LEVEL_TOLERANCE))
    else:
        result = grouped.quantile(0.5, interpolation="lower").rename("level").to_frame()
    result["respondents"] = grouped.size()
    result["spread"] = grouped.max() - grouped.min()
    if "dont_know" in scorable:
        result["dont_know"] = scorable.groupby(keys, sort=True)["dont_know"].sum().astype(int)
    else:
        result["dont_know"] = 0
    result = result.reset_index()
    result["level"] = result["level"].astype(int)
    result["spread"] = result["spread"].astype(int)
    result["disputed"] = result["spread"] >= DISPUTE_SPREAD
    return result[columns]


def cell_scores(
    levels: pd.DataFrame, questions: pd.DataFrame, by: Sequence[str] = ("unit",)
) -> pd.DataFrame:
    """Rule 3: each cell's question levels aggregated as its capability declares
    (assessments/domain/aggregation.py): the weighted mean unless the questions frame
    has an `aggregation` column saying otherwise (with `gate` and `top` for `gated`)."""
    keys = [*by, "capability", "dimension"]
    if levels.empty:
        return pd.DataFrame(columns=[*keys, "score", "level"])
    extra = [column for column in ("aggregation", "gate", "top") if column in questions]
    merged = levels.merge(
        questions[["question", "capability", "dimension", "weight", *extra]], on="question"
    )
    # A question of weight 0 is asked for information: it counts in no rule, and a cell of
    # such questions alone has no score.
    merged = merged[merged["weight"] > 0]
    if merged.empty:
        return pd.DataFrame(columns=[*keys, "score", "level"])
    if "aggregation" not in merged or (merged["aggregation"] == aggregation.WEIGHTED_MEAN).all():
        return aggregation.weighted_mean_cells(merged, keys)
    is_gated = merged["aggregation"] == aggregation.GATED
    is_sum = merged["aggregation"] == aggregation.SUM
    parts = [
        aggregation.weighted_mean_cells(merged[~is_gated & ~is_sum], keys),
        aggregation.gated_cells(merged[is_gated], keys),
        aggregation.sum_cells(merged[is_sum], keys),
    ]
    return pd.concat([part for part in parts if not part.empty], ignore_index=True)


def gated_capabilities(questions: pd.DataFrame) -> set[str]:
    """The capabilities of `questions` that declare `gated`."""
    if "aggregation" not in questions:
        return set()
    return set(questions.loc[questions["aggregation"] == aggregation.GATED, "capability"])


def _gated_scores(capabilities: pd.DataFrame, gated: set[str]) -> pd.DataFrame:
    """A gated capability's score is its level (the highest level all its cells reach),
    not the mean of its cells' levels."""
    if not gated or capabilities.empty:
        return capabilities
    mask = capabilities["capability"].isin(gated)
    capabilities = capabilities.copy()
    capabilities.loc[mask, "score"] = capabilities.loc[mask, "level"].astype(float)
    return capabilities


def capability_scores(
    cells: pd.DataFrame, by: Sequence[str] = ("unit",), *, binding: bool = True
) -> pd.DataFrame:
    """Rule 4: a capability is as mature as its weakest dimension. With `binding` (the
    default) a column `binding_dimensions` names the dimensions at the capability's level,
    in the cells' order; reports over many units, which do not show them, leave it out."""
    keys = [*by, "capability"]
    columns = [*keys, "score", "level", *(["binding_dimensions"] if binding else [])]
    if cells.empty:
        return pd.DataFrame(columns=columns)
    grouped = cells.groupby(keys, sort=False)
    result = grouped.agg(score=("score", "mean"), level=("level", "min")).reset_index()
    if binding:
        result["binding_dimensions"] = _binding_dimensions(cells, grouped)
    return result


def _binding_dimensions(
    cells: pd.DataFrame, grouped: DataFrameGroupBy[Any, Any]
) -> list[tuple[str, ...]]:
    """Per group of `grouped` (in its order), the dimensions at the group's lowest level,
    in the order the cells list them.

    Vectorised: a merge and a groupby building tuples took most of the time of
    scoring hundreds of units; here numpy finds the binding rows, sorts them by
    group (stably, keeping the cells' order) and Python only slices one list.
    """
    group = grouped.ngroup().to_numpy()
    lowest = grouped["level"].transform("min").to_numpy()
    binding = cells["level"].to_numpy() == lowest
    group = group[binding]
    order = np.argsort(group, kind="stable")
    names = cells["dimension"].to_numpy()[binding][order].tolist()
    # Every group has at least one binding row (its minimum), so the cut points are
    # where the sorted group number changes.
    cuts = [0, *(np.flatnonzero(np.diff(group[order])) + 1).tolist(), len(names)]
    return [tuple(names[start:end]) for start, end in zip(cuts, cuts[1:], strict=False)]


def with_binding(
    capabilities: pd.DataFrame, cells: pd.DataFrame, by: Sequence[str] = ("unit",)
) -> pd.DataFrame:
    """Capability rows (by + capability, score, level: as stored) with the binding
    dimensions that rule 4 finds in their cells, in the cells' order."""
    keys = [*by, "capability"]
    binding = capability_scores(cells, by)[[*keys, "binding_dimensions"]]
    if capabilities.empty:
        return pd.DataFrame(columns=[*capabilities.columns, "binding_dimensions"])
    return capabilities.merge(binding, on=keys, how="left")


def maturity_indices(capabilities: pd.DataFrame, by: Sequence[str] = ("unit",)) -> pd.DataFrame:
    """Rule 5: the mean of capability scores."""
    if capabilities.empty:
        return pd.DataFrame(columns=[*by, "maturity_index"])
    return (
        capabilities.groupby(list(by), sort=False)["score"]
        .mean()
        .rename("maturity_index")
        .reset_index()
    )


def score(answers: pd.DataFrame, questions: pd.DataFrame, by: Sequence[str] = ("unit",)) -> Scores:
    """Rules 2–6 for every assessment in `answers`."""
    by = tuple(by)
    levels = question_levels(answers, by)
    cells = cell_scores(levels, questions, by)
    capabilities = _gated_scores(capability_scores(cells, by), gated_capabilities(questions))
    return Scores(
        question_levels=levels,
        cells=cells,
        capabilities=capabilities,
        units=maturity_indices(capabilities, by),
    )


def stored_score_rows(answers: pd.DataFrame, questions: pd.DataFrame) -> list[StoredRow]:
    """What is stored for each assessment of `answers` (an answers frame keyed by
    `assessment`, questions by id): assessments/domain/stored_scores.py's rows, the only
    way a stored score is made, from frames (migration 0005's)."""
    value = answers["value"] if "value" in answers else answers["level"]
    scorable = [
        ScorableAnswer(int(assessment), _key(question), int(level), float(worth))
        for assessment, question, level, worth in zip(
            answers["assessment"], answers["question"], answers["level"], value, strict=True
        )
        if not pd.isna(level)
    ]
    # Migration 0005's frames predate aggregations: the weighted mean on a 1–5 scale.
    defaults = ScoredQuestion(capability="", dimension="")
    by_id = {
        _key(row["question"]): ScoredQuestion(
            capability=str(row["capability"]),
            dimension=str(row["dimension"]),
            weight=float(row["weight"]),
            aggregation=str(row.get("aggregation", defaults.aggregation)),
            gate=None if pd.isna(row.get("gate")) else int(row["gate"]),
            top=int(row.get("top", defaults.top)),
        )
        for row in questions.to_dict("records")
    }
    return stored_rows(scorable, by_id)


def _key(question: object) -> int | str:
    """A question's key in a frame: its id (numpy integers made plain) or its code."""
    return question if isinstance(question, str) else int(question)  # type: ignore[call-overload]


def answers_frame(rows: Iterable[tuple[object, ...]]) -> pd.DataFrame:
    """Build an answers frame from (unit, question, respondent, level[, dont_know]) tuples."""
    columns = ["unit", "question", "respondent", "level", "dont_know"]
    frame = pd.DataFrame([(*row, False)[:5] for row in rows], columns=columns)
    frame["level"] = frame["level"].astype(float)
    return frame


def questions_frame(rows: Iterable[tuple[object, ...]]) -> pd.DataFrame:
    """Build a questions frame from (question, capability, dimension, weight) tuples."""
    frame = pd.DataFrame(list(rows), columns=["question", "capability", "dimension", "weight"])
    frame["weight"] = frame["weight"].astype(float)
    return frame
