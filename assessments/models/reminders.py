"""Reminders: who was reminded of which assessment, and who wants no reminders."""

from django.conf import settings
from django.db import models

from .assessments import Assessment


class EmailPreference(models.Model):
    """A person's choices about email; a person without a row gets reminders."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference"
    )
    reminders = models.BooleanField(
        default=True, help_text="Reminders of an assessment's deadline, and from the lead."
    )

    def __str__(self) -> str:
        return f"{self.user}: reminders {'on' if self.reminders else 'off'}"


class Reminder(models.Model):
    """One reminder sent (or being sent) to one person about one assessment.

    The unique constraint is what makes `send_reminders` idempotent: a reminder is inserted
    before it is sent, so a second run (or a second cron host) fails the insert and sends
    nothing; a failed send deletes the row, so the next run retries. `day` is the day the
    reminder is for: for the deadline kinds the day it falls due (deadline − 7, − 1, + 1),
    for a manual reminder the day it was asked for (at most one a person a day)."""

    class Kind(models.TextChoices):
        WEEK = "7d", "Deadline in 7 days"
        DAY = "1d", "Deadline tomorrow"
        OVERDUE = "overdue", "Deadline passed"
        MANUAL = "manual", "Sent by the lead or a consultant"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    day = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "assessment", "kind", "day"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.user} ({self.assessment}, {self.day})"
