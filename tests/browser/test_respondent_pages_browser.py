"""Every respondent page at 390 px wide without sideways scrolling, and no serious or
critical accessibility violation (axe-core, bundled by axe-playwright-python) — issue 12
item 6."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from assessments.domain.answers import AnswerInput
from assessments.models import Membership
from assessments.services.answers import answers_save
from tests import factories

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def assessment(transactional_db):
    org = factories.organisation("acme-retail-holdings")
    unit = factories.unit(org, "uk-retail-and-online-marketplaces")
    cycle = factories.cycle(org, factories.small_framework())
    assessment = factories.assessment(unit, cycle)
    questions = {q.code: q for q in cycle.framework.questions.all()}
    # Two respondents who disagree: the unit report has a disputed-questions table.
    for username, answers in (
        ("ann", {"IDG-FID-1": AnswerInput(choice=1), "IDG-FID-2": AnswerInput(value=20.0)}),
        ("bob", {"IDG-FID-1": AnswerInput(choice=5), "IDG-FID-2": AnswerInput(value=95.0)}),
    ):
        user = factories.member(unit, username=username)
        answers_save(
            assessment=assessment,
            respondent=username,
            user=user,
            questions=questions,
            answers=answers,
        )
    factories.member(unit, Membership.Role.LEAD, username="lee")
    return assessment


def pages(live_server, assessment) -> dict[str, str]:
    return {
        "home": f"{live_server.url}/",
        "overview": f"{live_server.url}/assessments/{assessment.pk}/",
        "capability": f"{live_server.url}/assessments/{assessment.pk}/capabilities/IDG/",
        "unit report": f"{live_server.url}/reports/assessments/{assessment.pk}/",
    }


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My open assessments")).to_be_visible()


def no_sideways_scroll(page) -> tuple[int, int]:
    return page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


def test_respondent_pages_fit_390_px(page, live_server, shot, assessment):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/login/")
    scroll, client = no_sideways_scroll(page)
    assert scroll <= client, f"login: {scroll} > {client}"
    shot("login-390")
    log_in(page, live_server, "ann")
    for name, url in pages(live_server, assessment).items():
        page.goto(url)
        scroll, client = no_sideways_scroll(page)
        shot(f"{name.replace(' ', '-')}-390")
        assert scroll <= client, f"{name}: {scroll} px wide in a {client} px window"


def test_the_leads_cycle_pages_fit_390_px(page, live_server, shot, assessment):
    """The lead's overview (its Respondents table has a screen-reader-only Remind header),
    the review, assign and sign-off pages: their wide tables scroll inside themselves, the
    page never sideways."""
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "lee")
    base = f"{live_server.url}/assessments/{assessment.pk}"
    for name, path in (
        ("lead-overview", "/"),
        ("review", "/answers/"),
        ("assign", "/assignments/"),
        ("sign-off", "/sign-off/"),
    ):
        page.goto(base + path)
        scroll, client = no_sideways_scroll(page)
        shot(f"{name}-390")
        assert scroll <= client, f"{name}: {scroll} px wide in a {client} px window"


def test_navbar_collapses_at_390_px_and_opens(page, live_server, assessment):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "ann")
    log_out = page.get_by_role("button", name="Log out")
    expect(log_out).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(log_out).to_be_visible()


def test_keyboard_reaches_the_answers_in_order_with_a_visible_focus(page, live_server, assessment):
    log_in(page, live_server, "ann")
    page.goto(pages(live_server, assessment)["capability"])
    page.locator("#id_IDG-FID-1_0").focus()
    names = []
    for _ in range(6):
        names.append(page.evaluate("document.activeElement.name || document.activeElement.tagName"))
        outline = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; })()"
        )
        assert outline, f"no visible focus on {names[-1]}"
        page.keyboard.press("Tab")
    # The radios of a question are one tab stop; then its comment toggle, then the next question.
    assert names[0] == "IDG-FID-1"
    assert names.index("IDG-FID-2") > 0


@pytest.mark.parametrize("who", ["ann", "lee"])
def test_no_serious_or_critical_accessibility_violation(page, live_server, assessment, who):
    axe = Axe()
    log_in(page, live_server, who)
    found = {}
    for name, url in pages(live_server, assessment).items():
        page.goto(url)
        results = axe.run(page)
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if bad:
            found[name] = bad
    assert not found, found


def test_login_page_has_no_serious_accessibility_violation(page, live_server):
    page.goto(f"{live_server.url}/login/")
    results = Axe().run(page)
    bad = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert not bad, bad
    expect(page).to_have_url(re.compile("/login/"))


def test_sidebar_counts_what_is_checked_after_a_refused_save(page, live_server, assessment):
    log_in(page, live_server, "lee")
    page.goto(pages(live_server, assessment)["capability"])
    page.locator("#id_IDG-FID-1_2").check()
    page.locator("#id_IDG-FID-2").fill("50")
    page.locator("[name='IDG-FID-2-special']").select_option("dk")  # a value and dk: refused
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    # Nothing of lee's is stored, but the page shows the two posted answers: it counts them.
    expect(page.locator("#capability-answered")).to_have_text("2")


def test_set_up_and_invitation_pages_fit_390_px(page, live_server, shot, assessment):
    """A consultant setting up a cycle from a phone: the cycles, units and invitations
    tables scroll inside themselves, the page never sideways."""
    organisation = assessment.unit.organisation
    organisation.consultants.add(factories.user("carla"))
    factories.unit(
        organisation,
        "de-e-commerce-and-marketplaces",
        region="Europe-Middle-East-Africa",
        tags="retail,online,marketplaces,loyalty,subscriptions",
    )
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "carla")
    base = f"{live_server.url}/assessments/organisations/{organisation.slug}"
    for name, url in (("set-up", f"{base}/setup/"), ("invitations", f"{base}/invitations/")):
        page.goto(url)
        scroll, client = no_sideways_scroll(page)
        shot(f"{name}-390")
        assert scroll <= client, f"{name}: {scroll} px wide in a {client} px window"
