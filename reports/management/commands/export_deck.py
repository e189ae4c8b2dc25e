from django.core.management.base import BaseCommand

from reports.cli import add_selection_arguments, no_units, selection, write
from reports.exporters.deck import ROADMAP_ROWS_PER_SLIDE, UNITS_PER_SLIDE, deck_pptx, slide_count
from reports.queries.exports import report_data


def pages(count: int, per_slide: int) -> int:
    return max(1, -(-count // per_slide))


class Command(BaseCommand):
    help = (
        "Write the PowerPoint deck of an organisation's cycle: title, portfolio heatmap as a "
        "native table coloured by level, one slide per unit with its top recommendations, "
        "the roadmap and the DEOM grid, with speaker notes."
    )

    def add_arguments(self, parser):
        add_selection_arguments(parser)
        parser.add_argument("-o", "--output", required=True, help="the .pptx file to write")

    def handle(self, *, organisation, cycle, region, tag, output, **options):
        found, chosen = selection(organisation, cycle)
        data = report_data(found, chosen, region=region, tag=tag)
        if not data.units:
            raise no_units(found, chosen, region, tag)
        write(output, deck_pptx(data))
        units = len(data.units)
        self.stdout.write(
            f"Wrote {output}: {slide_count(data)} slides (title, "
            f"{pages(units, UNITS_PER_SLIDE)} heatmap, {units} for the units, "
            f"{pages(len(data.roadmap), ROADMAP_ROWS_PER_SLIDE)} roadmap, DEOM grid): "
            f"{units} unit{'s' if units != 1 else ''} of {found.slug} in {chosen.name}, "
            f"{len(data.recommendations)} recommended upgrades, {len(data.roadmap)} on the roadmap"
        )
