"""Reads for the exports: the deck's and workbook's data, and the tidy answers and scores
tables (docs/design.md, "Tidy file formats")."""

from __future__ import annotations

import datetime

import pandas as pd
from django.utils import timezone

from assessments.domain.answers import answer_text
from assessments.domain.tidy import ANSWER_COLUMNS, SCORE_COLUMNS
from assessments.models import Answer, Assessment, BusinessUnit, Cycle, Organisation
from assessments.queries.scores import stored_scores
from reports.domain import portfolio as pf
from reports.domain.report_data import ReportData, assemble, tidy_score_rows

from .planning import plan_for_cycle
from .portfolio import assessments_frame, assessments_in, framework_grids, portfolio_scores


def answers_table(
    cycle: str | None = None, organisation: str | None = None, units=None
) -> tuple[list[str], list[list]]:
    """The tidy answers; `units` (slugs), when given, keeps only those units' rows."""
    answers = Answer.objects.filter(response__assessment__in=assessments_in(cycle, organisation))
    if units is not None:
        answers = answers.filter(response__assessment__unit__slug__in=list(units))
    rows = answers.order_by(
        "response__assessment__unit__organisation__slug",
        "response__assessment__cycle__name",
        "response__assessment__unit__slug",
        "response__respondent",
        "question__position",
    ).values_list(
        "response__assessment__unit__organisation__slug",
        "response__assessment__unit__slug",
        "response__assessment__cycle__name",
        "response__respondent",
        "question__code",
        "choice",
        "value",
        "special",
        "comment",
    )
    return ANSWER_COLUMNS, [
        [
            org,
            unit,
            cyc,
            who,
            code,
            answer_text(choice=choice, value=value, special=special),
            comment,
        ]
        for org, unit, cyc, who, code, choice, value, special, comment in rows
    ]


def scores_table(
    cycle: str | None = None, organisation: str | None = None
) -> tuple[list[str], list[list]]:
    return SCORE_COLUMNS, tidy_scores(assessments_in(cycle, organisation))


def tidy_scores(assessments) -> list[list]:
    """The tidy scores of the given assessments, by organisation, cycle and unit: one row per
    capability per dimension of the cycle's framework, blank where nothing is scorable.
    Four queries: labels, stored cells, the frameworks' capabilities and dimensions."""
    labels = assessments_frame(assessments)
    _, cells = stored_scores(assessments)
    cells = cells.merge(labels[["assessment", "unit"]], on="assessment")
    grids = framework_grids(set(labels["framework"]))
    rows: list[list] = []
    for (organisation, cycle, framework), group in labels.groupby(
        ["organisation", "cycle", "framework"], sort=True
    ):
        capabilities, dimensions = grids[framework]
        rows += tidy_score_rows(
            cells[cells["assessment"].isin(group["assessment"])],
            sorted(group["unit"]),
            capabilities,
            dimensions,
            organisation=organisation,
            cycle=cycle,
        )
    return rows


def report_data(
    organisation: Organisation,
    cycle: Cycle,
    *,
    region: str = "",
    tag: str = "",
    sort: str = "-maturity",
    today: datetime.date | None = None,
) -> ReportData:
    """The organisation's units in the cycle, filtered and sorted as the portfolio page, with
    the previous cycle's scores for the changes since (one query more to find it)."""
    previous = (
        Cycle.objects.filter(organisation=organisation, name__lt=cycle.name)
        .select_related("framework")
        .order_by("-name")
        .first()
    )
    cycles = [previous, cycle] if previous is not None else [cycle]
    portfolio = portfolio_scores(organisation=organisation, cycles=cycles)
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
    """The tidy scores of the units the portfolio page shows (5 queries)."""
    portfolio = portfolio_scores(organisation=organisation, cycles=[cycle])
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
    """One assessment's tidy scores, as `export_scores` writes them (4 queries)."""
    return tidy_scores(Assessment.objects.filter(pk=assessment.pk))


def shown_units(organisation: Organisation, cycle: Cycle, *, region: str = "", tag: str = ""):
    """Slugs of the units assessed in the cycle, after the region/tag filters (1 query)."""
    rows = BusinessUnit.objects.filter(organisation=organisation, assessments__cycle=cycle)
    units = pd.DataFrame(
        list(rows.values_list("slug", "name", "region", "tags")),
        columns=["unit", "unit_name", "region", "tags"],
    )
    return list(pf.filter_units(units, region=region, tag=tag)["unit"])
