from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.cli import add_selection_arguments, no_units, selection, write
from reports.exporters.deck import build_deck
from reports.queries.exports import report_data
from reports.queries.templates import organisation_template
from reports.validators import DeckTemplateError, check_deck_template


class Command(BaseCommand):
    help = (
        "Write the PowerPoint deck of an organisation's cycle: executive summary, portfolio "
        "heatmap, trend, one slide per unit with its chart and top upgrades, the roadmap, the "
        "DEOM grid and an appendix, native tables and charts, speaker notes. The deck uses the "
        "organisation's uploaded template, or --template PATH, or the default one."
    )

    def add_arguments(self, parser):
        add_selection_arguments(parser)
        parser.add_argument("-o", "--output", required=True, help="the .pptx file to write")
        parser.add_argument(
            "--template", help="a .pptx whose slide master and layouts the deck uses"
        )
        parser.add_argument(
            "--confidential",
            default="",
            help="a label for every slide's footer, e.g. 'Confidential'",
        )

    def handle(
        self, *, organisation, cycle, region, tag, output, template, confidential, **options
    ):
        found, chosen = selection(organisation, cycle)
        content = None
        if template:
            try:
                content = Path(template).read_bytes()
            except OSError as error:
                raise CommandError(f"{template}: cannot be read ({error.strerror})") from None
            try:
                check_deck_template(content, name=template)
            except DeckTemplateError as error:
                raise CommandError(str(error)) from None
        else:
            stored = organisation_template(found)
            content = bytes(stored.content) if stored is not None else None
        data = report_data(found, chosen, region=region, tag=tag)
        if not data.units:
            raise no_units(found, chosen, region, tag)
        deck = build_deck(data, template=content, confidentiality=confidential)
        write(output, deck.save())
        units = len(data.units)
        self.stdout.write(
            f"Wrote {output}: {deck.number} slides for {units} unit{'s' if units != 1 else ''} "
            f"of {found.slug} in {chosen.name}, {len(data.recommendations)} recommended upgrades, "
            f"{len(data.roadmap)} on the roadmap"
            + (
                f", template {template}"
                if template
                else ", the organisation's template"
                if content
                else ""
            )
        )
