from django.core.management.base import BaseCommand

from reports.cli import add_selection_arguments, no_units, selection, write
from reports.exporters.workbook import report_workbook
from reports.queries.exports import report_data


class Command(BaseCommand):
    help = (
        "Write the report workbook (XLSX) of an organisation's cycle: sheets Heatmap, Scores, "
        "Recommendations, Roadmap, Trend and Assumptions, readable as opened."
    )

    def add_arguments(self, parser):
        add_selection_arguments(parser)
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def handle(self, *, organisation, cycle, region, tag, output, **options):
        found, chosen = selection(organisation, cycle)
        data = report_data(found, chosen, region=region, tag=tag)
        if not data.units:
            raise no_units(found, chosen, region, tag)
        write(output, report_workbook(data))
        self.stdout.write(
            f"Wrote {output}: Scores {len(data.score_rows)} rows, Heatmap {len(data.units)} "
            f"units × {len(data.capabilities)} capabilities, Recommendations "
            f"{len(data.recommendations)} rows, Roadmap {len(data.roadmap)} rows, Trend and "
            f"Assumptions ({found.slug}, {chosen.name})"
        )
