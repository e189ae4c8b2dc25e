"""Send the reminders due today (meant for cron; see docs/cycles.md, "Reminders")."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.services.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Remind everyone who has not finished an open assessment 7 days and 1 day before its "
        "cycle's deadline, and the day after it. Safe to run more than once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="YYYY-MM-DD: act as if it were this day (tests, catching up)."
        )

    def handle(self, *args, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today: {error}") from error
        outcomes = send_due_reminders(day)
        for outcome in outcomes:
            self.stdout.write(str(outcome))
        sent = sum(o.status == "sent" for o in outcomes)
        failed = sum(o.status == "failed" for o in outcomes)
        self.stdout.write(
            f"{day}: {sent} sent, {len(outcomes) - sent - failed} skipped, {failed} failed."
        )
        if failed:
            raise CommandError(f"{failed} reminder(s) not sent; the next run retries them.")
