"""One retry for a write that lost a race, then a clear "try again" (never a 500).

SQLite (WAL, a busy timeout and IMMEDIATE transactions, config/settings.py) makes writers
queue; a writer that still finds the database locked after the timeout, and a PostgreSQL
transaction chosen as a deadlock victim or failing serialisation, get one more try from
the start, in a fresh transaction. If that fails too, `DatabaseBusy` says so; views show
it as a message and config/middleware.py answers 503 with it for anything else.
"""

from __future__ import annotations

import functools
import logging

from django.db import OperationalError, connection

from .errors import DatabaseBusy

log = logging.getLogger(__name__)

# PostgreSQL's SQLSTATEs for "this transaction lost a race; run it again": serialization
# failure, deadlock detected, lock not available.
_RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}


def is_conflict(error: BaseException) -> bool:
    """Whether a database error means "another writer got there first": worth a retry."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate in _RETRYABLE_SQLSTATES:
        return True
    message = str(error).lower()
    return "database is locked" in message or "database table is locked" in message


def retried_once(write):
    """Decorate a service that writes (outside its @transaction.atomic): run it again once
    if it lost a race, then raise DatabaseBusy. Inside a caller's transaction it runs as
    is: only the outermost transaction can be started again."""

    @functools.wraps(write)
    def run(*args, **kwargs):
        if connection.in_atomic_block:
            return write(*args, **kwargs)
        try:
            return write(*args, **kwargs)
        except OperationalError as error:
            if not is_conflict(error):
                raise
            log.warning("%s lost a race (%s); trying once more", write.__name__, error)
        try:
            return write(*args, **kwargs)
        except OperationalError as error:
            if not is_conflict(error):
                raise
            raise DatabaseBusy() from error

    return run
