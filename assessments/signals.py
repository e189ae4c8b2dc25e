"""Login failures go to the audit log and to the throttle; a success clears the throttle."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import audit, throttling


@receiver(user_login_failed, dispatch_uid="ladder_login_failed")
def login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    address = throttling.client_address(request)
    throttling.failure_record(username, address)
    audit.record("login.failure", details={"username": username, "ip": address})


@receiver(user_logged_in, dispatch_uid="ladder_logged_in")
def logged_in(sender, request, user, **kwargs):
    throttling.failures_clear(user.get_username(), throttling.client_address(request))
