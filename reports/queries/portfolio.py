"""Reads of many assessments' scores: an organisation's portfolio in a fixed number of
queries whatever the number of units, and the tidy scores of the exports.

`portfolio_scores` is the one selector of the report pages: it reads the scores stored
for every assessment of the chosen cycles in one query (assessments/queries/scores.py),
scores from their answers, in one more query, any assessment that has none stored, and
adds one query for the assessments' labels and three for the framework's capabilities,
dimensions and level names — the same six queries for 2 units or 500.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from django.db.models import Q

from assessments.domain import scoring
from assessments.models import (
    Assessment,
    BusinessUnit,
    Capability,
    Cycle,
    Dimension,
    Engagement,
    Level,
    Organisation,
    TargetLevel,
)
from assessments.queries.scores import (
    BY,
    answer_levels,
    questions_by_id_frame,
    score_answers,
    stored_scores,
    unstored_scores,
)
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
        list(rows),
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


def score_assessments(
    assessments, *, binding_dimensions: bool = True
) -> tuple[pd.DataFrame, scoring.Scores]:
    """(labels, scores) for the given assessments queryset, in three queries, scored from
    their answers (assessments.queries.scores.score_answers). With
    `binding_dimensions=False` the capabilities frame has no binding_dimensions column."""
    labels = assessments_frame(assessments)
    scores = score_answers(
        answer_levels(assessments),
        questions_by_id_frame(set(labels["framework"])),
        binding_dimensions=binding_dimensions,
    )
    return labels, scores


def tidy_scores(assessments) -> pd.DataFrame:
    """One row per assessment per capability per dimension, blank where nothing is scorable."""
    labels, scores = score_assessments(assessments)
    framework_ids = list(set(labels["framework"]))
    capabilities = pd.DataFrame(
        list(
            Capability.objects.filter(framework_id__in=framework_ids).values_list(
                "framework_id", "code", "position"
            )
        ),
        columns=["framework", "capability", "capability_position"],
    )
    dimensions = pd.DataFrame(
        list(
            Dimension.objects.filter(framework_id__in=framework_ids).values_list(
                "framework_id", "code", "position"
            )
        ),
        columns=["framework", "dimension", "dimension_position"],
    )
    grid = labels.merge(capabilities, on="framework").merge(dimensions, on="framework")
    table = grid.merge(scores.cells, on=["assessment", "capability", "dimension"], how="left")
    table = table.sort_values(
        ["organisation", "cycle", "unit", "capability_position", "dimension_position"]
    )
    table["score"] = table["score"].round(4)
    table["level"] = table["level"].astype("Int64")
    return table[
        ["organisation", "unit", "cycle", "capability", "dimension", "score", "level"]
    ].reset_index(drop=True)


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
) -> Portfolio:
    """The organisation's units scored in the given cycles, in six queries.

    Capabilities, dimensions and level names are those of the last cycle's
    framework version; other cycles are scored on their own version and matched
    by capability code. With `unit`, only that unit's assessments are loaded. With
    `cells=False` the cells frame is empty (pages that show capabilities only then
    read a quarter of the rows).
    """
    assessments = Assessment.objects.filter(
        unit__organisation=organisation, cycle__in=[c.pk for c in cycles]
    )
    if unit is not None:
        assessments = assessments.filter(unit=unit)
    labels = assessments_frame(assessments)
    stored_capabilities, stored_cells = stored_scores(assessments, cells=cells)
    live = unstored_scores(assessments)
    capability_rows = _rows(stored_capabilities, live.capabilities)
    cell_rows = _rows(stored_cells, live.cells) if cells else stored_cells
    framework_id = cycles[-1].framework_id if cycles else None
    capabilities = pd.DataFrame(
        list(
            Capability.objects.filter(framework_id=framework_id)
            .order_by("position")
            .values_list("code", "name")
        ),
        columns=["capability", "name"],
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
    keys = labels[["assessment", "cycle", "unit"]]

    def labelled(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        if frame.empty:
            return pd.DataFrame(columns=columns)
        return frame.merge(keys, on="assessment")[columns]

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
    units without a score left out, as on the portfolio page — in two queries (stored
    scores, and the answers of assessments without any). A capability no unit has a
    score for is absent. For the unit report's comparison with the portfolio."""
    assessments = Assessment.objects.filter(unit__organisation=organisation, cycle=cycle)
    stored, _ = stored_scores(assessments, cells=False)
    rows = _rows(stored, unstored_scores(assessments).capabilities)
    if rows.empty:
        return {}
    return rows.groupby("capability")["score"].median().astype(float).to_dict()


def _rows(stored: pd.DataFrame, live: pd.DataFrame) -> pd.DataFrame:
    """Stored and freshly computed rows of one frame, in the stored frame's columns."""
    parts = [frame[list(stored.columns)] for frame in (stored, live) if not frame.empty]
    if not parts:
        return stored
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


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
        list(BusinessUnit.objects.filter(organisation=organisation).values_list("region", "tags")),
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
