"""What the compare page shows: two or more units side by side, and each one's difference
to the first (the reference)."""

from __future__ import annotations

from reports.domain import portfolio as pf
from reports.domain.comparisons import compare_matrix
from reports.domain.levels import format_score, legend

from .charts import difference_figure, figure_data, heatmap_spec


def compare_page(data: pf.Portfolio, *, cycle: str, units: list[str]) -> dict:
    unit_frame = pf.in_cycle(data.units, cycle)
    all_slugs = list(unit_frame["unit"])
    codes = data.capability_codes
    scores, levels = pf.capability_matrix(
        pf.in_cycle(data.capability_scores, cycle), all_slugs, codes
    )
    maturity = pf.maturity_series(pf.in_cycle(data.maturity, cycle), all_slugs)
    names = pf.unit_names(unit_frame)
    matrix = compare_matrix(scores, levels, maturity.to_dict(), units, names, data.capability_names)
    assessments = dict(zip(unit_frame["unit"], unit_frame["assessment"], strict=True))
    return {
        "compare": matrix,
        "columns": [
            {"slug": u, "name": names[u], "assessment": int(assessments[u])} for u in units
        ],
        "rows": matrix.side_by_side.table_rows(data.levels),
        "difference_rows": [
            {"label": label, "cells": [format_score(v, signed=True) for v in values]}
            for label, values in zip(
                matrix.differences.row_labels, matrix.differences.values, strict=True
            )
        ],
        "maturity": matrix.maturity,
        "legend": legend(data.levels),
        "side_by_side_figure": heatmap_spec(matrix.side_by_side, data.levels),
        "difference_figure": figure_data(difference_figure(matrix.differences)),
    }
