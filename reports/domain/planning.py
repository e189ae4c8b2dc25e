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
Each upgrade is placed on the DEOM 2 × 2 (autonomy × impact). The roadmap
(reports/domain/roadmap.py) picks, funding cycle by funding cycle, the set of these
upgrades with the largest total base NPV within the budget.

A capability without cost data (no published model has any) gets a *maturity-only*
recommendation: the same one-level upgrade, binding dimensions and to-do list, with the
next level's name and description, but no cost band, no NPV, no priority, no DEOM mode
(None everywhere), never "high impact"; the roadmap does not plan it.

Money is USD as float. No Django here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from assessments.domain.answers import number_text

MONTHS = 24
COST_MONTHS = 12
DEFAULT_DISCOUNT_RATE = 0.10


@dataclass(frozen=True)
class Scenario:
    name: str
    cost: str  # which end of the cost band: "low", "mid" or "high"
    benefit_share: float


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
    description: str = ""  # the framework's own words for what the level is


@dataclass(frozen=True)
class CapabilityEconomics:
    """A capability and its economics; without cost data (cost_low None) its upgrades are
    maturity-only."""

    code: str
    name: str
    cost_low: float | None = None
    cost_high: float | None = None
    impact: str = ""
    benefit_metric: str = ""
    benefit_percent: float | None = None  # 12 means 12 %
    time_to_value_months: int | None = None
    cost_is_assumption: bool = False  # the band is the framework's default guess, not a quote

    @property
    def has_economics(self) -> bool:
        return (
            self.cost_low is not None
            and self.cost_high is not None
            and self.benefit_percent is not None
            and self.time_to_value_months is not None
        )


# What a maturity-only upgrade shows where a costed one shows its money.
NO_COST_DATA = "no cost data"

# Where an assumed cost band is changed: said beside every band and NPV built on one.
ASSUMED = "assumed"
ASSUMPTION_NOTE = (
    "assumed cost band: the framework's default, not a quote — change cost_low/cost_high "
    "in the framework file and load it as a new version (manage.py load_framework)"
)


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
    # unit slug → benefit metric → USD a year: a unit's own value bases, which override the
    # organisation's for that unit (a small unit earns less from the same upgrade)
    unit_value_bases: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def value_base(self, metric: str) -> float:
        """A metric without a value base is worth nothing (its upgrades show negative NPV)."""
        return float(self.value_bases.get(metric, 0.0))

    def for_unit(self, unit: str) -> EngagementInputs:
        """The inputs one unit's upgrades are valued with: its own value bases over the
        organisation's."""
        own = self.unit_value_bases.get(unit)
        if not own:
            return self
        return replace(self, value_bases={**self.value_bases, **own})

    def unit_overrides(self, unit: str) -> dict[str, float]:
        """The value bases the unit sets itself (metric → USD), {} when it follows the
        organisation's."""
        return dict(self.unit_value_bases.get(unit, {}))


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
    # None for a maturity-only upgrade (its capability has no cost data), as are the NPVs,
    # the DEOM mode and the priority
    cost_low: float | None  # after the target level's cost multiplier
    cost_high: float | None
    impact: str
    benefit_metric: str
    value_base: float
    time_to_value_months: int | None
    npv_best: float | None
    npv_base: float | None
    npv_downside: float | None
    deom_mode: str | None
    priority: int | None = 0  # 1 = first; set by recommend(); None when maturity-only
    cost_is_assumption: bool = False
    discount_rate: float = DEFAULT_DISCOUNT_RATE
    benefit_percent: float = 0.0
    benefit_factor: float = 1.0
    to_level_name: str = ""
    to_level_description: str = ""  # what the framework says level L + 1 is

    @property
    def has_economics(self) -> bool:
        return self.npv_base is not None

    @property
    def maturity_only(self) -> bool:
        """No cost data: the level, the to-do list and nothing in money."""
        return self.npv_base is None

    @property
    def annual_benefit_base(self) -> float | None:
        """The base scenario's yearly benefit: value base × percent × 75 % × level factor."""
        if self.maturity_only:
            return None
        return (
            self.value_base
            * self.benefit_percent
            / 100
            * self.benefit_factor
            * SCENARIOS[1].benefit_share
        )

    @property
    def payback_month(self) -> int | None:
        """The first month whose cumulative discounted base cash flow turns positive
        (within the 24 months), None when it never does (or there is no cost data)."""
        cost, benefit = self.cost_mid, self.annual_benefit_base
        if cost is None or benefit is None or self.time_to_value_months is None:
            return None
        return payback_month(
            cost=cost,
            annual_benefit=benefit,
            time_to_value_months=self.time_to_value_months,
            discount_rate=self.discount_rate,
        )

    @property
    def cost_mid(self) -> float | None:
        if self.cost_low is None or self.cost_high is None:
            return None
        return (self.cost_low + self.cost_high) / 2

    @property
    def negative_npv(self) -> bool:
        return self.npv_base is not None and self.npv_base < 0

    @property
    def npv_per_dollar(self) -> float | None:
        """Base NPV per mid-band dollar; a free upgrade ranks by the sign of its NPV."""
        cost = self.cost_mid
        if cost is None or self.npv_base is None:
            return None
        if cost > 0:
            return self.npv_base / cost
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
    # what the pages and deck show beside the plan; a step is the same step without them
    npv_best: float = field(default=0.0, compare=False)
    npv_downside: float = field(default=0.0, compare=False)
    cost_is_assumption: bool = field(default=False, compare=False)
    payback_month: int | None = field(default=None, compare=False)


# --- NPV ----------------------------------------------------------------------------------


def monthly_rate(discount_rate: float) -> float:
    return float((1 + discount_rate) ** (1 / 12) - 1)


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


def payback_month(
    *, cost: float, annual_benefit: float, time_to_value_months: int, discount_rate: float
) -> int | None:
    """The month t (1…24) at which Σ_{s≤t} (benefit_s − cost_s) / (1 + m)^s, with the cash
    flows of `npv_24_months`, first reaches 0 or more: when the upgrade has paid for itself
    in today's money. None when it has not by month 24 (or costs nothing and earns nothing)."""
    m = monthly_rate(discount_rate)
    total = 0.0
    for t in range(1, MONTHS + 1):
        cash = (annual_benefit / 12 if t > time_to_value_months else 0.0) - (
            cost / 12 if t <= COST_MONTHS else 0.0
        )
        total += cash / (1 + m) ** t
        if cash != 0 and total >= 0:
            return t
    return None


def cost_band(capability: CapabilityEconomics, to_level: LevelEconomics) -> tuple[float, float]:
    assert capability.cost_low is not None and capability.cost_high is not None
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
    assert capability.benefit_percent is not None
    assert capability.time_to_value_months is not None
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
    at/above the target. Without cost data: maturity-only (`maturity_only_upgrade`)."""
    target = framework.top_level if target is None else min(target, framework.top_level)
    if standing.level >= target:
        return None
    to_level = framework.level(standing.level + 1)
    if not capability.has_economics:
        return maturity_only_upgrade(
            capability, standing, to_level, target=target, unit=unit, unit_name=unit_name
        )
    inputs = inputs.for_unit(unit) if unit else inputs
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
        cost_is_assumption=capability.cost_is_assumption,
        discount_rate=inputs.discount_rate,
        benefit_percent=capability.benefit_percent or 0.0,
        benefit_factor=to_level.benefit_factor,
        to_level_name=to_level.name,
        to_level_description=to_level.description,
    )


def maturity_only_upgrade(
    capability: CapabilityEconomics,
    standing: CapabilityStanding,
    to_level: LevelEconomics,
    *,
    target: int,
    unit: str = "",
    unit_name: str = "",
) -> Recommendation:
    """The one-level upgrade of a capability without cost data: the level it reaches (name
    and description), the binding dimensions and the to-do list; no cost band, NPV,
    priority or DEOM mode — nothing is made up, so it is never "high impact"."""
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
        cost_low=None,
        cost_high=None,
        impact=capability.impact,
        benefit_metric="",
        value_base=0.0,
        time_to_value_months=None,
        npv_best=None,
        npv_base=None,
        npv_downside=None,
        deom_mode=None,
        priority=None,
        to_level_name=to_level.name,
        to_level_description=to_level.description,
    )


def by_priority(recommendations: Sequence[Recommendation]) -> list[Recommendation]:
    """Highest base NPV per mid-band dollar first, numbered from 1 (ties: framework order);
    maturity-only upgrades (no cost data) after them, unranked, in framework order."""
    costed = [(i, r, r.npv_per_dollar) for i, r in enumerate(recommendations)]
    ranked = sorted(
        ((i, r, ratio) for i, r, ratio in costed if ratio is not None),
        key=lambda item: (-item[2], item[0]),
    )
    unranked = [r for _, r, ratio in costed if ratio is None]
    return [
        *(replace(r, priority=rank) for rank, (_, r, _) in enumerate(ranked, start=1)),
        *(replace(r, priority=None) for r in unranked),
    ]


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


def next_step(question: QuestionSpec, level: int) -> str:
    """What reaching `level` on this question looks like ("" if the framework does not say)."""
    if question.type == "numeric":
        threshold = question.thresholds.get(level)
        if threshold is None:
            return ""
        sign = "≥" if question.higher_is_better else "≤"
        unit = f" {question.unit}" if question.unit else ""
        return f"reach {sign} {number_text(threshold)}{unit}"
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


# --- what a page or command shows for one cycle -------------------------------------------


@dataclass(frozen=True)
class OrganisationRef:
    """An organisation as plans and reports name it."""

    slug: str
    name: str


@dataclass(frozen=True)
class CycleRef:
    name: str


@dataclass(frozen=True)
class FrameworkData:
    economics: FrameworkEconomics
    questions: tuple[QuestionSpec, ...]
    level_names: dict[int, str]
    dimension_names: dict[str, str]
    # (capability, dimension) pairs the framework asks a question in, weight 0 included: a
    # published model's capability need not ask every dimension (docs/frameworks.md)
    asked: frozenset[tuple[str, str]]

    @property
    def has_cost_data(self) -> bool:
        """Some capability carries economics; without any, every upgrade is maturity-only."""
        return any(c.has_economics for c in self.economics.capabilities)


@dataclass(frozen=True)
class EngagementData:
    inputs: EngagementInputs
    stored: bool  # False: the organisation has no engagement inputs yet (defaults shown)
    default_target: int | None
    organisation_targets: dict[str, int]  # capability → level, for all units
    unit_targets: dict[int, dict[str, int]]  # unit id → capability → level

    def targets_for(self, unit_id: int | None, capabilities: Iterable[str]) -> dict[str, int]:
        """Per capability code: the unit's override, else the organisation's target for the
        capability, else the engagement's default target; left out (aim at the top) if none.
        `unit_id=None` gives what a unit without overrides inherits."""
        targets = resolve_target_levels(
            capabilities,
            unit_targets=self.unit_targets.get(unit_id, {}) if unit_id is not None else {},
            organisation_targets=self.organisation_targets,
            default=self.default_target,
        )
        return {code: level for code, level in targets.items() if level is not None}


@dataclass(frozen=True)
class Overrides:
    """Inputs given for one run (command options) instead of the stored ones."""

    discount_rate: float | None = None
    value_bases: Mapping[str, float] | None = None  # benefit metric → USD a year
    budget_per_cycle: float | None = None
    funding_cycles: int | None = None

    def apply(self, inputs: EngagementInputs) -> EngagementInputs:
        return replace(
            inputs,
            discount_rate=inputs.discount_rate
            if self.discount_rate is None
            else self.discount_rate,
            budget_per_cycle=inputs.budget_per_cycle
            if self.budget_per_cycle is None
            else self.budget_per_cycle,
            funding_cycles=inputs.funding_cycles
            if self.funding_cycles is None
            else self.funding_cycles,
            value_bases={**inputs.value_bases, **(self.value_bases or {})},
            # a value base given for the run applies to every unit, over their own
            unit_value_bases={
                unit: {m: v for m, v in own.items() if m not in (self.value_bases or {})}
                for unit, own in inputs.unit_value_bases.items()
            },
        )


@dataclass(frozen=True)
class Plan:
    """Everything a recommendations or roadmap page, or command, shows for one cycle."""

    organisation: OrganisationRef
    cycle: CycleRef
    framework: FrameworkData
    engagement: EngagementData
    inputs: EngagementInputs  # the engagement's, with any overrides applied
    units: list[UnitStanding]
    recommendations: list[Recommendation]  # per unit in priority order, units in turn
    assessments: dict[str, int]  # unit slug → assessment id (for links to unit reports)

    @property
    def missing_value_bases(self) -> list[str]:
        """Benefit metrics of recommended upgrades that have no value base."""
        return missing_value_bases(self.recommendations, self.inputs)

    @property
    def has_cost_data(self) -> bool:
        return self.framework.has_cost_data

    @property
    def costed(self) -> list[Recommendation]:
        """The upgrades with cost data, in priority order."""
        return [r for r in self.recommendations if r.has_economics]

    @property
    def maturity_only(self) -> list[Recommendation]:
        """The upgrades of capabilities without cost data: the roadmap and DEOM leave them
        out, the pages list them apart."""
        return [r for r in self.recommendations if r.maturity_only]


def missing_value_bases(
    recommendations: Iterable[Recommendation], inputs: EngagementInputs
) -> list[str]:
    """Benefit metrics of costed upgrades that have no value base (a maturity-only upgrade
    has no metric to miss)."""
    return sorted(
        {
            r.benefit_metric
            for r in recommendations
            if r.has_economics and r.benefit_metric not in inputs.for_unit(r.unit).value_bases
        }
    )


@dataclass(frozen=True)
class AssumedCost:
    """A capability whose cost band the framework marks as an assumption."""

    code: str
    name: str
    cost_low: float
    cost_high: float


@dataclass(frozen=True)
class FormShape:
    metrics: list[str]  # benefit metrics of the organisation's frameworks
    capabilities: list[tuple[str, str]]  # (code, name) of its latest cycle's framework
    levels: dict[int, str]
    assumed_costs: list[AssumedCost] = field(default_factory=list)  # of the latest framework


# --- DEOM -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quadrant:
    mode: str
    autonomy: str  # "high" / "low"
    impact: str
    recommendations: list[Recommendation]
    more: int = 0  # recommendations of the quadrant not listed here (see `deom_shown`)


def deom_shown(grid: list[list[Quadrant]], shown: int) -> list[list[Quadrant]]:
    """The grid with at most `shown` recommendations listed per quadrant, the largest base
    NPV first, and how many more each quadrant holds: an organisation of hundreds of units
    has thousands of upgrades, which a 2 × 2 grid cannot list."""
    return [
        [
            replace(
                quadrant,
                recommendations=sorted(quadrant.recommendations, key=_by_npv)[:shown],
                more=max(0, len(quadrant.recommendations) - shown),
            )
            for quadrant in row
        ]
        for row in grid
    ]


def deom_quadrant(grid: list[list[Quadrant]], mode: str) -> Quadrant | None:
    """The quadrant of that mode, its recommendations the largest base NPV first."""
    for row in grid:
        for quadrant in row:
            if quadrant.mode == mode:
                return replace(
                    quadrant, recommendations=sorted(quadrant.recommendations, key=_by_npv)
                )
    return None


def _by_npv(recommendation: Recommendation) -> tuple[float, str, str]:
    return (
        -(recommendation.npv_base or 0.0),
        recommendation.unit_name,
        recommendation.capability_name,
    )


def deom_grid(recommendations: list[Recommendation]) -> list[list[Quadrant]]:
    """Rows high impact then low impact; columns low autonomy then high autonomy, so the
    grid reads like a chart with both axes rising away from the bottom-left corner.
    Maturity-only upgrades (no cost data, no mode) are in no quadrant."""
    rows = []
    for impact in (True, False):
        row = []
        for autonomy in (False, True):
            mode = DEOM_MODES[(autonomy, impact)]
            row.append(
                Quadrant(
                    mode=mode,
                    autonomy="high" if autonomy else "low",
                    impact="high" if impact else "low",
                    recommendations=[r for r in recommendations if r.deom_mode == mode],
                )
            )
        rows.append(row)
    return rows
