"""A respondent fills in, saves and resumes; a lead signs off through the confirmation page —
in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments.domain.answers import AnswerInput
from assessments.models import Answer, Assessment, Membership
from assessments.services.answers import answers_save
from tests import factories


@pytest.fixture
def assessment(transactional_db):
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk-retail")
    cycle = factories.cycle(org, factories.small_framework())
    return factories.assessment(unit, cycle)


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My open assessments")).to_be_visible()


def open_capability(page, name: str) -> None:
    page.locator("#capabilities").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def test_respondent_answers_saves_and_finds_the_answers_again(page, live_server, shot, assessment):
    factories.member(assessment.unit, username="ann")
    log_in(page, live_server, "ann")
    shot("home")

    page.get_by_role("row", name=re.compile("Uk-Retail")).get_by_role("link", name="Open").click()
    expect(page.get_by_role("progressbar", name="Your answers")).to_have_attribute(
        "aria-valuenow", "0"
    )
    shot("overview-empty")

    open_capability(page, "Identity Graph Enhancements")
    progress = page.get_by_role("progressbar", name="This capability")
    expect(progress).to_have_attribute("aria-valuenow", "0")
    page.get_by_label("3 Managed — Managed matching service").check()
    expect(progress).to_have_attribute("aria-valuenow", "33")  # moves before saving: 1 of 3
    page.locator("#id_IDG-FID-2").fill("64.5")
    expect(progress).to_have_attribute("aria-valuenow", "66")  # 2 of 3, rounded down
    expect(page.get_by_text("Identity Graph Enhancements: 2 of 3 answered")).to_be_visible()
    page.locator("#q-IDG-FID-1").get_by_text("Add a comment / evidence").click()
    page.locator("[name='IDG-FID-1-comment']").fill("We match nightly <b>not bold</b>")
    shot("two-answers-typed")
    page.get_by_role("button", name="Save draft").click()
    # Autosave may have sent some of them already: the Save button saves the rest.
    expect(page.get_by_role("alert")).to_have_text(
        re.compile(
            r"^Saved Identity Graph Enhancements: [0-2] answer\(s\) changed\. Your draft is kept\.$"
        )
    )
    expect(progress).to_have_attribute("aria-valuenow", "66")  # 2 of 3 questions, rounded down
    shot("saved-two-of-three")

    page.locator("[name='IDG-REC-1-special']").select_option("dk")
    page.get_by_role("button", name="Save draft").click()
    expect(progress).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_text("Identity Graph Enhancements: 3 of 3 answered")).to_be_visible()
    shot("saved-three-of-three")

    page.reload()
    expect(page.get_by_label("3 Managed — Managed matching service")).to_be_checked()
    expect(page.locator("#id_IDG-FID-2")).to_have_value("64.5")
    expect(page.locator("[name='IDG-FID-1-comment']")).to_have_value(
        "We match nightly <b>not bold</b>"
    )
    expect(page.locator("[name='IDG-REC-1-special']")).to_have_value("dk")
    shot("reloaded")

    page.get_by_role("link", name="Back to overview").click()
    # 3 of the framework's 5 questions.
    expect(page.get_by_role("progressbar", name="Your answers")).to_have_attribute(
        "aria-valuenow", "60"
    )
    shot("overview-after-saving")
    stored = {
        a.question.code: a.tidy_value
        for a in Answer.objects.filter(response__respondent="ann").select_related("question")
    }
    assert stored == {"IDG-FID-1": "3", "IDG-FID-2": "64.5", "IDG-REC-1": "dk"}


def test_lead_answers_what_is_missing_and_submits(page, live_server, shot, assessment):
    respondent = factories.member(assessment.unit, username="ann")
    lead = factories.member(assessment.unit, Membership.Role.LEAD, username="lee")
    questions = {q.code: q for q in assessment.cycle.framework.questions.all()}
    answers_save(
        assessment=assessment,
        respondent="ann",
        user=respondent,
        questions=questions,
        answers={
            "IDG-FID-1": AnswerInput(choice=2),
            "IDG-FID-2": AnswerInput(value=51.0),
            "IDG-REC-1": AnswerInput(value=30.0),
        },
    )
    log_in(page, live_server, "lee")
    page.get_by_role("link", name="Open").click()
    page.get_by_role("link", name="Review and sign off…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign off Uk-Retail — 2026-Q4")
    expect(page.locator("#signoff-summary")).to_have_text(
        "2 respondents have not finished · 0 disputed · 0 don't know · 2 unanswered · "
        "0 open send-backs"
    )
    expect(page.locator("ul.unanswered li code")).to_have_text(["CPL-FID-1", "CPL-REC-1"])
    expect(page.locator("#signoff-blocked")).to_contain_text("Sign-off is not possible yet")
    expect(page.get_by_role("button", name="Sign off")).to_have_count(0)
    shot("sign-off-blocked-by-unanswered")

    page.locator("#unanswered").get_by_role("link", name="Consent and Privacy Layer").first.click()
    page.get_by_label("4 Optimized — Audited consent store").check()
    page.locator("[name='CPL-REC-1'][value='na']").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("progressbar", name="This capability")).to_have_attribute(
        "aria-valuenow", "100"
    )
    shot("lead-answered-the-rest")

    page.get_by_role("link", name="Back to overview").click()
    page.get_by_role("link", name="Review and sign off…").click()
    expect(page.locator("#signoff-summary")).to_have_text(
        "2 respondents have not finished · 0 disputed · 0 don't know · 0 unanswered · "
        "0 open send-backs"
    )
    expect(page.locator("#unfinished tbody tr")).to_have_text(["ann3 of 5", "lee2 of 5"])
    page.get_by_role("button", name="Sign off").click()  # the tick is required: nothing sent
    expect(page).to_have_url(re.compile(r"/sign-off/$"))
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    page.get_by_label("I have reviewed this summary and sign the assessment off in my name").check()
    shot("sign-off-confirmation")
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Assessment submitted and signed off. It is now read-only."
    )
    expect(page.locator("#status")).to_have_text("Submitted")
    expect(page.locator("#read-only")).to_contain_text("signed off by lee")
    shot("submitted")

    open_capability(page, "Identity Graph Enhancements")
    expect(page.locator("#read-only")).to_contain_text("signed off by lee")
    expect(page.locator("#read-only")).to_contain_text("You may reopen it")
    expect(page.get_by_label("2 Repeatable — Scripted batch matching")).to_be_disabled()
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)
    shot("read-only-after-submission")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.submitted_by) == (Assessment.Status.SUBMITTED, lead)
