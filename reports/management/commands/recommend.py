from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment
from reports.cli import (
    RECOMMEND_KEYS,
    add_common_arguments,
    find_cycle,
    find_organisation,
    find_unit,
    parse_discount_rate,
    recommendation_row,
    render_rows,
    value_base_overrides,
)
from reports.domain.planning import Overrides
from reports.queries.planning import plan_for_assessment


class Command(BaseCommand):
    help = (
        "A unit's one-level upgrades in priority order: binding dimensions, cost band, 24-month "
        "NPV (best, base, downside), priority, negative-NPV flag and DEOM mode. "
        "--discount-rate and --value-base override the engagement's stored inputs for this run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="the business unit's slug")
        parser.add_argument(
            "--organisation", help="the organisation's slug (needed if the unit slug is not unique)"
        )
        add_common_arguments(parser)

    def handle(self, *, unit, organisation, cycle, discount_rate, value_base, format, **options):
        organisation = find_organisation(organisation) if organisation else None
        business_unit = find_unit(unit, organisation)
        found_cycle = find_cycle(cycle, business_unit.organisation)
        assessment = (
            Assessment.objects.filter(unit=business_unit, cycle=found_cycle)
            .select_related("unit__organisation", "cycle")
            .first()
        )
        if assessment is None:
            raise CommandError(f"unit '{business_unit.slug}' has no assessment in cycle '{cycle}'")
        overrides = Overrides(
            discount_rate=parse_discount_rate(discount_rate),
            value_bases=value_base_overrides(value_base, found_cycle),
        )
        plan = plan_for_assessment(assessment, overrides=overrides)
        rows = [recommendation_row(r) for r in plan.recommendations]
        self.stdout.write(render_rows(rows, RECOMMEND_KEYS, format), ending="")
        self.stderr.write(
            f"{len(rows)} recommended upgrade(s) for {business_unit.organisation.slug}/"
            f"{business_unit.slug} in {cycle}"
        )
        for metric in plan.missing_value_bases:
            self.stderr.write(f"No value base for '{metric}': its upgrades count no benefit.")
