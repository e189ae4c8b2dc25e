"""Heatmaps as plain data: pure `*_matrix` functions (frames in, a HeatmapMatrix out).

A heatmap's colour is a level on the scale of reports/domain/levels.py, its text that
level and the score to two decimals ("2 · 3.04"), and a cell with no score is blank (neither coloured nor
written). The same `HeatmapMatrix` feeds the HTML table, the chart
(reports/presenters/charts.py) and the exports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .levels import level_css_class, plain_level, plain_level_and_score, plain_score


@dataclass(frozen=True)
class HeatmapMatrix:
    row_keys: list[str]
    row_labels: list[str]
    column_keys: list[str]
    column_labels: list[str]
    scores: list[list[float | None]]  # rows × columns
    levels: list[list[int | None]]

    def table_rows(self, level_numbers: Iterable[int] | None = None) -> list[dict[str, Any]]:
        """Rows for an HTML table: label, key and (css class, text, level) per cell, the
        text saying the level the colour shows and the score ("2 · 3.04"); the colours
        those of the framework's levels (`level_numbers`, default 1–5)."""
        numbers = None if level_numbers is None else tuple(level_numbers)
        css = {level: level_css_class(level, numbers) for level in {None, *z_levels(self)}}
        return [
            {
                "key": key,
                "label": label,
                "cells": [
                    (css[level], plain_level_and_score(level, score), level)
                    for score, level in zip(scores, levels, strict=True)
                ],
            }
            for key, label, scores, levels in zip(
                self.row_keys, self.row_labels, self.scores, self.levels, strict=True
            )
        ]


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
        scores=plain_scores(scores),
        levels=plain_levels(levels),
    )


def plain_scores(scores: pd.DataFrame) -> list[list[float | None]]:
    """A frame of scores as lists of floats, None where there is none (`plain_score` of
    each cell, in one numpy step for the frame when its cells are all numbers)."""
    return _plain_cells(scores, plain_score, float)


def plain_levels(levels: pd.DataFrame) -> list[list[int | None]]:
    """A frame of levels as lists of ints, None where there is none (`plain_level` of
    each cell, in one numpy step for the frame when its cells are all numbers)."""
    return _plain_cells(levels, plain_level, int)


def _plain_cells(frame: pd.DataFrame, plain: Callable[[Any], Any], kind: type) -> list[list[Any]]:
    try:
        values = frame.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        return [[plain(v) for v in row] for row in frame.astype(object).to_numpy()]
    return [[None if v != v else kind(v) for v in row] for row in values.tolist()]


def portfolio_heatmap_matrix(
    scores: pd.DataFrame,
    levels: pd.DataFrame,
    unit_names: Mapping[str, str],
    capability_names: Mapping[str, str],
) -> HeatmapMatrix:
    """Units × capabilities, from the frames of reports.domain.portfolio.capability_matrix."""
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
