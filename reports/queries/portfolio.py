"""Reads of many assessments' scores: an organisation's portfolio in a fixed number of
queries whatever the number of units, and the tidy scores of the exports.

`portfolio_scores` is the one selector of the report pages: it reads the scores stored
for every assessment of the chosen cycles in one query (assessments/queries/scores.py)
and adds one query for the assessments' labels and three for the framework's
capabilities, dimensions and level names — the same five queries for 2 units or 500.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from statistics import median

import pandas as pd
from django.db.models import Q

from assessments.domain import scoring
from assessments.domain.stored_scores import CAPABILITY_ROW
from assessments.models import (
    Assessment,
    BusinessUnit,
    Capability,
    Cycle,
    Dimension,
    Engagement,
    Level,
    Organisation,
    StoredScore,
    TargetLevel,
)
from assessments.queries.scores import BY, raw_rows, stored_scores
from reports.domain.portfolio import (
    UNIT_COLUMNS,
    Portfolio,
    regions,
    resolve_targets,
    tags,
)


def assessments_frame(assessments) -> pd.DataFrame:
    """One row per assessment with its labels (one query)."""
    rows = assessments.values_list(
        "pk",
        "unit__organisation__slug",
        "unit__slug",
        "unit__name",
        "unit__region",
        "unit__tags",
        "cycle__name",
        "cycle__framework_id",
        "status",
    )
    return pd.DataFrame(
        raw_rows(rows),  # numbers and text only: no per-row conversion needed
        columns=[
            "assessment",
            "organisation",
            "unit",
            "unit_name",
            "region",
            "tags",
            "cycle",
            "framework",
            "status",
        ],
    )


def framework_grids(framework_ids) -> dict[int, tuple[list[str], list[str]]]:
    """Per framework version: its capability codes and dimension codes, in order (2 queries)."""
    grids: dict[int, tuple[list[str], list[str]]] = {f: ([], []) for f in framework_ids}
    for framework, code in (
        Capability.objects.filter(framework_id__in=grids)
        .order_by("framework_id", "position")
        .values_list("framework_id", "code")
    ):
        grids[framework][0].append(code)
    for framework, code in (
        Dimension.objects.filter(framework_id__in=grids)
        .order_by("framework_id", "position")
        .values_list("framework_id", "code")
    ):
        grids[framework][1].append(code)
    return grids


def assessments_in(cycle: str | None = None, organisation: str | None = None):
    selected = Assessment.objects.all()
    if cycle:
        selected = selected.filter(cycle__name=cycle)
    if organisation:
        selected = selected.filter(unit__organisation__slug=organisation)
    return selected


def portfolio_scores(
    *,
    organisation: Organisation,
    cycles: Sequence[Cycle],
    unit: BusinessUnit | None = None,
    cells: bool = True,
    scored_units: Collection[str] | None = None,
) -> Portfolio:
    """The organisation's units scored in the given cycles, in five queries.

    Capabilities, dimensions and level names are those of the last cycle's
    framework version; other cycles are scored on their own version and matched
    by capability code. With `unit`, only that unit's assessments are loaded. With
    `cells=False` the cells frame is empty (pages that show capabilities only then
    read a quarter of the rows). With `scored_units` (unit slugs), every unit is listed
    but only those units' scores are read: the comparison names all 500 units of its
    form and shows five.
    """
    assessments = Assessment.objects.filter(
        unit__organisation=organisation, cycle__in=[c.pk for c in cycles]
    )
    if unit is not None:
        assessments = assessments.filter(unit=unit)
    labels = assessments_frame(assessments)
    scored = assessments
    if scored_units is not None:
        scored = assessments.filter(unit__slug__in=list(scored_units))
    capability_rows, cell_rows = stored_scores(scored, cells=cells)
    framework_id = cycles[-1].framework_id if cycles else None
    capabilities = pd.DataFrame(
        list(
            (Capability.objects.asked_in(cycles[-1]) if cycles else Capability.objects.none())
            .order_by("position")
            .values_list("code", "name", "groups")
        ),
        columns=["capability", "name", "groups"],
    )
    dimensions = pd.DataFrame(
        list(
            Dimension.objects.filter(framework_id=framework_id)
            .order_by("position")
            .values_list("code", "name")
        ),
        columns=["dimension", "name"],
    )
    levels = dict(
        Level.objects.filter(framework_id=framework_id)
        .order_by("number")
        .values_list("number", "name")
    )
    by_assessment = pd.Index(labels["assessment"])

    def labelled(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        """The rows with their assessment's cycle and unit (an inner join on the
        assessment, in the rows' order), by position: a merge cost a millisecond each."""
        if frame.empty:
            return pd.DataFrame(columns=columns)
        at = by_assessment.get_indexer(frame["assessment"])
        found = at >= 0
        if not found.all():
            frame, at = frame[found], at[found]
        return frame.assign(
            cycle=labels["cycle"].array.take(at), unit=labels["unit"].array.take(at)
        )[columns].reset_index(drop=True)

    return Portfolio(
        units=labels[UNIT_COLUMNS],
        capabilities=capabilities,
        dimensions=dimensions,
        levels=levels,
        cells=labelled(cell_rows, ["cycle", "unit", "capability", "dimension", "score", "level"]),
        capability_scores=labelled(
            capability_rows, ["cycle", "unit", "capability", "score", "level"]
        ),
        maturity=labelled(
            scoring.maturity_indices(capability_rows, BY), ["cycle", "unit", "maturity_index"]
        ),
    )


def capability_medians(*, organisation: Organisation, cycle: Cycle) -> dict[str, float]:
    """Per capability code, the median score of the organisation's units in the cycle —
    units without a score left out, as on the portfolio page — in one query of the stored
    scores. A capability no unit has a score for is absent. For the unit report's
    comparison with the portfolio."""
    scores: dict[str, list[float]] = {}
    # plain rows, not stored_scores' frames: building them was most of the time of a
    # median of 500 units (the unit report's largest read)
    for capability, score in raw_rows(
        StoredScore.objects.filter(
            assessment__unit__organisation=organisation,
            assessment__cycle=cycle,
            dimension=CAPABILITY_ROW,
            score__isnull=False,
        ).values_list("capability", "score")
    ):
        scores.setdefault(capability, []).append(score)
    return {capability: float(median(values)) for capability, values in scores.items()}


def target_levels(unit: BusinessUnit, capability_codes: Sequence[str]) -> dict[str, int | None]:
    """Each capability's target level for the unit, in two queries.

    The unit's own target, else the organisation's default for the capability
    (a TargetLevel without a unit), else the engagement's default target level,
    else none.
    """
    rows = TargetLevel.objects.filter(organisation_id=unit.organisation_id).filter(
        Q(unit__isnull=True) | Q(unit=unit)
    )
    default = (
        Engagement.objects.filter(organisation_id=unit.organisation_id)
        .values_list("default_target_level", flat=True)
        .first()
    )
    return resolve_targets(
        rows.values_list("unit_id", "capability_code", "level"), default, capability_codes
    )


@dataclass(frozen=True)
class ReportChoices:
    """What the filters of an organisation's report pages can choose from."""

    cycles: list[Cycle]  # sorted by name, with their framework
    regions: list[str]
    tags: list[str]
    capability_codes: list[str]  # of every framework version its cycles use

    @property
    def cycle_names(self) -> list[str]:
        return [cycle.name for cycle in self.cycles]

    def cycle(self, name: str | None) -> Cycle | None:
        return next((cycle for cycle in self.cycles if cycle.name == name), None)


def report_choices(organisation: Organisation) -> ReportChoices:
    """Three queries whatever the number of units."""
    cycles = list(
        Cycle.objects.filter(organisation=organisation).select_related("framework").order_by("name")
    )
    units = pd.DataFrame(
        # each (region, tags) once: what the choices need, not a row a unit
        list(
            BusinessUnit.objects.filter(organisation=organisation)
            .order_by()
            .values_list("region", "tags")
            .distinct()
        ),
        columns=["region", "tags"],
    )
    codes = (
        Capability.objects.filter(framework__cycles__organisation=organisation)
        .order_by()
        .values_list("code", flat=True)
        .distinct()
    )
    return ReportChoices(
        cycles=cycles, regions=regions(units), tags=tags(units), capability_codes=sorted(set(codes))
    )
