"""The append-only audit log and the login failures kept for throttling."""

from django.db import models
from django.db.models import Q


class AuditEntry(models.Model):
    """An append-only, hash-chained log entry. See assessments/audit.py."""

    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64)
    # Slugs, not foreign keys: deleting an organisation must not rewrite its history.
    organisation = models.CharField(max_length=64, blank=True, db_index=True)
    unit = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} by {self.actor or 'system'}"


class AuditHead(models.Model):
    """The last entry of the audit log, kept in a row of its own (there is only one).

    Deleting the newest entries leaves a chain that is still consistent; the head
    record remembers how long the log was and the hash it ended with, so
    `verify_audit` notices the truncation too. See assessments/audit.py.
    """

    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="audit_head_single_row")]

    def __str__(self) -> str:
        return f"audit head #{self.sequence}"


class LoginFailure(models.Model):
    """A failed login, kept for the throttling window (see assessments/throttling.py).

    In the database rather than in memory so the limit holds across server workers.
    """

    username = models.CharField(max_length=150)
    ip_address = models.CharField(max_length=45, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "ip_address", "at"], name="login_failure_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.ip_address or 'unknown'} at {self.at:%Y-%m-%d %H:%M:%S}"
