"""What the `recommend` and `roadmap` commands share: finding the organisation, unit and
cycle named on the command line, parsing the overriding inputs, and writing the rows
(DESIGN.md, "Machine-readable output of recommend and roadmap")."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.management.base import CommandError

from assessments.models import BusinessUnit, Cycle, Organisation
from assessments.recommendations import Recommendation, RoadmapStep
from assessments.tidy import csv_bytes

from .recommendation_data import RECOMMENDATION_FIELDS, FrameworkData, framework_data

# DESIGN.md's machine-readable output of `recommend`, one object per upgrade.
RECOMMEND_KEYS = RECOMMENDATION_FIELDS
ROADMAP_KEYS = [
    "funding_cycle",
    "unit",
    "capability",
    "from_level",
    "to_level",
    "cost_mid",
    "npv_base",
]
MAX_FUNDING_CYCLES = 10


def money(amount: float) -> int | float:
    """USD rounded to the cent; whole dollars print without decimals (500000, not 500000.0)."""
    cents = int(round(amount * 100))
    return cents // 100 if cents % 100 == 0 else cents / 100


def add_common_arguments(parser) -> None:
    parser.add_argument("--cycle", required=True, help="the assessment cycle, e.g. 2026-Q4")
    parser.add_argument(
        "--discount-rate",
        help="a year, as a fraction (0.10) or a percent (10%%); default: the engagement's",
    )
    parser.add_argument(
        "--value-base",
        nargs="+",
        action="extend",
        default=[],
        metavar="CAPABILITY_OR_METRIC=USD",
        help="the yearly value a benefit metric applies to, named by a capability code "
        "(IDG=40000000: IDG's metric) or by the metric ('attributable revenue=40000000')",
    )
    parser.add_argument("--format", choices=["csv", "json"], default="csv")


# --- names on the command line ----------------------------------------------------------------


def _known(values) -> str:
    return ", ".join(sorted(set(values))) or "none"


def find_organisation(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        known = _known(Organisation.objects.values_list("slug", flat=True))
        raise CommandError(f"no organisation '{slug}' (known: {known})")
    return organisation


def find_unit(slug: str, organisation: Organisation | None) -> BusinessUnit:
    units = BusinessUnit.objects.filter(slug=slug).select_related("organisation")
    if organisation is not None:
        units = units.filter(organisation=organisation)
    found = list(units)
    if not found:
        scope = BusinessUnit.objects.all()
        where = ""
        if organisation is not None:
            scope = scope.filter(organisation=organisation)
            where = f" in organisation '{organisation.slug}'"
        known = _known(scope.values_list("slug", flat=True))
        raise CommandError(f"no unit '{slug}'{where} (known: {known})")
    if len(found) > 1:
        names = _known(u.organisation.slug for u in found)
        raise CommandError(
            f"unit '{slug}' exists in several organisations ({names}): name one with --organisation"
        )
    return found[0]


def find_cycle(name: str, organisation: Organisation) -> Cycle:
    cycles = Cycle.objects.filter(organisation=organisation).select_related("framework")
    cycle = cycles.filter(name=name).first()
    if cycle is None:
        known = _known(cycles.values_list("name", flat=True))
        raise CommandError(
            f"organisation '{organisation.slug}' has no cycle '{name}' (known: {known})"
        )
    return cycle


# --- amounts ----------------------------------------------------------------------------------


def parse_amount(text: str, option: str) -> float:
    """A USD amount ≥ 0; digits may be grouped with _ or ,."""
    try:
        amount = Decimal(text.replace("_", "").replace(",", "").strip())
    except InvalidOperation:
        raise CommandError(f"{option} '{text}' is not an amount in USD (e.g. 2000000)") from None
    if not amount.is_finite():
        raise CommandError(f"{option} '{text}' is not an amount in USD (e.g. 2000000)")
    if amount < 0:
        raise CommandError(f"{option} {text}: an amount must be 0 USD or more")
    return float(amount)


def parse_discount_rate(text: str | None) -> float | None:
    if text is None:
        return None
    rule = "give a yearly rate between 0 and 100 % as a fraction (0.10) or a percent (10%)"
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        value = Decimal(raw.rstrip("%").strip())
    except InvalidOperation:
        raise CommandError(f"--discount-rate '{text}': {rule}") from None
    rate = value / 100 if percent else value
    if not rate.is_finite() or not 0 <= rate <= 1:
        raise CommandError(f"--discount-rate '{text}': {rule}")
    return float(rate)


def parse_funding_cycles(value: int) -> int:
    if not 1 <= value <= MAX_FUNDING_CYCLES:
        raise CommandError(
            f"--funding-cycles {value}: give 1 to {MAX_FUNDING_CYCLES} funding cycles"
        )
    return value


def parse_value_bases(items: Sequence[str], framework: FrameworkData) -> dict[str, float]:
    """{benefit metric: USD} from KEY=USD items, KEY a capability code or a benefit metric."""
    by_code = {c.code.lower(): c.benefit_metric for c in framework.economics.capabilities}
    metrics = {c.benefit_metric.lower(): c.benefit_metric for c in framework.economics.capabilities}
    result: dict[str, float] = {}
    for item in items:
        key, sep, amount = item.partition("=")
        key = key.strip()
        if not sep or not key or not amount.strip():
            raise CommandError(
                f"--value-base '{item}': expected CAPABILITY=USD or METRIC=USD, e.g. IDG=40000000"
            )
        metric = by_code.get(key.lower()) or metrics.get(key.lower())
        if metric is None:
            raise CommandError(
                f"--value-base '{item}': '{key}' is neither a capability code "
                f"({_known(c.code for c in framework.economics.capabilities)}) nor a benefit metric "
                f"({_known(metrics.values())})"
            )
        value = parse_amount(amount, f"--value-base {key}=")
        if metric in result and result[metric] != value:
            raise CommandError(
                f"--value-base '{item}': the metric '{metric}' was already given {money(result[metric])} USD"
            )
        result[metric] = value
    return result


def value_base_overrides(items: Sequence[str], cycle: Cycle) -> dict[str, float]:
    return parse_value_bases(items, framework_data(cycle.framework_id)) if items else {}


# --- output ---------------------------------------------------------------------------------


def recommendation_row(recommendation: Recommendation) -> dict:
    return {
        "capability": recommendation.capability,
        "from_level": recommendation.from_level,
        "to_level": recommendation.to_level,
        "binding_dimensions": list(recommendation.binding_dimensions),
        "cost_low": money(recommendation.cost_low),
        "cost_high": money(recommendation.cost_high),
        "npv_best": money(recommendation.npv_best),
        "npv_base": money(recommendation.npv_base),
        "npv_downside": money(recommendation.npv_downside),
        "priority": recommendation.priority,
        "negative_npv": recommendation.negative_npv,
        "deom_mode": recommendation.deom_mode,
    }


def roadmap_row(step: RoadmapStep) -> dict:
    return {
        "funding_cycle": step.funding_cycle,
        "unit": step.unit,
        "capability": step.capability,
        "from_level": step.from_level,
        "to_level": step.to_level,
        "cost_mid": money(step.cost_mid),
        "npv_base": money(step.npv_base),
    }


def render_rows(rows: list[dict], keys: list[str], format: str) -> str:
    """JSON: a list of objects. CSV: one column per key, lists joined with ';', booleans
    written true/false as in the JSON."""
    if format == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"

    def cell(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return ";".join(value)
        return value

    return csv_bytes(keys, ([cell(row[key]) for key in keys] for row in rows)).decode("utf-8")
