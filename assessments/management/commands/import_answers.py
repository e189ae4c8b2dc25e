from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.domain import limits
from assessments.imports import (
    ImportFailed,
    WebAnswersNotConfirmed,
    answers_import,
    file_made_at,
    read_rows,
)
from assessments.services.errors import DatabaseBusy


class Command(BaseCommand):
    help = (
        "Load a tidy answers file (CSV or XLSX): every row or none. Bad rows are reported "
        "by line number. With --create-missing, unknown organisations, units and cycles are "
        "created on the latest version of --framework. A file that would replace answers "
        "people gave on the web themselves, or answers changed after the file was made "
        "(--made-at; an offline workbook knows, otherwise the file's modification time), is "
        "refused unless --replace-web-answers is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--create-missing", action="store_true")
        parser.add_argument("--framework", metavar="CODE", help="framework code for created cycles")
        parser.add_argument(
            "--replace-web-answers",
            action="store_true",
            help="replace answers that respondents gave on the web, or that changed after "
            "the file was made (recorded in the audit log)",
        )
        parser.add_argument(
            "--made-at",
            metavar="ISO-8601",
            help="when the file was made: answers changed after it are not replaced unconfirmed "
            "(default: written in an offline workbook, else the file's modification time)",
        )

    def handle(self, path, create_missing, framework, replace_web_answers, made_at, **options):
        file = Path(path)
        try:
            size = file.stat().st_size
            if size > limits.MAX_IMPORT_FILE_BYTES:
                raise CommandError(
                    f"{path}: the file is {limits.size_text(size)} (at most "
                    f"{limits.size_text(limits.MAX_IMPORT_FILE_BYTES)}); split it into smaller files"
                )
            data = file.read_bytes()
            modified = datetime.fromtimestamp(file.stat().st_mtime, UTC)
        except OSError as error:
            raise CommandError(f"{path}: cannot be read ({error.strerror})") from None
        if made_at:
            try:
                made = datetime.fromisoformat(made_at)
            except ValueError:
                raise CommandError(f"--made-at {made_at}: not an ISO 8601 time") from None
            made = made if made.tzinfo else made.replace(tzinfo=UTC)
        else:
            made = file_made_at(file.name, data) or modified
        try:
            rows = read_rows(file.name, data)
            result = answers_import(
                rows=rows,
                source_name=file.name,
                source_bytes=data,
                create_missing=create_missing,
                framework_code=framework,
                replace_web_answers=replace_web_answers,
                made_at=made,
            )
        except WebAnswersNotConfirmed as error:
            raise CommandError(
                f"{path}: nothing imported: it would replace answers people gave on the web, "
                "or answers changed after the file was made:\n"
                + "\n".join(error.problems)
                + "\nRun again with --replace-web-answers to replace them (the audit log says so)."
            ) from None
        except ImportFailed as error:
            raise CommandError(
                f"{path}: {len(error.problems)} problem(s), nothing imported:\n"
                + "\n".join(error.problems)
            ) from None
        except DatabaseBusy as error:
            raise CommandError(f"{path}: {error}") from None
        for item in result.created:
            self.stdout.write(f"created {item}")
        self.stdout.write(
            f"Imported {result.rows} rows from {file.name}: {result.answers_changed} answers changed."
        )
