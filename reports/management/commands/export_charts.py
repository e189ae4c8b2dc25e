from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment
from reports.cli import add_selection_arguments, no_units, selection, write
from reports.exporters.chart_images import FORMATS, ChartImagesUnavailable, render_chart
from reports.presenters.charts import heatmap_spec, with_title
from reports.presenters.portfolio import portfolio_page
from reports.presenters.unit_report import unit_report_charts
from reports.queries.portfolio import portfolio_scores, target_levels
from reports.queries.unit_report import unit_report


class Command(BaseCommand):
    help = (
        "Write PNG and/or SVG images of an organisation's charts for a cycle: the portfolio "
        "heatmap, and each unit's capability × dimension heatmap and levels against target "
        "(with the portfolio median). Needs Chromium on this machine (Debian's `chromium`)."
    )

    def add_arguments(self, parser):
        add_selection_arguments(parser)
        parser.add_argument(
            "--format", choices=sorted(FORMATS), action="append", help="png, svg (default: both)"
        )
        parser.add_argument("-o", "--output", required=True, help="the folder to write into")

    def handle(self, *, organisation, cycle, region, tag, format, output, **options):
        found, chosen = selection(organisation, cycle)
        portfolio = portfolio_scores(organisation=found, cycles=[chosen])
        page = portfolio_page(
            portfolio, cycle=chosen.name, region=region, tag=tag, sort="-maturity"
        )
        if not page["rows"]:
            raise no_units(found, chosen, region, tag)
        figures = {
            "portfolio-heatmap": with_title(
                heatmap_spec(page["heatmap_matrix"], portfolio.levels),
                f"Portfolio heatmap · {found.name} · {chosen.name}",
            )
        }
        shown = [row["key"] for row in page["rows"]]
        assessments = Assessment.objects.filter(
            cycle=chosen, unit__organisation=found, unit__slug__in=shown
        ).select_related("unit__organisation", "cycle__framework")
        for assessment in sorted(assessments, key=lambda a: shown.index(a.unit.slug)):
            report = unit_report(assessment)
            codes = [row.code for row in report.capabilities]
            charts = unit_report_charts(
                report, targets=target_levels(assessment.unit, codes), portfolio=portfolio
            )
            name, cycle_name = assessment.unit.name, chosen.name
            figures[f"{assessment.unit.slug}-heatmap"] = with_title(
                charts["heatmap_figure"], f"Capability × dimension · {name} · {cycle_name}"
            )
            figures[f"{assessment.unit.slug}-targets"] = with_title(
                charts["target_figure"], f"Capabilities against target · {name} · {cycle_name}"
            )
        folder = Path(output)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"{output}: cannot be created ({error.strerror})") from None
        formats = format or sorted(FORMATS)
        for name, figure in figures.items():
            for image_format in formats:
                try:
                    content = render_chart(figure, image_format)
                except ChartImagesUnavailable as error:
                    # kaleido's first sentence says what it looked for; the rest offers a
                    # download that cannot work on a locked-down server
                    first = error.detail.split(". ")[0].rstrip(".")
                    detail = f" ({first}.)" if first else ""
                    raise CommandError(f"{error}{detail}") from None
                write(str(folder / f"{found.slug}-{chosen.name}-{name}.{image_format}"), content)
        self.stdout.write(
            f"Wrote {len(figures) * len(formats)} images to {output}: {len(figures)} charts "
            f"({len(shown)} unit{'s' if len(shown) != 1 else ''} of {found.slug} in "
            f"{chosen.name}) as {' and '.join(formats)}"
        )
