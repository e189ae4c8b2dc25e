"""The rules of the audit log's hash chains, over plain data. No Django.

The log is one chain per organisation (its entries carry the organisation's slug) and
one chain of its own for installation-wide events (logins, framework loads: no
organisation). Within a chain, entries are numbered 1, 2, 3…; each entry's hash is the
SHA-256 of its canonical JSON serialisation (sorted keys, no whitespace, UTF-8) of:
sequence, at (ISO 8601), actor, action, organisation, unit, details and the previous
entry's hash in the same chain. The first entry's previous hash is 64 zeros. Changing,
deleting or reordering any entry breaks its chain from there on; a head per chain (the
sequence and hash it ends with, kept apart) catches the newest entries deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

GENESIS_HASH = "0" * 64
INSTALLATION = ""  # the chain key of installation-wide events
INSTALLATION_NAME = "installation"


class Entry(Protocol):
    sequence: int
    actor: str
    action: str
    organisation: str
    unit: str
    details: Any
    previous_hash: str
    entry_hash: str

    @property
    def at_text(self) -> str: ...


def chain_name(chain: str) -> str:
    """How people name a chain: the organisation's slug, or "installation"."""
    return chain or INSTALLATION_NAME


def entry_hash(
    *,
    sequence: int,
    at: str,
    actor: str,
    action: str,
    organisation: str,
    unit: str,
    details: Any,
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


def hash_of(entry: Entry) -> str:
    return entry_hash(
        sequence=entry.sequence,
        at=entry.at_text,
        actor=entry.actor,
        action=entry.action,
        organisation=entry.organisation,
        unit=entry.unit,
        details=entry.details,
        previous_hash=entry.previous_hash,
    )


@dataclass(frozen=True)
class ChainBreak:
    """The first entry of a chain that does not fit: its sequence number (None when the
    chain's head record itself is gone) and what is wrong with it."""

    sequence: int | None
    reason: str


@dataclass(frozen=True)
class ChainReport:
    chain: str
    checked: int
    head_sequence: int
    head_hash: str
    problem: ChainBreak | None

    @property
    def name(self) -> str:
        return chain_name(self.chain)


def verify(
    chain: str, entries: Iterable[Entry], head: tuple[int, str] | None = None
) -> ChainReport:
    """Walk one chain's entries in sequence order; stop at the first that does not fit.

    `head` is (sequence, hash) from the chain's head record; with it, entries deleted
    from the end of the chain are caught too."""
    previous_hash = GENESIS_HASH
    expected = 1
    checked = 0
    known_head = head or (0, "")

    def broken(sequence: int | None, reason: str) -> ChainReport:
        return ChainReport(chain, checked, *known_head, ChainBreak(sequence, reason))

    for entry in entries:
        checked += 1
        if entry.sequence != expected:
            return broken(
                expected,
                f"entry #{expected} is missing (deleted or renumbered): "
                f"the chain goes from #{expected - 1} to #{entry.sequence}",
            )
        if entry.previous_hash != previous_hash:
            return broken(
                entry.sequence,
                f"entry #{entry.sequence} does not follow entry #{entry.sequence - 1}: "
                "its previous-entry hash does not match (an entry was deleted, reordered "
                "or changed)",
            )
        if hash_of(entry) != entry.entry_hash:
            return broken(
                entry.sequence,
                f"entry #{entry.sequence} was changed after it was written: "
                "its content does not match its hash",
            )
        previous_hash = entry.entry_hash
        expected += 1
    last = expected - 1
    if head is None:
        problem = ChainBreak(None, "the chain's head record is missing (deleted)") if last else None
        return ChainReport(chain, checked, last, previous_hash, problem)
    head_sequence, head_hash = head
    problem = None
    if head_sequence > last:
        problem = ChainBreak(
            last + 1,
            f"entry #{last + 1} is missing (deleted): the chain ends at #{last} "
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
    return ChainReport(chain, checked, head_sequence, head_hash, problem)
