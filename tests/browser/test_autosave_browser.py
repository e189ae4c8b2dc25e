"""Autosave in a real browser (docs/autosave.md): nothing typed is lost by leaving the page,
a stale tab does not undo a newer answer, and answers given offline are sent when back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Answer
from tests import factories

from .test_questionnaire_browser import log_in


@pytest.fixture
def ann(transactional_db):
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk-retail")
    assessment = factories.assessment(unit, factories.cycle(org, factories.small_framework()))
    factories.member(unit, username="ann")
    return assessment


def open_idg(page, live_server, assessment) -> None:
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/capabilities/IDG/")
    expect(page.get_by_role("heading", name="Identity Graph Enhancements")).to_be_visible()


def answer_three(page) -> None:
    """Three answers and a comment, without pressing Save."""
    page.get_by_label("3 Managed — Managed matching service").check()
    page.locator("#id_IDG-FID-2").fill("64.5")
    page.locator("#q-IDG-FID-1").get_by_text("Add a comment / evidence").click()
    page.locator("[name='IDG-FID-1-comment']").fill("We match nightly")
    page.locator("[name='IDG-REC-1-special']").select_option("dk")


def stored() -> dict[str, str]:
    return {
        a.question.code: (a.tidy_value, a.comment)
        for a in Answer.objects.select_related("question")
    }


EXPECTED = {
    "IDG-FID-1": ("3", "We match nightly"),
    "IDG-FID-2": ("64.5", ""),
    "IDG-REC-1": ("dk", ""),
}


def _leave(page, how: str) -> None:
    if how == "sidebar":
        page.locator(".sticky-top").get_by_role("link", name="Consent and Privacy Layer").click()
        expect(page.get_by_role("heading", name="Consent and Privacy Layer")).to_be_visible()
    elif how == "breadcrumb":
        page.locator(".breadcrumb").get_by_role("link").click()
        expect(page).to_have_url(re.compile(r"/assessments/\d+/$"))
    elif how == "back":
        page.get_by_role("link", name="Back to overview").click()
        expect(page).to_have_url(re.compile(r"/assessments/\d+/$"))
    else:
        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("button", name="Log out")).to_have_count(0)


@pytest.mark.parametrize("how", ["sidebar", "breadcrumb", "back", "logout"])
def test_leaving_by_any_link_without_saving_keeps_every_answer(page, live_server, shot, ann, how):
    log_in(page, live_server, "ann")
    open_idg(page, live_server, ann)
    answer_three(page)
    shot("answered")
    _leave(page, how)  # at once: no waiting for the autosave's pause
    shot("left")
    assert stored() == EXPECTED
    if how == "logout":
        log_in(page, live_server, "ann")
    open_idg(page, live_server, ann)
    expect(page.get_by_label("3 Managed — Managed matching service")).to_be_checked()
    expect(page.locator("#id_IDG-FID-2")).to_have_value("64.5")
    expect(page.locator("[name='IDG-FID-1-comment']")).to_have_value("We match nightly")
    expect(page.locator("[name='IDG-REC-1-special']")).to_have_value("dk")
    expect(page.get_by_text("Identity Graph Enhancements: 3 of 3 answered")).to_be_visible()
    shot("back")


def test_autosave_shows_saving_and_saved_per_question_and_page(page, live_server, shot, ann):
    log_in(page, live_server, "ann")
    open_idg(page, live_server, ann)
    page.get_by_label("2 Repeatable — Scripted batch matching").check()
    state = page.locator("#q-IDG-FID-1 [data-autosave-state]")
    expect(state).to_have_text(re.compile(r"^Saved \d\d:\d\d$"))
    expect(page.locator("#autosave-state")).to_have_text(
        re.compile(r"^All answers saved \d\d:\d\d$")
    )
    shot("saved")
    assert stored() == {"IDG-FID-1": ("2", "")}


def test_a_stale_tab_reports_the_conflict_and_keeps_the_newer_answer(page, live_server, shot, ann):
    log_in(page, live_server, "ann")
    open_idg(page, live_server, ann)
    page.get_by_label("2 Repeatable — Scripted batch matching").check()
    expect(page.locator("#q-IDG-FID-1 [data-autosave-state]")).to_have_text(re.compile("^Saved"))
    second = page.context.new_page()
    open_idg(second, live_server, ann)  # both tabs now show 2
    page.get_by_label("5 Autonomous — Continuous self-tuning matching").check()
    expect(page.locator("#q-IDG-FID-1 [data-autosave-state]")).to_have_text(re.compile("^Saved"))
    assert stored()["IDG-FID-1"] == ("5", "")

    second.get_by_label("4 Optimized — Measured and tuned matching").check()
    conflict = second.locator("#q-IDG-FID-1 [data-conflict]")
    expect(conflict).to_contain_text("Newer answer: 5, set by you, in another tab or device at")
    expect(conflict).to_contain_text("Yours: 4.")
    second.screenshot(path=str(shot.folder / "second-tab-conflict.png"), full_page=True)
    assert stored()["IDG-FID-1"] == ("5", "")  # the first tab's answer survives

    conflict.get_by_role("button", name="Take the newer").click()
    expect(second.get_by_label("5 Autonomous — Continuous self-tuning matching")).to_be_checked()
    # Then a change in the second tab is built on the newer version, and saved.
    second.get_by_label("3 Managed — Managed matching service").check()
    expect(second.locator("#q-IDG-FID-1 [data-autosave-state]")).to_have_text(re.compile("^Saved"))
    assert stored()["IDG-FID-1"] == ("3", "")
    second.close()


def test_keep_mine_resends_on_the_newer_version(page, live_server, ann):
    log_in(page, live_server, "ann")
    open_idg(page, live_server, ann)
    second = page.context.new_page()
    open_idg(second, live_server, ann)
    page.get_by_label("5 Autonomous — Continuous self-tuning matching").check()
    expect(page.locator("#q-IDG-FID-1 [data-autosave-state]")).to_have_text(re.compile("^Saved"))
    second.get_by_label("4 Optimized — Measured and tuned matching").check()
    second.locator("#q-IDG-FID-1 [data-conflict]").get_by_role("button", name="Keep mine").click()
    expect(second.locator("#q-IDG-FID-1 [data-autosave-state]")).to_have_text(re.compile("^Saved"))
    assert stored()["IDG-FID-1"] == ("4", "")
    second.close()


def test_answers_given_offline_are_sent_when_back_online(page, live_server, shot, ann):
    log_in(page, live_server, "ann")
    open_idg(page, live_server, ann)
    page.context.set_offline(True)
    answer_three(page)
    expect(page.locator("#autosave-state")).to_have_text(
        "Offline: your answers are kept in this browser and sent when you are back"
    )
    shot("offline")
    assert stored() == {}
    page.context.set_offline(False)
    expect(page.locator("#autosave-state")).to_have_text(re.compile(r"^All answers saved"))
    shot("back-online")
    assert stored() == EXPECTED


def test_the_page_still_saves_without_javascript(browser, live_server, ann):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, "ann")
    open_idg(page, live_server, ann)
    answer_three(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Saved Identity Graph Enhancements: 3 answer(s) changed. Your draft is kept."
    )
    assert stored() == EXPECTED
    context.close()
