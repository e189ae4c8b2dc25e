"""The append-only, hash-chained audit log: one chain per organisation, and one for the
installation's own events (logins, framework loads). The chain rules are in
assessments/domain/audit_chain.py; here they meet the database.

Each chain has a head record (`AuditHead`, one row per chain) keeping the sequence and
hash the chain ends with; `record` chains from the head, not from whatever entry happens
to be last, and `verify_log` compares every chain with its head, so deleting the newest
entries is caught too. A writer locks its own chain's head row only: saves of different
organisations never wait for each other, and entries of one chain never interleave or
get lost under concurrency.

What this proves, and what it does not: the hashes carry no secret, so someone
who can write to the database and recomputes every hash after an edit (and the
head) is not caught. Record the heads that `manage.py verify_audit` prints
somewhere outside the database (a ticket, the operations log) and check them
later with `verify_audit --expect-head CHAIN=SEQUENCE:HASH` to close that gap.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from .domain.audit_chain import GENESIS_HASH, ChainReport, chain_name, hash_of, verify
from .models import Assessment, AuditEntry, AuditHead


def _locked_head(chain: str) -> AuditHead:
    """The chain's head row, locked until the transaction ends; created on the chain's
    first entry (or in a database flushed between tests, from the chain as it stands)."""
    head = AuditHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    last = (
        AuditEntry.objects.filter(organisation=chain)
        .order_by("-sequence")
        .values("sequence", "entry_hash")
        .first()
    )
    try:
        with transaction.atomic():  # a savepoint: a racing first writer may create it
            return AuditHead.objects.create(
                chain=chain,
                sequence=last["sequence"] if last else 0,
                entry_hash=last["entry_hash"] if last else GENESIS_HASH,
            )
    except IntegrityError:
        return AuditHead.objects.select_for_update().get(chain=chain)


# No savepoint of its own inside a caller's transaction (answers_save): it would cost two
# queries, and an error here rolls the caller's whole write back anyway.
@transaction.atomic(savepoint=False)
def record(
    action: str, *, actor=None, organisation: str = "", unit: str = "", details: dict | None = None
) -> AuditEntry:
    """Append one entry to the organisation's chain (the installation's when none).
    `actor` is a user, a name, or None for the system."""
    head = _locked_head(organisation)
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
    entry.entry_hash = hash_of(entry)
    entry.save()
    head.sequence, head.entry_hash = entry.sequence, entry.entry_hash
    head.save(update_fields=["sequence", "entry_hash"])
    return entry


@dataclass(frozen=True)
class LogReport:
    """Every chain's report, in chain order (the installation's first)."""

    chains: list[ChainReport]

    @property
    def checked(self) -> int:
        return sum(chain.checked for chain in self.chains)

    @property
    def broken(self) -> list[ChainReport]:
        return [chain for chain in self.chains if chain.problem is not None]

    @property
    def ok(self) -> bool:
        return not self.broken

    def chain(self, key: str) -> ChainReport | None:
        return next((chain for chain in self.chains if chain.chain == key), None)

    def problems(self) -> list[str]:
        """One line per broken chain, naming its first bad entry."""
        return [f"{chain.name}: {chain.problem.reason}" for chain in self.broken]


def verify_log() -> LogReport:
    """Verify every chain in the database against its head record, streaming the entries."""
    heads = {
        chain: (sequence, entry_hash)
        for chain, sequence, entry_hash in AuditHead.objects.values_list(
            "chain", "sequence", "entry_hash"
        )
    }
    entries = AuditEntry.objects.order_by("organisation", "sequence").iterator(chunk_size=2000)
    reports = {
        chain: verify(chain, group, head=heads.get(chain))
        for chain, group in itertools.groupby(entries, key=lambda entry: entry.organisation)
    }
    for chain, head in heads.items():  # a chain whose every entry was deleted
        if chain not in reports:
            reports[chain] = verify(chain, [], head=head)
    return LogReport([reports[chain] for chain in sorted(reports)])


def head_of(chain: str) -> str:
    """A chain's head as `verify_audit` prints it: CHAIN=SEQUENCE:HASH."""
    sequence, entry_hash = AuditHead.objects.filter(chain=chain).values_list(
        "sequence", "entry_hash"
    ).first() or (0, GENESIS_HASH)
    return f"{chain_name(chain)}={sequence}:{entry_hash}"


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
