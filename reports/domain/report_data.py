"""What the deck and the report workbook show, as plain data: one organisation's units in
one cycle (after the portfolio page's region/tag filters and sort), their scores,
recommendations and the roadmap.

`assemble` is pure over the portfolio's frames and the recommendations plan, which
reports/queries/exports.py `report_data` loads (the portfolio selector, 6 queries, and
the plan, 11 queries, whatever the number of units). The exporters
(reports/exporters/deck.py, workbook.py) turn a ReportData into bytes.

With a region or tag filter, the recommendations, roadmap and DEOM grid are those of the
units shown: they compete for the engagement's one budget per funding cycle.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pandas as pd

from . import planning as reco
from . import portfolio as pf
from .groups import GroupScore, group_scores
from .heatmaps import HeatmapMatrix, heatmap_matrix, portfolio_heatmap_matrix
from .levels import plain_level, plain_score
from .planning import Plan, Quadrant, deom_grid
from .roadmap import roadmap


@dataclass(frozen=True)
class UnitSummary:
    slug: str
    name: str
    region: str
    status: str  # draft / submitted / reopened
    maturity_index: float | None
    table: HeatmapMatrix  # capabilities × dimensions of this unit
    capability_scores: list[float | None]  # per capability, framework order
    capability_levels: list[int | None]
    binding: list[list[bool]]  # capabilities × dimensions: holds the capability at its level
    recommendations: list[reco.Recommendation]  # priority order
    targets: list[int] = field(default_factory=list)  # per capability: its target (or the top)
    previous_maturity: float | None = None  # in the previous cycle
    capabilities_up: int = 0  # capabilities a level higher than in the previous cycle
    capabilities_down: int = 0

    @property
    def is_draft(self) -> bool:
        return self.status != "submitted"

    @property
    def worth_funding(self) -> list[reco.Recommendation]:
        """The recommendations with a positive base NPV, priority order."""
        return [r for r in self.recommendations if r.has_economics and not r.negative_npv]

    @property
    def maturity_only(self) -> list[reco.Recommendation]:
        """Upgrades of capabilities without cost data: the next level and its to-do list."""
        return [r for r in self.recommendations if r.maturity_only]

    @property
    def not_worth_funding(self) -> list[reco.Recommendation]:
        """Upgrades whose base NPV is negative at these inputs: shown, never recommended."""
        return [r for r in self.recommendations if r.negative_npv]


@dataclass(frozen=True)
class RoadmapRow:
    funding_cycle: int
    unit_name: str
    capability_name: str
    from_level: int
    to_level: int
    cost_mid: float
    npv_base: float
    npv_best: float = 0.0
    npv_downside: float = 0.0
    cost_is_assumption: bool = False
    payback_month: int | None = None


@dataclass(frozen=True)
class ReportData:
    organisation: str  # name
    organisation_slug: str
    cycle: str
    generated: datetime.date
    filters: str  # "" or e.g. "region EMEA, tag retail"
    sort: str  # as the portfolio page's `sort`: -maturity, name, CPL, -CPL, …
    level_names: dict[int, str]
    capabilities: list[tuple[str, str]]  # (code, name), framework order
    dimensions: list[tuple[str, str]]
    heatmap: HeatmapMatrix  # units × capabilities, rows in the page's sort order
    maturity: list[float | None]  # per heatmap row
    units: list[UnitSummary]  # in heatmap row order
    # tidy scores of the units shown (assessments.domain.tidy.SCORE_COLUMNS)
    score_rows: list[list[object]]
    recommendations: list[reco.Recommendation]  # unit by unit (name order), priority order
    inputs: reco.EngagementInputs
    roadmap: list[RoadmapRow]
    deom: list[list[Quadrant]]  # rows high then low impact; columns low then high autonomy
    missing_value_bases: list[str]  # benefit metrics of recommended upgrades without one
    previous_cycle: str | None = None
    capability_medians: list[float | None] = field(default_factory=list)  # per capability
    median_maturity: float | None = None  # of the units shown, this cycle
    previous_median_maturity: float | None = None  # of the same units, previous cycle
    assumed_costs: list[str] = field(default_factory=list)  # codes of assumed cost bands
    # capability code → the groups it sits in, outermost first; {} when none is grouped
    capability_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # (capability, dimension) pairs the framework asks nothing in (a sparse published model)
    not_asked: frozenset[tuple[str, str]] = frozenset()
    # False when no capability of the framework carries cost data: maturity-only upgrades
    has_cost_data: bool = True

    def asks(self, capability: str, dimension: str) -> bool:
        """Whether the capability has a question in the dimension (its cell can be scored)."""
        return (capability, dimension) not in self.not_asked

    @property
    def top_groups(self) -> list[str]:
        """The framework's top-level capability groups, in the order they first appear."""
        return list(dict.fromkeys(path[0] for path in self.capability_groups.values()))

    def group_matrix(self) -> HeatmapMatrix:
        """Units × top-level groups, each cell the group's rolled-up level and score
        (unit_groups, as the portfolio's "Units × groups" and the workbook's Groups sheet);
        no columns without groups."""
        names = self.top_groups
        rolled = [
            {group.name: group for group in self.unit_groups(unit) if group.depth == 0}
            for unit in self.units
        ]
        return HeatmapMatrix(
            row_keys=[unit.slug for unit in self.units],
            row_labels=[unit.name for unit in self.units],
            column_keys=names,
            column_labels=names,
            scores=[[groups[name].score for name in names] for groups in rolled],
            levels=[[groups[name].level for name in names] for groups in rolled],
        )

    def unit_groups(self, unit: UnitSummary) -> list[GroupScore]:
        """The unit's capability groups with their rolled-up scores; [] without groups."""
        return group_scores(
            (self.capability_groups.get(code, ()), score, level)
            for (code, _), score, level in zip(
                self.capabilities, unit.capability_scores, unit.capability_levels, strict=True
            )
        )

    @property
    def capability_names(self) -> dict[str, str]:
        return dict(self.capabilities)

    @property
    def funding_cycles(self) -> list[tuple[int, list[RoadmapRow]]]:
        """The roadmap grouped by funding cycle, in order."""
        grouped: dict[int, list[RoadmapRow]] = {}
        for row in self.roadmap:
            grouped.setdefault(row.funding_cycle, []).append(row)
        return sorted(grouped.items())

    @property
    def not_worth_funding(self) -> list[reco.Recommendation]:
        return [r for r in self.recommendations if r.negative_npv]

    @property
    def maturity_only(self) -> list[reco.Recommendation]:
        """Upgrades of capabilities without cost data, which the roadmap and DEOM leave out."""
        return [r for r in self.recommendations if r.maturity_only]

    @property
    def dimension_names(self) -> dict[str, str]:
        return dict(self.dimensions)


# --- pure assembly --------------------------------------------------------------------------


def assemble(
    portfolio: pf.Portfolio,
    plan: Plan,
    *,
    organisation: str,
    organisation_slug: str,
    cycle: str,
    region: str,
    tag: str,
    sort: str,
    today: datetime.date,
) -> ReportData:
    units = pf.filter_units(pf.in_cycle(portfolio.units, cycle), region=region, tag=tag)
    slugs = list(units["unit"])
    codes = portfolio.capability_codes
    capabilities = list(zip(codes, portfolio.capabilities["name"], strict=True))
    dimensions = list(
        zip(portfolio.dimensions["dimension"], portfolio.dimensions["name"], strict=True)
    )
    scores, levels = pf.capability_matrix(
        pf.in_cycle(portfolio.capability_scores, cycle), slugs, codes
    )
    maturity = pf.maturity_series(pf.in_cycle(portfolio.maturity, cycle), slugs)
    order = list(pf.sort_units(pf.maturity_ranking(units, maturity), scores, sort)["unit"])
    scores, levels = scores.loc[order], levels.loc[order]
    names = pf.unit_names(units)
    shown = set(order)
    recommendations = [r for r in plan.recommendations if r.unit in shown]
    per_unit: dict[str, list[reco.Recommendation]] = {}
    for recommendation in recommendations:
        per_unit.setdefault(recommendation.unit, []).append(recommendation)
    standings = [standing for standing in plan.units if standing.unit in shown]
    steps = roadmap(standings, plan.framework.economics, plan.inputs)
    capability_names = dict(capabilities)
    unit_rows = units.set_index("unit")
    tables = unit_tables(pf.in_cycle(portfolio.cells, cycle), order, capabilities, dimensions)
    top_level = plan.framework.economics.top_level if plan.framework.economics.levels else 5
    targets = {s.unit: s.targets for s in standings}
    previous = pf.previous_cycle(sorted(set(portfolio.units["cycle"])), cycle)
    previous_maturity = pf.maturity_series(
        pf.in_cycle(portfolio.maturity, previous) if previous else portfolio.maturity[:0], order
    )
    if previous:
        _, levels_before = pf.capability_matrix(
            pf.in_cycle(portfolio.capability_scores, previous), order, codes
        )
        directions = pf.level_changes(levels_before, levels)
    else:
        directions = pd.DataFrame("", index=levels.index, columns=levels.columns)
    summaries = []
    for slug in order:
        table = tables[slug]
        capability_levels = [plain_level(v) for v in levels.loc[slug]]
        summaries.append(
            UnitSummary(
                slug=slug,
                name=names[slug],
                region=str(unit_rows.at[slug, "region"]),
                status=str(unit_rows.at[slug, "status"]),
                maturity_index=plain_score(maturity[slug]),
                table=table,
                capability_scores=[plain_score(v) for v in scores.loc[slug]],
                capability_levels=capability_levels,
                binding=[
                    [cell is not None and cell == level for cell in row]
                    for row, level in zip(table.levels, capability_levels, strict=True)
                ],
                recommendations=per_unit.get(slug, []),
                targets=[
                    min(targets.get(slug, {}).get(code, top_level), top_level) for code in codes
                ],
                previous_maturity=plain_score(previous_maturity[slug]),
                capabilities_up=int((directions.loc[slug] == pf.UP).sum()),
                capabilities_down=int((directions.loc[slug] == pf.DOWN).sum()),
            )
        )
    statistics = pf.capability_statistics(scores)
    return ReportData(
        organisation=organisation,
        organisation_slug=organisation_slug,
        cycle=cycle,
        generated=today,
        sort=sort,
        filters=", ".join(f"{k} {v}" for k, v in (("region", region), ("tag", tag)) if v),
        level_names=dict(portfolio.levels),
        capabilities=capabilities,
        dimensions=dimensions,
        heatmap=portfolio_heatmap_matrix(scores, levels, names, capability_names),
        maturity=[plain_score(maturity[slug]) for slug in order],
        units=summaries,
        score_rows=tidy_score_rows(
            pf.in_cycle(portfolio.cells, cycle),
            sorted(order),
            codes,
            [d for d, _ in dimensions],
            organisation=organisation_slug,
            cycle=cycle,
        ),  # fmt: skip
        recommendations=recommendations,
        inputs=plan.inputs,
        roadmap=[
            RoadmapRow(
                funding_cycle=step.funding_cycle,
                unit_name=names.get(step.unit, step.unit),
                capability_name=capability_names.get(step.capability, step.capability),
                from_level=step.from_level,
                to_level=step.to_level,
                cost_mid=step.cost_mid,
                npv_base=step.npv_base,
                npv_best=step.npv_best,
                npv_downside=step.npv_downside,
                cost_is_assumption=step.cost_is_assumption,
                payback_month=step.payback_month,
            )
            for step in steps
        ],
        deom=deom_grid(recommendations),
        missing_value_bases=reco.missing_value_bases(recommendations, plan.inputs),
        previous_cycle=previous,
        capability_medians=[plain_score(v) for v in statistics["median"]],
        median_maturity=plain_score(maturity.median()),
        previous_median_maturity=plain_score(previous_maturity.median()) if previous else None,
        assumed_costs=[
            c.code for c in plan.framework.economics.capabilities if c.cost_is_assumption
        ],
        capability_groups={
            code: tuple(groups)
            for code, groups in zip(codes, portfolio.capabilities["groups"], strict=True)
            if groups
        },
        not_asked=frozenset(
            (code, dimension)
            for code in codes
            for dimension, _ in dimensions
            if (code, dimension) not in plan.framework.asked
        ),
        has_cost_data=plan.framework.has_cost_data,
    )


def unit_tables(
    cells: pd.DataFrame,
    units: list[str],
    capabilities: list[tuple[str, str]],
    dimensions: list[tuple[str, str]],
) -> dict[str, HeatmapMatrix]:
    """Each unit's capabilities × dimensions matrix, from one cycle's cells (unit,
    capability, dimension, score, level), pivoted once for all units."""
    codes = [code for code, _ in capabilities]
    dimension_codes = [code for code, _ in dimensions]
    index = pd.MultiIndex.from_product([units, codes], names=["unit", "capability"])
    if cells.empty:
        scores = pd.DataFrame(float("nan"), index=index, columns=dimension_codes)
        levels = pd.DataFrame(None, index=index, columns=dimension_codes, dtype=object)
    else:
        keys = ["unit", "capability"]
        scores = cells.pivot(index=keys, columns="dimension", values="score")
        levels = cells.pivot(index=keys, columns="dimension", values="level")
        scores = scores.reindex(index=index, columns=dimension_codes)
        levels = levels.reindex(index=index, columns=dimension_codes)
    capability_names, dimension_names = dict(capabilities), dict(dimensions)
    return {
        unit: heatmap_matrix(
            pd.DataFrame(scores.loc[unit]),
            pd.DataFrame(levels.loc[unit]),
            capability_names,
            dimension_names,
        )
        for unit in units
    }


def tidy_score_rows(
    cells: pd.DataFrame,
    units: list[str],
    capabilities: list[str],
    dimensions: list[str],
    *,
    organisation: str,
    cycle: str,
) -> list[list[object]]:
    """One row per unit per capability per dimension, as `export_scores` writes them:
    organisation, unit, cycle, capability, dimension, score (4 decimals), level; blank
    where nothing is scorable."""
    keys = ["unit", "capability", "dimension"]
    index = pd.MultiIndex.from_product([units, capabilities, dimensions], names=keys)
    found = cells.set_index(keys)[["score", "level"]] if not cells.empty else None
    table = (
        found.reindex(index)
        if found is not None
        else pd.DataFrame({"score": float("nan"), "level": float("nan")}, index=index)
    )
    # pandas' rounding, as the tidy export's, so both files carry the same digits
    rounded = table["score"].astype(float).round(4)
    return [
        [organisation, unit, cycle, capability, dimension, plain_score(score), plain_level(level)]
        for (unit, capability, dimension), score, level in zip(
            table.index, rounded, table["level"], strict=True
        )
    ]
