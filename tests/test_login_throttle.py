"""Login failures are audited; five in fifteen minutes for one username from one address
refuse further logins (on the site and the admin) for the rest of the window."""

import datetime

import pytest

from assessments.models import AuditEntry, LoginFailure
from tests import factories

REFUSAL = (
    "Too many failed logins: 5 for this username from your address within 15 minutes. "
    "Logins are refused until {until} UTC (in {minutes} minutes)."
)


@pytest.fixture
def ann(db):
    return factories.user("ann")


def login(client, username, password, address="10.0.0.1", url="/login/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, times, username="ann", address="10.0.0.1"):
    for _ in range(times):
        response = login(client, username, "wrong-password", address)
        assert response.status_code == 200  # the form again, with the generic error


def errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


def test_login_failure_is_audited_with_username_and_address(client, ann):
    fail(client, 1)
    entry = AuditEntry.objects.get(action="login.failure")
    assert (entry.actor, entry.organisation) == ("", "")
    assert entry.details == {"username": "ann", "ip": "10.0.0.1"}


def test_four_failures_still_allow_the_right_password(client, ann):
    fail(client, 4)
    response = login(client, "ann", factories.PASSWORD)
    assert response.status_code == 302
    # A success clears the count: four more failures are allowed again.
    client.logout()
    fail(client, 4)
    assert login(client, "ann", factories.PASSWORD).status_code == 302


def test_fifth_failure_refuses_even_the_right_password_with_a_clear_message(client, ann):
    fail(client, 5)
    first = LoginFailure.objects.order_by("at").first().at
    response = login(client, "ann", factories.PASSWORD)
    assert response.status_code == 200
    until = first + datetime.timedelta(minutes=15)
    assert errors(response) == [REFUSAL.format(until=f"{until:%H:%M}", minutes=15)]
    assert "_auth_user_id" not in client.session
    # Refused attempts are not checked, so they neither count nor extend the window.
    assert LoginFailure.objects.count() == 5
    assert AuditEntry.objects.filter(action="login.failure").count() == 5


def test_refusal_ends_when_the_window_has_passed(client, ann):
    fail(client, 5)
    LoginFailure.objects.update(at=LoginFailure.objects.first().at - datetime.timedelta(minutes=15))
    assert login(client, "ann", factories.PASSWORD).status_code == 302


def test_window_slides_with_the_oldest_failure(client, ann):
    fail(client, 5)
    oldest = LoginFailure.objects.order_by("at").first()
    LoginFailure.objects.filter(pk=oldest.pk).update(at=oldest.at - datetime.timedelta(minutes=16))
    # Four failures left in the window: one more try is allowed, and it fails again.
    fail(client, 1)
    assert errors(login(client, "ann", factories.PASSWORD))[0].startswith("Too many failed logins")


def test_throttle_is_per_username_and_address(client, ann):
    factories.user("bob")
    fail(client, 5, username="ann", address="10.0.0.1")
    assert login(client, "ann", factories.PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    assert login(client, "bob", factories.PASSWORD, address="10.0.0.1").status_code == 302


def test_username_case_does_not_escape_the_throttle(client, ann):
    fail(client, 3, username="ann")
    fail(client, 2, username="ANN")
    assert errors(login(client, "ann", factories.PASSWORD))[0].startswith("Too many failed logins")


def test_unknown_usernames_are_throttled_too(client, db):
    fail(client, 5, username="nobody")
    assert errors(login(client, "nobody", "x"))[0].startswith("Too many failed logins")


def test_admin_login_is_throttled_too(client, db):
    factories.user("root", is_superuser=True, is_staff=True)
    for _ in range(5):
        login(client, "root", "wrong-password", url="/admin/login/")
    response = login(client, "root", factories.PASSWORD, url="/admin/login/")
    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_limit_and_window_come_from_settings(client, ann, settings):
    settings.LADDER_LOGIN_FAILURE_LIMIT = 2
    settings.LADDER_LOGIN_FAILURE_WINDOW_SECONDS = 60
    fail(client, 2)
    message = errors(login(client, "ann", factories.PASSWORD))[0]
    assert message.startswith(
        "Too many failed logins: 2 for this username from your address within 1 minute."
    )
    assert message.endswith("(in 1 minute).")
