from reports.tidy_exports import TidyExportCommand, answers_table


class Command(TidyExportCommand):
    help = "Write the tidy answers (one row per respondent per question) as CSV or XLSX."
    table = staticmethod(answers_table)
    sheet = "answers"
