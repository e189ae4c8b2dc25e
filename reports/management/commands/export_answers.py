from reports.cli import TidyExportCommand
from reports.queries.exports import answers_table


class Command(TidyExportCommand):
    help = "Write the tidy answers (one row per respondent per question) as CSV or XLSX."
    table = staticmethod(answers_table)
    sheet = "answers"
