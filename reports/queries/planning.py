"""Reads for recommendations and roadmaps: the plain inputs of reports/domain/planning.py
from the database, in a fixed number of queries whatever the number of units.

- framework economics (levels, capabilities, questions): 4 queries;
- engagement inputs (engagement, value bases, target levels): 3 queries;
- scores: those of the unit report, or assessments.queries.scores.assessment_scores
  (stored scores and question levels: 3 queries).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

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
from assessments.queries.access import latest_cycle
from assessments.queries.scores import assessment_scores
from reports.domain import planning as reco
from reports.domain.planning import (
    CycleRef,
    EngagementData,
    FormShape,
    FrameworkData,
    OrganisationRef,
    Overrides,
    Plan,
)

# --- framework and engagement ---------------------------------------------------------------


def framework_data(cycle: Cycle) -> FrameworkData:
    """Levels, capabilities, dimensions and questions of the cycle's framework version, as
    far as the cycle asks them (its profile's): 4 queries."""
    framework_id = cycle.framework_id
    levels = tuple(
        reco.LevelEconomics(number, name, benefit_factor, cost_multiplier, description)
        for number, name, benefit_factor, cost_multiplier, description in Level.objects.filter(
            framework_id=framework_id
        )
        .order_by("number")
        .values_list("number", "name", "benefit_factor", "cost_multiplier", "description")
    )
    capabilities = tuple(
        reco.CapabilityEconomics(
            code=c.code,
            name=c.name,
            cost_low=None if c.cost_low is None else float(c.cost_low),
            cost_high=None if c.cost_high is None else float(c.cost_high),
            impact=c.impact,
            benefit_metric=c.benefit_metric,
            benefit_percent=c.benefit_percent,
            time_to_value_months=c.time_to_value_months,
            cost_is_assumption=c.cost_is_assumption,
        )
        for c in Capability.objects.asked_in(cycle).order_by("position")
    )
    stored = list(
        Question.objects.asked_in(cycle)
        .select_related("capability", "dimension")
        .order_by("position")
    )
    questions = tuple(
        reco.QuestionSpec(
            code=q.code,
            capability=q.capability.code,
            dimension=q.dimension.code,
            text=q.text,
            type=q.type,
            options=q.level_texts,
            unit=q.unit,
            higher_is_better=q.higher_is_better,
            thresholds=q.threshold_levels,
        )
        # A question of weight 0 is not scored, so it is never a step to the next level.
        for q in stored
        if q.weight > 0
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
        asked=frozenset((q.capability.code, q.dimension.code) for q in stored),
    )


def engagement_data(organisation: Organisation) -> EngagementData:
    """The organisation's engagement inputs (defaults when none are stored yet): 3 queries."""
    engagement = Engagement.objects.filter(organisation=organisation).first()
    stored = engagement is not None
    engagement = engagement or Engagement(organisation=organisation)
    value_bases: dict[str, float] = {}
    unit_value_bases: dict[str, dict[str, float]] = {}
    for unit_slug, metric, value in ValueBase.objects.filter(organisation=organisation).values_list(
        "unit__slug", "benefit_metric", "annual_value"
    ):
        if unit_slug is None:
            value_bases[metric] = float(value)
        else:
            unit_value_bases.setdefault(unit_slug, {})[metric] = float(value)
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
            unit_value_bases=unit_value_bases,
        ),
        stored=stored,
        default_target=engagement.default_target_level,
        organisation_targets=organisation_targets,
        unit_targets=unit_targets,
    )


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


def plan_for_assessment(
    assessment: Assessment, *, scores=None, overrides: Overrides | None = None
) -> Plan:
    """One unit's plan; pass the unit report's scores to avoid scoring twice."""
    if scores is None:
        scores = assessment_scores(Assessment.objects.filter(pk=assessment.pk))
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
    scores = assessment_scores(Assessment.objects.filter(pk__in=list(assessed)))
    return _plan(organisation, cycle, scores, assessed, overrides)


def _plan(organisation, cycle, scores, units, overrides) -> Plan:
    framework = framework_data(cycle)
    engagement = engagement_data(organisation)
    inputs = (overrides or Overrides()).apply(engagement.inputs)
    unit_standings = standings(scores, units, framework, engagement)
    recommendations = [
        recommendation
        for standing in unit_standings
        for recommendation in reco.recommend(standing, framework.economics, inputs)
    ]
    return Plan(
        organisation=OrganisationRef(slug=organisation.slug, name=organisation.name),
        cycle=CycleRef(name=cycle.name),
        framework=framework,
        engagement=engagement,
        inputs=inputs,
        units=unit_standings,
        recommendations=recommendations,
        assessments={unit.slug: assessment_id for assessment_id, unit in units.items()},
    )


# --- the engagement inputs form ----------------------------------------------------------


def engagement_form_shape(organisation: Organisation) -> FormShape:
    """What the inputs form asks about: 3 queries. Without any cycle there is no framework,
    so only the value bases already stored are shown and targets cannot be set."""
    latest = latest_cycle(organisation)
    framework_ids = Cycle.objects.filter(organisation=organisation).values("framework_id")
    capabilities = Capability.objects.filter(framework_id__in=framework_ids).order_by(
        "-framework__loaded_at", "position"
    )
    metrics: list[str] = []
    latest_capabilities: list[tuple[str, str]] = []
    assumed: list[reco.AssumedCost] = []
    for framework_id, code, name, metric, low, high, is_assumption in capabilities.values_list(
        "framework_id", "code", "name", "benefit_metric", "cost_low", "cost_high",
        "cost_is_assumption",
    ):  # fmt: skip
        if metric and metric not in metrics:  # a capability without cost data has none
            metrics.append(metric)
        if latest is not None and framework_id == latest.framework_id:
            latest_capabilities.append((code, name))
            if is_assumption and low is not None and high is not None:
                assumed.append(reco.AssumedCost(code, name, float(low), float(high)))
    levels = (
        dict(Level.objects.filter(framework_id=latest.framework_id).values_list("number", "name"))
        if latest is not None
        else {}
    )
    return FormShape(sorted(metrics), latest_capabilities, levels, assumed)
