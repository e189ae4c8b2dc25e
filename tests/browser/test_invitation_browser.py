"""A consultant invites a respondent; the email arrives at the test's SMTP server; the
invitee chooses a password through its link and lands on home — in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_questionnaire_browser import log_in

PASSWORD = "a-long-passphrase-for-the-browser"


@pytest.fixture
def acme(transactional_db):
    consultant = factories.user("carol")
    organisation = factories.organisation("acme", consultants=[consultant])
    unit = factories.unit(organisation, "uk-retail")
    cycle = factories.cycle(organisation, factories.small_framework())
    factories.assessment(unit, cycle)
    return organisation


def test_an_invited_respondent_sets_a_password_and_lands_on_home(
    page, live_server, shot, acme, smtp_server
):
    log_in(page, live_server, "carol")
    page.get_by_role("link", name="invitations").click()
    expect(page.get_by_role("heading", name=re.compile("Invitations"))).to_be_visible()
    page.get_by_label("Email address").fill("rita@example.com")
    page.get_by_label("Role").select_option("respondent")
    page.get_by_label("Unit").select_option(label="Uk-Retail")
    shot("invite-filled")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to rita@example.com.")).to_be_visible()
    row = page.locator("#invitations tbody tr", has_text="rita@example.com")
    expect(row.locator(".status")).to_have_text("pending")
    shot("invitation-pending")

    [message] = smtp_server.to("rita@example.com")
    [link] = re.findall(r"http://127\.0\.0\.1:\d+/invitations/\d+/\S+/", message.get_content())

    page.context.clear_cookies()  # the invitee's own browser
    page.goto(link)
    expect(page.get_by_role("heading", name="Welcome to Ladder")).to_be_visible()
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    shot("choose-password")
    page.get_by_role("button", name="Set password and continue").click()
    expect(page.get_by_role("heading", name="My open assessments")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Uk-Retail"))).to_be_visible()
    expect(page.locator("nav")).to_contain_text("rita@example.com")
    shot("home-after-password")

    page.goto(link)  # a second use is refused
    expect(page.get_by_text("used already or has expired")).to_be_visible()
    shot("link-spent")
