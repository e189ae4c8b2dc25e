"""Reminders of an open assessment's deadline, and a lead's or consultant's "Remind".

Who is reminded: every respondent and lead of the unit who has not answered every question
of their tasks (docs/cycles.md, "Assigning capabilities": every capability until the lead
assigns them) and has not turned reminders off. When: 7 days before the cycle's
deadline, 1 day before, and the day after it passed ("overdue"). Sending is idempotent: a
`Reminder` row is inserted first (its unique constraint refuses a second one, whichever
process tries), then the email goes out; if the mail server refuses, the row is deleted so
the next run retries. No reminder carries answers: only the unit, cycle, deadline,
progress counts and links.
"""

from __future__ import annotations

import datetime
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.audit import record
from assessments.models import (
    Assessment,
    EmailPreference,
    Reminder,
)
from assessments.queries.tasks import respondents_progress

from .errors import ReminderNotSent
from .invitations import send_text_email

# Days before the deadline each automatic kind falls due (negative: after it).
SCHEDULE = {Reminder.Kind.WEEK: 7, Reminder.Kind.DAY: 1, Reminder.Kind.OVERDUE: -1}


@dataclass(frozen=True)
class Outcome:
    status: str  # "sent", "already sent", "opted out", "finished", "no email", "failed"
    person: str
    assessment: Assessment
    kind: str

    def __str__(self) -> str:
        a = self.assessment
        where = f"{a.unit.organisation.slug}/{a.unit.slug} {a.cycle.name}"
        return f"{self.status}: {self.kind} to {self.person} ({where})"


def base_url() -> str:
    return settings.LADDER_BASE_URL


def absolute_url(viewname: str, **kwargs) -> str:
    """A page's address as an email links to it: LADDER_BASE_URL, then the page's path."""
    return base_url().rstrip("/") + reverse(viewname, kwargs=kwargs)


def _subject(assessment: Assessment, kind: str) -> str:
    name = f"{assessment.unit.name} {assessment.cycle.name}"
    return {
        Reminder.Kind.WEEK: f"Reminder: {name} is due in 7 days",
        Reminder.Kind.DAY: f"Reminder: {name} is due tomorrow",
        Reminder.Kind.OVERDUE: f"Overdue: {name} was due yesterday",
    }.get(kind, f"Reminder: please answer {name}")


def _deliver(person: dict, assessment: Assessment, kind: str, day, *, by, url: str) -> str:
    """Insert the reminder, send it, delete it again if the send fails. The status."""
    user = person["user"]
    if not user.email:
        return "no email"
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                user=user, assessment=assessment, kind=kind, day=day, sent_by=by
            )
    except IntegrityError:
        return "already sent"
    root = url.rstrip("/")
    try:
        send_text_email(
            "reminders/email_reminder.txt",
            _subject(assessment, kind),
            {
                "assessment": assessment,
                "kind": kind,
                "person": person,
                "left": person["total"] - person["answered"],
                "sent_by": by,
                "link": root + reverse("assessment_overview", kwargs={"pk": assessment.pk}),
                "preferences": root + reverse("email_preferences"),
            },
            user.email,
        )
    except (OSError, smtplib.SMTPException) as error:
        reminder.delete()
        _audit("reminder.not_sent", assessment, user, kind, by, error=type(error).__name__)
        return "failed"
    _audit("reminder.sent", assessment, user, kind, by)
    return "sent"


def _audit(action, assessment, user, kind, by, **details) -> None:
    record(
        action,
        actor=by,
        organisation=assessment.unit.organisation.slug,
        unit=assessment.unit.slug,
        details={"assessment": assessment.pk, "to": user.username, "kind": kind, **details},
    )


def send_due_reminders(today: datetime.date, *, url: str | None = None) -> list[Outcome]:
    """Send every reminder due on `today` (see the module's docstring); what was done."""
    outcomes: list[Outcome] = []
    assessments = Assessment.objects.filter(
        status=Assessment.Status.DRAFT, cycle__deadline__isnull=False, cycle__is_open=True
    ).select_related("unit__organisation", "cycle")
    for assessment in assessments:
        deadline = assessment.cycle.deadline
        kinds = [k for k, days in SCHEDULE.items() if deadline - datetime.timedelta(days) == today]
        for kind in kinds:
            for person in respondents_progress(assessment)["rows"]:
                name = person["user"].username
                if person["opted_out"]:
                    status = "opted out"
                elif person["finished"]:
                    status = "finished"
                else:
                    status = _deliver(
                        person, assessment, kind, today, by=None, url=url or base_url()
                    )
                outcomes.append(Outcome(status, name, assessment, kind))
    return outcomes


def remind_now(*, assessment: Assessment, user_id: int, by, url: str) -> str:
    """The lead's or consultant's "Remind": one reminder now, at most one a person a day.
    ReminderNotSent (a message for the page) when it cannot be sent."""
    person = next(
        (p for p in respondents_progress(assessment)["rows"] if p["user"].pk == user_id), None
    )
    if person is None:
        raise LookupError(user_id)
    if not assessment.is_editable:
        raise ReminderNotSent("This assessment is signed off: there is nothing to remind of.")
    if person["opted_out"]:
        raise ReminderNotSent(f"{person['user'].username} has turned reminders off.")
    status = _deliver(
        person, assessment, Reminder.Kind.MANUAL, timezone.localdate(), by=by, url=url
    )
    if status == "already sent":
        raise ReminderNotSent(f"{person['user'].username} was reminded today already.")
    if status == "no email":
        raise ReminderNotSent(f"{person['user'].username} has no email address.")
    if status == "failed":
        raise ReminderNotSent("The mail server refused the reminder; try again later.")
    return person["user"].username


def set_reminders(user, on: bool) -> None:
    EmailPreference.objects.update_or_create(user=user, defaults={"reminders": on})
    record("email_preferences.changed", actor=user, details={"reminders": on})
