"""What the report commands share: finding the organisation, unit and cycle named on the
command line, parsing amounts and rates, writing files, and the rows of `recommend` and
`roadmap` (docs/design.md, "Machine-readable output of recommend and roadmap").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.domain import limits
from assessments.domain.tidy import csv_bytes
from assessments.models import Assessment, BusinessUnit, Cycle, Organisation
from assessments.queries.access import latest_cycle
from reports.domain.money import to_the_cent
from reports.domain.planning import (
    RECOMMENDATION_FIELDS,
    FrameworkData,
    Recommendation,
    RoadmapStep,
)
from reports.exporters.workbook import tidy_workbook
from reports.queries.planning import framework_data

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


def parse_amount(text: str, option: str, limit: limits.AmountLimit = limits.VALUE_BASE) -> float:
    """A USD amount ≥ 0 by the one number rule (thousands may be grouped with commas,
    10,000,000), at most what `limit`'s column holds."""
    try:
        amount = limits.parse_decimal(text, grouping=True)
    except limits.NumberError as error:
        if str(error).endswith("is not a number"):
            raise CommandError(
                f"{option} '{text}' is not an amount in USD (e.g. 2000000)"
            ) from None
        raise CommandError(f"{option} {error}") from None
    if amount < 0:
        raise CommandError(f"{option} {text}: an amount must be 0 USD or more")
    problem = limits.amount_problem(amount, limit, " USD")
    if problem:
        raise CommandError(f"{option} {text}: the amount {problem}")
    return float(amount)


def parse_discount_rate(text: str | None) -> float | None:
    if text is None:
        return None
    rule = "give a yearly rate between 0 and 100 % as a fraction (0.10) or a percent (10%)"
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        value = limits.parse_decimal(raw.rstrip("%").strip())
    except limits.NumberError:
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
                f"--value-base '{item}': the metric '{metric}' was already given {to_the_cent(result[metric])} USD"
            )
        result[metric] = value
    return result


def value_base_overrides(items: Sequence[str], cycle: Cycle) -> dict[str, float]:
    return parse_value_bases(items, framework_data(cycle)) if items else {}


# --- output ---------------------------------------------------------------------------------


def _cents_or_none(amount: float | None) -> int | float | None:
    return None if amount is None else to_the_cent(amount)


def recommendation_row(recommendation: Recommendation) -> dict:
    return {
        "capability": recommendation.capability,
        "from_level": recommendation.from_level,
        "to_level": recommendation.to_level,
        "binding_dimensions": list(recommendation.binding_dimensions),
        # null in JSON and blank in CSV for a maturity-only upgrade (no cost data)
        "cost_low": _cents_or_none(recommendation.cost_low),
        "cost_high": _cents_or_none(recommendation.cost_high),
        "npv_best": _cents_or_none(recommendation.npv_best),
        "npv_base": _cents_or_none(recommendation.npv_base),
        "npv_downside": _cents_or_none(recommendation.npv_downside),
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
        "cost_mid": to_the_cent(step.cost_mid),
        "npv_base": to_the_cent(step.npv_base),
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


# --- the export commands ---------------------------------------------------------------


def add_selection_arguments(parser) -> None:
    parser.add_argument(
        "--organisation", help="the organisation's slug (needed when there are several)"
    )
    parser.add_argument("--cycle", help="the assessment cycle, e.g. 2026-Q4 (default: the latest)")
    parser.add_argument("--region", default="", help="only the units of this region")
    parser.add_argument("--tag", default="", help="only the units carrying this tag")


def selection(organisation: str | None, cycle: str | None) -> tuple[Organisation, Cycle]:
    """The organisation (the only one when not named — or the only one with the cycle
    named) and cycle (its latest when not named) to export, refusing in one line that
    answers what was asked when there is nothing to export."""
    if organisation:
        found = find_organisation(organisation)
    else:
        found = _only_organisation(cycle)
    if cycle:
        chosen = find_cycle(cycle, found)
    else:
        chosen = latest_cycle(found)
        if chosen is None:
            raise CommandError(f"organisation '{found.slug}' has no cycle yet: nothing to export")
    if not Assessment.objects.filter(cycle=chosen, unit__organisation=found).exists():
        raise CommandError(
            f"organisation '{found.slug}' has no assessment in cycle '{chosen.name}': nothing to export"
        )
    return found, chosen


def _only_organisation(cycle: str | None) -> Organisation:
    """The organisation meant when none is named: the only one there is, or the only one
    holding the named cycle. A cycle no organisation has is said to be unknown, not that
    there are several organisations."""
    organisations = Organisation.objects.order_by("slug")
    if cycle:
        holding = list(organisations.filter(cycles__name=cycle).distinct())
        if not holding:
            only = list(organisations[:2])
            if len(only) == 1:
                find_cycle(cycle, only[0])  # "organisation 'acme' has no cycle …"
            known = _known(Cycle.objects.values_list("name", flat=True))
            raise CommandError(f"no cycle '{cycle}' in any organisation (known: {known})")
        if len(holding) > 1:
            names = ", ".join(o.slug for o in holding)
            raise CommandError(
                f"cycle '{cycle}' exists in several organisations ({names}): name one with --organisation"
            )
        return holding[0]
    found = list(organisations)
    if not found:
        raise CommandError("no organisation yet: nothing to export")
    if len(found) > 1:
        known = ", ".join(o.slug for o in found)
        raise CommandError(f"several organisations: name one with --organisation (known: {known})")
    return found[0]


def no_units(organisation: Organisation, cycle: Cycle, region: str, tag: str) -> CommandError:
    filters = " and ".join(
        f"{name} '{value}'" for name, value in (("region", region), ("tag", tag)) if value
    )
    return CommandError(
        f"no unit of '{organisation.slug}' assessed in cycle '{cycle.name}' has {filters}"
    )


def write(path: str, content: bytes) -> None:
    try:
        Path(path).write_bytes(content)
    except OSError as error:
        raise CommandError(f"{path}: cannot be written ({error.strerror})") from None


class TidyExportCommand(BaseCommand):
    table = None
    sheet = "data"

    def add_arguments(self, parser):
        parser.add_argument("--cycle", help="only this cycle, e.g. 2026-Q4")
        parser.add_argument("--organisation", help="only this organisation (slug)")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "-o", "--output", help="file to write (default: standard output, CSV only)"
        )

    def handle(self, cycle, organisation, format, output, **options):
        if organisation:
            # The organisation named must exist, and hold the cycle named: otherwise the
            # answer would be an empty file, as if it had nothing to export.
            found = find_organisation(organisation)
            if cycle:
                find_cycle(cycle, found)
        if cycle and not Cycle.objects.filter(name=cycle).exists():
            known = ", ".join(sorted(set(Cycle.objects.values_list("name", flat=True)))) or "none"
            raise CommandError(f"no cycle named '{cycle}' (known: {known})")
        if format == "xlsx" and not output:
            raise CommandError("--format xlsx needs -o PATH: a workbook cannot go to the terminal")
        columns, rows = self.table(cycle, organisation)
        data = (
            csv_bytes(columns, rows)
            if format == "csv"
            else tidy_workbook(self.sheet, columns, rows)
        )
        if output:
            try:
                Path(output).write_bytes(data)
            except OSError as error:
                raise CommandError(f"{output}: cannot be written ({error.strerror})") from None
            self.stderr.write(f"Wrote {len(rows)} rows to {output}")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
