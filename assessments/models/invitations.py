"""Invitations: a consultant asks someone, by email address, to take a role."""

from django.conf import settings
from django.db import models

from .organisations import BusinessUnit, Organisation


class Invitation(models.Model):
    """One person invited to one role: lead or respondent of a unit, or consultant of the
    organisation. Pending until the person sets a password through the link (a new
    account), or accepted at once (someone who already had an account is simply added)."""

    class Role(models.TextChoices):
        RESPONDENT = "respondent", "Respondent of a unit"
        LEAD = "lead", "Lead of a unit"
        CONSULTANT = "consultant", "Consultant of the organisation"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    unit = models.ForeignKey(
        BusinessUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    email = models.EmailField(max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    times_sent = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation_id", "-created_at"]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()} ({self.organisation})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None
