"""Recommendations (DESIGN.md, "Recommendations"), as pure functions over plain data.

For every scored capability below the top level and below its target: the
upgrade from level L to L + 1 (never two levels), its binding dimensions and the
questions that keep each one at L, the cost band times the target level's cost
multiplier, and the 24-month NPV in three scenarios:

- months t = 1…24, monthly rate m = (1 + r)^(1/12) − 1;
- cost C/12 in each month 1…12;
- benefit B/12 in each month t > time-to-value, B = value base × benefit percent
  × scenario share × the target level's benefit factor;
- NPV = Σ (benefit_t − cost_t) / (1 + m)^t.

Scenarios: best (low cost, 100 % of the benefit), base (mid-band cost, 75 %),
downside (high cost, 40 %). Priority ranks by base NPV per mid-band dollar.
Each upgrade is placed on the DEOM 2 × 2 (autonomy × impact). The roadmap picks,
funding cycle by funding cycle, the set of upgrades with the largest total base
NPV within the budget (exact, see assessments.knapsack).

Money is USD as float; the roadmap compares cents as integers. No Django here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .knapsack import best_subset

MONTHS = 24
COST_MONTHS = 12
DEFAULT_DISCOUNT_RATE = 0.10


@dataclass(frozen=True)
class Scenario:
    name: str
    cost: str  # which end of the cost band: "low", "mid" or "high"
    benefit_share: float


SCENARIOS = (
    Scenario("best", "low", 1.0),
    Scenario("base", "mid", 0.75),
    Scenario("downside", "high", 0.40),
)

GUARDRAILED_INNOVATION = "Guardrailed Innovation"
CENTRALIZED_SCALE = "Centralized Scale"
TACTICAL_OPTIMIZATION = "Tactical Optimization"
STRATEGIC_HOLD = "Strategic Hold"
# (autonomy high, impact high) → mode
DEOM_MODES = {
    (True, True): GUARDRAILED_INNOVATION,
    (False, True): CENTRALIZED_SCALE,
    (True, False): TACTICAL_OPTIMIZATION,
    (False, False): STRATEGIC_HOLD,
}


# --- inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelEconomics:
    """A framework level; both factors apply to an upgrade *to* this level."""

    number: int
    name: str
    benefit_factor: float = 1.0
    cost_multiplier: float = 1.0


@dataclass(frozen=True)
class CapabilityEconomics:
    code: str
    name: str
    cost_low: float
    cost_high: float
    impact: str
    benefit_metric: str
    benefit_percent: float  # 12 means 12 %
    time_to_value_months: int


@dataclass(frozen=True)
class FrameworkEconomics:
    levels: tuple[LevelEconomics, ...]  # in order, 1 first
    capabilities: tuple[CapabilityEconomics, ...]  # in framework order

    @property
    def top_level(self) -> int:
        return max(level.number for level in self.levels)

    def level(self, number: int) -> LevelEconomics:
        return next(level for level in self.levels if level.number == number)


@dataclass(frozen=True)
class QuestionSpec:
    """What a question needs to say what reaching the next level takes."""

    code: str
    capability: str
    dimension: str
    text: str
    type: str  # "choice" or "numeric"
    options: Mapping[int, str] = field(default_factory=dict)  # choice: level → description
    unit: str = ""
    higher_is_better: bool = True
    thresholds: Mapping[int, float] = field(default_factory=dict)  # numeric: level → value


@dataclass(frozen=True)
class ToDo:
    """A question that keeps a binding dimension at its level, and what the next level takes."""

    question: str
    text: str
    dimension: str
    level: int  # the unit's level on this question
    next_step: str  # the option describing L + 1, or "reach ≤ 4 hours"


@dataclass(frozen=True)
class CapabilityStanding:
    """A unit's scored capability: its level, binding dimensions and to-do list."""

    capability: str
    level: int
    binding_dimensions: tuple[str, ...]
    todos: tuple[ToDo, ...] = ()


@dataclass(frozen=True)
class UnitStanding:
    unit: str  # slug, as in the tidy files
    unit_name: str
    capabilities: tuple[CapabilityStanding, ...]  # scored capabilities only
    targets: Mapping[str, int] = field(default_factory=dict)  # capability → target level


@dataclass(frozen=True)
class EngagementInputs:
    discount_rate: float = DEFAULT_DISCOUNT_RATE  # a year; 0.10 is 10 %
    value_bases: Mapping[str, float] = field(default_factory=dict)  # benefit metric → USD a year
    budget_per_cycle: float = 0.0
    funding_cycles: int = 1
    local_budget_bound: float = 0.0
    impact_threshold: float = 0.0

    def value_base(self, metric: str) -> float:
        """A metric without a value base is worth nothing (its upgrades show negative NPV)."""
        return float(self.value_bases.get(metric, 0.0))


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    unit: str
    unit_name: str
    capability: str
    capability_name: str
    from_level: int
    to_level: int
    target_level: int
    binding_dimensions: tuple[str, ...]
    todos: tuple[ToDo, ...]
    cost_low: float  # after the target level's cost multiplier
    cost_high: float
    impact: str
    benefit_metric: str
    value_base: float
    time_to_value_months: int
    npv_best: float
    npv_base: float
    npv_downside: float
    deom_mode: str
    priority: int = 0  # 1 = first; set by recommend()

    @property
    def cost_mid(self) -> float:
        return (self.cost_low + self.cost_high) / 2

    @property
    def negative_npv(self) -> bool:
        return self.npv_base < 0

    @property
    def npv_per_dollar(self) -> float:
        """Base NPV per mid-band dollar; a free upgrade ranks by the sign of its NPV."""
        if self.cost_mid > 0:
            return self.npv_base / self.cost_mid
        return math.copysign(math.inf, self.npv_base) if self.npv_base else 0.0


@dataclass(frozen=True)
class RoadmapStep:
    funding_cycle: int  # 1 = the first funding cycle
    unit: str
    capability: str
    from_level: int
    to_level: int
    cost_mid: float
    npv_base: float  # as of the start of its funding cycle


# --- NPV ----------------------------------------------------------------------------------


def monthly_rate(discount_rate: float) -> float:
    return (1 + discount_rate) ** (1 / 12) - 1


def npv_24_months(
    *, cost: float, annual_benefit: float, time_to_value_months: int, discount_rate: float
) -> float:
    """Σ over t = 1…24 of (benefit_t − cost_t) / (1 + m)^t, with cost/12 in months 1…12
    and annual_benefit/12 in the months after the time-to-value."""
    m = monthly_rate(discount_rate)
    total = 0.0
    for t in range(1, MONTHS + 1):
        cash = (annual_benefit / 12 if t > time_to_value_months else 0.0) - (
            cost / 12 if t <= COST_MONTHS else 0.0
        )
        total += cash / (1 + m) ** t
    return total


def cost_band(capability: CapabilityEconomics, to_level: LevelEconomics) -> tuple[float, float]:
    return (
        float(capability.cost_low) * to_level.cost_multiplier,
        float(capability.cost_high) * to_level.cost_multiplier,
    )


def scenario_npvs(
    capability: CapabilityEconomics, to_level: LevelEconomics, inputs: EngagementInputs
) -> dict[str, float]:
    """{"best": …, "base": …, "downside": …} for an upgrade of `capability` to `to_level`."""
    low, high = cost_band(capability, to_level)
    costs = {"low": low, "mid": (low + high) / 2, "high": high}
    full_benefit = (
        inputs.value_base(capability.benefit_metric)
        * capability.benefit_percent
        / 100
        * to_level.benefit_factor
    )
    return {
        scenario.name: npv_24_months(
            cost=costs[scenario.cost],
            annual_benefit=full_benefit * scenario.benefit_share,
            time_to_value_months=capability.time_to_value_months,
            discount_rate=inputs.discount_rate,
        )
        for scenario in SCENARIOS
    }


def deom_mode(
    *, cost_high: float, npv_base: float, local_budget_bound: float, impact_threshold: float
) -> str:
    """Autonomy is high when the high-end cost fits the unit's local budget bound; impact
    is high when the base NPV reaches the organisation's threshold."""
    return DEOM_MODES[(cost_high <= local_budget_bound, npv_base >= impact_threshold)]


# --- one-level upgrades -------------------------------------------------------------------


def resolve_target_levels(
    capabilities: Iterable[str],
    *,
    unit_targets: Mapping[str, int],
    organisation_targets: Mapping[str, int],
    default: int | None,
) -> dict[str, int | None]:
    """Each capability's target: the unit's own, else the organisation's for that
    capability, else the engagement's default; None when none is set (aim at the top)."""
    return {
        code: unit_targets.get(code, organisation_targets.get(code, default))
        for code in capabilities
    }


def target_level(unit: UnitStanding, capability: str, framework: FrameworkEconomics) -> int:
    return min(unit.targets.get(capability, framework.top_level), framework.top_level)


def one_level_upgrade(
    capability: CapabilityEconomics,
    standing: CapabilityStanding,
    framework: FrameworkEconomics,
    inputs: EngagementInputs,
    *,
    target: int | None = None,
    unit: str = "",
    unit_name: str = "",
) -> Recommendation | None:
    """The upgrade from the capability's level L to L + 1, or None at the top level or
    at/above the target."""
    target = framework.top_level if target is None else min(target, framework.top_level)
    if standing.level >= target:
        return None
    to_level = framework.level(standing.level + 1)
    low, high = cost_band(capability, to_level)
    npvs = scenario_npvs(capability, to_level, inputs)
    return Recommendation(
        unit=unit,
        unit_name=unit_name,
        capability=capability.code,
        capability_name=capability.name,
        from_level=standing.level,
        to_level=to_level.number,
        target_level=target,
        binding_dimensions=standing.binding_dimensions,
        todos=standing.todos,
        cost_low=low,
        cost_high=high,
        impact=capability.impact,
        benefit_metric=capability.benefit_metric,
        value_base=inputs.value_base(capability.benefit_metric),
        time_to_value_months=capability.time_to_value_months,
        npv_best=npvs["best"],
        npv_base=npvs["base"],
        npv_downside=npvs["downside"],
        deom_mode=deom_mode(
            cost_high=high,
            npv_base=npvs["base"],
            local_budget_bound=inputs.local_budget_bound,
            impact_threshold=inputs.impact_threshold,
        ),
    )


def by_priority(recommendations: Sequence[Recommendation]) -> list[Recommendation]:
    """Highest base NPV per mid-band dollar first, numbered from 1 (ties: framework order)."""
    ranked = sorted(enumerate(recommendations), key=lambda pair: (-pair[1].npv_per_dollar, pair[0]))
    return [replace(r, priority=rank) for rank, (_, r) in enumerate(ranked, start=1)]


def recommend(
    unit: UnitStanding, framework: FrameworkEconomics, inputs: EngagementInputs
) -> list[Recommendation]:
    """One recommendation per scored capability that can still move up, in priority order."""
    standings = {s.capability: s for s in unit.capabilities}
    found = []
    for capability in framework.capabilities:
        standing = standings.get(capability.code)
        if standing is None:
            continue  # not scored: no level to start from
        upgrade = one_level_upgrade(
            capability,
            standing,
            framework,
            inputs,
            target=target_level(unit, capability.code, framework),
            unit=unit.unit,
            unit_name=unit.unit_name,
        )
        if upgrade is not None:
            found.append(upgrade)
    return by_priority(found)


# --- to-do lists --------------------------------------------------------------------------


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def next_step(question: QuestionSpec, level: int) -> str:
    """What reaching `level` on this question looks like ("" if the framework does not say)."""
    if question.type == "numeric":
        threshold = question.thresholds.get(level)
        if threshold is None:
            return ""
        sign = "≥" if question.higher_is_better else "≤"
        unit = f" {question.unit}" if question.unit else ""
        return f"reach {sign} {_number(threshold)}{unit}"
    return question.options.get(level, "")


def binding_todos(
    capability: str,
    level: int,
    binding_dimensions: Sequence[str],
    questions: Sequence[QuestionSpec],
    question_levels: Mapping[str, int],
) -> tuple[ToDo, ...]:
    """Under each binding dimension (in the order given), the questions whose unit level is
    at or below the capability's level L, lowest first, each with what L + 1 takes."""
    todos = []
    for dimension in binding_dimensions:
        held = [
            q
            for q in questions
            if q.capability == capability
            and q.dimension == dimension
            and q.code in question_levels
            and question_levels[q.code] <= level
        ]
        for question in sorted(held, key=lambda q: question_levels[q.code]):
            todos.append(
                ToDo(
                    question=question.code,
                    text=question.text,
                    dimension=dimension,
                    level=question_levels[question.code],
                    next_step=next_step(question, level + 1),
                )
            )
    return tuple(todos)


# --- roadmap ------------------------------------------------------------------------------


def cents(amount: float) -> int:
    return int(round(amount * 100))


def roadmap(
    units: Sequence[UnitStanding], framework: FrameworkEconomics, inputs: EngagementInputs
) -> list[RoadmapStep]:
    """Funding cycle by funding cycle, the one-level upgrades with the largest total base NPV
    whose mid-band costs fit `inputs.budget_per_cycle`; each capability of each unit moves at
    most one level a cycle, and an upgrade whose base NPV is not positive is never chosen.
    The next cycle starts from the new levels. Stops when the cycles or the upgrades run out.

    Every unit competes for the same budget (pass one unit for a unit's roadmap). Costs and
    NPVs are compared in whole cents, so the optimum is exact.
    """
    levels = {(u.unit, s.capability): s.level for u in units for s in u.capabilities}
    budget = cents(inputs.budget_per_cycle)
    steps: list[RoadmapStep] = []
    for funding_cycle in range(1, inputs.funding_cycles + 1):
        candidates = []
        for unit in units:
            for capability in framework.capabilities:
                level = levels.get((unit.unit, capability.code))
                if level is None:
                    continue
                upgrade = one_level_upgrade(
                    capability,
                    CapabilityStanding(capability.code, level, ()),
                    framework,
                    inputs,
                    target=target_level(unit, capability.code, framework),
                    unit=unit.unit,
                )
                if upgrade is not None and cents(upgrade.npv_base) > 0:
                    candidates.append(upgrade)
        chosen = best_subset([(cents(c.cost_mid), cents(c.npv_base)) for c in candidates], budget)
        if not chosen:
            break  # nothing affordable is worth doing, now or in any later cycle
        for index in chosen:
            upgrade = candidates[index]
            levels[(upgrade.unit, upgrade.capability)] = upgrade.to_level
            steps.append(
                RoadmapStep(
                    funding_cycle=funding_cycle,
                    unit=upgrade.unit,
                    capability=upgrade.capability,
                    from_level=upgrade.from_level,
                    to_level=upgrade.to_level,
                    cost_mid=upgrade.cost_mid,
                    npv_base=upgrade.npv_base,
                )
            )
    return steps
