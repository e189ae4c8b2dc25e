import re

from django.core.management.base import BaseCommand, CommandError

from assessments.audit import verify_log
from assessments.models import AuditEntry

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


class Command(BaseCommand):
    help = (
        "Recompute the audit log's hash chain. Prints the number of entries checked and "
        "'audit chain: ok', or exits 1 naming the first entry that was changed, deleted or "
        "reordered."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect-head",
            metavar="SEQUENCE:HASH",
            help="a head printed by an earlier run and kept outside the database: "
            "entry SEQUENCE must still have this hash",
        )

    def handle(self, expect_head, **options):
        anchor = None
        if expect_head:
            match = ANCHOR.match(expect_head.strip())
            if not match:
                raise CommandError(
                    f"--expect-head must be SEQUENCE:HASH (a number, a colon, 64 hex digits), got '{expect_head}'"
                )
            anchor = int(match[1]), match[2]
        report = verify_log()
        self.stdout.write(f"checked {report.checked} audit entries")
        if report.problem is not None:
            raise CommandError(f"audit chain broken: {report.problem.reason}")
        if anchor is not None:
            sequence, expected = anchor
            found = (
                AuditEntry.objects.filter(sequence=sequence)
                .values_list("entry_hash", flat=True)
                .first()
            )
            if found is None:
                raise CommandError(
                    f"audit chain broken: entry #{sequence} of the expected head is missing "
                    f"(the log ends at #{report.head_sequence})"
                )
            if found != expected:
                raise CommandError(
                    f"audit chain broken: entry #{sequence} has hash {found}, not the expected "
                    f"{expected}: the log up to it was rewritten"
                )
        self.stdout.write(f"head: {report.head_sequence}:{report.head_hash}")
        self.stdout.write("audit chain: ok")
