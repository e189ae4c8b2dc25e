from django.core.management.base import BaseCommand, CommandError

from assessments.domain import limits
from reports.cli import (
    ROADMAP_KEYS,
    add_common_arguments,
    find_cycle,
    find_organisation,
    find_unit,
    parse_amount,
    parse_discount_rate,
    parse_funding_cycles,
    render_rows,
    roadmap_row,
    value_base_overrides,
)
from reports.domain.money import cents
from reports.domain.planning import Overrides
from reports.domain.roadmap import plan_roadmap
from reports.queries.planning import plan_for_cycle


class Command(BaseCommand):
    help = (
        "The budget-constrained plan: in each funding cycle, the one-level upgrades with the "
        "largest total base NPV whose mid-band costs fit the budget (exact optimum), for one unit "
        "(--unit) or all units of the organisation competing for one budget."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument("--unit", help="plan for this unit only (slug)")
        parser.add_argument(
            "--budget", required=True, help="USD available in each funding cycle, e.g. 2000000"
        )
        parser.add_argument(
            "--funding-cycles", required=True, type=int, help="how many funding cycles to plan"
        )
        add_common_arguments(parser)

    def handle(self, *, organisation, unit, cycle, budget, funding_cycles, **options):
        found_organisation = find_organisation(organisation)
        business_unit = find_unit(unit, found_organisation) if unit else None
        found_cycle = find_cycle(cycle, found_organisation)
        overrides = Overrides(
            discount_rate=parse_discount_rate(options["discount_rate"]),
            value_bases=value_base_overrides(options["value_base"], found_cycle),
            budget_per_cycle=parse_amount(budget, "--budget", limits.BUDGET_PER_CYCLE),
            funding_cycles=parse_funding_cycles(funding_cycles),
        )
        plan = plan_for_cycle(
            found_organisation, found_cycle, unit=business_unit, overrides=overrides
        )
        if not plan.units:
            scope = f"unit '{business_unit.slug}'" if business_unit else f"'{organisation}'"
            raise CommandError(f"{scope} has no assessment in cycle '{cycle}'")
        steps = plan_roadmap(plan)
        rows = [roadmap_row(step) for step in steps]
        self.stdout.write(render_rows(rows, ROADMAP_KEYS, options["format"]), ending="")
        used = sorted({step.funding_cycle for step in steps})
        total = sum(cents(step.npv_base) for step in steps)  # the sum of the rows as printed
        self.stderr.write(
            f"{len(rows)} upgrade(s) over {len(used)} of {funding_cycles} funding cycle(s) for "
            f"{len(plan.units)} unit(s), total base NPV {total / 100:,.2f} USD"
        )
