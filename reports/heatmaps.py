"""Heatmaps: pure `*_matrix` functions (frames in, plain data out), then `heatmap_figure`.

A heatmap's colour is a level on the fixed five-colour scale of reports/levels.py,
its text the score to two decimals, and a cell with no score is blank (neither
coloured nor written). The same `HeatmapMatrix` feeds the HTML table, the plotly
figure and the exports.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .levels import (
    NO_SCORE_LABEL,
    TOP_COLOURED_LEVEL,
    format_score,
    is_blank,
    level_css_class,
    level_label,
    plotly_colorscale,
)

TEMPLATE = "none"  # plotly's empty template: the figure JSON carries no 6 kB of theme


@dataclass(frozen=True)
class HeatmapMatrix:
    row_keys: list[str]
    row_labels: list[str]
    column_keys: list[str]
    column_labels: list[str]
    scores: list[list[float | None]]  # rows × columns
    levels: list[list[int | None]]

    def table_rows(self) -> list[dict]:
        """Rows for an HTML table: label, key and (css class, text, level) per cell."""
        return [
            {
                "key": key,
                "label": label,
                "cells": [
                    (level_css_class(level), format_score(score), level)
                    for score, level in zip(scores, levels, strict=True)
                ],
            }
            for key, label, scores, levels in zip(
                self.row_keys, self.row_labels, self.scores, self.levels, strict=True
            )
        ]


def _plain(value, cast):
    return None if is_blank(value) else cast(value)


def heatmap_matrix(
    scores: pd.DataFrame,
    levels: pd.DataFrame,
    row_labels: Mapping[str, str],
    column_labels: Mapping[str, str],
) -> HeatmapMatrix:
    """A matrix from score and level frames of one shape (rows × columns, keyed by code).

    Rows and columns keep the frames' order; labels default to the keys.
    """
    row_keys = [str(key) for key in scores.index]
    column_keys = [str(key) for key in scores.columns]
    return HeatmapMatrix(
        row_keys=row_keys,
        row_labels=[row_labels.get(key, key) for key in row_keys],
        column_keys=column_keys,
        column_labels=[column_labels.get(key, key) for key in column_keys],
        scores=[[_plain(v, float) for v in row] for row in scores.astype(object).to_numpy()],
        levels=[[_plain(v, int) for v in row] for row in levels.astype(object).to_numpy()],
    )


def portfolio_heatmap_matrix(
    scores: pd.DataFrame,
    levels: pd.DataFrame,
    unit_names: Mapping[str, str],
    capability_names: Mapping[str, str],
) -> HeatmapMatrix:
    """Units × capabilities, from the frames of reports.portfolio.capability_matrix."""
    return heatmap_matrix(scores, levels, unit_names, capability_names)


def unit_heatmap_matrix(
    cells: pd.DataFrame,
    capabilities: Sequence[tuple[str, str]],
    dimensions: Sequence[tuple[str, str]],
) -> HeatmapMatrix:
    """Capabilities × dimensions of one unit, from its cells (capability, dimension, score,
    level) and the framework's (code, name) capabilities and dimensions in order."""
    index = pd.Index([code for code, _ in capabilities])
    columns = pd.Index([code for code, _ in dimensions])
    if cells.empty:
        scores = pd.DataFrame(float("nan"), index=index, columns=columns)
        levels = pd.DataFrame(None, index=index, columns=columns, dtype=object)
    else:
        scores = cells.pivot(index="capability", columns="dimension", values="score")
        levels = cells.pivot(index="capability", columns="dimension", values="level")
        scores = scores.reindex(index=index, columns=columns)
        levels = levels.reindex(index=index, columns=columns)
    return heatmap_matrix(scores, levels, dict(capabilities), dict(dimensions))


def z_levels(matrix: HeatmapMatrix) -> set[int]:
    return {level for row in matrix.levels for level in row if level is not None}


def heatmap_spec(matrix: HeatmapMatrix, level_names: Mapping[int, str], title: str = "") -> dict:
    """The heatmap as plotly.js reads it — {"data": [...], "layout": {...}} of plain lists,
    numbers, strings and None — ready for json_script without going through plotly's
    Python objects (whose validation and copies cost more than the rest of a page of
    hundreds of units). `heatmap_figure` makes the plotly Figure of the same spec.

    The matrix drawn on the five-colour level scale, with a colour bar as the legend.
    Labels are HTML-escaped: plotly reads tags such as <a> or <b> in text, and
    unit names are typed by users.
    """
    level_count = TOP_COLOURED_LEVEL
    rows = [html.escape(label) for label in matrix.row_labels]
    columns = [html.escape(label) for label in matrix.column_labels]
    names = {level: level_label(level, level_names) for level in {*level_names, *z_levels(matrix)}}
    trace = {
        "type": "heatmap",
        "z": [
            [None if level is None else min(level, level_count) for level in row]
            for row in matrix.levels
        ],
        "x": columns,
        "y": rows,
        "text": [[format_score(score) for score in row] for row in matrix.scores],
        "texttemplate": "%{text}",
        "customdata": [
            [names.get(level) or NO_SCORE_LABEL for level in row] for row in matrix.levels
        ],
        "hovertemplate": "%{y} · %{x}<br>score %{text}<br>level %{customdata}<extra></extra>",
        "colorscale": plotly_colorscale(level_count),
        "zmin": 0.5,
        "zmax": level_count + 0.5,
        "xgap": 2,
        "ygap": 2,
        "colorbar": {
            "title": {"text": "Level"},
            "tickvals": list(range(1, level_count + 1)),
            "ticktext": [
                html.escape(level_label(n, level_names)) for n in range(1, level_count + 1)
            ],
        },
    }
    layout = {
        "height": max(320, 60 + 28 * len(rows)),
        "margin": {"l": 10, "r": 10, "t": 40 if title else 10, "b": 30},
        "xaxis": {"side": "top", "automargin": True},
        "yaxis": {"autorange": "reversed", "automargin": True},
        "annotations": [
            {
                "text": "blank = no score",
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 0,
                "xanchor": "right",
                "yanchor": "top",
                "yshift": -4,
                "showarrow": False,
                "font": {"size": 11},
            }
        ],
    }
    if title:
        layout["title"] = {"text": html.escape(title)}
    return {"data": [trace], "layout": layout}


def heatmap_figure(
    matrix: HeatmapMatrix, level_names: Mapping[int, str], title: str = ""
) -> go.Figure:
    """The plotly Figure of `heatmap_spec` (for images and exports)."""
    spec = heatmap_spec(matrix, level_names, title)
    trace = dict(spec["data"][0])
    # numpy arrays, not nested lists: plotly validates them at once (hundreds of units).
    shape = (len(trace["y"]), len(trace["x"]))
    trace["z"] = np.array(trace["z"], dtype=float).reshape(shape)  # None → NaN: blank
    for key in ("text", "customdata"):
        trace[key] = np.array(trace[key], dtype=object).reshape(shape)
    trace.pop("type")
    return go.Figure(go.Heatmap(**trace), layout={**spec["layout"], "template": TEMPLATE})
