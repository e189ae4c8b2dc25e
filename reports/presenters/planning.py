"""Plans laid out for the pages: the roadmap by funding cycle, and the engagement inputs
form's initial values."""

from __future__ import annotations

from dataclasses import dataclass

from reports.domain import planning as reco
from reports.domain.planning import EngagementData, FormShape, Plan
from reports.domain.roadmap import plan_roadmap

# --- roadmap --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoadmapLine:
    step: reco.RoadmapStep
    unit_name: str
    capability_name: str
    assessment: int  # for the link to the unit report


@dataclass(frozen=True)
class FundingCycle:
    number: int
    lines: list[RoadmapLine]
    cost: float
    npv: float
    left: float  # budget not spent


def funding_cycles(plan: Plan) -> list[FundingCycle]:
    """The plan's roadmap grouped by funding cycle (cycles with nothing chosen left out)."""
    names = {u.unit: u.unit_name for u in plan.units}
    capability_names = {c.code: c.name for c in plan.framework.economics.capabilities}
    grouped: dict[int, list[RoadmapLine]] = {}
    for step in plan_roadmap(plan):
        grouped.setdefault(step.funding_cycle, []).append(
            RoadmapLine(
                step=step,
                unit_name=names[step.unit],
                capability_name=capability_names[step.capability],
                assessment=plan.assessments[step.unit],
            )
        )
    result = []
    for number, lines in sorted(grouped.items()):
        cost = sum(line.step.cost_mid for line in lines)
        result.append(
            FundingCycle(
                number=number,
                lines=lines,
                cost=cost,
                npv=sum(line.step.npv_base for line in lines),
                left=plan.inputs.budget_per_cycle - cost,
            )
        )
    return result


# --- engagement inputs form -----------------------------------------------------------------


def _plain(number: float) -> str:
    """A number as typed by a person: 10 not 1E+1, 2000000 not 2000000.0, 0.5 as 0.5."""
    text = f"{number:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def engagement_initial(engagement: EngagementData, shape: FormShape) -> dict:
    inputs = engagement.inputs
    initial = {
        "discount_rate_percent": _plain(inputs.discount_rate * 100),
        "budget_per_cycle": _plain(inputs.budget_per_cycle),
        "funding_cycles": inputs.funding_cycles,
        "local_budget_bound": _plain(inputs.local_budget_bound),
        "impact_threshold": _plain(inputs.impact_threshold),
        "default_target_level": engagement.default_target,
    }
    for index, metric in enumerate(shape.metrics):
        if metric in inputs.value_bases:
            initial[f"value_base_{index}"] = _plain(inputs.value_bases[metric])
    for code, _ in shape.capabilities:
        initial[f"target_{code}"] = engagement.organisation_targets.get(code)
    return initial
