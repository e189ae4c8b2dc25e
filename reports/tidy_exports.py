"""The tidy answers and scores tables (DESIGN.md, "Tidy file formats") and their command."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from assessments.models import Answer, Cycle, format_number
from assessments.tidy import ANSWER_COLUMNS, SCORE_COLUMNS, csv_bytes

from .aggregation import assessments_in, tidy_scores
from .exporters.xlsx import tidy_workbook


def answers_table(
    cycle: str | None = None, organisation: str | None = None, units=None
) -> tuple[list[str], list[list]]:
    """The tidy answers; `units` (slugs), when given, keeps only those units' rows."""
    answers = Answer.objects.filter(response__assessment__in=assessments_in(cycle, organisation))
    if units is not None:
        answers = answers.filter(response__assessment__unit__slug__in=list(units))
    rows = answers.order_by(
        "response__assessment__unit__organisation__slug",
        "response__assessment__cycle__name",
        "response__assessment__unit__slug",
        "response__respondent",
        "question__position",
    ).values_list(
        "response__assessment__unit__organisation__slug",
        "response__assessment__unit__slug",
        "response__assessment__cycle__name",
        "response__respondent",
        "question__code",
        "choice",
        "value",
        "special",
        "comment",
    )
    return ANSWER_COLUMNS, [
        [
            org,
            unit,
            cyc,
            who,
            code,
            special or (str(choice) if choice is not None else format_number(value)),
            comment,
        ]
        for org, unit, cyc, who, code, choice, value, special, comment in rows
    ]


def scores_table(
    cycle: str | None = None, organisation: str | None = None
) -> tuple[list[str], list[list]]:
    table = tidy_scores(assessments_in(cycle, organisation))
    rows = [
        [
            r.organisation,
            r.unit,
            r.cycle,
            r.capability,
            r.dimension,
            None if pd.isna(r.score) else float(r.score),
            None if pd.isna(r.level) else int(r.level),
        ]
        for r in table.itertuples(index=False)
    ]
    return SCORE_COLUMNS, rows


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
