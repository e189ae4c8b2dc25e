"""What the unit report's charts show: its capability × dimension heatmap, and its
capability scores against target (and, for consultants, the portfolio median)."""

from __future__ import annotations

from reports.domain import portfolio as pf
from reports.domain.comparisons import target_matrix
from reports.domain.heatmaps import unit_heatmap_matrix
from reports.domain.levels import level_label

from .charts import heatmap_spec, levels_vs_target_spec


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
        cycle = report.assessment.cycle
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
        top=max(report.levels, default=None),
    )
    return {
        "heatmap_figure": heatmap_spec(heat, report.levels),
        "target_figure": levels_vs_target_spec(targets_vs, report.levels),
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
