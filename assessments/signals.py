"""Login failures go to the audit log and to the throttle; a success clears the throttle."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from . import audit, throttling
from .services.retry import retried_once


@receiver(user_login_failed, dispatch_uid="ladder_login_failed")
def login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    claimed = getattr(request, "ladder_login_claimed", None) is not None
    _record_failure(username, throttling.client_address(request), counted=claimed)


# Many failed logins at once (a script, a team mistyping) all write here: one transaction
# each, retried once if it lost a race, then "try again" (503) rather than a 500.
@retried_once
@transaction.atomic
def _record_failure(username: str, address: str, *, counted: bool) -> None:
    if not counted:  # a login form's attempt counts itself before the password check
        throttling.failure_record(username, address)
    audit.record("login.failure", details={"username": username, "ip": address})


@receiver(user_logged_in, dispatch_uid="ladder_logged_in")
def logged_in(sender, request, user, **kwargs):
    throttling.failures_clear(user.get_username(), throttling.client_address(request))
