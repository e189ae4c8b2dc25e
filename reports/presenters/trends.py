"""What the trends page shows: changes since the previous cycle and the maturity index
over the cycles."""

from __future__ import annotations

from reports.domain import portfolio as pf
from reports.domain.comparisons import maturity_trend_matrix
from reports.domain.levels import format_score, level_css_class, level_label, plain_value

from .charts import figure_data, maturity_trend_figure

MARKERS = {pf.UP: "▲", pf.DOWN: "▼", pf.SAME: "="}


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
                    "level": plain_value(level_after),
                    "css_class": level_css_class(level_after, data.levels),
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
                "before": plain_value(summary["before"]),
                "after": plain_value(summary["after"]),
                "change": plain_value(summary["change"]),
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
