"""What the portfolio, compare, trends and unit report pages show, from the portfolio
frames: plain rows for the HTML tables plus each chart's figure as JSON-ready data.

Views call the selectors, then one function here; templates only loop.
"""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from assessments.models import Cycle

from . import portfolio as pf
from .comparisons import (
    compare_matrix,
    difference_figure,
    levels_vs_target_figure,
    maturity_trend_figure,
    maturity_trend_matrix,
    target_matrix,
)
from .heatmaps import heatmap_spec, portfolio_heatmap_matrix, unit_heatmap_matrix
from .levels import format_score, is_blank, legend, level_css_class, level_label

MARKERS = {pf.UP: "▲", pf.DOWN: "▼", pf.SAME: "="}


def figure_data(figure) -> dict:
    """A plotly figure as plain data for Django's json_script (plotly's own encoder first);
    a spec that is plain data already (heatmap_spec) as it is."""
    if isinstance(figure, dict):
        return figure
    return json.loads(figure.to_json())


def _value(value):
    return None if is_blank(value) else value


# The portfolio's two big tables are written here rather than by template loops: at
# hundreds of units × capabilities the template engine would take most of the request.
# Cells hold only our own level classes and formatted numbers (no user text), so those
# strings are safe as they are; rows escape every text a user typed (names, regions).


def cells_html(cells) -> str:
    return mark_safe("".join(f'<td class="{css}">{text}</td>' for css, text, _ in cells))


def gap_class(text: str) -> str:
    if not text or text in ("+0.00", "-0.00"):
        return ""
    return "gap-below" if text.startswith("-") else "gap-above"


def gaps_html(values) -> str:
    texts = [format_score(v, signed=True) for v in values]
    return mark_safe("".join(f'<td class="{gap_class(t)}">{t}</td>' for t in texts))


def heatmap_rows_html(rows: list[dict]) -> str:
    """The <tr>s of the portfolio heatmap table: rank, unit (linked to its report, with
    its status unless submitted), region, maturity index, gap, then the cells."""
    html = []
    for row in rows:
        status = row["status"]
        badge = (
            ""
            if status == "submitted"
            else f' <span class="badge text-bg-secondary">{escape(status)}</span>'
        )
        url = reverse("unit_report", args=[row["assessment"]])
        html.append(
            f'<tr data-unit="{escape(row["key"])}">'
            f"<td>{'' if row['rank'] is None else row['rank']}</td>"
            f'<th class="text-start"><a href="{url}">{escape(row["label"])}</a>{badge}</th>'
            f"<td>{escape(row['region'])}</td>"
            f"<td>{format_score(row['maturity_index'])}</td>"
            f"<td>{format_score(row['gap'], signed=True)}</td>"
            f"{row['cells_html']}</tr>\n"
        )
    return mark_safe("".join(html))


def gap_rows_html(rows: list[dict]) -> str:
    """The <tr>s of the gap-to-median table: unit, then each capability's gap."""
    return mark_safe(
        "".join(
            f'<tr data-unit="{escape(row["key"])}"><th class="text-start">'
            f"{escape(row['label'])}</th>{row['gaps_html']}</tr>\n"
            for row in rows
        )
    )


def portfolio_page(data: pf.Portfolio, *, cycle: str, region: str, tag: str, sort: str) -> dict:
    units = pf.filter_units(pf.in_cycle(data.units, cycle), region=region, tag=tag)
    slugs = list(units["unit"])
    codes = data.capability_codes
    scores, levels = pf.capability_matrix(pf.in_cycle(data.capability_scores, cycle), slugs, codes)
    maturity = pf.maturity_series(pf.in_cycle(data.maturity, cycle), slugs)
    ranking = pf.sort_units(pf.maturity_ranking(units, maturity), scores, sort)
    order = list(ranking["unit"])
    scores, levels = scores.loc[order], levels.loc[order]
    statistics = pf.capability_statistics(scores)
    gaps = pf.gaps_to_median(scores, statistics["median"])
    names = pf.unit_names(units)
    matrix = portfolio_heatmap_matrix(scores, levels, names, data.capability_names)
    heat_rows = matrix.table_rows()
    rows = [
        {
            **heat,
            "assessment": int(unit.assessment),
            "region": unit.region,
            "status": unit.status,
            "maturity_index": _value(unit.maturity_index),
            "rank": _value(unit.rank),
            "gap": _value(unit.gap),
            "cells_html": cells_html(heat["cells"]),
            "gaps_html": gaps_html(unit_gaps),
        }
        for heat, unit, unit_gaps in zip(
            heat_rows, ranking.itertuples(index=False), gaps.to_numpy(), strict=True
        )
    ]
    return {
        "cycle": cycle,
        "capabilities": list(data.capabilities.itertuples(index=False)),
        "rows": rows,
        "statistics": [
            {
                "code": code,
                "name": data.capability_names[code],
                "units": int(stat["units"]),
                "q1": _value(stat["q1"]),
                "median": _value(stat["median"]),
                "q3": _value(stat["q3"]),
                "min": _value(stat["min"]),
                "max": _value(stat["max"]),
                "weakest": pf.names_of(stat["weakest"], names),
                "strongest": pf.names_of(stat["strongest"], names),
            }
            for code, stat in statistics.iterrows()
        ],
        "median_maturity": _value(maturity.median()),
        "legend": legend(data.levels),
        "heatmap_figure": heatmap_spec(matrix, data.levels) if rows else None,
        "heatmap_rows_html": heatmap_rows_html(rows),
        "gap_rows_html": gap_rows_html(rows),
        "sort": sort,
    }


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
        "rows": matrix.side_by_side.table_rows(),
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


def trends_page(
    data: pf.Portfolio,
    *,
    cycle: str,
    previous: str | None,
    cycle_names: list[str],
    region: str,
    tag: str,
    unit: str | None,
) -> dict:
    units = pf.filter_units(pf.in_cycle(data.units, cycle), region=region, tag=tag)
    slugs = list(units["unit"])
    names = pf.unit_names(units)
    codes = data.capability_codes
    after_scores, after = pf.capability_matrix(
        pf.in_cycle(data.capability_scores, cycle), slugs, codes
    )
    shown_cycles = [name for name in cycle_names if name <= cycle]
    over_cycles = pf.maturity_over_cycles(data.maturity, slugs, shown_cycles)
    chosen = unit if unit in names else (slugs[0] if slugs else None)
    trend = maturity_trend_matrix(over_cycles, [chosen] if chosen else [], names)
    context = {
        "cycle": cycle,
        "previous": previous,
        "chosen_unit": chosen,
        "unit_choices": [(slug, names[slug]) for slug in slugs],
        "capabilities": list(data.capabilities.itertuples(index=False)),
        "over_cycles": {
            "cycles": shown_cycles,
            "rows": [
                {"name": names[slug], "values": [format_score(v) for v in over_cycles.loc[slug]]}
                for slug in slugs
            ],
        },
        "trend_figure": figure_data(maturity_trend_figure(trend, data.levels)) if chosen else None,
        "changes": [],
        "improved": [],
        "declined": [],
    }
    if previous is None:
        return context
    before_scores, before = pf.capability_matrix(
        pf.in_cycle(data.capability_scores, previous), slugs, codes
    )
    directions = pf.level_changes(before, after)
    maturity_before = pf.maturity_series(pf.in_cycle(data.maturity, previous), slugs)
    maturity_after = pf.maturity_series(pf.in_cycle(data.maturity, cycle), slugs)
    per_unit = pf.unit_changes(maturity_before, maturity_after, directions)
    changes = []
    for slug in slugs:
        cells = []
        for code in codes:
            direction = directions.at[slug, code]
            level_before, level_after = before.at[slug, code], after.at[slug, code]
            cells.append(
                {
                    "code": code,
                    "direction": direction,
                    "marker": MARKERS.get(direction, ""),
                    "before": level_label(level_before, data.levels) or "no score",
                    "after": level_label(level_after, data.levels) or "no score",
                    "level": _value(level_after),
                    "css_class": level_css_class(level_after),
                    "score_change": format_score(
                        after_scores.at[slug, code] - before_scores.at[slug, code], signed=True
                    ),
                }
            )
        summary = per_unit.loc[slug]
        changes.append(
            {
                "slug": slug,
                "name": names[slug],
                "cells": cells,
                "before": _value(summary["before"]),
                "after": _value(summary["after"]),
                "change": _value(summary["change"]),
                "direction": summary["direction"],
                "marker": MARKERS.get(summary["direction"], ""),
                "up": int(summary["capabilities_up"]),
                "down": int(summary["capabilities_down"]),
            }
        )
    context["changes"] = changes
    context["improved"] = [row["name"] for row in changes if row["direction"] == pf.UP]
    context["declined"] = [row["name"] for row in changes if row["direction"] == pf.DOWN]
    return context


def unit_report_charts(
    report,
    *,
    targets: dict,
    portfolio: pf.Portfolio | None = None,
    medians: dict[str, float] | None = None,
) -> dict:
    """The unit report's charts: capability × dimension heatmap, and capability scores
    against target (and against the portfolio median when `medians` per capability
    (pf.capability_medians) or the cycle's `portfolio` is given)."""
    capabilities = [(row.code, row.name) for row in report.capabilities]
    dimensions = [(d.code, d.name) for d in report.dimensions]
    heat = unit_heatmap_matrix(report.scores.cells, capabilities, dimensions)
    if portfolio is not None:
        cycle: Cycle = report.assessment.cycle
        units = pf.in_cycle(portfolio.units, cycle.name)
        scores, _ = pf.capability_matrix(
            pf.in_cycle(portfolio.capability_scores, cycle.name),
            list(units["unit"]),
            [code for code, _ in capabilities],
        )
        medians = pf.capability_statistics(scores)["median"].to_dict()
    targets_vs = target_matrix(
        capabilities,
        {row.code: row.score for row in report.capabilities},
        {row.code: row.level for row in report.capabilities},
        targets,
        medians,
    )
    return {
        "heatmap_figure": heatmap_spec(heat, report.levels),
        "target_figure": figure_data(levels_vs_target_figure(targets_vs, report.levels)),
        "target_rows": [
            {
                "name": row.name,
                "score": row.score,
                "level": row.level,
                "level_label": level_label(row.level, report.levels),
                "target": row.target,
                "target_label": level_label(row.target, report.levels),
                "levels_to_target": row.levels_to_target,
                "median": row.median,
                "gap_to_median": row.gap_to_median,
            }
            for row in targets_vs.itertuples(index=False)
        ],
        "with_median": medians is not None,
    }
