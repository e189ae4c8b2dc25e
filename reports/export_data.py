"""What the deck and the report workbook show, as plain data: one organisation's units in
one cycle (after the portfolio page's region/tag filters and sort), their scores,
recommendations and the roadmap.

`report_data` is the selector (ORM at the edge: the portfolio selector, 6 queries, and
the recommendations plan, 11 queries, whatever the number of units); `assemble` is pure
over their results. The exporters (reports/exporters/pptx.py, xlsx.py) turn a ReportData
into bytes; `deck_bytes` and `workbook_bytes` do both steps for views, commands and the
bench.

With a region or tag filter, the recommendations, roadmap and DEOM grid are those of the
units shown: they compete for the engagement's one budget per funding cycle.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pandas as pd
from django.utils import timezone

from assessments import recommendations as reco
from assessments.models import Assessment, BusinessUnit, Cycle, Organisation

from . import portfolio as pf
from .aggregation import tidy_scores
from .heatmaps import HeatmapMatrix, heatmap_matrix, portfolio_heatmap_matrix
from .levels import is_blank
from .recommendation_data import Plan, plan_for_cycle
from .recommendation_pages import Quadrant, deom_grid


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

    @property
    def is_draft(self) -> bool:
        return self.status != "submitted"


@dataclass(frozen=True)
class RoadmapRow:
    funding_cycle: int
    unit_name: str
    capability_name: str
    from_level: int
    to_level: int
    cost_mid: float
    npv_base: float


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
    score_rows: list[list]  # tidy scores of the units shown (assessments.tidy.SCORE_COLUMNS)
    recommendations: list[reco.Recommendation]  # unit by unit (name order), priority order
    inputs: reco.EngagementInputs
    roadmap: list[RoadmapRow]
    deom: list[list[Quadrant]]  # rows high then low impact; columns low then high autonomy
    missing_value_bases: list[str]  # benefit metrics of recommended upgrades without one

    @property
    def capability_names(self) -> dict[str, str]:
        return dict(self.capabilities)

    @property
    def dimension_names(self) -> dict[str, str]:
        return dict(self.dimensions)


# --- selector and shortcuts -----------------------------------------------------------------


def report_data(
    organisation: Organisation,
    cycle: Cycle,
    *,
    region: str = "",
    tag: str = "",
    sort: str = "-maturity",
    today: datetime.date | None = None,
) -> ReportData:
    """The organisation's units in the cycle, filtered and sorted as the portfolio page."""
    portfolio = pf.portfolio_scores(organisation=organisation, cycles=[cycle])
    plan = plan_for_cycle(organisation, cycle)
    return assemble(
        portfolio,
        plan,
        organisation=organisation.name,
        organisation_slug=organisation.slug,
        cycle=cycle.name,
        region=region,
        tag=tag,
        sort=sort,
        today=today or timezone.localdate(),
    )


def score_rows(organisation: Organisation, cycle: Cycle, *, region: str = "", tag: str = ""):
    """The tidy scores of the units the portfolio page shows (6 queries)."""
    portfolio = pf.portfolio_scores(organisation=organisation, cycles=[cycle])
    units = pf.filter_units(pf.in_cycle(portfolio.units, cycle.name), region=region, tag=tag)
    return tidy_score_rows(
        pf.in_cycle(portfolio.cells, cycle.name),
        sorted(units["unit"]),
        portfolio.capability_codes,
        list(portfolio.dimensions["dimension"]),
        organisation=organisation.slug,
        cycle=cycle.name,
    )


def assessment_score_rows(assessment: Assessment) -> list[list]:
    """One assessment's tidy scores, as `export_scores` writes them (5 queries)."""
    table = tidy_scores(Assessment.objects.filter(pk=assessment.pk))
    return [
        [*labels, _score(score), _level(level)]
        for *labels, score, level in table.astype(object).itertuples(index=False)
    ]


def shown_units(organisation: Organisation, cycle: Cycle, *, region: str = "", tag: str = ""):
    """Slugs of the units assessed in the cycle, after the region/tag filters (1 query)."""
    rows = BusinessUnit.objects.filter(organisation=organisation, assessments__cycle=cycle)
    units = pd.DataFrame(
        list(rows.values_list("slug", "name", "region", "tags")),
        columns=["unit", "unit_name", "region", "tags"],
    )
    return list(pf.filter_units(units, region=region, tag=tag)["unit"])


def deck_bytes(organisation: Organisation, cycle: Cycle, **filters) -> bytes:
    """The PowerPoint deck (filters: region, tag, sort, today as for `report_data`)."""
    from .exporters.pptx import deck_pptx

    return deck_pptx(report_data(organisation, cycle, **filters))


def workbook_bytes(organisation: Organisation, cycle: Cycle, **filters) -> bytes:
    """The XLSX report workbook: sheets scores, heatmap and recommendations."""
    from .exporters.xlsx import report_workbook

    return report_workbook(report_data(organisation, cycle, **filters))


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
    steps = reco.roadmap(standings, plan.framework.economics, plan.inputs)
    capability_names = dict(capabilities)
    unit_rows = units.set_index("unit")
    tables = unit_tables(pf.in_cycle(portfolio.cells, cycle), order, capabilities, dimensions)
    summaries = []
    for slug in order:
        table = tables[slug]
        capability_levels = [_level(v) for v in levels.loc[slug]]
        summaries.append(
            UnitSummary(
                slug=slug,
                name=names[slug],
                region=unit_rows.at[slug, "region"],
                status=unit_rows.at[slug, "status"],
                maturity_index=_score(maturity[slug]),
                table=table,
                capability_scores=[_score(v) for v in scores.loc[slug]],
                capability_levels=capability_levels,
                binding=[
                    [cell is not None and cell == level for cell in row]
                    for row, level in zip(table.levels, capability_levels, strict=True)
                ],
                recommendations=per_unit.get(slug, []),
            )
        )
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
        maturity=[_score(maturity[slug]) for slug in order],
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
            )
            for step in steps
        ],
        deom=deom_grid(recommendations),
        missing_value_bases=sorted(
            {r.benefit_metric for r in recommendations} - set(plan.inputs.value_bases)
        ),
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
            scores.xs(unit, level="unit"),
            levels.xs(unit, level="unit"),
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
) -> list[list]:
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
        [organisation, unit, cycle, capability, dimension, _score(score), _level(level)]
        for (unit, capability, dimension), score, level in zip(
            table.index, rounded, table["level"], strict=True
        )
    ]


def _score(value) -> float | None:
    return None if is_blank(value) else float(value)


def _level(value) -> int | None:
    return None if is_blank(value) else int(value)
