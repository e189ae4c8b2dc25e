"""Issue 15: the deck and the workbook follow published maturity models as the pages do —
capability groups (a "By group" slide, units × top-level groups, the same figures as the
portfolio's Units × groups and the workbook's Groups sheet), sparse models ("—" where a
capability asks nothing in a dimension) and frameworks without cost data (the DEOM slide
and page say the upgrades are maturity-only and where they are). Read back from the
generated .pptx and .xlsx (docs/deliverables.md, docs/frameworks.md)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pptx import Presentation

from assessments.domain.framework_file import parse_framework
from assessments.services.frameworks import framework_load
from reports.domain.levels import level_fill
from reports.exporters.deck import deck_pptx
from reports.exporters.workbook import report_workbook
from reports.queries.exports import report_data
from tests import factories
from tests.pages import cells, parse, text, the
from tests.recommendation_factories import seed_engagement
from tests.report_factories import portfolio
from tests.test_capability_groups import GROUPED
from tests.test_exports_deck import overlaps, tables, texts, title

NO_SCORE_GREY = "#f0f0f0"
WHITE = "#ffffff"


def load(text_: str):
    framework, _ = framework_load(spec=parse_framework(text_, "f.yaml"))
    return framework


def deck_of(framework, units: dict):
    org, _, _ = portfolio(framework, units=units, consultant=factories.user("casey"))
    seed_engagement(org)
    data = report_data(org, org.cycles.get(name="2026-Q4"))
    return org, data, Presentation(io.BytesIO(deck_pptx(data)))


def fill(cell) -> str:
    return "#" + str(cell.fill.fore_color.rgb).lower()


def table_named(slide, name: str):
    return next((shape.table for shape in slide.shapes if shape.name == name), None)


def slides_with(deck, name: str) -> list:
    return [s for s in deck.slides if table_named(s, name) is not None]


def body_text(slide) -> str:
    return "\n".join(
        shape.text_frame.text
        for shape in slide.shapes
        if shape.has_text_frame and shape.name not in ("Title", "Subtitle")
    )


# --- sparse models: "—" where a capability asks nothing in a dimension ------------------------

# CPL asks nothing about recovery (its one recovery question removed)
SPARSE = factories.SMALL_FRAMEWORK.replace(
    """      - code: CPL-REC-1
        dimension: recovery
        type: choice
        text: How is the consent store backed up?
        options: {1: "Not backed up", 2: "Manual exports", 3: "Nightly backups", 4: "Tested restores", 5: "Automatic failover"}
""",
    "",
)


@pytest.mark.django_db
def test_the_unit_table_shows_a_dash_on_a_neutral_fill_where_a_capability_asks_nothing():
    """North answers everything: IDG 3 on both dimensions, CPL fidelity 2, and CPL's recovery
    cell reads "—" on white, neither a level colour nor the no-score grey; West answers only
    IDG, so its CPL fidelity cell stays blank and grey (waiting for answers)."""
    assert "CPL-REC-1" not in SPARSE
    _, _, deck = deck_of(
        load(SPARSE),
        {"north": {"2026-Q4": {"IDG": 3, "CPL": 2}}, "west": {"2026-Q4": {"IDG": 1}}},
    )
    north = next(s for s in deck.slides if title(s).startswith("Appendix: North,"))
    table = table_named(north, "Unit scores")
    assert texts(table) == [
        ["Capability", "Data fidelity", "Recovery (RTO)", "Level", "Score"],
        ["Identity Graph Enhancements", "3 · 3.00 ▼", "3 · 3.00 ▼", "3 Managed", "3 · 3.00"],
        ["Consent and Privacy Layer", "2 · 2.00 ▼", "—", "2 Repeatable", "2 · 2.00"],
    ]
    not_asked = table.cell(2, 2)
    level_fills = {level_fill(n, range(1, 6)) for n in range(1, 6)}
    assert fill(not_asked) == WHITE and fill(not_asked) not in level_fills | {NO_SCORE_GREY}
    assert fill(table.cell(2, 1)) == level_fill(2, range(1, 6))
    subtitle = next(sh for sh in north.shapes if sh.name == "Subtitle").text_frame.text
    assert subtitle.endswith("▼ binding dimension · — not asked")
    assert "— marks a dimension the capability asks nothing in" in (
        north.notes_slide.notes_text_frame.text
    )
    west = next(s for s in deck.slides if title(s).startswith("Appendix: West,"))
    table = table_named(west, "Unit scores")
    assert [cell.text for cell in table.rows[2].cells][1:3] == ["", "—"]
    assert fill(table.cell(2, 1)) == NO_SCORE_GREY


@pytest.mark.django_db
def test_a_cell_of_weight_0_questions_only_is_asked_so_it_stays_blank():
    """A weight-0 question is asked, never scored: its cell has no score (blank and grey, as
    on the unit report), not "—"."""
    informational = factories.SMALL_FRAMEWORK.replace(
        "      - code: CPL-REC-1\n        dimension: recovery\n",
        "      - code: CPL-REC-1\n        dimension: recovery\n        weight: 0\n",
    )
    _, _, deck = deck_of(load(informational), {"north": {"2026-Q4": {"IDG": 3, "CPL": 2}}})
    north = next(s for s in deck.slides if title(s).startswith("Appendix: North,"))
    table = table_named(north, "Unit scores")
    assert table.cell(2, 2).text == "" and fill(table.cell(2, 2)) == NO_SCORE_GREY
    subtitle = next(sh for sh in north.shapes if sh.name == "Subtitle").text_frame.text
    assert "not asked" not in subtitle


# --- capability groups: the "By group" slide --------------------------------------------------


@pytest.mark.django_db
def test_a_grouped_framework_has_a_by_group_slide_with_the_portfolios_figures(client):
    """North: IDG 2, CPL 4 → Data 3.00 at level 2 (held by IDG: *); South: both 3 → 3.00 at
    3. Only top-level groups are columns (Identity sits inside Data), as on the portfolio."""
    org, data, deck = deck_of(
        load(GROUPED),
        {"north": {"2026-Q4": {"IDG": 2, "CPL": 4}}, "south": {"2026-Q4": {"IDG": 3, "CPL": 3}}},
    )
    (slide,) = slides_with(deck, "Groups heatmap")
    assert title(slide) == "By group: Data is the weakest, median 3.00"
    table = table_named(slide, "Groups heatmap")
    assert texts(table) == [
        ["Unit", "Maturity index", "Data"],
        ["North (draft)", "3.00", "2 · 3.00*"],
        ["South (draft)", "3.00", "3 · 3.00"],
    ]
    levels = range(1, 6)
    assert [fill(table.cell(r, 2)) for r in (1, 2)] == [
        level_fill(2, levels),
        level_fill(3, levels),
    ]
    legend = next(sh for sh in slide.shapes if sh.name == "Legend").text_frame.text
    assert legend == "Cell = level · score (* held by a weaker capability)"
    # it opens the portfolio, before the units × capabilities heatmap
    numbers = [n for n, s in enumerate(deck.slides) if table_named(s, "Heatmap") is not None]
    assert list(deck.slides).index(slide) == numbers[0] - 1

    # the same figures as the portfolio page's Units × groups …
    client.force_login(org.consultants.get())
    page = parse(client.get("/reports/portfolio/?organisation=acme&cycle=2026-Q4"))
    shown = {cells(row)[0]: cells(row)[1:] for row in the(page, "#portfolio-groups").select("tbody tr")}  # fmt: skip
    assert {row[0].removesuffix(" (draft)"): row[2:] for row in texts(table)[1:]} == shown
    # … and as the workbook's Groups sheet, rounded
    sheet = openpyxl.load_workbook(io.BytesIO(report_workbook(data)))["Groups"]
    top = {
        (unit, level.split()[0], round(score, 2))
        for unit, group, level, score, _ in sheet.iter_rows(min_row=2, max_row=5, values_only=True)
        if "›" not in group
    }
    assert top == {("North", "2", 3.0), ("South", "3", 3.0)}


@pytest.mark.django_db
def test_an_ungrouped_framework_has_no_group_slide():
    _, _, deck = deck_of(factories.small_framework(), {"north": {"2026-Q4": {"IDG": 2, "CPL": 4}}})
    assert slides_with(deck, "Groups heatmap") == []
    assert not [s for s in deck.slides if title(s).startswith("By group")]


LONG_UNIT = "Northern Europe and the Baltic states, retail, wholesale and the online shop"


def many_groups(count: int) -> str:
    """`count` capabilities, each alone in its own top-level group, one choice question each."""
    options = ", ".join(f'{n}: "practice at {n}"' for n in range(1, 6))
    capabilities = "".join(
        f"""  - code: C{n:02d}
    name: Capability {n:02d}
    group: [Business function {n:02d}, Practice]
    questions:
      - {{code: C{n:02d}-A, dimension: people, type: choice, text: "C{n:02d}?", options: {{{options}}}}}
"""
        for n in range(count)
    )
    return f"""framework: {{code: wide, version: "1", name: Wide}}
levels:
{"".join(f"  - {{number: {n}, name: Level {n}}}" + chr(10) for n in range(1, 6))}dimensions:
  - {{code: people, name: People}}
capabilities:
{capabilities}"""


@pytest.mark.django_db
def test_many_groups_and_units_split_columns_and_continue_rows_keeping_every_cell_once():
    """14 groups do not fit at 1.1 in beside the unit column: two column groups of 7; 24
    units (one with a long name) continue on further slides. Every unit × group cell is on
    exactly one slide, every shape on its slide and apart from the others."""
    framework = load(many_groups(14))
    units = {
        f"unit-{n:02d}": {"2026-Q4": {f"C{c:02d}": 1 + (n + c) % 5 for c in range(14)}}
        for n in range(24)
    }
    org, unit_objects, _ = portfolio(framework, units=units, consultant=factories.user("casey"))
    unit_objects["unit-00"].name = LONG_UNIT
    unit_objects["unit-00"].save()
    data = report_data(org, org.cycles.get(name="2026-Q4"))
    deck = Presentation(io.BytesIO(deck_pptx(data)))
    slides = slides_with(deck, "Groups heatmap")
    assert len(slides) >= 4
    assert [title(s).endswith("(continued)") for s in slides] == [False] + [True] * (len(slides) - 1)  # fmt: skip
    columns = [len(table_named(s, "Groups heatmap").columns) - 2 for s in slides]
    assert set(columns) == {7}
    subtitles = [next(sh for sh in s.shapes if sh.name == "Subtitle").text_frame.text for s in slides]  # fmt: skip
    assert "groups 8–14 of 14" in subtitles[-1] and "groups 1–7 of 14" in subtitles[0]
    matrix = data.group_matrix()
    expected = {
        (unit, group): cell
        for unit, row_scores, row_levels in zip(
            matrix.row_labels, matrix.scores, matrix.levels, strict=True
        )  # fmt: skip
        for group, cell in zip(
            matrix.column_labels,
            [f"{level} · {score:.2f}" for score, level in zip(row_scores, row_levels, strict=True)],
            strict=True,
        )
    }
    seen: dict = {}
    for slide in slides:
        rows = texts(table_named(slide, "Groups heatmap"))
        for row in rows[1:]:
            for group, cell in zip(rows[0][2:], row[2:], strict=True):
                seen.setdefault((row[0].removesuffix(" (draft)"), group), []).append(cell)
    assert {key: cells_[0] for key, cells_ in seen.items()} == expected
    assert all(len(cells_) == 1 for cells_ in seen.values())
    for slide in slides:
        shapes = list(slide.shapes)
        for shape in shapes:
            assert shape.left + shape.width <= deck.slide_width, shape.name
            assert shape.top + shape.height <= deck.slide_height, shape.name
        for i, first in enumerate(shapes):
            for second in shapes[i + 1 :]:
                assert not overlaps(first, second), (title(slide), first.name, second.name)


# --- frameworks without cost data -------------------------------------------------------------

WITHOUT_COST_DATA = "\n".join(
    line
    for line in factories.SMALL_FRAMEWORK.splitlines()
    if not line.strip().startswith(
        ("cost_low:", "cost_high:", "cost_is_assumption:", "impact:", "benefit_", "time_to_value")
    )
)


@pytest.mark.django_db
def test_the_deom_slide_says_the_framework_carries_no_cost_data_and_where_the_upgrades_are():
    """North at IDG 2 and CPL 3: two maturity-only upgrades (default target 4)."""
    _, data, deck = deck_of(load(WITHOUT_COST_DATA), {"north": {"2026-Q4": {"IDG": 2, "CPL": 3}}})
    assert len(data.maturity_only) == 2 and not data.has_cost_data
    (deom,) = [s for s in deck.slides if title(s).startswith("DEOM")]
    assert title(deom) == "DEOM grid: no cost data, so the upgrades are maturity-only"
    assert tables(deom) == []  # no empty grid of $0
    body = body_text(deom)
    assert "The framework carries no cost data, so its recommendations are maturity-only" in body
    assert "“Next level, no cost data”" in body
    assert "“2 upgrades without cost data (next level only)”" in body
    assert "$0" not in body and "worth funding at these inputs" not in title(deom)
    # the places it points to exist
    unit_slide = next(s for s in deck.slides if title(s).startswith("North:"))
    assert any(sh.name == "Maturity-only heading" for sh in unit_slide.shapes)
    assert [s for s in deck.slides if title(s) == "Appendix: 2 upgrades without cost data (next level only)"]  # fmt: skip
    roadmap = next(s for s in deck.slides if title(s).startswith("Roadmap"))
    assert title(roadmap) == "Roadmap: nothing to fund, the framework carries no cost data"
    summary = body_text(deck.slides[1])
    assert "No upgrade is funded: the framework carries no cost data" in summary


@pytest.mark.django_db
def test_a_framework_with_some_cost_data_keeps_the_grid_and_counts_the_maturity_only_upgrades():
    """IDG keeps its economics, CPL has none: the grid places IDG's upgrade and the remark
    says CPL's is left out, and where it is."""
    cpl = factories.SMALL_FRAMEWORK.index("  - code: CPL")
    mixed = factories.SMALL_FRAMEWORK[:cpl] + WITHOUT_COST_DATA[WITHOUT_COST_DATA.index("  - code: CPL") :]  # fmt: skip
    _, _, deck = deck_of(load(mixed), {"north": {"2026-Q4": {"IDG": 2, "CPL": 3}}})
    (deom,) = [s for s in deck.slides if title(s).startswith("DEOM") or "holds most" in title(s)]
    assert table_named(deom, "DEOM") is not None
    remark = next(sh for sh in deom.shapes if sh.name == "DEOM remark").text_frame.text
    assert remark == (
        "1 upgrade without cost data (maturity-only: the next level and its to-do list) is left out "
        "too: on the unit slides and in the appendix."
    )


@pytest.mark.django_db
def test_the_deom_page_says_the_framework_carries_no_cost_data(client):
    org, _, _ = deck_of(load(WITHOUT_COST_DATA), {"north": {"2026-Q4": {"IDG": 2, "CPL": 3}}})
    client.force_login(org.consultants.get())
    page = parse(client.get("/reports/organisations/acme/deom/"))
    notice = the(page, "#deom-no-cost-data")
    assert text(notice).startswith(
        "This framework carries no cost data, so its recommendations are maturity-only."
    )
    assert "the roadmap lists all 2" in text(notice)
    assert notice.select_one("a")["href"] == "/reports/organisations/acme/roadmap/?cycle=2026-Q4#no-cost-data"  # fmt: skip
    assert page.select("#deom-grid") == []
    roadmap = parse(client.get("/reports/organisations/acme/roadmap/"))
    assert text(the(roadmap, "#empty-roadmap")).startswith(
        "Nothing to fund: the framework carries no cost data"
    )
    assert len(the(roadmap, "#no-cost-data-table").select("tbody tr")) == 2


@pytest.mark.django_db
def test_the_deom_page_of_a_costed_framework_keeps_its_grid(client):
    org, _, _ = deck_of(factories.small_framework(), {"north": {"2026-Q4": {"IDG": 2, "CPL": 3}}})
    client.force_login(org.consultants.get())
    page = parse(client.get("/reports/organisations/acme/deom/"))
    assert page.select("#deom-grid") and page.select("#deom-no-cost-data") == []


# --- the workbook's Groups sheet prints one page wide ------------------------------------------


@pytest.mark.django_db
def test_the_groups_sheet_prints_landscape_one_page_wide_with_its_header_on_every_page():
    _, data, _ = deck_of(load(GROUPED), {"north": {"2026-Q4": {"IDG": 2, "CPL": 4}}})
    sheet = openpyxl.load_workbook(io.BytesIO(report_workbook(data)))["Groups"]
    setup = sheet.page_setup
    assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$1:$1"  # the header row, repeated
