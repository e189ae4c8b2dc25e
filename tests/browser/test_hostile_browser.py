"""Script payloads in every field a user or a framework supplies — comment, evidence link,
unit, region, tag, organisation, respondent, framework help, option, question, capability,
dimension and level texts — on every page that shows them, in Chromium: no dialog opens,
no element of the payload appears, no Content-Security-Policy violation is reported,
every chart still draws (plotly.js under `style-src 'self'`), and every response carries
the policy."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments.domain.answers import AnswerInput
from assessments.models import Answer, Membership
from assessments.services.answers import answers_save
from config.middleware import CONTENT_SECURITY_POLICY
from tests import factories

from .test_questionnaire_browser import log_in

PAYLOAD = '"><img src=x onerror=alert(1) class=pwned><script class=pwned>alert(2)</script>'
LINK = "javascript:alert(3)"


@pytest.fixture
def hostile(transactional_db):
    framework = factories.small_framework()
    capability = framework.capabilities.get(code="IDG")
    capability.name = f"Identity {PAYLOAD}"
    capability.save()
    dimension = framework.dimensions.get(code="fidelity")
    dimension.name = f"Fidelity {PAYLOAD}"
    dimension.save()
    level = framework.levels.get(number=3)
    level.name = f"Managed {PAYLOAD}"
    level.save()
    for question in framework.questions.all():
        question.help = f"Help {PAYLOAD} <a href='{LINK}'>more</a>"
        question.text = f"{question.text} {PAYLOAD}"
        if question.type == "choice":
            question.options = {k: f"{v} {PAYLOAD}" for k, v in question.options.items()}
        question.save()
    consultant = factories.user("cora")
    org = factories.organisation("acme", consultants=[consultant])
    org.name = f"Acme {PAYLOAD}"
    org.save()
    cycle = factories.cycle(org, framework)
    questions = {q.code: q for q in framework.questions.all()}
    assessments = []
    for slug in ("uk", "de"):
        unit = factories.unit(org, slug, region=f"EMEA {PAYLOAD}", tags=f"retail,{PAYLOAD}")
        unit.name = f"{slug.upper()} {PAYLOAD}"
        unit.save()
        assessment = factories.assessment(unit, cycle)
        respondent = factories.member(unit, username=f"ann-{slug}")
        factories.member(unit, Membership.Role.LEAD, username=f"lead-{slug}")
        for who, user, level in (
            (respondent.username, respondent, 4),
            (f"mallory{PAYLOAD}", None, 1),
        ):
            answers_save(
                assessment=assessment,
                respondent=who,
                user=user,
                questions=questions,
                answers={
                    code: AnswerInput(choice=level, comment=f"note {PAYLOAD}")
                    if q.type == "choice"
                    else AnswerInput(special="dk", comment=PAYLOAD)
                    for code, q in questions.items()
                },
            )
        assessments.append(assessment)
    # An evidence link stored before the form refused anything but http(s).
    Answer.objects.filter(response__respondent="ann-uk").update(evidence_url=LINK)
    factories.user("root", is_staff=True, is_superuser=True)
    return {"org": org, "uk": assessments[0], "de": assessments[1], "cycle": cycle}


def watch(page):
    """Dialogs, CSP violations and responses without the policy, as they happen."""
    seen = {"dialogs": [], "violations": [], "without_policy": []}

    def dialog(d):
        seen["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.on(
        "console",
        lambda message: (
            seen["violations"].append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    # Static files here come from the live server's own static handler, which runs no
    # middleware; in production whitenoise serves them inside the middleware stack, with the
    # policy (tests/hostile/test_csp.py and the load test check that).
    page.on(
        "response",
        lambda response: (
            seen["without_policy"].append(response.url)
            if response.url.startswith("http://127.0.0.1")
            and "/static/" not in response.url
            and response.headers.get("content-security-policy") != CONTENT_SECURITY_POLICY
            else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " (window.__violations = window.__violations || []).push("
        "  e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber + ' ' + e.sample); });"
    )
    return seen


def visit(page, seen, url: str, shown: str | None = None) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    for chart in page.locator("[data-chart]").all():
        expect(chart).to_have_attribute("data-chart-drawn", "true")
        expect(chart.locator("svg.main-svg").first).to_be_visible()
    assert page.locator(".pwned").count() == 0, url
    assert page.locator("img[src='x']").count() == 0, url
    assert page.locator("a[href^='javascript:' i]").count() == 0, url
    if shown:
        assert shown in page.inner_text("body"), url
    violations = page.evaluate("window.__violations || []")
    assert violations == [], (url, violations)


def test_script_payloads_in_every_field_run_nowhere(page, live_server, shot, hostile):
    seen = watch(page)
    base = live_server.url
    uk, de = hostile["uk"].pk, hostile["de"].pk
    text = '"><img src=x onerror=alert(1) class=pwned>'

    log_in(page, live_server, "ann-uk")
    visit(page, seen, f"{base}/", shown=f"UK {text}")
    visit(page, seen, f"{base}/assessments/{uk}/", shown=text)
    visit(page, seen, f"{base}/assessments/{uk}/capabilities/IDG/", shown=f"Help {text}")
    shot("questionnaire-with-payloads")
    page.set_viewport_size({"width": 390, "height": 844})
    shot("questionnaire-with-payloads-390px")
    page.set_viewport_size({"width": 1280, "height": 900})
    # Our static JS still works under the policy: the progress bar moves before saving.
    progress = page.get_by_role("progressbar", name="This capability")
    page.locator("[name='IDG-FID-1'][value='2']").check()
    expect(progress).not_to_have_attribute("aria-valuenow", "0")
    # And autosave: it has answered before the page is left (else leaving would ask). The
    # javascript: evidence link stored before the form refused it is refused here too.
    expect(page.locator("#autosave-state")).to_have_text(
        re.compile(r"^(All answers saved|Some answers were not saved)")
    )
    page.context.clear_cookies()

    log_in(page, live_server, "lead-uk")
    visit(page, seen, f"{base}/assessments/{uk}/answers/", shown=f"note {text}")
    assert page.get_by_text(f"evidence (not a web link, shown as text): {LINK}").count() > 0
    visit(page, seen, f"{base}/assessments/{uk}/upload/")
    visit(page, seen, f"{base}/reports/assessments/{uk}/", shown=f"mallory{text}")
    shot("unit-report-with-payloads")
    page.context.clear_cookies()

    log_in(page, live_server, "cora")
    for url in [
        "/reports/portfolio/?organisation=acme",
        "/reports/compare/?organisation=acme&cycle=2026-Q4&units=uk&units=de",
        "/reports/trends/?organisation=acme",
        "/reports/organisations/acme/roadmap/",
        "/reports/organisations/acme/deom/",
        "/reports/organisations/acme/engagement/",
        "/reports/organisations/acme/units/uk/targets/",
        f"/reports/assessments/{de}/",
        "/audit/",
    ]:
        visit(page, seen, base + url)
    visit(page, seen, f"{base}/reports/portfolio/?organisation=acme", shown=f"EMEA {text}")
    shot("portfolio-with-payloads")
    # Bootstrap's bundle loaded and runs under the policy.
    assert page.evaluate("typeof bootstrap === 'object' && typeof bootstrap.Collapse") == "function"
    page.context.clear_cookies()

    page.goto(f"{base}/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    for url in [
        "/admin/",
        "/admin/assessments/businessunit/",
        f"/admin/assessments/businessunit/{hostile['uk'].unit_id}/change/",
        f"/admin/assessments/cycle/{hostile['cycle'].pk}/change/",
    ]:
        visit(page, seen, base + url)

    assert seen["dialogs"] == []
    assert seen["violations"] == []
    assert seen["without_policy"] == []
