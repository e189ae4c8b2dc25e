"""A consultant sets up a unit and a cycle, invites a respondent; the email arrives at the
test's SMTP server; the invitee chooses a password through its link and lands on home,
where the new cycle's assessment waits — in a real browser."""

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
    factories.small_framework()
    return factories.organisation("acme", consultants=[consultant])


def test_a_consultant_sets_up_and_an_invited_respondent_lands_on_home(
    page, live_server, shot, acme, smtp_server
):
    log_in(page, live_server, "carol")
    page.get_by_role("link", name="set-up").click()
    unit_form = page.locator("#new-unit")
    unit_form.get_by_label("Name").fill("UK Retail")
    unit_form.get_by_label("Slug").fill("uk-retail")
    unit_form.get_by_label("Region").fill("EMEA")
    unit_form.get_by_role("button", name="Add unit").click()
    expect(page.get_by_text("Unit UK Retail added.")).to_be_visible()
    cycle_form = page.locator("#new-cycle")
    cycle_form.get_by_label("Name").fill("2027-Q1")
    cycle_form.get_by_label("Opens on").fill("2027-01-04")
    cycle_form.get_by_label("Deadline").fill("2027-02-26")
    shot("setup-filled")
    cycle_form.get_by_role("button", name="Create cycle").click()
    expect(
        page.get_by_text("Cycle 2027-Q1 created, with an assessment for each of 1 unit(s).")
    ).to_be_visible()
    expect(page.locator("#cycles")).to_contain_text("2027-02-26")
    shot("setup-done")

    page.get_by_role("link", name="invite people").click()
    expect(page.get_by_role("heading", name=re.compile("Invitations"))).to_be_visible()
    page.get_by_label("Email address").fill("rita@example.com")
    page.get_by_label("Role").select_option("respondent")
    page.get_by_label("Unit").select_option(label="UK Retail")
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
    expect(page.get_by_role("row", name=re.compile("UK Retail.*2027-Q1"))).to_be_visible()
    expect(page.locator("nav")).to_contain_text("rita@example.com")
    shot("home-after-password")

    page.goto(link)  # a second use is refused
    expect(page.get_by_text("used already or has expired")).to_be_visible()
    shot("link-spent")
