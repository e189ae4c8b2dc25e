"""Comparisons: capability levels against target and median, units side by side,
maturity over cycles. Pure `*_matrix` functions (plain data in, plain data or a
DataFrame out), then `*_figure(matrix)` plotly figures. No ORM.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from .heatmaps import TEMPLATE, HeatmapMatrix, heatmap_matrix
from .levels import (
    LEVEL_COLOURS,
    NO_SCORE_COLOURS,
    TOP_COLOURED_LEVEL,
    format_score,
    is_blank,
    level_fill,
    level_label,
)

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
) -> pd.DataFrame:
    """One row per capability (in the given order): the unit's score and level, its target
    level, the levels still to climb (target − level, never below 0), and — when
    `medians` is given — the portfolio median score and the gap to it (score − median).
    Missing values are None."""
    rows = []
    for code, name in capabilities:
        score = None if is_blank(scores.get(code)) else float(scores[code])
        level = None if is_blank(levels.get(code)) else int(levels[code])
        target = targets.get(code)
        median = None
        if medians is not None and not is_blank(medians.get(code)):
            median = float(medians[code])
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


def levels_vs_target_figure(matrix: pd.DataFrame, level_names: Mapping[int, str]) -> go.Figure:
    """Bars: the unit's capability scores, coloured by level. Markers: the target level and,
    where the matrix has medians, the portfolio median score."""
    names = [html.escape(name) for name in matrix["name"]]
    scores = [None if is_blank(v) else v for v in matrix["score"]]
    figure = go.Figure(layout={"template": TEMPLATE})
    figure.add_trace(
        go.Bar(
            name="This unit (score)",
            x=names,
            y=scores,
            marker={"color": [level_fill(level) for level in matrix["level"]]},
            text=[format_score(v) for v in scores],
            textposition="outside",
            customdata=[level_label(level, level_names) or "no score" for level in matrix["level"]],
            hovertemplate="%{x}<br>score %{y:.2f}<br>level %{customdata}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            name="Target level",
            x=names,
            y=[None if is_blank(v) else v for v in matrix["target"]],
            mode="markers",
            marker={
                "symbol": "line-ew-open",
                "size": 34,
                "color": "#212529",
                "line": {"width": 3, "color": "#212529"},
            },
            hovertemplate="%{x}<br>target level %{y}<extra></extra>",
        )
    )
    if any(not is_blank(v) for v in matrix["median"]):
        figure.add_trace(
            go.Scatter(
                name="Portfolio median",
                x=names,
                y=[None if is_blank(v) else v for v in matrix["median"]],
                mode="markers",
                marker={"symbol": "diamond", "size": 11, "color": "#0d6efd"},
                hovertemplate="%{x}<br>portfolio median %{y:.2f}<extra></extra>",
            )
        )
    top = max([TOP_COLOURED_LEVEL, *level_names])
    figure.update_layout(
        height=420,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        yaxis={
            "range": [0, top + 0.6],
            "tickvals": list(range(1, top + 1)),
            "ticktext": [html.escape(level_label(n, level_names)) for n in range(1, top + 1)],
            "automargin": True,
            "showgrid": True,
            "gridcolor": "#e9ecef",
        },
        xaxis={"automargin": True},
        legend={"orientation": "h", "y": -0.2},
        bargap=0.35,
    )
    return figure


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
        maturity=[None if is_blank(maturity.get(u)) else float(maturity[u]) for u in units],
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


def difference_figure(matrix: DifferenceMatrix) -> go.Figure:
    """A diverging heatmap: red where a unit is below the reference, green above, text =
    the signed difference, blank where either has no score."""
    largest = max(
        [abs(v) for row in matrix.values for v in row if v is not None] + [1.0],
    )
    figure = go.Figure(
        go.Heatmap(
            z=matrix.values,
            x=[html.escape(label) for label in matrix.column_labels],
            y=[html.escape(label) for label in matrix.row_labels],
            text=[[format_score(v, signed=True) for v in row] for row in matrix.values],
            texttemplate="%{text}",
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            colorscale=[
                [0.0, LEVEL_COLOURS[1][0]],
                [0.5, "#f7f7f7"],
                [1.0, LEVEL_COLOURS[TOP_COLOURED_LEVEL][0]],
            ],
            zmin=-largest,
            zmax=largest,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": "Difference"}},
        ),
        layout={"template": TEMPLATE},
    )
    figure.update_layout(
        height=max(320, 60 + 28 * len(matrix.row_labels)),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"side": "top", "automargin": True},
        yaxis={"autorange": "reversed", "automargin": True},
        plot_bgcolor=NO_SCORE_COLOURS[0],
    )
    return figure


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
        (unit_names.get(u, u), [None if is_blank(v) else float(v) for v in over_cycles.loc[u]])
        for u in units
        if u in over_cycles.index
    ]
    medians = over_cycles.median()
    series.append(("Portfolio median", [None if is_blank(v) else float(v) for v in medians]))
    return TrendMatrix(cycles=cycles, series=series)


def maturity_trend_figure(matrix: TrendMatrix, level_names: Mapping[int, str]) -> go.Figure:
    """Maturity index over cycles: one line per series, dashed for the portfolio median."""
    figure = go.Figure(layout={"template": TEMPLATE})
    for position, (label, values) in enumerate(matrix.series):
        is_median = position == len(matrix.series) - 1
        figure.add_trace(
            go.Scatter(
                name=html.escape(label),
                x=matrix.cycles,
                y=values,
                mode="lines+markers+text" if not is_median else "lines+markers",
                text=[format_score(v) for v in values] if not is_median else None,
                textposition="top center",
                line={"dash": "dash", "color": "#6c757d"} if is_median else {"width": 3},
                connectgaps=False,
                hovertemplate="%{x}: %{y:.2f}<extra>" + html.escape(label) + "</extra>",
            )
        )
    top = max([TOP_COLOURED_LEVEL, *level_names])
    figure.update_layout(
        height=360,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"type": "category", "automargin": True},
        yaxis={
            "range": [0.5, top + 0.5],
            "tickvals": list(range(1, top + 1)),
            "ticktext": [html.escape(level_label(n, level_names)) for n in range(1, top + 1)],
            "automargin": True,
            "showgrid": True,
            "gridcolor": "#e9ecef",
        },
        legend={"orientation": "h", "y": -0.15},
    )
    return figure
