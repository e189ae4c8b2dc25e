from reports.cli import TidyExportCommand
from reports.queries.exports import scores_table


class Command(TidyExportCommand):
    help = "Write the tidy scores (one row per unit per capability per dimension) as CSV or XLSX."
    table = staticmethod(scores_table)
    sheet = "scores"
