"""Reads for recommendations and roadmaps: build the plain inputs of
assessments.recommendations from the database, scoped to the user, in a fixed
number of queries whatever the number of units.

- framework economics (levels, capabilities, questions): 3 queries;
- engagement inputs (engagement, value bases, target levels): 3 queries;
- scores: those of the unit report, or reports.aggregation.score_assessments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd
from django.http import Http404

from assessments import recommendations as reco
from assessments.models import (
    Assessment,
    BusinessUnit,
    Capability,
    Cycle,
    Dimension,
    Engagement,
    Level,
    Organisation,
    Question,
    TargetLevel,
    ValueBase,
)
from assessments.queries import units_for_user

from .aggregation import score_assessments

# The fields of one recommended upgrade, in the order of DESIGN.md's `recommend` output;
# the report workbook's recommendations sheet shows the same fields beside unit names.
RECOMMENDATION_FIELDS = [
    "capability",
    "from_level",
    "to_level",
    "binding_dimensions",
    "cost_low",
    "cost_high",
    "npv_best",
    "npv_base",
    "npv_downside",
    "priority",
    "negative_npv",
    "deom_mode",
]


# --- access -------------------------------------------------------------------------------


def get_unit_for_user(user, organisation_slug: str, unit_slug: str) -> BusinessUnit:
    """A unit its members, its organisation's consultants and admins may see; 404 otherwise."""
    unit = (
        units_for_user(user)
        .filter(organisation__slug=organisation_slug, slug=unit_slug)
        .select_related("organisation")
        .first()
    )
    if unit is None:
        raise Http404("No such unit.")
    return unit


def get_cycle(organisation: Organisation, name: str | None) -> Cycle:
    """The named cycle of the organisation, or its latest when no name is given."""
    cycles = Cycle.objects.filter(organisation=organisation).select_related("framework")
    cycle = cycles.filter(name=name).first() if name else cycles.order_by("-name").first()
    if cycle is None:
        raise Http404("No such cycle.")
    return cycle


# --- framework and engagement ---------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkData:
    economics: reco.FrameworkEconomics
    questions: tuple[reco.QuestionSpec, ...]
    level_names: dict[int, str]
    dimension_names: dict[str, str]


def framework_data(framework_id: int) -> FrameworkData:
    """Levels, capabilities, dimensions and questions of one framework version: 4 queries."""
    levels = tuple(
        reco.LevelEconomics(number, name, benefit_factor, cost_multiplier)
        for number, name, benefit_factor, cost_multiplier in Level.objects.filter(
            framework_id=framework_id
        )
        .order_by("number")
        .values_list("number", "name", "benefit_factor", "cost_multiplier")
    )
    capabilities = tuple(
        reco.CapabilityEconomics(
            code=c.code,
            name=c.name,
            cost_low=float(c.cost_low),
            cost_high=float(c.cost_high),
            impact=c.impact,
            benefit_metric=c.benefit_metric,
            benefit_percent=c.benefit_percent,
            time_to_value_months=c.time_to_value_months,
        )
        for c in Capability.objects.filter(framework_id=framework_id).order_by("position")
    )
    questions = tuple(
        reco.QuestionSpec(
            code=q.code,
            capability=q.capability.code,
            dimension=q.dimension.code,
            text=q.text,
            type=q.type,
            options=q.option_levels,
            unit=q.unit,
            higher_is_better=q.higher_is_better,
            thresholds=q.threshold_levels,
        )
        for q in Question.objects.filter(framework_id=framework_id)
        .select_related("capability", "dimension")
        .order_by("position")
    )
    dimensions = dict(
        Dimension.objects.filter(framework_id=framework_id)
        .order_by("position")
        .values_list("code", "name")
    )
    return FrameworkData(
        economics=reco.FrameworkEconomics(levels, capabilities),
        questions=questions,
        level_names={level.number: level.name for level in levels},
        dimension_names=dimensions,
    )


@dataclass(frozen=True)
class EngagementData:
    inputs: reco.EngagementInputs
    stored: bool  # False: the organisation has no engagement inputs yet (defaults shown)
    default_target: int | None
    organisation_targets: dict[str, int]  # capability → level, for all units
    unit_targets: dict[int, dict[str, int]]  # unit id → capability → level

    def targets_for(self, unit_id: int | None, capabilities) -> dict[str, int]:
        """Per capability code: the unit's override, else the organisation's target for the
        capability, else the engagement's default target; left out (aim at the top) if none.
        `unit_id=None` gives what a unit without overrides inherits."""
        targets = reco.resolve_target_levels(
            capabilities,
            unit_targets=self.unit_targets.get(unit_id, {}),
            organisation_targets=self.organisation_targets,
            default=self.default_target,
        )
        return {code: level for code, level in targets.items() if level is not None}


def engagement_data(organisation: Organisation) -> EngagementData:
    """The organisation's engagement inputs (defaults when none are stored yet): 3 queries."""
    engagement = Engagement.objects.filter(organisation=organisation).first()
    stored = engagement is not None
    engagement = engagement or Engagement(organisation=organisation)
    value_bases = {
        metric: float(value)
        for metric, value in ValueBase.objects.filter(organisation=organisation).values_list(
            "benefit_metric", "annual_value"
        )
    }
    organisation_targets: dict[str, int] = {}
    unit_targets: dict[int, dict[str, int]] = {}
    for unit_id, code, level in TargetLevel.objects.filter(organisation=organisation).values_list(
        "unit_id", "capability_code", "level"
    ):
        if unit_id is None:
            organisation_targets[code] = level
        else:
            unit_targets.setdefault(unit_id, {})[code] = level
    return EngagementData(
        inputs=reco.EngagementInputs(
            discount_rate=engagement.discount_rate,
            value_bases=value_bases,
            budget_per_cycle=float(engagement.budget_per_cycle),
            funding_cycles=engagement.funding_cycles,
            local_budget_bound=float(engagement.local_budget_bound),
            impact_threshold=float(engagement.impact_threshold),
        ),
        stored=stored,
        default_target=engagement.default_target_level,
        organisation_targets=organisation_targets,
        unit_targets=unit_targets,
    )


@dataclass(frozen=True)
class Overrides:
    """Inputs given for one run (command options) instead of the stored ones."""

    discount_rate: float | None = None
    value_bases: Mapping[str, float] | None = None  # benefit metric → USD a year
    budget_per_cycle: float | None = None
    funding_cycles: int | None = None

    def apply(self, inputs: reco.EngagementInputs) -> reco.EngagementInputs:
        changes = {
            name: value
            for name, value in (
                ("discount_rate", self.discount_rate),
                ("budget_per_cycle", self.budget_per_cycle),
                ("funding_cycles", self.funding_cycles),
            )
            if value is not None
        }
        if self.value_bases:
            changes["value_bases"] = {**inputs.value_bases, **self.value_bases}
        return replace(inputs, **changes)


# --- standings ------------------------------------------------------------------------------


def standings(
    scores, units: Mapping[int, BusinessUnit], framework: FrameworkData, engagement: EngagementData
) -> list[reco.UnitStanding]:
    """One UnitStanding per assessment id in `units` (same order), from scoring.Scores keyed
    by `assessment`, with the to-do list under each binding dimension."""
    capability_rows: dict[int, list] = {}
    for row in scores.capabilities.itertuples():
        capability_rows.setdefault(int(row.assessment), []).append(row)
    question_levels: dict[int, dict[str, int]] = {}
    for row in scores.question_levels.itertuples():
        question_levels.setdefault(int(row.assessment), {})[row.question] = int(row.level)
    result = []
    for assessment_id, unit in units.items():
        held = question_levels.get(assessment_id, {})
        capabilities = []
        for row in capability_rows.get(assessment_id, []):
            if pd.isna(row.level):
                continue
            # In the framework's dimension order, whatever order scoring found them in.
            binding = tuple(d for d in framework.dimension_names if d in row.binding_dimensions)
            capabilities.append(
                reco.CapabilityStanding(
                    capability=row.capability,
                    level=int(row.level),
                    binding_dimensions=binding,
                    todos=reco.binding_todos(
                        row.capability, int(row.level), binding, framework.questions, held
                    ),
                )
            )
        result.append(
            reco.UnitStanding(
                unit=unit.slug,
                unit_name=unit.name,
                capabilities=tuple(capabilities),
                targets=engagement.targets_for(
                    unit.pk, [c.code for c in framework.economics.capabilities]
                ),
            )
        )
    return result


@dataclass(frozen=True)
class Plan:
    """Everything a recommendations or roadmap page, or command, shows for one cycle."""

    organisation: Organisation
    cycle: Cycle
    framework: FrameworkData
    engagement: EngagementData
    inputs: reco.EngagementInputs  # the engagement's, with any overrides applied
    units: list[reco.UnitStanding]
    recommendations: list[reco.Recommendation]  # per unit in priority order, units in turn
    assessments: dict[str, int]  # unit slug → assessment id (for links to unit reports)

    @property
    def missing_value_bases(self) -> list[str]:
        """Benefit metrics of recommended upgrades that have no value base."""
        metrics = {r.benefit_metric for r in self.recommendations}
        return sorted(m for m in metrics if m not in self.inputs.value_bases)

    def roadmap(self) -> list[reco.RoadmapStep]:
        return reco.roadmap(self.units, self.framework.economics, self.inputs)


def plan_for_assessment(
    assessment: Assessment, *, scores=None, overrides: Overrides | None = None
) -> Plan:
    """One unit's plan; pass the unit report's scores to avoid scoring twice."""
    if scores is None:
        _, scores = score_assessments(Assessment.objects.filter(pk=assessment.pk))
    return _plan(
        assessment.unit.organisation,
        assessment.cycle,
        scores,
        {assessment.pk: assessment.unit},
        overrides,
    )


def plan_for_cycle(
    organisation: Organisation,
    cycle: Cycle,
    *,
    unit: BusinessUnit | None = None,
    overrides: Overrides | None = None,
) -> Plan:
    """All units of the organisation assessed in the cycle (or only `unit`), competing for
    one budget."""
    assessments = Assessment.objects.filter(cycle=cycle, unit__organisation=organisation)
    if unit is not None:
        assessments = assessments.filter(unit=unit)
    assessments = assessments.select_related("unit").order_by("unit__name")
    assessed = {a.pk: a.unit for a in assessments}
    _, scores = score_assessments(Assessment.objects.filter(pk__in=list(assessed)))
    return _plan(organisation, cycle, scores, assessed, overrides)


def _plan(organisation, cycle, scores, units, overrides) -> Plan:
    framework = framework_data(cycle.framework_id)
    engagement = engagement_data(organisation)
    inputs = (overrides or Overrides()).apply(engagement.inputs)
    unit_standings = standings(scores, units, framework, engagement)
    recommendations = [
        recommendation
        for standing in unit_standings
        for recommendation in reco.recommend(standing, framework.economics, inputs)
    ]
    return Plan(
        organisation=organisation,
        cycle=cycle,
        framework=framework,
        engagement=engagement,
        inputs=inputs,
        units=unit_standings,
        recommendations=recommendations,
        assessments={unit.slug: assessment_id for assessment_id, unit in units.items()},
    )
