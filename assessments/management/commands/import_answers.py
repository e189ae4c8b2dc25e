from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.imports import ImportFailed, answers_import, read_rows


class Command(BaseCommand):
    help = (
        "Load a tidy answers file (CSV or XLSX): every row or none. Bad rows are reported "
        "by line number. With --create-missing, unknown organisations, units and cycles are "
        "created on the latest version of --framework."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--create-missing", action="store_true")
        parser.add_argument("--framework", metavar="CODE", help="framework code for created cycles")

    def handle(self, path, create_missing, framework, **options):
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot be read ({error.strerror})") from None
        try:
            rows = read_rows(file.name, data)
            result = answers_import(
                rows=rows,
                source_name=file.name,
                source_bytes=data,
                create_missing=create_missing,
                framework_code=framework,
            )
        except ImportFailed as error:
            raise CommandError(
                f"{path}: {len(error.problems)} problem(s), nothing imported:\n"
                + "\n".join(error.problems)
            ) from None
        for item in result.created:
            self.stdout.write(f"created {item}")
        self.stdout.write(
            f"Imported {result.rows} rows from {file.name}: {result.answers_changed} answers changed."
        )
