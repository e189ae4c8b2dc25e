"""The append-only audit log and the login failures kept for throttling."""

from django.db import models


class AuditEntry(models.Model):
    """An append-only, hash-chained log entry: entry `sequence` of its organisation's chain
    (the installation's chain when `organisation` is empty). See assessments/audit.py and
    assessments/domain/audit_chain.py."""

    sequence = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    actor = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64)
    # Slugs, not foreign keys: deleting an organisation must not rewrite its history. The
    # slug is also the chain the entry belongs to.
    organisation = models.CharField(max_length=64, blank=True)
    unit = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["organisation", "sequence"]
        verbose_name_plural = "audit entries"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sequence"], name="audit_entry_sequence_in_chain"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation or 'installation'} #{self.sequence} {self.action} by {self.actor or 'system'}"

    @property
    def at_text(self) -> str:
        return self.at.isoformat()


class AuditHead(models.Model):
    """The last entry of one chain of the audit log (one row per chain: an organisation's
    slug, or "" for the installation).

    Deleting the newest entries leaves a chain that is still consistent; the head
    record remembers how long the chain was and the hash it ended with, so
    `verify_audit` notices the truncation too. Writers lock the row of their chain only,
    so different organisations' saves never wait for each other. See assessments/audit.py.
    """

    chain = models.CharField(max_length=64, blank=True, unique=True)
    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit head {self.chain or 'installation'} #{self.sequence}"


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
