"""Respondents fill in, save, resume; leads submit; submitted assessments are read-only."""

import pytest

from assessments.models import Answer, Assessment, Membership
from tests import factories
from tests.pages import cells, parse, text, the


@pytest.fixture
def setup(small):
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk")
    cycle = factories.cycle(org, small)
    assessment = factories.assessment(unit, cycle)
    respondent = factories.member(unit, username="ann")
    lead = factories.member(unit, Membership.Role.LEAD, username="lead")
    return assessment, respondent, lead


def login(client, user):
    client.force_login(user)
    return client


# The sign-off page's tick: "I have reviewed this summary and sign the assessment off".
CONFIRMED = {"confirm": "on"}

IDG_ANSWERS = {
    "IDG-FID-1": "3",
    "IDG-FID-1-comment": "We match nightly",
    "IDG-FID-2": "64.5",
    "IDG-FID-2-special": "",
    "IDG-REC-1": "",
    "IDG-REC-1-special": "dk",
}


def test_respondent_sees_open_assessment_on_home(client, setup):
    assessment, respondent, _ = setup
    response = login(client, respondent).get("/")
    assert response.status_code == 200
    links = {link["href"] for link in parse(response).select("a[href]")}
    assert f"/assessments/{assessment.pk}/" in links


def test_respondent_saves_a_draft_and_finds_it_again(client, setup):
    assessment, respondent, _ = setup
    login(client, respondent)
    url = f"/assessments/{assessment.pk}/capabilities/IDG/"
    response = client.post(url, IDG_ANSWERS)
    assert response.status_code == 302
    answers = {a.question.code: a for a in Answer.objects.select_related("question")}
    assert answers["IDG-FID-1"].choice == 3 and answers["IDG-FID-1"].comment == "We match nightly"
    assert answers["IDG-FID-2"].value == 64.5 and answers["IDG-FID-2"].level == 3
    assert answers["IDG-REC-1"].special == "dk" and answers["IDG-REC-1"].level == 1
    page = parse(client.get(url))
    assert the(page, "input[name=IDG-FID-2]")["value"] == "64.5"
    assert the(page, "textarea[name=IDG-FID-1-comment]").string.strip() == "We match nightly"
    assert the(page, "input[name=IDG-FID-1][value='3']").has_attr("checked")
    assert text(the(page, "#capability-answered").parent).endswith(": 3 of 3 answered")


def test_numeric_value_and_dont_know_together_is_refused_and_nothing_saved(client, setup):
    assessment, respondent, _ = setup
    login(client, respondent)
    data = dict(IDG_ANSWERS, **{"IDG-REC-1": "12"})
    page = client.post(f"/assessments/{assessment.pk}/capabilities/IDG/", data)
    assert page.status_code == 200
    assert "not both" in page.content.decode()
    assert Answer.objects.count() == 0


def test_lead_submission_lists_unanswered_questions_by_capability(client, setup):
    assessment, respondent, lead = setup
    login(client, respondent).post(f"/assessments/{assessment.pk}/capabilities/IDG/", IDG_ANSWERS)
    page = login(client, lead).post(f"/assessments/{assessment.pk}/submit/", CONFIRMED)
    assert page.status_code == 400
    text = page.content.decode()
    assert "2 questions without an answer" in text
    assert "CPL-FID-1" in text and "CPL-REC-1" in text and "IDG-FID-1" not in text
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_submitted_assessment_is_read_only(client, setup):
    assessment, respondent, lead = setup
    login(client, respondent)
    client.post(f"/assessments/{assessment.pk}/capabilities/IDG/", IDG_ANSWERS)
    client.post(
        f"/assessments/{assessment.pk}/capabilities/CPL/",
        {"CPL-FID-1": "2", "CPL-REC-1": "na"},
    )
    response = login(client, lead).post(f"/assessments/{assessment.pk}/submit/", CONFIRMED)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.submitted_by == lead and len(assessment.answers_sha256) == 64
    login(client, respondent)
    client.post(
        f"/assessments/{assessment.pk}/capabilities/IDG/", dict(IDG_ANSWERS, **{"IDG-FID-1": "5"})
    )
    assert Answer.objects.get(question__code="IDG-FID-1").choice == 3


def test_respondent_may_not_submit(client, setup):
    assessment, respondent, _ = setup
    response = login(client, respondent).post(f"/assessments/{assessment.pk}/submit/", CONFIRMED)
    assert response.status_code == 403


def test_respondent_of_another_unit_gets_404(client, setup):
    assessment, _, _ = setup
    other_unit = factories.unit(assessment.unit.organisation, "de")
    outsider = factories.member(other_unit)
    login(client, outsider)
    assert client.get(f"/assessments/{assessment.pk}/").status_code == 404
    assert client.get(f"/assessments/{assessment.pk}/capabilities/IDG/").status_code == 404
    assert client.get(f"/reports/assessments/{assessment.pk}/").status_code == 404


def test_unit_report_shows_scores_and_disputes(client, setup):
    assessment, respondent, lead = setup
    login(client, respondent).post(f"/assessments/{assessment.pk}/capabilities/IDG/", IDG_ANSWERS)
    login(client, lead).post(
        f"/assessments/{assessment.pk}/capabilities/IDG/",
        {"IDG-FID-1": "1", "IDG-FID-2": "90", "IDG-REC-1": "2"},
    )
    page = parse(client.get(f"/reports/assessments/{assessment.pk}/"))
    # IDG-FID-1: [ann 3, lead 1] → 1, disputed; IDG-FID-2: [3, 5] → 3, disputed
    # fidelity = (2·1 + 1·3) / 3 = 1.67; recovery: [dk→1, 2h→4] → 1, disputed too
    idg = the(page, "#unit-heatmap tbody").find("tr")
    assert cells(idg)[:3] == ["Identity Graph Enhancements", "1 · 1.67 ▼", "1 · 1.00 ▼"]
    disputed = [
        (text(row.code), cells(row)[2], [text(answer) for answer in row.select("span.d-block")])
        for row in the(page, "#disputed tbody").find_all("tr")
    ]
    assert disputed == [
        ("IDG-FID-1", "1", ["ann: 3", "lead: 1"]),
        ("IDG-FID-2", "3", ["ann: 3 (64.5)", "lead: 5 (90)"]),
        ("IDG-REC-1", "1", ["ann: 1 (dk)", "lead: 4 (2)"]),
    ]


def test_unit_report_colours_cells_by_level_and_marks_binding_dimensions(client, setup):
    assessment, respondent, _ = setup
    login(client, respondent).post(f"/assessments/{assessment.pk}/capabilities/IDG/", IDG_ANSWERS)
    page = parse(client.get(f"/reports/assessments/{assessment.pk}/"))
    idg, cpl = the(page, "#unit-heatmap tbody").find_all("tr")

    def dimensions(row):
        """(text, colour class, title) of the row's dimension cells."""
        return [(text(td), td["class"], td["title"]) for td in row.select("td[title]")]

    # fidelity (2·3 + 1·3) / 3 = 3.00 → level 3; recovery dk → 1.00, level 1, binding
    assert dimensions(idg) == [
        ("3 · 3.00", ["level-3-of-5"], "level 3"),
        ("1 · 1.00 ▼", ["level-1-of-5"], "level 1, binding"),
    ]
    # CPL: nothing answered
    assert dimensions(cpl) == [("", ["level-none"], "no score"), ("", ["level-none"], "no score")]
