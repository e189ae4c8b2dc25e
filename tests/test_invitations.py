"""Invitations, sent to a real SMTP server (tests/conftest.py smtp_server)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse

from assessments.models import AuditEntry, Invitation, Membership
from assessments.services.invitations import invitation_tokens
from tests import factories
from tests.pages import parse

PASSWORD = "a-long-passphrase-for-tests"


@pytest.fixture
def acme(db):
    consultant = factories.user("consultant", email="consultant@example.com")
    organisation = factories.organisation("acme", consultants=[consultant])
    unit = factories.unit(organisation, "uk")
    return consultant, organisation, unit


def consultant_client(consultant) -> Client:
    client = Client()
    client.force_login(consultant)
    return client


def invite(client, email, role="respondent", unit="uk"):
    return client.post(
        reverse("invitations", kwargs={"organisation": "acme"}),
        {"email": email, "role": role, "unit": unit},
    )


def link_in(message) -> str:
    [url] = re.findall(r"http://testserver(/invitations/\d+/[^/\s]+/)", message.get_content())
    return url


def actions() -> list[str]:
    return list(AuditEntry.objects.filter(organisation="acme").values_list("action", flat=True))


def test_an_invitation_arrives_and_its_link_sets_a_password_once(acme, smtp_server):
    consultant, _, unit = acme
    response = invite(consultant_client(consultant), "Ana@Example.com")
    assert response.status_code == 302
    [message] = smtp_server.to("ana@example.com")
    assert "acme" in message["Subject"].lower()
    body = message.get_content()
    assert "as respondent of a unit: Uk" in body
    assert "Your username is ana@example.com" in body
    ana = get_user_model().objects.get(username="ana@example.com")
    assert not ana.is_active and not ana.has_usable_password()
    assert not Membership.objects.filter(user=ana).exists()  # granted when accepted

    link = link_in(message)
    invitee = Client()
    page = invitee.get(link)
    assert page.status_code == 200
    assert parse(page).select_one("form#choose-password")
    landed = invitee.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True)
    assert landed.redirect_chain[-1][0] == reverse("home")
    assert landed.context["user"].username == "ana@example.com"
    ana.refresh_from_db()
    assert ana.is_active and ana.check_password(PASSWORD)
    assert Membership.objects.get(user=ana, unit=unit).role == "respondent"
    assert Client().login(username="ana@example.com", password=PASSWORD)

    # the second use of the link is refused, by GET and by POST, and changes nothing
    again = Client()
    assert again.get(link).status_code == 400
    refused = again.post(
        link, {"new_password1": "other-" + PASSWORD, "new_password2": "other-" + PASSWORD}
    )
    assert refused.status_code == 400
    assert "used already or has expired" in parse(refused).select_one("#reason").text
    ana.refresh_from_db()
    assert ana.check_password(PASSWORD)
    assert actions() == ["invitation.created", "invitation.accepted"]


def test_a_wrong_or_foreign_token_is_refused(acme, smtp_server):
    consultant, _, _ = acme
    invite(consultant_client(consultant), "ben@example.com")
    link = link_in(smtp_server.to("ben@example.com")[0])
    assert Client().get(link[:-3] + "xx/").status_code == 400
    invitation = Invitation.objects.get()
    other = factories.user("other")
    foreign = invitation_tokens.make_token(other)
    assert (
        Client().get(reverse("invitation_accept", args=[invitation.pk, foreign])).status_code == 400
    )
    # a password-reset token of the same user is not an invitation token
    reset = default_token_generator.make_token(invitation.user)
    assert (
        Client().get(reverse("invitation_accept", args=[invitation.pk, reset])).status_code == 400
    )


def test_someone_with_an_account_is_added_and_told(acme, smtp_server):
    consultant, organisation, unit = acme
    carla = factories.user("carla", email="carla@example.com")
    invite(consultant_client(consultant), "carla@example.com", role="lead")
    assert Membership.objects.get(user=carla, unit=unit).role == "lead"
    [message] = smtp_server.to("carla@example.com")
    assert "added you to Acme" in message.get_content()
    assert "/invitations/" not in message.get_content()  # no password link for an account
    carla.refresh_from_db()
    assert carla.check_password(factories.PASSWORD)
    assert Invitation.objects.get().accepted_at is not None
    invite(consultant_client(consultant), "carla@example.com", role="consultant", unit="")
    assert organisation.consultants.filter(pk=carla.pk).exists()
    assert actions() == ["invitation.added", "invitation.added"]


def test_a_deactivated_account_is_not_brought_back(acme, smtp_server):
    consultant, _, _ = acme
    factories.user("dora", email="dora@example.com", is_active=False)
    response = invite(consultant_client(consultant), "dora@example.com")
    assert response.status_code == 400
    assert "deactivated" in parse(response).text
    assert smtp_server.messages == [] and not Invitation.objects.exists()


def test_the_list_shows_pending_and_accepted_and_resends(acme, smtp_server):
    consultant, _, _ = acme
    client = consultant_client(consultant)
    invite(client, "ed@example.com")
    invite(client, "fay@example.com", role="consultant", unit="")
    fay_link = link_in(smtp_server.to("fay@example.com")[0])
    Client().post(fay_link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    page = parse(client.get(reverse("invitations", kwargs={"organisation": "acme"})))
    rows = {row.select("td")[0].text: row for row in page.select("#invitations tbody tr")}
    assert rows["ed@example.com"].select_one(".status").text.strip() == "pending"
    assert rows["fay@example.com"].select_one(".status").text.strip().startswith("accepted")
    assert rows["fay@example.com"].select_one("form") is None  # nothing to resend

    ed = Invitation.objects.get(email="ed@example.com")
    resend = reverse("invitation_resend", kwargs={"organisation": "acme", "pk": ed.pk})
    assert client.post(resend).status_code == 302
    first, second = smtp_server.to("ed@example.com")
    ed.refresh_from_db()
    assert ed.times_sent == 2
    # either link sets the password, and then both are spent
    Client().post(link_in(second), {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert Client().get(link_in(first)).status_code == 400
    fay = Invitation.objects.get(email="fay@example.com")
    accepted_resend = reverse("invitation_resend", kwargs={"organisation": "acme", "pk": fay.pk})
    client.post(accepted_resend)
    assert len(smtp_server.to("fay@example.com")) == 1
    assert actions().count("invitation.resent") == 1


def test_a_lead_or_respondent_needs_a_unit_and_a_consultant_none(acme, smtp_server):
    consultant, _, _ = acme
    client = consultant_client(consultant)
    assert invite(client, "gus@example.com", unit="").status_code == 400
    assert invite(client, "gus@example.com", role="consultant", unit="uk").status_code == 400
    assert invite(client, "not-an-address").status_code == 400
    assert invite(client, "x" * 140 + "@example.com").status_code == 400
    factories.unit(factories.organisation("globex"), "us")
    assert invite(client, "gus@example.com", unit="us").status_code == 400  # not acme's
    assert smtp_server.messages == []


def test_a_refusing_mail_server_keeps_the_invitation_to_resend(acme, settings):
    consultant, _, _ = acme
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    response = invite(consultant_client(consultant), "hal@example.com")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.is_pending and invitation.sent_at is None
    assert actions() == ["invitation.created", "invitation.not_sent"]


def test_no_invitation_email_carries_answers(acme, smtp_server):
    """Invitations name the organisation, the unit and the role, never an assessment."""
    consultant, _, _ = acme
    invite(consultant_client(consultant), "ida@example.com")
    body = smtp_server.to("ida@example.com")[0].get_content()
    assert "answer" not in body.lower() and "level" not in body.lower()
