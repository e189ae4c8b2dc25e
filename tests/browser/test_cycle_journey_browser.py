"""A whole cycle as its people run it, in a real browser, with real email (issue 13's
"done when"): a consultant creates an organisation, a unit and a cycle and invites a lead
and two respondents; each invitee chooses a password through the emailed link and lands
on their tasks; the lead assigns capabilities; the respondents answer; the lead sends
one capability back with a note, the respondent revises it, the lead marks it reviewed
and signs off through the confirmation page; the respondents are emailed the sign-off."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from assessments.models import Assessment, AuditEntry, SendBack
from tests import factories

PASSWORD = "a-long-passphrase-for-the-journey"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/invitations/\d+/\S+/")
IDG = "Identity Graph Enhancements"
CPL = "Consent and Privacy Layer"


@pytest.fixture
def consultant(transactional_db):
    factories.small_framework()
    carol = factories.user("carol")
    carol.user_permissions.add(Permission.objects.get(codename="add_organisation"))
    return carol


def log_in(page, live_server, username: str, password: str) -> None:
    page.context.clear_cookies()  # each person in their own browser
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My open assessments")).to_be_visible()


def invite(page, email: str, role: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Role").select_option(role)
    page.get_by_label("Unit").select_option(label="UK Retail")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {email}.")).to_be_visible()


def accept_invitation(page, smtp_server, email: str) -> None:
    [message] = smtp_server.to(email)
    [link] = LINK.findall(message.get_content())
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", name="Welcome to Ladder")).to_be_visible()
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="Set password and continue").click()
    expect(page.get_by_role("heading", name="My open assessments")).to_be_visible()


def save_draft(page, capability: str) -> None:
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert").first).to_contain_text(f"Saved {capability}")


def test_a_cycle_from_a_new_organisation_to_the_sign_off_email(
    page, live_server, shot, consultant, smtp_server
):
    # The consultant: organisation, unit, cycle, three invitations.
    log_in(page, live_server, "carol", factories.PASSWORD)
    page.get_by_role("link", name="New organisation").click()
    page.get_by_label("Name").fill("Acme Retail")
    page.get_by_label("Slug").fill("acme")
    shot("new-organisation")
    page.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_role("alert").first).to_contain_text("Acme Retail")
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
    cycle_form.get_by_role("button", name="Create cycle").click()
    expect(page.get_by_text("Cycle 2027-Q1 created")).to_be_visible()
    shot("organisation-set-up")
    page.get_by_role("link", name="invite people").click()
    invite(page, "lena@example.com", "lead")
    invite(page, "rita@example.com", "respondent")
    invite(page, "ravi@example.com", "respondent")
    shot("three-invitations")

    # Each invitee sets a password through the link and lands on their tasks.
    for email in ("lena@example.com", "rita@example.com", "ravi@example.com"):
        accept_invitation(page, smtp_server, email)
        tasks = page.locator("table.tasks")
        expect(tasks).to_contain_text(IDG)
        expect(tasks).to_contain_text(CPL)
        expect(tasks).to_contain_text("26 Feb 2027")
    shot("respondent-tasks-after-password")

    # The lead assigns: Rita answers the identity graph, Ravi the consent layer.
    log_in(page, live_server, "lena@example.com", PASSWORD)
    page.get_by_role("link", name="Open").click()
    page.get_by_role("link", name="Assign capabilities").click()
    grid = page.locator("#assignment-grid")
    for capability, member, ticked in [
        (IDG, "lena@example.com", False),
        (IDG, "ravi@example.com", False),
        (CPL, "lena@example.com", False),
        (CPL, "rita@example.com", False),
    ]:
        grid.get_by_label(f"{capability}: {member}").set_checked(ticked)
    shot("assignment-grid")
    page.get_by_role("button", name="Save assignments").click()
    expect(page.get_by_role("alert").first).to_contain_text("4 taken away")
    # Everyone had everything until now: taking capabilities away emails nobody.
    assert [len(smtp_server.to(e)) for e in ("rita@example.com", "ravi@example.com")] == [1, 1]

    # Each respondent sees only their task and answers it.
    log_in(page, live_server, "rita@example.com", PASSWORD)
    tasks = page.locator("table.tasks")
    expect(tasks).to_contain_text(IDG)
    expect(tasks).not_to_contain_text(CPL)
    tasks.get_by_role("link", name=IDG).click()
    page.get_by_label("2 Repeatable — Scripted batch matching").check()
    page.locator("#id_IDG-FID-2").fill("55")
    page.locator("#id_IDG-REC-1").fill("30")
    save_draft(page, IDG)
    shot("rita-answered")
    log_in(page, live_server, "ravi@example.com", PASSWORD)
    page.locator("table.tasks").get_by_role("link", name=CPL).click()
    page.get_by_label("3 Managed — Central consent store").check()
    page.get_by_label("2 Repeatable — Manual exports").check()
    save_draft(page, CPL)

    # The lead sends the identity graph back to Rita with a note.
    log_in(page, live_server, "lena@example.com", PASSWORD)
    page.get_by_role("link", name="Open").click()
    expect(page.locator("#respondents")).to_contain_text("rita@example.com")
    shot("lead-overview-who-has-finished")
    page.get_by_role("link", name="Review all answers").click()
    review = page.locator("#review-IDG")
    review.get_by_text("Send back to a respondent…").click()
    review.get_by_label(f"Send {IDG} back to").select_option(label="rita@example.com (respondent)")
    review.get_by_label(re.compile("^Note")).fill(
        "Is the matching really scripted? <b>Check</b> with IT."
    )
    review.get_by_role("button", name="Send back", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("rita@example.com")
    shot("sent-back")
    [sent_back_email] = [
        m for m in smtp_server.to("rita@example.com") if "was sent back to you" in m["Subject"]
    ]
    assert "Is the matching really scripted?" in sent_back_email.get_content()

    # Rita sees the note, revises her answer.
    log_in(page, live_server, "rita@example.com", PASSWORD)
    page.get_by_role("link", name="Open").click()
    sent_back_box = page.locator("#sent-back-to-you")
    expect(sent_back_box).to_contain_text(IDG)
    sent_back_box.get_by_role("link", name=IDG).click()
    expect(
        page.get_by_text("Is the matching really scripted? <b>Check</b> with IT.")
    ).to_be_visible()
    shot("rita-sees-the-note")
    page.get_by_label("3 Managed — Managed matching service").check()
    save_draft(page, IDG)
    assert SendBack.objects.get().state == SendBack.State.REVISED

    # The lead marks it reviewed and signs off through the confirmation page.
    log_in(page, live_server, "lena@example.com", PASSWORD)
    page.get_by_role("link", name="Open").click()
    page.get_by_role("link", name="Review all answers").click()
    page.locator("#review-IDG").get_by_role("button", name=f"Mark {IDG} reviewed").click()
    expect(page.get_by_role("alert").first).to_contain_text("reviewed")
    page.get_by_role("link", name="Back to the assessment to sign off").click()
    page.get_by_role("link", name=re.compile("Review and sign off")).click()
    expect(page.locator("#signoff-summary")).to_contain_text("0 unanswered")
    shot("confirmation-page")
    confirmation = page.get_by_label(re.compile("I have reviewed this summary"))
    page.get_by_role("button", name="Sign off").click()
    # The browser itself holds the form back until the box is ticked.
    assert confirmation.evaluate("box => !box.validity.valid")
    assert Assessment.objects.get().status != Assessment.Status.SUBMITTED
    confirmation.check()
    page.get_by_role("button", name="Sign off").click()
    expect(page.locator("#status")).to_have_text("Submitted")
    shot("signed-off")
    assert Assessment.objects.get().status == Assessment.Status.SUBMITTED

    for email in ("rita@example.com", "ravi@example.com"):
        [signed_off] = [m for m in smtp_server.to(email) if "signed off" in m["Subject"].lower()]
        body = signed_off.get_content()
        assert "UK Retail" in body and "2027-Q1" in body
        assert "Central consent store" not in body  # no email carries answers
    assert not [m for m in smtp_server.to("lena@example.com") if "signed off" in m["Subject"]]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "organisation.created",
        "assignments.changed",
        "capability.sent_back",
        "capability.revised",
        "capability.reviewed",
        "assessment.submit",
    } <= actions
