"""What the portfolio page shows, from the portfolio frames: plain rows for the HTML tables
plus the heatmap's figure as JSON-ready data. Views call the selector, then
`portfolio_page`; templates only loop.
"""

from __future__ import annotations

from html import escape  # what django.utils.html.escape returns, without its lazy wrapper

from django.urls import reverse
from django.utils.safestring import mark_safe

from reports.domain import portfolio as pf
from reports.domain.groups import group_scores
from reports.domain.heatmaps import portfolio_heatmap_matrix
from reports.domain.levels import (
    format_score,
    legend,
    level_and_score,
    level_css_class,
    plain_level,
    plain_score,
    plain_signed_score,
    plain_value,
)

from .charts import heatmap_spec

HEATMAP_TABLE = "portfolio-heatmap"  # the table's id; the chart reads its cells

# The portfolio's two big tables are written here rather than by template loops: at
# hundreds of units × capabilities the template engine would take most of the request.
# Cells hold only our own level classes and formatted numbers (no user text), so those
# strings are safe as they are; rows escape every text a user typed (names, regions).


def cells_html(cells) -> str:
    return mark_safe("".join([f'<td class="{css}">{text}</td>' for css, text, _ in cells]))


def gap_class(text: str) -> str:
    if not text or text in ("+0.00", "-0.00"):
        return ""
    return "gap-below" if text.startswith("-") else "gap-above"


def plain_list(column) -> list:
    """A column's values as Python numbers, None where blank (`plain_value` of each)."""
    return column.astype(object).where(column.notna(), None).tolist()


def gaps_html(values: list[float]) -> str:
    texts = [plain_signed_score(v) for v in values]
    return mark_safe("".join([f'<td class="{gap_class(t)}">{t}</td>' for t in texts]))


# Any number the unit report's address cannot otherwise hold: reversed once a page, then
# replaced by each row's assessment (reverse() for each of 500 rows was a tenth of the page).
_ASSESSMENT = 987654321


def heatmap_rows_html(rows: list[dict]) -> str:
    """The <tr>s of the portfolio heatmap table: rank, unit (linked to its report, with
    its status unless submitted), region, maturity index, gap, then the cells."""
    html = []
    address = reverse("unit_report", args=[_ASSESSMENT])
    for row in rows:
        status = row["status"]
        badge = (
            ""
            if status == "submitted"
            else f' <span class="badge text-bg-secondary">{escape(status)}</span>'
        )
        url = address.replace(str(_ASSESSMENT), str(int(row["assessment"])))
        html.append(
            f'<tr data-unit="{escape(row["key"])}">'
            f"<td>{'' if row['rank'] is None else row['rank']}</td>"
            f'<th class="text-start sticky-col"><a href="{url}">{escape(row["label"])}</a>{badge}</th>'
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
            f'<tr data-unit="{escape(row["key"])}"><th class="text-start sticky-col">'
            f"{escape(row['label'])}</th>{row['gaps_html']}</tr>\n"
            for row in rows
        )
    )


def portfolio_page(data: pf.Portfolio, *, cycle: str, region: str, tag: str, sort: str) -> dict:
    units = pf.filter_units(pf.in_cycle(data.units, cycle), region=region, tag=tag)
    slugs = units["unit"].tolist()
    codes = data.capability_codes
    scores, levels = pf.capability_matrix(pf.in_cycle(data.capability_scores, cycle), slugs, codes)
    maturity = pf.maturity_series(pf.in_cycle(data.maturity, cycle), slugs)
    ranking = pf.sort_units(pf.maturity_ranking(units, maturity), scores, sort)
    order = ranking["unit"].tolist()
    scores, levels = scores.loc[order], levels.loc[order]
    statistics = pf.capability_statistics(scores)
    gaps = pf.gaps_to_median(scores, statistics["median"])
    names = pf.unit_names(units)
    matrix = portfolio_heatmap_matrix(scores, levels, names, data.capability_names)
    heat_rows = matrix.table_rows(data.levels)
    # Columns as Python lists: iterating pandas' columns (itertuples) goes cell by cell.
    rows = [
        {
            **heat,
            "assessment": assessment,
            "region": unit_region,
            "status": status,
            "maturity_index": maturity_index,
            "rank": rank,
            "gap": gap,
            "cells_html": cells_html(heat["cells"]),
            "gaps_html": gaps_html(unit_gaps),
        }
        for heat, assessment, unit_region, status, maturity_index, rank, gap, unit_gaps in zip(
            heat_rows,
            ranking["assessment"].astype(int).tolist(),
            ranking["region"].tolist(),
            ranking["status"].tolist(),
            plain_list(ranking["maturity_index"]),
            plain_list(ranking["rank"]),
            plain_list(ranking["gap"]),
            gaps.to_numpy(dtype=float).tolist(),
            strict=True,
        )
    ]
    return {
        "cycle": cycle,
        "groups": top_groups(data, scores, levels, order, names),
        "capabilities": list(data.capabilities.itertuples(index=False)),
        "rows": rows,
        "statistics": [
            {
                "code": code,
                "name": data.capability_names[code],
                "units": int(stat["units"]),
                "q1": plain_value(stat["q1"]),
                "median": plain_value(stat["median"]),
                "q3": plain_value(stat["q3"]),
                "min": plain_value(stat["min"]),
                "max": plain_value(stat["max"]),
                "weakest": pf.names_of(stat["weakest"], names),
                "strongest": pf.names_of(stat["strongest"], names),
            }
            for code, stat in statistics.iterrows()
        ],
        "median_maturity": plain_value(maturity.median()),
        "legend": legend(data.levels),
        # drawn from the table's cells (static/ladder/charts.js): the cells are sent once
        "heatmap_figure": heatmap_spec(matrix, data.levels, table=HEATMAP_TABLE) if rows else None,
        # an image has no table to read its cells from: exports draw them from the matrix
        "heatmap_matrix": matrix if rows else None,
        "heatmap_table": HEATMAP_TABLE,
        "heatmap_rows_html": heatmap_rows_html(rows),
        "gap_rows_html": gap_rows_html(rows),
        "sort": sort,
    }


def top_groups(data: pf.Portfolio, scores, levels, order: list[str], names) -> dict | None:
    """Units × the framework's top-level capability groups (SAMM's business functions),
    each cell the group's level · score (reports/domain/groups.py); None without groups."""
    groups = dict(zip(data.capabilities["capability"], data.capabilities["groups"], strict=True))
    if not any(groups.values()):
        return None
    header: list[str] = []
    rows = []
    for slug in order:
        rolled = {
            group.path[0]: group
            for group in group_scores(
                (
                    tuple(groups[code] or ())[:1],
                    plain_score(scores.at[slug, code]),
                    plain_level(levels.at[slug, code]),
                )
                for code in scores.columns
            )
        }
        header = header or list(rolled)
        rows.append(
            {
                "name": names[slug],
                "cells": [
                    (
                        level_css_class(rolled[name].level, data.levels),
                        level_and_score(rolled[name].level, rolled[name].score),
                    )
                    if name in rolled
                    else ("", "")
                    for name in header
                ],
            }
        )
    return {"names": header, "rows": rows}
