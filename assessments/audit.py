"""The append-only, hash-chained audit log.

Each entry's hash is the SHA-256 of its canonical JSON serialisation (sorted
keys, no whitespace) of: sequence, at (ISO 8601), actor, action, organisation,
unit, details and the previous entry's hash. The first entry's previous hash is
64 zeros. Changing, deleting or reordering any entry breaks the chain from
there on; `manage.py verify_audit` names the first entry that does not fit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEntry

GENESIS_HASH = "0" * 64
# Serialises writers on PostgreSQL, where two transactions could otherwise read
# the same last entry; SQLite already serialises writers.
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


@transaction.atomic
def record(
    action: str, *, actor=None, organisation: str = "", unit: str = "", details: dict | None = None
) -> AuditEntry:
    """Append one entry. `actor` is a user, a name, or None for the system."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_POSTGRES_LOCK_KEY])
    last = AuditEntry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
    actor_name = getattr(actor, "username", None) or (actor or "")
    # Round-trip the details through JSON so the stored value hashes the same when read back.
    clean_details = json.loads(json.dumps(details or {}, default=str))
    entry = AuditEntry(
        sequence=(last["sequence"] + 1) if last else 1,
        at=timezone.now().replace(microsecond=0),
        actor=str(actor_name),
        action=action,
        organisation=organisation,
        unit=unit,
        details=clean_details,
        previous_hash=last["entry_hash"] if last else GENESIS_HASH,
    )
    entry.entry_hash = _hash_of(entry)
    entry.save()
    return entry


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str


def verify(entries: Iterable[AuditEntry]) -> ChainBreak | None:
    """The first entry that does not fit the chain, or None if the chain holds."""
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    for entry in entries:
        if entry.sequence != expected_sequence:
            return ChainBreak(
                entry.sequence,
                f"expected entry #{expected_sequence} here, found #{entry.sequence} (deleted or reordered)",
            )
        if entry.previous_hash != previous_hash:
            return ChainBreak(
                entry.sequence, "its previous-entry hash does not match the entry before it"
            )
        if _hash_of(entry) != entry.entry_hash:
            return ChainBreak(
                entry.sequence, "its content does not match its hash (changed after it was written)"
            )
        previous_hash = entry.entry_hash
        expected_sequence += 1
    return None
