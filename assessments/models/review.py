"""The work of a cycle between answering and sign-off: who answers which capability
(assignments), and the lead's review of each capability (send-backs and "reviewed").

See docs/cycles.md, "Assigning capabilities" and "Reviewing capabilities".
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .assessments import Assessment
from .frameworks import Capability


class Assignment(models.Model):
    """A capability of an assessment given to one member of its unit.

    An assessment without assignments asks everyone everything (the default); once a
    capability has assignments, only those people have it as a task. Anyone of the unit
    may still answer any capability: an assignment says whose task it is, not who may.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assignments")
    capability = models.ForeignKey(Capability, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "capability__position", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "capability", "user"], name="assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.capability.code} to {self.user} in {self.assessment}"


class SendBack(models.Model):
    """The lead asks one respondent to revisit one capability, with a note.

    Sent back → revised (the respondent saved that capability since) → closed (the lead
    marked the capability reviewed, or sent it back again). At most one open send-back
    per assessment, capability and respondent.
    """

    class State(models.TextChoices):
        SENT_BACK = "sent_back", "Sent back"
        REVISED = "revised", "Revised"
        CLOSED = "closed", "Closed"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="send_backs")
    capability = models.ForeignKey(Capability, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="send_backs"
    )
    note = models.TextField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.SENT_BACK)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    revised_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment_id", "-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "capability", "user"],
                condition=~Q(state="closed"),
                name="send_back_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.capability.code} sent back to {self.user} ({self.get_state_display()})"


class CapabilityReview(models.Model):
    """The lead marked a capability of an assessment reviewed. An answer of that capability
    saved afterwards shows it as "changed since review" (compared by time, not cleared)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reviews")
    capability = models.ForeignKey(Capability, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "capability"], name="capability_review_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.capability.code} reviewed in {self.assessment}"
