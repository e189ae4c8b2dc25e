"""The report workbook (XLSX) and the CSV downloads, read back with openpyxl and csv:
sheets and their content, heatmap fills, text cells kept as text through a round trip,
the filters of the page, access and query counts."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from assessments.domain.framework_file import parse_framework
from assessments.models import Answer, BusinessUnit, Capability, Membership
from assessments.services.frameworks import framework_load
from reports.exporters.workbook import report_workbook
from reports.queries.exports import report_data, scores_table
from tests import factories
from tests.export_factories import demo_like, many_units, scored_organisation
from tests.pages import parse, the
from tests.recommendation_factories import organisation_with_units
from tests.report_factories import portfolio
from tests.test_capability_groups import GROUPED

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(organisation, cycle, **filters) -> bytes:
    """The export as a consultant downloads it: the report data, then the exporter."""
    return report_workbook(report_data(organisation, cycle, **filters))


@pytest.fixture
def acme(small):
    return scored_organisation(small)


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def values(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


SHEETS = ["Heatmap", "Scores", "Recommendations", "Roadmap", "Trend", "Assumptions"]


def test_workbook_scores_sheet_is_the_tidy_export_with_names_beside_codes(acme):
    org, cycle, _ = acme
    book = workbook(workbook_bytes(org, cycle))
    assert book.sheetnames == SHEETS
    _, rows = scores_table("2026-Q4", "acme")  # what export_scores writes
    sheet = values(book["Scores"])
    assert sheet[0] == (
        "Unit", "Unit code", "Cycle", "Capability", "Capability code", "Dimension",
        "Dimension code", "Score", "Level", "Level name",
    )  # fmt: skip
    # the same scores and levels as the tidy export, row for row
    assert [(r[1], r[2], r[4], r[6], r[7], r[8]) for r in sheet[1:]] == [
        (unit, cyc, capability, dimension, score, level)
        for _, unit, cyc, capability, dimension, score, level in rows
    ]
    assert sheet[1] == ("East", "east", "2026-Q4", "Identity Graph Enhancements", "IDG", "Data fidelity", "fidelity", 3, 3, "Managed")  # fmt: skip
    assert sheet[-1][-3:] == (None, None, None)  # no score: blank, never 0


def test_heatmap_sheet_cells_say_level_and_score_filled_by_level_with_a_legend(acme):
    org, cycle, _ = acme
    sheet = workbook(workbook_bytes(org, cycle))["Heatmap"]
    rows = values(sheet)
    # maturity: East (3 + 3)/2, South (2 + 4)/2, North (3 + 2)/2, West 1 (CPL has no score)
    assert rows[:5] == [
        ("Unit", "Unit code", "Region", "Status", "Maturity index",
         "Identity Graph Enhancements", "Consent and Privacy Layer"),
        ("East", "east", "EMEA", "draft", 3, "3 · 3.00", "3 · 3.00"),
        ("South", "south", "Americas", "draft", 3, "2 · 2.00", "4 · 4.00"),
        ("North", "north", "EMEA", "draft", 2.5, "3 · 3.00", "2 · 2.00"),
        ("West", "west", "Americas", "draft", 1, "1 · 1.00", None),
    ]  # fmt: skip
    fills = [[sheet.cell(r, c).fill.fgColor.rgb for c in (6, 7)] for r in range(2, 6)]
    assert fills == [
        ["00FEE090", "00FEE090"],
        ["00F46D43", "0074ADD1"],
        ["00FEE090", "00F46D43"],
        ["00A50026", "00F0F0F0"],  # no score: grey and empty
    ]
    assert sheet["E2"].number_format == "0.00"
    legend = [(sheet.cell(r, 1).value, sheet.cell(r, 1).fill.fgColor.rgb) for r in range(8, 14)]
    assert sheet["A7"].value == "Legend"
    assert legend == [
        ("1 Initial", "00A50026"),
        ("2 Repeatable", "00F46D43"),
        ("3 Managed", "00FEE090"),
        ("4 Optimized", "0074ADD1"),
        ("5 Autonomous", "00313695"),
        ("no score", "00F0F0F0"),
    ]


def test_recommendations_sheet_has_one_row_per_upgrade_with_the_recommend_figures(small):
    org, _, assessments = organisation_with_units(small, 1)
    sheet = workbook(workbook_bytes(org, assessments[0].cycle))["Recommendations"]
    # The figures of `recommend --format json`, hand-computed in tests/test_recommendations.py;
    # payback months in tests/test_payback.py.
    assert values(sheet) == [
        ("Unit", "Unit code", "Priority", "Capability", "Capability code", "From level",
         "To level", "To level name", "Binding dimensions", "Cost low", "Cost high",
         "Cost assumed", "NPV downside", "NPV base", "NPV best", "Worth funding",
         "Value base (a year)", "Benefit metric", "Discount rate", "Value from month",
         "Pays back in month", "DEOM mode"),
        ("Uk", "uk", 1, "Identity Graph Enhancements", "IDG", 2, 3, "Managed", "Data fidelity",
         500000, 1200000, "no", 1408515.48, 3971023.44, 5896390.33, "yes", 40000000,
         "attributable revenue", 0.1, 7, 8, "Centralized Scale"),
        ("Uk", "uk", 2, "Consent and Privacy Layer", "CPL", 3, 4, "Optimized",
         "Data fidelity, Recovery (RTO)", 300000, 800000, "no", -260426.99, 414238.02,
         964001.64, "yes", 3000000, "compliance incident cost", 0.1, 5, 15,
         "Guardrailed Innovation"),
    ]  # fmt: skip
    assert sheet["N2"].number_format == '"$"#,##0;[Red]-"$"#,##0'
    assert sheet["S2"].number_format == "0.0%"


def test_every_sheet_reads_well_as_opened(acme):
    org, cycle, _ = acme
    book = workbook(workbook_bytes(org, cycle))
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1]]
        assert all(isinstance(h, str) and h[0].isupper() and "_" not in h for h in header), (
            sheet.title
        )
        assert sheet.freeze_panes in ("A2", "B2"), sheet.title
        assert sheet.auto_filter.ref.startswith("A1:"), sheet.title
        for index in range(1, len(header) + 1):
            width = sheet.column_dimensions[get_column_letter(index)].width
            assert width and width >= 7, (sheet.title, header[index - 1])
        numbers = [
            c
            for row in sheet.iter_rows(min_row=2)
            for c in row
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
        ]
        assert all(c.number_format != "General" for c in numbers), sheet.title
        assert all(c.data_type == "s" for c in sheet[1]), sheet.title
    money = [c.number_format for c in book["Roadmap"]["F"][1:]]
    assert money and set(money) == {'"$"#,##0;[Red]-"$"#,##0'}


def test_roadmap_trend_and_assumptions_sheets(small):
    org, _, assessments = organisation_with_units(small, 1)
    Capability.objects.filter(code="CPL").update(cost_is_assumption=True)
    book = workbook(workbook_bytes(org, assessments[0].cycle))
    roadmap = values(book["Roadmap"])
    assert roadmap[1] == (1, "Uk", "Identity Graph Enhancements", 2, 3, 850000, "no", 1408515.48, 3971023.44, 5896390.33, 8)  # fmt: skip
    assert roadmap[2][:7] == (1, "Uk", "Consent and Privacy Layer", 3, 4, 550000, "assumed")
    assert values(book["Trend"])[1] == ("Uk", None, 2.75, None, 0, 0)  # no previous cycle
    assumptions = values(book["Assumptions"])
    assert assumptions[1] == (
        "Cost band of Consent and Privacy Layer (assumed)", "assumed",
        "the framework file (cost_low, cost_high), loaded as a new version with manage.py load_framework",
    )  # fmt: skip
    assert ("Discount rate (a year)", 0.1, "the engagement inputs page") in assumptions


def test_formula_looking_unit_name_stays_text_in_every_sheet(acme):
    org, cycle, _ = acme
    BusinessUnit.objects.filter(slug="east").update(name="=1+1")
    book = workbook(workbook_bytes(org, cycle))
    heatmap = book["Heatmap"]["A2"]
    assert (heatmap.value, heatmap.data_type, heatmap.quotePrefix) == ("=1+1", "s", True)
    names = [c for c in book["Recommendations"]["A"] if c.value == "=1+1"]
    assert names and all(c.data_type == "s" and c.quotePrefix for c in names)


def test_consultant_downloads_the_workbook_of_the_units_the_page_shows(client, acme):
    org, _, _ = acme
    client.force_login(org.consultants.get())
    page = parse(client.get("/reports/portfolio/?tag=retail&sort=name"))
    assert (
        the(page, "#download-workbook")["href"]
        == "/reports/portfolio/report.xlsx?tag=retail&sort=name"
    )
    response = client.get("/reports/portfolio/report.xlsx?tag=retail&sort=name")
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="acme-2026-Q4-report.xlsx"'
    book = workbook(response.content)
    assert [row[1] for row in values(book["Heatmap"])[1:4]] == ["east", "north", "west"]
    assert {row[1] for row in values(book["Scores"])[1:]} == {"east", "north", "west"}


# --- CSV downloads ---------------------------------------------------------------------------


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def test_scores_csv_download_is_the_tidy_export_of_the_units_shown(client, acme):
    org, _, _ = acme
    client.force_login(org.consultants.get())
    response = client.get("/reports/portfolio/scores.csv?region=EMEA")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="acme-2026-Q4-scores.csv"'
    out = io.StringIO()
    call_command("export_scores", "--cycle", "2026-Q4", stdout=out)
    emea = [row for row in read_csv(out.getvalue().encode()) if row[1] in ("unit", "east", "north")]
    assert read_csv(response.content) == emea
    assert read_csv(response.content)[1] == [
        "acme",
        "east",
        "2026-Q4",
        "IDG",
        "fidelity",
        "3.0",
        "3",
    ]


def test_answers_csv_keeps_a_formula_looking_comment_as_text_through_a_round_trip(
    client, acme, tmp_path
):
    org, _, _ = acme
    answer = Answer.objects.filter(response__assessment__unit__slug="north").first()
    answer.comment = '=HYPERLINK("http://evil.example","click")'
    answer.save()
    client.force_login(org.consultants.get())
    response = client.get("/reports/portfolio/answers.csv?region=EMEA")
    assert response["Content-Disposition"] == 'attachment; filename="acme-2026-Q4-answers.csv"'
    rows = read_csv(response.content)
    assert {row[1] for row in rows[1:]} == {"east", "north"}
    assert ['\'=HYPERLINK("http://evil.example","click")'] == [
        row[6] for row in rows if row[6].startswith("'")
    ]
    path = tmp_path / "answers.csv"
    path.write_bytes(response.content)
    Answer.objects.filter(response__assessment__unit__slug__in=["east", "north"]).delete()
    call_command("import_answers", str(path), stdout=io.StringIO())
    assert Answer.objects.get(pk__isnull=False, comment__startswith="=").comment == (
        '=HYPERLINK("http://evil.example","click")'
    )


def test_unit_report_offers_the_units_scores_as_csv(client, acme):
    org, _, assessments = acme
    west = assessments[("west", "2026-Q4")]
    lead = factories.member(west.unit, Membership.Role.LEAD)
    client.force_login(lead)
    page = parse(client.get(f"/reports/assessments/{west.pk}/"))
    assert the(page, "#download-scores")["href"] == f"/reports/assessments/{west.pk}/scores.csv"
    response = client.get(f"/reports/assessments/{west.pk}/scores.csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="acme-2026-Q4-west-scores.csv"'
    )
    assert read_csv(response.content) == [
        ["organisation", "unit", "cycle", "capability", "dimension", "score", "level"],
        ["acme", "west", "2026-Q4", "IDG", "fidelity", "1.0", "1"],
        ["acme", "west", "2026-Q4", "IDG", "recovery", "1.0", "1"],
        ["acme", "west", "2026-Q4", "CPL", "fidelity", "", ""],
        ["acme", "west", "2026-Q4", "CPL", "recovery", "", ""],
    ]
    other = factories.member(assessments[("east", "2026-Q4")].unit)
    client.force_login(other)
    assert client.get(f"/reports/assessments/{west.pk}/scores.csv").status_code == 404


def test_workbook_and_csv_downloads_are_refused_to_members_and_outsiders(client, acme):
    org, _, _ = acme
    member = factories.member(org.units.get(slug="east"))
    outsider = factories.user("globex-consultant")
    factories.organisation("globex", consultants=[outsider])
    for path in ("report.xlsx", "scores.csv", "answers.csv"):
        for user, status in ((member, 403), (outsider, 404)):
            client.force_login(user)
            response = client.get(f"/reports/portfolio/{path}?organisation=acme")
            assert response.status_code == status, (path, user)


# session, user, organisations (1), the filters' choices (3), then per download:
QUERIES = {
    "/reports/portfolio/report.xlsx?tag=retail": 4 + 2 + 1 + 16,  # previous cycle, portfolio + plan
    "/reports/portfolio/scores.csv?tag=retail": 4 + 2 + 5,  # portfolio
    "/reports/portfolio/answers.csv?tag=retail": 4 + 2 + 2,  # units shown, answers
}


@pytest.mark.parametrize("unit_count", [2, 6])
@pytest.mark.parametrize("url", list(QUERIES))
def test_download_query_count_does_not_grow_with_units(
    client, small, unit_count, url, django_assert_num_queries
):
    org, _, _ = scored_organisation(small, units=many_units(unit_count), respondents=3)
    client.force_login(org.consultants.get())
    with django_assert_num_queries(QUERIES[url]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("unit_count", [2, 6])
def test_unit_scores_csv_query_count_does_not_grow_with_units(
    client, small, unit_count, django_assert_num_queries
):
    org, _, assessments = scored_organisation(small, units=many_units(unit_count), respondents=3)
    client.force_login(org.consultants.get())
    # session, user, the assessment (access), its tidy scores (5)
    with django_assert_num_queries(7):
        response = client.get(f"/reports/assessments/{assessments[('unit-00', '2026-Q4')].pk}/scores.csv")  # fmt: skip
    assert response.status_code == 200


# --- the command ---------------------------------------------------------------------------


def test_export_workbook_writes_the_workbook_and_prints_its_counts(acme, tmp_path):
    path = tmp_path / "report.xlsx"
    out = io.StringIO()
    call_command("export_workbook", "--region", "EMEA", "-o", str(path), stdout=out)
    # 2 EMEA units × 2 capabilities × 2 dimensions = 8 score rows; East IDG 3 → 4 and
    # CPL 3 → 4, North IDG 3 → 4 and CPL 2 → 3 (default target 4)
    assert out.getvalue() == (
        f"Wrote {path}: Scores 8 rows, Heatmap 2 units × 2 capabilities, "
        "Recommendations 4 rows, Roadmap 5 rows, Trend and Assumptions (acme, 2026-Q4)\n"
    )
    assert load_workbook(path).sheetnames == SHEETS


def test_export_workbook_names_the_known_cycles_for_an_unknown_one(acme, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("export_workbook", "--cycle", "2025", "-o", str(tmp_path / "r.xlsx"))
    assert str(refused.value) == "organisation 'acme' has no cycle '2025' (known: 2026-Q2, 2026-Q4)"


# --- a real reader (make test-external: tests/conftest.py fails it without LibreOffice) -----


@pytest.mark.libreoffice
def test_libreoffice_renders_every_sheet_without_hashes(db, tmp_path):
    """Columns too narrow for a number render as ### in spreadsheets: none may."""
    org, cycle = demo_like(factories.default_framework(), 8)
    path = tmp_path / "report.xlsx"
    path.write_bytes(report_workbook(report_data(org, cycle)))
    subprocess.run(
        [shutil.which("soffice"), f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "###" not in text
    for heading in ("Maturity index", "NPV base", "Pays back in month", "Funding cycle"):
        assert heading.split()[0] in text
    assert re.search(r"\$\d{1,3}(,\d{3})+", text)  # money is shown as money


def test_a_grouped_framework_adds_a_groups_sheet_with_each_units_rolled_up_scores(db):
    """North: IDG at 2, CPL at 4 → Data (both) (2 + 4) / 2 = 3.0 at level 2 (its weakest),
    Data › Identity (IDG alone) 2.0 at 2. South: both at 3 → 3.0 at 3 for each group."""
    grouped, _ = framework_load(spec=parse_framework(GROUPED, "grouped.yaml"))
    org, _, assessments = portfolio(
        grouped,
        units={
            "north": {"2026-Q4": {"IDG": 2, "CPL": 4}},
            "south": {"2026-Q4": {"IDG": 3, "CPL": 3}},
        },
    )
    cycle = assessments[("north", "2026-Q4")].cycle
    book = workbook(workbook_bytes(org, cycle))
    assert book.sheetnames == [*SHEETS[:1], "Groups", *SHEETS[1:]]
    sheet = book["Groups"]
    rows = values(sheet)
    assert rows[0] == ("Unit", "Group", "Level", "Score", "Capabilities scored")
    body = {
        (unit, group): (level, score, scored) for unit, group, level, score, scored in rows[1:5]
    }
    assert body == {
        ("North", "Data"): ("2 Repeatable", 3.0, "2 of 2"),
        ("North", "Data › Identity"): ("2 Repeatable", 2.0, "1 of 1"),
        ("South", "Data"): ("3 Managed", 3.0, "2 of 2"),
        ("South", "Data › Identity"): ("3 Managed", 3.0, "1 of 1"),
    }
    assert rows[6][0].startswith("A group's score is the mean of its capabilities' scores")


def test_an_ungrouped_framework_has_no_groups_sheet(acme):
    org, cycle, _ = acme
    assert workbook(workbook_bytes(org, cycle)).sheetnames == SHEETS
