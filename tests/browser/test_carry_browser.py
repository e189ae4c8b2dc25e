"""Answers carried from the last cycle, in a browser with the page's scripts running:
keeping one while an answer typed elsewhere waits for autosave loses neither, and the
page fits 390 px with no serious accessibility violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from assessments.domain.answers import AnswerInput
from assessments.models import Answer, CarriedAnswer, Membership
from assessments.services.answers import answers_save
from assessments.services.carry import carry_forward
from assessments.services.signoff import assessment_submit
from tests import factories

from .test_respondent_pages_browser import PHONE, log_in, no_sideways_scroll


@pytest.fixture
def carried(transactional_db):
    small = factories.small_framework()
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk")
    ann = factories.member(unit, username="ann")
    lead = factories.member(unit, Membership.Role.LEAD, username="lee")
    questions = {q.code: q for q in small.questions.all()}
    signed = factories.assessment(unit, factories.cycle(org, small, "2026-Q2"))
    answers_save(
        assessment=signed,
        respondent="ann",
        user=ann,
        questions=questions,
        answers={
            "IDG-FID-1": AnswerInput(choice=3, comment="managed service"),
            "IDG-FID-2": AnswerInput(value=64.0),
            "IDG-REC-1": AnswerInput(value=10.0),
            "CPL-FID-1": AnswerInput(choice=2),
            "CPL-REC-1": AnswerInput(special="dk"),
        },
    )
    assessment_submit(assessment=signed, user=lead, confirmed=True)
    cycle = factories.cycle(org, small, "2026-Q4")
    new = factories.assessment(unit, cycle)
    carry_forward(cycle=cycle, by="test")
    return new


def test_keeping_an_answer_saves_what_was_typed_elsewhere_too(page, live_server, shot, carried):
    log_in(page, live_server, "ann")
    page.goto(f"{live_server.url}/assessments/{carried.pk}/capabilities/IDG/")
    box = page.locator("#q-IDG-FID-1-carried")
    expect(box).to_contain_text("From 2026-Q2: 3 — Managed, “managed service” — confirm or change")
    expect(page.locator("#id_IDG-FID-2")).to_have_value("")  # not filled in
    shot("carried")
    # A measured value typed (autosave has not sent it yet), then Keep on another question.
    page.locator("#id_IDG-FID-2").fill("80")
    box.get_by_role("button", name="Keep this answer").click()
    expect(page.locator(".alert-success")).to_contain_text("Kept 1 answer(s)")
    expect(page.locator("#q-IDG-FID-1-carried")).to_have_count(0)
    expect(page.locator("#id_IDG-FID-1_2")).to_be_checked()
    expect(page.locator("#id_IDG-FID-2")).to_have_value("80")
    shot("kept")
    answers = {
        a.question.code: a.tidy_value
        for a in Answer.objects.filter(response__assessment=carried).select_related("question")
    }
    assert answers == {"IDG-FID-1": "3", "IDG-FID-2": "80"}
    assert set(
        CarriedAnswer.objects.filter(assessment=carried).values_list("question__code", flat=True)
    ) == {"IDG-REC-1", "CPL-FID-1", "CPL-REC-1"}
    page.get_by_role("button", name="Confirm all 1 carried answer of this capability").click()
    expect(page.locator(".carried-answer")).to_have_count(0)
    expect(page.locator("#capability-answered")).to_have_text("3")


def test_a_page_of_carried_answers_fits_390_px_and_passes_axe(page, live_server, shot, carried):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "ann")
    for url in (
        f"{live_server.url}/assessments/{carried.pk}/",
        f"{live_server.url}/assessments/{carried.pk}/capabilities/CPL/",
    ):
        page.goto(url)
        scroll, client = no_sideways_scroll(page)
        assert scroll <= client, f"{url}: {scroll} px wide in a {client} px window"
        results = Axe().run(page)
        bad = [
            f"{v['id']}: {v['help']}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not bad, (url, bad)
    shot("capability-390")
