"""What the compare page shows: two or more units side by side, and each one's difference
to the first (the reference)."""

from __future__ import annotations

from html import escape  # django.utils.html.escape's text, without its lazy wrapper

from django.utils.safestring import mark_safe

from reports.domain import portfolio as pf
from reports.domain.comparisons import compare_matrix
from reports.domain.levels import format_score, legend

from .charts import difference_spec, heatmap_spec


def compare_page(data: pf.Portfolio, *, cycle: str, units: list[str]) -> dict:
    unit_frame = pf.in_cycle(data.units, cycle)
    codes = data.capability_codes
    # Only the compared units' scores: the data may hold no others (scored_units).
    scores, levels = pf.capability_matrix(pf.in_cycle(data.capability_scores, cycle), units, codes)
    maturity = pf.maturity_series(pf.in_cycle(data.maturity, cycle), units)
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
        "difference_figure": difference_spec(matrix.differences),
    }


def unit_choices_html(choices: list[tuple[str, str]], requested: list[str]) -> dict:
    """The compare form's choices for every unit of the cycle — the reference select's
    <option>s and the units' checkboxes — written here rather than by template loops,
    which took a third of the page at 500 units. Every slug and name is escaped."""
    first = requested[0] if requested else None
    chosen = set(requested)
    options, boxes = [], []
    for slug, name in choices:
        value, label = escape(slug), escape(name)
        selected = " selected" if slug == first else ""
        checked = " checked" if slug in chosen else ""
        options.append(f'<option value="{value}"{selected}>{label}</option>')
        boxes.append(
            '    <div class="form-check form-check-inline">\n'
            f'      <input class="form-check-input" type="checkbox" name="units" value="{value}"'
            f' id="unit-{value}"{checked}>\n'
            f'      <label class="form-check-label" for="unit-{value}">{label}</label>\n'
            "    </div>\n"
        )
    return {"options": mark_safe("".join(options)), "checkboxes": mark_safe("".join(boxes))}
