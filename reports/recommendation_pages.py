"""Plans laid out for the pages: the roadmap by funding cycle, the DEOM 2 × 2, and the
shape of the engagement inputs form (which metrics, capabilities and levels it asks about)."""

from __future__ import annotations

from dataclasses import dataclass

from assessments import recommendations as reco
from assessments.models import Capability, Cycle, Level, Organisation

from .recommendation_data import EngagementData, Plan

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
    for step in plan.roadmap():
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


# --- DEOM -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quadrant:
    mode: str
    autonomy: str  # "high" / "low"
    impact: str
    recommendations: list[reco.Recommendation]


def deom_grid(recommendations: list[reco.Recommendation]) -> list[list[Quadrant]]:
    """Rows high impact then low impact; columns low autonomy then high autonomy, so the
    grid reads like a chart with both axes rising away from the bottom-left corner."""
    rows = []
    for impact in (True, False):
        row = []
        for autonomy in (False, True):
            mode = reco.DEOM_MODES[(autonomy, impact)]
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


# --- engagement inputs form -----------------------------------------------------------------


@dataclass(frozen=True)
class FormShape:
    metrics: list[str]  # benefit metrics of the organisation's frameworks
    capabilities: list[tuple[str, str]]  # (code, name) of its latest cycle's framework
    levels: dict[int, str]


def engagement_form_shape(organisation: Organisation) -> FormShape:
    """What the inputs form asks about: 3 queries. Without any cycle there is no framework,
    so only the value bases already stored are shown and targets cannot be set."""
    latest = Cycle.objects.filter(organisation=organisation).order_by("-name").first()
    framework_ids = Cycle.objects.filter(organisation=organisation).values("framework_id")
    capabilities = Capability.objects.filter(framework_id__in=framework_ids).order_by(
        "-framework__loaded_at", "position"
    )
    metrics: list[str] = []
    latest_capabilities: list[tuple[str, str]] = []
    for framework_id, code, name, metric in capabilities.values_list(
        "framework_id", "code", "name", "benefit_metric"
    ):
        if metric not in metrics:
            metrics.append(metric)
        if latest is not None and framework_id == latest.framework_id:
            latest_capabilities.append((code, name))
    levels = (
        dict(Level.objects.filter(framework_id=latest.framework_id).values_list("number", "name"))
        if latest is not None
        else {}
    )
    return FormShape(sorted(metrics), latest_capabilities, levels)


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
