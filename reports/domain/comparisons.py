"""Comparisons: capability levels against target and median, units side by side,
maturity over cycles. Pure `*_matrix` functions (plain data in, plain data or a
DataFrame out); reports/presenters/charts.py draws them. No ORM.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from .heatmaps import HeatmapMatrix, heatmap_matrix
from .levels import is_blank, plain_level, plain_score

TARGET_COLUMNS = [
    "capability",
    "name",
    "score",
    "level",
    "target",
    "levels_to_target",
    "median",
    "gap_to_median",
]


def target_matrix(
    capabilities: Sequence[tuple[str, str]],
    scores: Mapping[str, float | None],
    levels: Mapping[str, int | None],
    targets: Mapping[str, int | None],
    medians: Mapping[str, float | None] | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """One row per capability (in the given order): the unit's score and level, its target
    level, the levels still to climb (target − level, never below 0), and — when
    `medians` is given — the portfolio median score and the gap to it (score − median).
    A target above the framework's `top` level is the top level, where the plan aims too
    (reports/domain/planning.py, `target_level`): an engagement's default target of 4 means
    the top of a SAMM scale of 0–3. Missing values are None."""
    rows = []
    for code, name in capabilities:
        score = plain_score(scores.get(code))
        level = plain_level(levels.get(code))
        target = targets.get(code)
        if target is not None and top is not None:
            target = min(target, top)
        median = plain_score(medians.get(code)) if medians is not None else None
        rows.append(
            {
                "capability": code,
                "name": name,
                "score": score,
                "level": level,
                "target": target,
                "levels_to_target": None
                if level is None or target is None
                else max(0, target - level),
                "median": median,
                "gap_to_median": None if score is None or median is None else score - median,
            }
        )
    return pd.DataFrame(rows, columns=TARGET_COLUMNS, dtype=object)


@dataclass(frozen=True)
class DifferenceMatrix:
    """Capabilities × compared units: each unit's score minus the reference unit's."""

    reference: str  # unit key
    row_keys: list[str]
    row_labels: list[str]
    column_keys: list[str]
    column_labels: list[str]  # "B − A"
    values: list[list[float | None]]


@dataclass(frozen=True)
class CompareMatrix:
    units: list[str]  # keys; the first is the reference
    unit_labels: list[str]
    side_by_side: HeatmapMatrix  # capabilities × units
    maturity: list[float | None]  # per unit
    differences: DifferenceMatrix


def compare_matrix(
    scores: pd.DataFrame,
    levels: pd.DataFrame,
    maturity: Mapping[str, float | None],
    units: Sequence[str],
    unit_names: Mapping[str, str],
    capability_names: Mapping[str, str],
) -> CompareMatrix:
    """Two or more units side by side (from units × capabilities frames), with each
    unit's difference to the first (the reference): score − reference score."""
    units = list(units)
    chosen_scores = scores.loc[units].T
    chosen_levels = levels.loc[units].T
    side_by_side = heatmap_matrix(chosen_scores, chosen_levels, capability_names, unit_names)
    reference = units[0]
    others = units[1:]
    differences = chosen_scores[others].sub(chosen_scores[reference], axis="index")
    return CompareMatrix(
        units=units,
        unit_labels=[unit_names.get(u, u) for u in units],
        side_by_side=side_by_side,
        maturity=[plain_score(maturity.get(u)) for u in units],
        differences=DifferenceMatrix(
            reference=reference,
            row_keys=side_by_side.row_keys,
            row_labels=side_by_side.row_labels,
            column_keys=others,
            column_labels=[
                f"{unit_names.get(u, u)} − {unit_names.get(reference, reference)}" for u in others
            ],
            values=[
                [None if is_blank(v) else float(v) for v in row]
                for row in differences.astype(object).to_numpy()
            ],
        ),
    )


@dataclass(frozen=True)
class TrendMatrix:
    cycles: list[str]
    series: list[tuple[str, list[float | None]]]  # (label, one value per cycle)


def maturity_trend_matrix(
    over_cycles: pd.DataFrame, units: Sequence[str], unit_names: Mapping[str, str]
) -> TrendMatrix:
    """The maturity index of the given units over cycles (from a units × cycles frame),
    then the median of every unit of the frame per cycle."""
    cycles = [str(c) for c in over_cycles.columns]
    series = [
        (unit_names.get(u, u), [plain_score(v) for v in over_cycles.loc[u]])
        for u in units
        if u in over_cycles.index
    ]
    medians = over_cycles.median()
    series.append(("Portfolio median", [None if is_blank(v) else float(v) for v in medians]))
    return TrendMatrix(cycles=cycles, series=series)
