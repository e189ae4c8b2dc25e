import re

from django.core.management.base import BaseCommand, CommandError

from assessments.audit import verify_log
from assessments.domain.audit_chain import INSTALLATION, INSTALLATION_NAME
from assessments.models import AuditEntry

ANCHOR = re.compile(r"^([^=\s]+)=(\d+):([0-9a-f]{64})$")
ANCHOR_FORM = (
    "CHAIN=SEQUENCE:HASH (an organisation's slug or 'installation', '=', a number, a colon, "
    "64 hex digits)"
)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


class Command(BaseCommand):
    help = (
        "Recompute every hash chain of the audit log (one per organisation, one for the "
        "installation). Prints each chain's entries and head and 'audit chain: ok', or exits "
        "1 naming the first entry of each chain that was changed, deleted or reordered."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect-head",
            metavar="CHAIN=SEQUENCE:HASH",
            action="append",
            default=[],
            help="a head printed by an earlier run and kept outside the database: entry "
            "SEQUENCE of CHAIN must still have this hash (repeat for several chains)",
        )

    def handle(self, expect_head, **options):
        anchors = []
        for given in expect_head:
            match = ANCHOR.match(given.strip())
            if not match:
                raise CommandError(f"--expect-head must be {ANCHOR_FORM}, got '{given}'")
            name, sequence, expected = match[1], int(match[2]), match[3]
            anchors.append(
                (INSTALLATION if name == INSTALLATION_NAME else name, sequence, expected)
            )
        report = verify_log()
        self.stdout.write(
            f"checked {_plural(report.checked, 'audit entry', 'audit entries')} "
            f"in {_plural(len(report.chains), 'chain', 'chains')}"
        )
        for chain in report.chains:
            verdict = "ok" if chain.problem is None else "BROKEN"
            self.stdout.write(
                f"{chain.name}: {_plural(chain.checked, 'entry', 'entries')}, "
                f"head {chain.name}={chain.head_sequence}:{chain.head_hash}, {verdict}"
            )
        problems = report.problems()
        for chain_key, sequence, expected in anchors:
            problem = self._anchor_problem(report, chain_key, sequence, expected)
            if problem:
                problems.append(problem)
        if problems:
            raise CommandError("audit chain broken: " + "; ".join(problems))
        self.stdout.write("audit chain: ok")

    @staticmethod
    def _anchor_problem(report, chain_key: str, sequence: int, expected: str) -> str:
        name = chain_key or INSTALLATION_NAME
        found = (
            AuditEntry.objects.filter(organisation=chain_key, sequence=sequence)
            .values_list("entry_hash", flat=True)
            .first()
        )
        if found is None:
            chain = report.chain(chain_key)
            ends = (
                f"the chain ends at #{chain.head_sequence}" if chain else "there is no such chain"
            )
            return f"{name}: entry #{sequence} of the expected head is missing ({ends})"
        if found != expected:
            return (
                f"{name}: entry #{sequence} has hash {found}, not the expected {expected}: "
                "the chain up to it was rewritten"
            )
        return ""
