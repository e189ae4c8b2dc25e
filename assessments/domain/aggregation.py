"""How a cell's question results become its score: the aggregation a framework declares
(docs/design.md, scoring rule 3). Pure functions over plain data and pandas frames; no
Django.

- `weighted_mean` (the default, Ladder's own rule): the weighted mean of the question
  levels; the level is the score rounded down.
- `gated` (DSOMM, staged CMMI): a level is reached when every question of that level and
  below is met; the level is the highest level reached (the framework's lowest when
  none) and the score is that level. A yes/no question is met when the unit's answer is
  "yes"; a choice or measured question is met at every level up to the one its answer
  reaches, so it caps the cell at that level. A level with no question of its own is
  reached as soon as the levels below it are.
- `sum` (SAMM streams): the score is the weighted sum of the question values (an
  option's own value, e.g. 0.25, or the level an answer reaches); the level is the score
  rounded down. The loader refuses a capability whose sum could pass the framework's top
  level, and the sum is capped there in any case.

Respondents are consolidated first, per question, as rule 2 says (the lower median of
their levels): a yes/no question is met when more than half of the unit's respondents
who answered it say "yes" ("don't know" counts as "no"; "not applicable" is left out).
The gate is applied to those per-question results; `sum` adds the per-question values
(the lower median of the respondents' values, so one respondent's 1 and another's 0.25
give 0.25, never their total).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

WEIGHTED_MEAN = "weighted_mean"
GATED = "gated"
SUM = "sum"
AGGREGATIONS = (WEIGHTED_MEAN, GATED, SUM)

# Weighted means of whole levels can land a hair below a whole number in floating
# point (e.g. 2.9999999999999996); a level counts as reached within this tolerance.
LEVEL_TOLERANCE = 1e-9


def level_of(score: float) -> int:
    """Rule 3: a level counts only when fully reached."""
    return int(math.floor(score + LEVEL_TOLERANCE))


@dataclass(frozen=True)
class QuestionResult:
    """One question's result for a unit, after rule 2: `level` is the unit's level on it;
    `gate` is a yes/no question's own level (None for choice and measured questions)."""

    level: int
    weight: float = 1.0
    gate: int | None = None
    value: float | None = None  # a valued option's value (0.25); None: the level

    @property
    def worth(self) -> float:
        """What the answer counts as in a mean or a sum: its option's value, else its level."""
        return float(self.level) if self.value is None else self.value

    @property
    def met_up_to(self) -> int | None:
        """The highest level this question lets the cell reach under `gated`: None for a
        met yes/no question (it holds nothing back), the level below its own for an unmet
        one, the answer's level for a choice or measured question."""
        if self.gate is None:
            return self.level
        return None if self.level >= self.gate else self.gate - 1


def weighted_mean(results: Iterable[QuestionResult]) -> float:
    """Rule 3 as Ladder always had it: the weighted mean of the question levels."""
    items = list(results)
    if not items:
        raise ValueError("no question results")
    return sum(r.worth * r.weight for r in items) / sum(r.weight for r in items)


def gated(results: Iterable[QuestionResult], top: int) -> int:
    """The highest level L (at most `top`, the framework's top level) such that every
    question of level ≤ L is met."""
    caps = [cap for cap in (r.met_up_to for r in results) if cap is not None]
    return min([top, *caps])


def summed(results: Iterable[QuestionResult], top: int) -> float:
    """`sum`: the weighted sum of the question values, at most `top`."""
    items = list(results)
    if not items:
        raise ValueError("no question results")
    return min(float(top), sum(r.worth * r.weight for r in items))


def _worth(merged: pd.DataFrame) -> pd.Series:
    """Each row's value when the frame has one (valued options), else its level."""
    return merged["value"] if "value" in merged else merged["level"]


# --- frames -------------------------------------------------------------------------------


def weighted_mean_cells(merged: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """`weighted_mean` per cell: `merged` has one row per question result with columns
    `keys`, `level` and `weight` (and `value`, an option's value, where options carry
    one); returns keys, score, level."""
    merged = merged.assign(weighted=_worth(merged) * merged["weight"])
    sums = merged.groupby(list(keys), sort=False)[["weighted", "weight"]].sum()
    cells = (sums["weighted"] / sums["weight"]).rename("score").reset_index()
    cells["level"] = np.floor(cells["score"] + LEVEL_TOLERANCE).astype(int)
    return cells


def gated_cells(merged: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """`gated` per cell: `merged` as for `weighted_mean_cells`, plus `gate` (a yes/no
    question's level, NaN otherwise) and `top` (the framework's top level)."""
    level = merged["level"].to_numpy(dtype=float)
    gate = merged["gate"].to_numpy(dtype=float)
    top = merged["top"].to_numpy(dtype=float)
    cap = np.where(np.isnan(gate), level, np.where(level >= gate, top, gate - 1))
    capped = merged[list(keys)].assign(cap=np.minimum(cap, top))
    cells = capped.groupby(list(keys), sort=False)["cap"].min().rename("level").reset_index()
    cells["level"] = cells["level"].astype(int)
    cells.insert(len(keys), "score", cells["level"].astype(float))
    return cells


def sum_cells(merged: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """`sum` per cell: `merged` as for `weighted_mean_cells`, plus `top` (the framework's
    top level, which caps the sum)."""
    parts = merged[list(keys)].assign(
        weighted=_worth(merged) * merged["weight"], top=merged["top"].astype(float)
    )
    grouped = parts.groupby(list(keys), sort=False)
    cells = grouped["weighted"].sum().rename("score").to_frame()
    cells["score"] = np.minimum(cells["score"], grouped["top"].max())
    cells = cells.reset_index()
    cells["level"] = np.floor(cells["score"] + LEVEL_TOLERANCE).astype(int)
    return cells
