"""One hash chain per organisation (and one for installation-wide events) instead of one
chain for the whole installation, so that saves of different organisations never wait
for the same lock.

The existing log is verified as the one chain it was first; a broken log is not
rechained (that would launder a tampering): the migration stops and says so. A good log
is split by organisation in its original order, renumbered 1, 2, 3… within each chain
and hashed again by the same rule, with one head per chain. The installation chain then
records `audit.rechain` with the old head and every chain's new head, so a head kept
outside the database before the upgrade can still be tied to the new chains.
"""

import itertools

from django.core.management.base import CommandError
from django.db import migrations, models
from django.utils import timezone

from assessments.domain.audit_chain import (
    GENESIS_HASH,
    INSTALLATION,
    chain_name,
    entry_hash,
    verify,
)


class _Entry:
    """A historical entry as the chain rules read it (historical models have no methods)."""

    def __init__(self, row):
        self.row = row
        self.sequence = row.sequence
        self.actor, self.action = row.actor, row.action
        self.organisation, self.unit, self.details = row.organisation, row.unit, row.details
        self.previous_hash, self.entry_hash = row.previous_hash, row.entry_hash

    @property
    def at_text(self):
        return self.row.at.isoformat()


def _hash(sequence, row, previous_hash):
    return entry_hash(
        sequence=sequence,
        at=row.at.isoformat(),
        actor=row.actor,
        action=row.action,
        organisation=row.organisation,
        unit=row.unit,
        details=row.details,
        previous_hash=previous_hash,
    )


def rechain(apps, schema_editor):
    AuditEntry = apps.get_model("assessments", "AuditEntry")
    AuditHead = apps.get_model("assessments", "AuditHead")
    rows = list(AuditEntry.objects.order_by("sequence"))
    old_head = AuditHead.objects.filter(pk=1).values_list("sequence", "entry_hash").first()
    if not rows and old_head is None:
        return
    report = verify(INSTALLATION, [_Entry(row) for row in rows], head=old_head)
    if report.problem is not None:
        raise CommandError(
            "The audit log is broken, so it was not split into one chain per organisation "
            f"(that would hide the break): {report.problem.reason}. Run `manage.py "
            "verify_audit` on the previous release, investigate, and restore the log from a "
            "backup before upgrading."
        )
    legacy = f"{report.head_sequence}:{report.head_hash}"
    AuditHead.objects.all().delete()
    heads = {}
    ordered = sorted(rows, key=lambda row: (row.organisation, row.sequence))
    for chain, group in itertools.groupby(ordered, key=lambda row: row.organisation):
        previous = GENESIS_HASH
        for number, row in enumerate(group, start=1):
            row.sequence, row.previous_hash = number, previous
            row.entry_hash = previous = _hash(number, row, row.previous_hash)
            row.save(update_fields=["sequence", "previous_hash", "entry_hash"])
        heads[chain] = (number, previous)
    # The rechaining itself, recorded at the end of the installation's chain.
    sequence, previous = heads.get(INSTALLATION, (0, GENESIS_HASH))
    marker = AuditEntry(
        sequence=sequence + 1,
        at=timezone.now().replace(microsecond=0),
        actor="",
        action="audit.rechain",
        organisation=INSTALLATION,
        unit="",
        details={
            "legacy_head": legacy,
            "chains": {chain_name(c): f"{s}:{h}" for c, (s, h) in sorted(heads.items())},
        },
        previous_hash=previous,
    )
    marker.entry_hash = _hash(marker.sequence, marker, previous)
    marker.save()
    heads[INSTALLATION] = (marker.sequence, marker.entry_hash)
    AuditHead.objects.bulk_create(
        AuditHead(chain=chain, sequence=s, entry_hash=h) for chain, (s, h) in heads.items()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_backfill_stored_scores"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditentry",
            options={
                "ordering": ["organisation", "sequence"],
                "verbose_name_plural": "audit entries",
            },
        ),
        migrations.RemoveConstraint(
            model_name="audithead",
            name="audit_head_single_row",
        ),
        migrations.AddField(
            model_name="audithead",
            name="chain",
            field=models.CharField(blank=True, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="organisation",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="sequence",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.RunPython(rechain, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                fields=("organisation", "sequence"), name="audit_entry_sequence_in_chain"
            ),
        ),
    ]
