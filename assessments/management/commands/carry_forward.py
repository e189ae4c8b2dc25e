"""Carry each unit's last signed-off answers into a cycle, as the set-up page's Carry
forward button does (see docs/cycles.md, "Carrying answers forward")."""

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Cycle, Organisation
from assessments.services.carry import carry_forward
from assessments.services.errors import DatabaseBusy


def _known(values) -> str:
    return ", ".join(sorted(set(values))) or "none"


class Command(BaseCommand):
    help = (
        "Carry every unit's last signed-off answers into an open cycle, to be confirmed by "
        "their respondents. Prints one line per unit; running it again carries nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument("--cycle", required=True, help="the cycle's name, e.g. 2026-Q4")

    def handle(self, *args, organisation, cycle, **options):
        found = Organisation.objects.filter(slug=organisation).first()
        if found is None:
            known = _known(Organisation.objects.values_list("slug", flat=True))
            raise CommandError(f"no organisation '{organisation}' (known: {known})")
        cycles = Cycle.objects.filter(organisation=found).select_related("organisation")
        target = cycles.filter(name=cycle).first()
        if target is None:
            known = _known(cycles.values_list("name", flat=True))
            raise CommandError(
                f"organisation '{organisation}' has no cycle '{cycle}' (known: {known})"
            )
        if not target.is_open:
            raise CommandError(
                f"cycle '{cycle}' of '{organisation}' is closed: answers are carried only into "
                "an open cycle"
            )
        try:
            results = carry_forward(cycle=target, by=None)
        except DatabaseBusy as error:
            raise CommandError(str(error)) from error
        for result in results:
            self.stdout.write(str(result))
        carried = sum(result.carried for result in results)
        self.stdout.write(
            f"{carried} answer(s) carried into {target.name} for {len(results)} unit(s)."
        )
