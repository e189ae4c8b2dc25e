"""The append-only, hash-chained audit log.

Each entry's hash is the SHA-256 of its canonical JSON serialisation (sorted
keys, no whitespace, UTF-8) of: sequence, at (ISO 8601), actor, action,
organisation, unit, details and the previous entry's hash. The first entry's
previous hash is 64 zeros. Changing, deleting or reordering any entry breaks
the chain from there on.

Deleting the *newest* entries would leave a chain that still holds, so a
separate head record (`AuditHead`, one row) keeps the sequence and hash the
log ends with; `record` chains from the head, not from whatever entry happens
to be last, and `verify_log` compares the two.

What this proves, and what it does not: the hashes carry no secret, so someone
who can write to the database and recomputes every hash after an edit (and the
head) is not caught. Record the head that `manage.py verify_audit` prints
somewhere outside the database (a ticket, the operations log) and check it
later with `verify_audit --expect-head SEQUENCE:HASH` to close that gap.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .models import Assessment, AuditEntry, AuditHead

GENESIS_HASH = "0" * 64
# Serialises writers on PostgreSQL before the head row exists (the row lock does
# afterwards); SQLite already serialises writers.
_POSTGRES_LOCK_KEY = 0x1ADDE5


def entry_hash(
    *,
    sequence: int,
    at: str,
    actor: str,
    action: str,
    organisation: str,
    unit: str,
    details: dict,
    previous_hash: str,
) -> str:
    payload = {
        "sequence": sequence,
        "at": at,
        "actor": actor,
        "action": action,
        "organisation": organisation,
        "unit": unit,
        "details": details,
        "previous_hash": previous_hash,
    }
    canonical = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _hash_of(entry: AuditEntry) -> str:
    return entry_hash(
        sequence=entry.sequence,
        at=entry.at.isoformat(),
        actor=entry.actor,
        action=entry.action,
        organisation=entry.organisation,
        unit=entry.unit,
        details=entry.details,
        previous_hash=entry.previous_hash,
    )


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # A new database (or one flushed between tests): the head starts from the
        # log as it stands.
        last = AuditEntry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
        head = AuditHead.objects.create(
            pk=1,
            sequence=last["sequence"] if last else 0,
            entry_hash=last["entry_hash"] if last else GENESIS_HASH,
        )
    return head


@transaction.atomic
def record(
    action: str, *, actor=None, organisation: str = "", unit: str = "", details: dict | None = None
) -> AuditEntry:
    """Append one entry. `actor` is a user, a name, or None for the system."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_POSTGRES_LOCK_KEY])
    head = _locked_head()
    actor_name = getattr(actor, "username", None) or (actor or "")
    # Round-trip the details through JSON so the stored value hashes the same when read back.
    clean_details = json.loads(json.dumps(details or {}, default=str))
    entry = AuditEntry(
        sequence=head.sequence + 1,
        at=timezone.now().replace(microsecond=0),
        actor=str(actor_name),
        action=action,
        organisation=organisation,
        unit=unit,
        details=clean_details,
        previous_hash=head.entry_hash,
    )
    entry.entry_hash = _hash_of(entry)
    entry.save()
    head.sequence, head.entry_hash = entry.sequence, entry.entry_hash
    head.save(update_fields=["sequence", "entry_hash"])
    return entry


@dataclass(frozen=True)
class ChainBreak:
    """The first entry that does not fit: its sequence number (None when the head
    record itself is gone) and what is wrong with it."""

    sequence: int | None
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head_sequence: int
    head_hash: str
    problem: ChainBreak | None


def verify(entries: Iterable[AuditEntry], head: tuple[int, str] | None = None) -> ChainReport:
    """Walk the entries in sequence order; stop at the first that does not fit.

    `head` is (sequence, hash) from the head record; with it, entries deleted from
    the end of the log are caught too.
    """
    previous_hash = GENESIS_HASH
    expected = 1
    checked = 0
    for entry in entries:
        checked += 1
        if entry.sequence != expected:
            return ChainReport(
                checked,
                *(head or (0, "")),
                ChainBreak(
                    expected,
                    f"entry #{expected} is missing (deleted or renumbered): "
                    f"the log goes from #{expected - 1} to #{entry.sequence}",
                ),
            )
        if entry.previous_hash != previous_hash:
            return ChainReport(
                checked,
                *(head or (0, "")),
                ChainBreak(
                    entry.sequence,
                    f"entry #{entry.sequence} does not follow entry #{entry.sequence - 1}: "
                    "its previous-entry hash does not match (an entry was deleted, reordered or changed)",
                ),
            )
        if _hash_of(entry) != entry.entry_hash:
            return ChainReport(
                checked,
                *(head or (0, "")),
                ChainBreak(
                    entry.sequence,
                    f"entry #{entry.sequence} was changed after it was written: "
                    "its content does not match its hash",
                ),
            )
        previous_hash = entry.entry_hash
        expected += 1
    last = expected - 1
    if head is None:
        problem = ChainBreak(None, "the audit head record is missing (deleted)") if last else None
        return ChainReport(checked, last, previous_hash, problem)
    head_sequence, head_hash = head
    problem = None
    if head_sequence > last:
        problem = ChainBreak(
            last + 1,
            f"entry #{last + 1} is missing (deleted): the log ends at #{last} "
            f"but held {head_sequence} entries",
        )
    elif head_sequence < last:
        problem = ChainBreak(
            head_sequence + 1,
            f"entry #{head_sequence + 1} was added outside the audit log's writer "
            f"(the head record ends at #{head_sequence})",
        )
    elif head_hash != previous_hash:
        problem = ChainBreak(
            last, f"entry #{last} does not match the head record (it was replaced)"
        )
    return ChainReport(checked, head_sequence, head_hash, problem)


def verify_log() -> ChainReport:
    """Verify the whole log in the database against its head record."""
    head = AuditHead.objects.filter(pk=1).values_list("sequence", "entry_hash").first()
    entries = AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000)
    return verify(entries, head=head)


def record_for_assessment(assessment: Assessment, action: str, *, actor, details: dict) -> None:
    """An audit entry about one assessment, filed under its organisation and unit."""
    record(
        action,
        actor=actor,
        organisation=assessment.unit.organisation.slug,
        unit=assessment.unit.slug,
        details={"assessment": assessment.pk, "cycle": assessment.cycle.name, **details},
    )


# --- reading ------------------------------------------------------------------------------------


def describe(details: dict) -> list[str]:
    """An entry's details as short lines of plain text, for the audit log page.

    `changes` ({what: [old, new]}) and answer `notes` ({question: {field: [old, new]}})
    read as "old → new"; anything else as "key: value".
    """
    lines = []
    changes = details.get("changes")
    for what, change in sorted(changes.items()) if isinstance(changes, dict) else []:
        lines.append(f"{what}: {_old_to_new(change)}")
    notes = details.get("notes")
    for code, note in sorted(notes.items()) if isinstance(notes, dict) else []:
        for field, change in sorted(note.items()) if isinstance(note, dict) else []:
            label = "evidence link" if field == "evidence_url" else field
            lines.append(f"{code} {label}: {_old_to_new(change, quoted=True)}")
    for key, value in details.items():
        if key in ("changes", "notes") and isinstance(value, dict):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        lines.append(f"{key}: {shown}")
    return lines


def _old_to_new(change, quoted: bool = False) -> str:
    if not (isinstance(change, list) and len(change) == 2):
        return str(change)

    def show(value) -> str:
        if quoted:
            return f"“{value}”"
        return "—" if value is None else str(value)

    return f"{show(change[0])} → {show(change[1])}"
