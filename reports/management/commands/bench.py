from django.core.management.base import BaseCommand, CommandError

from reports.bench.run import DECK_UNITS, run


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Measure Ladder at portfolio scale in a throwaway database (never the configured one): "
        "portfolio and unit report against their floors, questionnaire saves, queries per page "
        "at 50 and at --units units, deck and XLSX exports of 100 units, peak memory. Prints a "
        "table; the last line is 'bench: ok', or 'bench: FAIL' with what missed (exit status 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", type=positive, default=500, help="units (default 500)")
        parser.add_argument(
            "--respondents", type=positive, default=3, help="respondents a unit (default 3)"
        )
        parser.add_argument(
            "--repeat", type=positive, default=5, help="runs per figure, median taken (default 5)"
        )
        parser.add_argument(
            "--export-units",
            type=positive,
            default=DECK_UNITS,
            help=f"units of the organisation exported to deck and XLSX (default {DECK_UNITS})",
        )

    def handle(self, *, units, respondents, repeat, export_units, **options):
        report = run(
            units=units,
            respondents=respondents,
            repeat=repeat,
            export_units=export_units,
            progress=lambda line: self.stderr.write(line) if options["verbosity"] > 0 else None,
        )
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"{len(report.misses)} goal(s) missed", returncode=1)
