"""Login throttling: after too many failed logins for one username from one address,
logins for that pair are refused for the rest of the window.

The failures live in the database (`LoginFailure`), so the limit holds across all
server workers. Defaults: 5 failures in 15 minutes (settings
LADDER_LOGIN_FAILURE_LIMIT and LADDER_LOGIN_FAILURE_WINDOW_SECONDS). The window
slides: a refusal ends when the oldest of the failures that caused it is older
than the window. A successful login clears the pair's failures. Throttled
attempts are not checked against the password at all, so they neither count nor
extend the window.

The limit holds under a burst too (twelve wrong passwords sent at the same instant): an
attempt claims its place (`attempt_claim`) before its password is checked, one claim at a
time for a username and address, so at most the limit's worth are ever checked; the claim
stays as the failure if the password is wrong and goes with the others when it is right.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import LoginFailure
from .services.retry import retried_once


def _limit() -> int:
    return settings.LADDER_LOGIN_FAILURE_LIMIT


def _window() -> timedelta:
    return timedelta(seconds=settings.LADDER_LOGIN_FAILURE_WINDOW_SECONDS)


def normalise_username(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def client_address(request) -> str:
    """The address the request came from, as the server saw it.

    Behind a reverse proxy this is the proxy's address, so the limit applies per
    username across all clients: stricter, never weaker. Headers such as
    X-Forwarded-For are not trusted: a client could write anything in them.
    """
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")[:45]


def refused_until(username: str, address: str, now: datetime | None = None) -> datetime | None:
    """When logins for this pair are allowed again, or None if they are allowed now."""
    now = now or timezone.now()
    limit = _limit()
    failures = LoginFailure.objects.filter(
        username=normalise_username(username), ip_address=address, at__gt=now - _window()
    ).order_by("-at")
    # The limit-th most recent failure is the one whose expiry brings the count below the limit.
    deciding = failures.values_list("at", flat=True)[limit - 1 : limit]
    deciding = list(deciding)
    return deciding[0] + _window() if deciding else None


def refusal_message(until: datetime, now: datetime | None = None) -> str:
    now = now or timezone.now()
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    window_minutes = round(_window().total_seconds() / 60)
    return (
        f"Too many failed logins: {_limit()} for this username from your address within "
        f"{_minutes(window_minutes)}. Logins are refused until {until:%H:%M} UTC "
        f"(in {_minutes(minutes)})."
    )


def _minutes(n: int) -> str:
    return f"{n} minute{'' if n == 1 else 's'}"


@retried_once
@transaction.atomic
def attempt_claim(username: str, address: str) -> tuple[int | None, datetime | None]:
    """Count this attempt before its password is checked: (its failure row, None), or
    (None, when logins are allowed again) when the failures before it reach the limit.
    Claims for one pair are taken one at a time (SQLite's IMMEDIATE transactions; an
    advisory lock on PostgreSQL), so a burst cannot slip past the limit."""
    name = normalise_username(username)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"login:{name}:{address}"]
            )
    until = refused_until(name, address)
    if until is not None:
        return None, until
    now = timezone.now()
    claimed = LoginFailure.objects.create(username=name, ip_address=address, at=now)
    LoginFailure.objects.filter(at__lte=now - _window()).delete()
    return claimed.pk, None


def failure_record(username: str, address: str) -> None:
    now = timezone.now()
    LoginFailure.objects.create(username=normalise_username(username), ip_address=address, at=now)
    # Keep the table to the window: older failures no longer count.
    LoginFailure.objects.filter(at__lte=now - _window()).delete()


def failures_clear(username: str, address: str) -> None:
    LoginFailure.objects.filter(username=normalise_username(username), ip_address=address).delete()
