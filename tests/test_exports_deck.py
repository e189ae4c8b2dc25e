"""The PowerPoint deck, opened with python-pptx and read back: the executive summary, the
heatmap (cells "level · score", against the portfolio selector and the palette; continued
by rows and split by columns), the trend, unit and roadmap charts (native charts whose
embedded workbook holds the selector's numbers), the upgrades with NPV range, time-to-value
and payback, what is not worth funding, the DEOM grid, 12 pt or more everywhere, shapes on
the slide and apart, the footer, an uploaded template's master — and the download view,
the upload page, the export_deck command and a real reader (LibreOffice)."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from pptx import Presentation
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.util import Inches

from assessments.models import BusinessUnit, Capability, Membership, ValueBase
from reports.domain import portfolio as pf
from reports.domain.heatmaps import HeatmapMatrix
from reports.domain.levels import level_and_score, level_fill
from reports.domain.report_data import RoadmapRow
from reports.domain.roadmap import plan_roadmap
from reports.exporters.deck import Deck, build_deck, deck_pptx
from reports.exporters.deck import heatmap_slides as draw_heatmap
from reports.models import DeckTemplate
from reports.queries.exports import report_data
from reports.queries.planning import plan_for_cycle
from reports.queries.portfolio import portfolio_scores
from tests import factories
from tests.export_factories import demo_like, many_units, scored_organisation
from tests.pages import parse, text, the
from tests.recommendation_factories import organisation_with_units

A_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def deck_bytes(organisation, cycle, **filters) -> bytes:
    """The export as a consultant downloads it: the report data, then the exporter."""
    return deck_pptx(report_data(organisation, cycle, **filters))


def fill(cell) -> str:
    return "#" + str(cell.fill.fore_color.rgb).lower()


def open_deck(content: bytes):
    return Presentation(io.BytesIO(content))


def title(slide) -> str:
    return next(shape.text_frame.text for shape in slide.shapes if shape.name == "Title")


def named(slide, name: str):
    return next(shape for shape in slide.shapes if shape.name == name)


def tables(slide):
    return [shape.table for shape in slide.shapes if shape.has_table]


def texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def slides_titled(deck, start: str) -> list:
    return [s for s in deck.slides if title(s).startswith(start)]


def heatmap_slides(deck) -> list:
    return [s for s in deck.slides if any(sh.name == "Heatmap" for sh in s.shapes)]


def chart_data(frame) -> dict[str, list]:
    """A chart's series, read back from its XML: name → values."""
    return {s.name: list(s.values) for s in frame.chart.plots[0].series}


def embedded_workbook(frame) -> list[list]:
    """The rows of the workbook embedded in a chart (what PowerPoint's "Edit data" opens)."""
    blob = frame.chart.part.chart_workbook.xlsx_part.blob
    sheet = openpyxl.load_workbook(io.BytesIO(blob)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def acme(small):
    return scored_organisation(small)


@pytest.fixture
def uk(small):
    """One unit 'Uk' whose answers give IDG 2 → 3 and CPL 3 → 4 (tests/test_recommendations.py)."""
    org, consultant, assessments = organisation_with_units(small, 1)
    return org, assessments[0].cycle, consultant


# --- the portfolio heatmap ------------------------------------------------------------------


def test_heatmap_cells_show_the_level_they_are_coloured_by_and_the_score(acme):
    org, cycle, _ = acme
    (slide,) = heatmap_slides(open_deck(deck_bytes(org, cycle)))
    (table,) = tables(slide)
    # IDG (2·3 + 1·3)/3 = 3.00 and so on. Maturity = the mean of the capability scores:
    # East (3 + 3)/2 = 3.00, South (2 + 4)/2 = 3.00 (ties in name order), North 2.50, West 1.00.
    assert texts(table) == [
        ["Unit", "Maturity index", "Identity Graph Enhancements", "Consent and Privacy Layer"],
        ["East (draft)", "3.00", "3 · 3.00", "3 · 3.00"],
        ["South (draft)", "3.00", "2 · 2.00", "4 · 4.00"],
        ["North (draft)", "2.50", "3 · 3.00", "2 · 2.00"],
        ["West (draft)", "1.00", "1 · 1.00", ""],
    ]
    fills = [[fill(table.cell(r, c)) for c in (2, 3)] for r in range(1, 5)]
    assert fills == [
        ["#fee090", "#fee090"],  # 3 Managed, 3 Managed
        ["#f46d43", "#74add1"],  # 2 Repeatable, 4 Optimized
        ["#fee090", "#f46d43"],
        ["#a50026", "#f0f0f0"],  # 1 Initial, no score: grey and blank
    ]
    # the headline states the finding: CPL's median of 3, 4, 2 is 3.00, IDG's of 3, 2, 3, 1 is 2.50
    assert title(slide) == "Identity Graph Enhancements is the weakest capability: median 2.50"


def test_heatmap_cells_agree_with_the_portfolio_selector_and_level_colours(acme):
    org, cycle, _ = acme
    data = portfolio_scores(organisation=org, cycles=[cycle])
    slugs = ["east", "south", "north", "west"]
    scores, levels = pf.capability_matrix(
        pf.in_cycle(data.capability_scores, cycle.name), slugs, data.capability_codes
    )
    (table,) = tables(heatmap_slides(open_deck(deck_bytes(org, cycle)))[0])
    for row, slug in enumerate(slugs, start=1):
        for column, code in enumerate(data.capability_codes, start=2):
            cell = table.cell(row, column)
            assert cell.text == level_and_score(levels.at[slug, code], scores.at[slug, code])
            assert fill(cell) == level_fill(levels.at[slug, code])


def test_heatmap_legend_shows_every_level_in_its_colour(acme):
    org, cycle, _ = acme
    heatmap = heatmap_slides(open_deck(deck_bytes(org, cycle)))[0]
    legend = {
        shape.text_frame.text: fill(shape)
        for shape in heatmap.shapes
        if shape.name.startswith("Legend ")
    }
    assert legend == {
        "1 Initial": "#a50026",
        "2 Repeatable": "#f46d43",
        "3 Managed": "#fee090",
        "4 Optimized": "#74add1",
        "5 Autonomous": "#313695",
        "no score": "#f0f0f0",
    }


def test_filters_and_sort_of_the_page_choose_the_units_and_their_order(acme):
    org, cycle, _ = acme
    deck = open_deck(deck_bytes(org, cycle, region="EMEA", sort="CPL"))
    (table,) = tables(heatmap_slides(deck)[0])
    # EMEA: North and East; by CPL, weakest first: North 2.00, East 3.00
    assert [row[0] for row in texts(table)[1:]] == ["North (draft)", "East (draft)"]
    units = [title(s).split(":")[0] for s in deck.slides if any(sh.name == "Unit chart" for sh in s.shapes)]  # fmt: skip
    assert units == ["North", "East"]


def test_more_units_than_fit_continue_on_further_heatmap_slides(small):
    org, cycle, _ = scored_organisation(small, units=many_units(30))
    data = report_data(org, cycle)
    deck = open_deck(deck_pptx(data))
    slides = heatmap_slides(deck)
    assert len(slides) == 3
    assert [title(s).endswith("(continued)") for s in slides] == [False, True, True]
    names = [row[0] for s in slides for row in texts(tables(s)[0])[1:]]
    assert names == [f"{unit.name} (draft)" for unit in data.units]


def test_a_wide_heatmap_splits_by_columns(acme):
    org, cycle, _ = acme
    data = report_data(org, cycle)
    count = 20  # a framework of 20 capabilities: more than fit across one slide
    wide = HeatmapMatrix(
        row_keys=data.heatmap.row_keys,
        row_labels=data.heatmap.row_labels,
        column_keys=[f"C{n}" for n in range(count)],
        column_labels=[f"Capability {n}" for n in range(count)],
        scores=[[1.0 + n % 4 for n in range(count)] for _ in data.units],
        levels=[[1 + n % 4 for n in range(count)] for _ in data.units],
    )
    data = dataclasses.replace(
        data, heatmap=wide, capabilities=[(f"C{n}", f"Capability {n}") for n in range(count)],
        capability_medians=[None] * count,
    )  # fmt: skip
    deck = Deck(data, None, "")
    draw_heatmap(deck)  # the heatmap slides alone: the units' own slides need their own data
    slides = heatmap_slides(open_deck(deck.save()))
    # as many columns as fit at 1.1 in or more beside the unit and maturity columns, in
    # groups of near-equal size: 7, 7 and 6
    headers = [texts(tables(s)[0])[0][2:] for s in slides]
    assert [len(h) for h in headers] == [7, 7, 6]
    assert sum(headers, []) == [f"Capability {n}" for n in range(count)]
    assert "capabilities 15–20 of 20" in named(slides[2], "Subtitle").text_frame.text
    assert all(len(texts(tables(s)[0])) == 1 + len(data.units) for s in slides)


# --- executive summary and trend ----------------------------------------------------------


def test_executive_summary_states_maturity_weakest_investment_and_decisions(uk):
    org, cycle, _ = uk
    deck = open_deck(deck_bytes(org, cycle))
    summary = deck.slides[1]
    # one unit, maturity (2.50 + 3.00) / 2 = 2.75; funding cycle 1 buys IDG 2 → 3 and CPL 3 → 4:
    # 850,000 + 550,000 = $1.4M for base NPV 3,971,023.44 + 414,238.02 = $4.39M
    assert title(summary) == "Median maturity 2.75; funding cycle 1: $1.4M buys base NPV $4.39M"
    boxes = {s.name: s.text_frame.text for s in summary.shapes if s.name.startswith("Summary ")}
    assert boxes["Summary Portfolio maturity"] == (
        "Portfolio maturity\n\nMedian maturity index 2.75 across 1 unit"
    )
    assert "Identity Graph Enhancements: median 2.50 (lowest: Uk)" in boxes["Summary Weakest capabilities across units"]  # fmt: skip
    investment = boxes["Summary Recommended investment (base NPV, downside to best)"]
    assert "Funding cycle 1: $1.4M for 2 upgrades → base NPV $4.39M" in investment
    assert (
        "Approve funding cycle 1: $1.4M of the $2M budget" in boxes["Summary What needs a decision"]
    )


def test_trend_slide_charts_the_maturity_of_both_cycles(small):
    units = {
        "north": {"2026-Q2": {"IDG": 2, "CPL": 2}, "2026-Q4": {"IDG": 3, "CPL": 2}},
        "south": {"2026-Q2": {"IDG": 3, "CPL": 4}, "2026-Q4": {"IDG": 3, "CPL": 3}},
    }
    org, cycle, _ = scored_organisation(small, units=units)
    deck = open_deck(deck_bytes(org, cycle))
    (slide,) = [s for s in deck.slides if any(sh.name == "Trend chart" for sh in s.shapes)]
    # South 3.50 → 3.00, North 2.00 → 2.50 (improved); median 2.75 → 2.75; units in the
    # heatmap's order (highest maturity first)
    assert title(slide) == "1 of 2 units improved since 2026-Q2; median 2.75 → 2.75 (+0.00)"
    chart = named(slide, "Trend chart")
    assert chart_data(chart) == {"2026-Q2": [3.5, 2.0], "2026-Q4": [3.0, 2.5]}
    assert embedded_workbook(chart) == [
        [None, "2026-Q2", "2026-Q4"],
        ["South", 3.5, 3],
        ["North", 2, 2.5],
    ]
    assert texts(named(slide, "Trend table").table) == [["Unit", "Levels ▲ / ▼"], ["South", "0 / 1"], ["North", "1 / 0"]]  # fmt: skip


# --- unit slides ------------------------------------------------------------------------------


def test_unit_chart_holds_scores_targets_and_portfolio_medians_of_the_selector(acme):
    org, cycle, _ = acme
    data = report_data(org, cycle)
    deck = open_deck(deck_pptx(data))
    charts = [named(s, "Unit chart") for s in deck.slides if any(sh.name == "Unit chart" for sh in s.shapes)]  # fmt: skip
    assert len(charts) == len(data.units) == 4
    selector = portfolio_scores(organisation=org, cycles=[cycle])
    slugs = [u.slug for u in data.units]
    scores, levels = pf.capability_matrix(
        pf.in_cycle(selector.capability_scores, cycle.name), slugs, selector.capability_codes
    )
    medians = pf.capability_statistics(scores)["median"]
    for chart, slug in zip(charts, slugs, strict=True):
        values = chart_data(chart)
        expected_scores = [None if s != s else s for s in scores.loc[slug]]
        assert values["This unit (level · score)"] == expected_scores
        assert values["Portfolio median"] == list(medians)
        assert values["Target level"] == [4, 4]  # the engagement's default target
        rows = embedded_workbook(chart)
        assert rows[0] == [None, "Portfolio median", "Target level", "This unit (level · score)"]
        assert [row[3] for row in rows[1:]] == expected_scores
        assert [row[1] for row in rows[1:]] == list(medians)
        series = chart.chart.plots[0].series[2]
        labels = [series.points[i].data_label.text_frame.text for i in range(2)]
        assert labels == [level_and_score(levels.at[slug, c], scores.at[slug, c]) for c in selector.capability_codes]  # fmt: skip


def test_unit_slide_lists_top_upgrades_with_cost_npv_range_value_and_payback(uk):
    org, cycle, _ = uk
    deck = open_deck(deck_bytes(org, cycle))
    slide = next(s for s in deck.slides if title(s).startswith("Uk:"))
    assert title(slide) == "Uk: Identity Graph Enhancements 2 → 3 first, base NPV $3.97M"
    # NPVs hand-computed in tests/test_recommendations.py (IDG: downside 1,408,515.48, best
    # 5,896,390.33; CPL: −260,426.99, 964,001.64); value from month TTV + 1; payback
    # month: the first month whose cumulative discounted base cash flow is ≥ 0
    # (tests/test_payback.py): IDG month 8, CPL month 15.
    assert texts(named(slide, "Upgrades").table) == [
        ["Upgrade", "Cost band", "Base NPV (downside to best)", "Value from / pays back"],
        ["Identity Graph Enhancements\n2 → 3 Managed", "$0.5M–$1.2M", "$3.97M\n$1.41M to $5.9M", "month 7\nmonth 8"],
        ["Consent and Privacy Layer\n3 → 4 Optimized", "$0.3M–$0.8M", "$0.41M\n−$0.26M to $0.96M", "month 5\nmonth 15"],
    ]  # fmt: skip


def test_unit_detail_table_in_the_appendix_marks_binding_dimensions(uk):
    org, cycle, _ = uk
    deck = open_deck(deck_bytes(org, cycle))
    (slide,) = slides_titled(deck, "Appendix: Uk, capability × dimension")
    # IDG fidelity (2·2 + 1·2)/3 = 2.00, level 2, binding (▼); recovery 12 h → 3.00. The
    # capability's level is its lowest, 2; its score (2.00 + 3.00)/2 = 2.50, held below its
    # mean's level 2 by nothing (floor 2.50 = 2): no *.
    assert texts(named(slide, "Unit scores").table) == [
        ["Capability", "Data fidelity", "Recovery (RTO)", "Level", "Score"],
        ["Identity Graph Enhancements", "2 · 2.00 ▼", "3 · 3.00", "2 Repeatable", "2 · 2.50"],
        ["Consent and Privacy Layer", "3 · 3.00 ▼", "3 · 3.00 ▼", "3 Managed", "3 · 3.00"],
    ]


def test_negative_npv_upgrades_are_not_worth_funding_never_recommended(uk):
    org, cycle, _ = uk
    ValueBase.objects.filter(organisation=org, benefit_metric="compliance incident cost").update(annual_value=100_000)  # fmt: skip
    deck = open_deck(deck_bytes(org, cycle))
    slide = next(s for s in deck.slides if title(s).startswith("Uk:"))
    upgrades = texts(named(slide, "Upgrades").table)
    assert [row[0].split("\n")[0] for row in upgrades[1:]] == ["Identity Graph Enhancements"]
    assert "Not worth funding at these inputs: Consent and Privacy Layer 3 → 4" in named(slide, "Upgrade remarks").text_frame.text  # fmt: skip
    deom = next(s for s in deck.slides if any(sh.name == "DEOM" for sh in s.shapes))
    assert "Consent and Privacy Layer" not in " ".join(
        c for row in texts(tables(deom)[0]) for c in row
    )
    assert named(deom, "DEOM remark").text_frame.text == (
        "1 upgrade not worth funding at these inputs is left out of the grid (appendix)."
    )
    (listed,) = slides_titled(deck, "Appendix: 1 upgrade not worth funding at these inputs")
    assert texts(tables(listed)[0])[1][:2] == ["Uk", "Consent and Privacy Layer 3 → 4"]


def test_assumed_cost_bands_are_marked_on_the_slides(uk):
    org, cycle, _ = uk
    Capability.objects.filter(code="CPL").update(cost_is_assumption=True)
    deck = open_deck(deck_bytes(org, cycle))
    slide = next(s for s in deck.slides if title(s).startswith("Uk:"))
    assert texts(named(slide, "Upgrades").table)[2][1] == "$0.3M–$0.8M (assumed)"
    roadmap = slides_titled(deck, "Roadmap: the upgrades")[0]
    assert "$0.55M (assumed)" in [row[4] for row in texts(tables(roadmap)[0])]
    (assumptions,) = slides_titled(deck, "Appendix: assumptions")
    text = named(assumptions, "Assumptions").text_frame.text
    assert "Consent and Privacy Layer: the framework's default bands, not quotes." in text
    assert "manage.py load_framework PATH" in text


# --- roadmap and DEOM ----------------------------------------------------------------------


def test_roadmap_charts_and_table_hold_the_plan_of_the_roadmap_page(uk):
    org, cycle, _ = uk
    steps = plan_roadmap(plan_for_cycle(org, cycle))
    deck = open_deck(deck_bytes(org, cycle))
    chart_slide = next(s for s in deck.slides if any(sh.name == "Roadmap chart" for sh in s.shapes))
    cycles = sorted({s.funding_cycle for s in steps})
    cost = [sum(s.cost_mid for s in steps if s.funding_cycle == n) for n in cycles]
    npv = [sum(s.npv_base for s in steps if s.funding_cycle == n) for n in cycles]
    assert chart_data(named(chart_slide, "Roadmap chart")) == {"Uk": cost}
    invest = chart_data(named(chart_slide, "Investment and return chart"))
    assert invest["Cost (mid-band)"] == cost
    assert invest["NPV base"] == pytest.approx(npv)
    workbook = embedded_workbook(named(chart_slide, "Investment and return chart"))
    assert [row[0] for row in workbook[1:]] == [f"Funding cycle {n}" for n in cycles]
    assert [row[3] for row in workbook[1:]] == pytest.approx(npv)
    table_slide = slides_titled(deck, "Roadmap: the upgrades")[0]
    names = {"IDG": "Identity Graph Enhancements", "CPL": "Consent and Privacy Layer"}
    levels = {3: "3 Managed", 4: "4 Optimized", 5: "5 Autonomous"}
    rows = texts(tables(table_slide)[0])[1:]
    assert [row[:4] for row in rows] == [
        [str(s.funding_cycle), "Uk", names[s.capability], f"{s.from_level} → {levels[s.to_level]}"]
        for s in steps
    ]
    # Funding cycle 1 (budget 2,000,000): both upgrades fit (850,000 + 550,000 mid-band).
    assert rows[0][4:] == ["$0.85M", "$3.97M ($1.41M to $5.9M)", "month 8"]


def test_long_roadmap_continues_on_further_slides(acme):
    org, cycle, _ = acme
    data = report_data(org, cycle)
    rows = [RoadmapRow(1 + n // 10, "East", "Identity Graph Enhancements", 1, 2, 850_000, 3_971_023.44) for n in range(30)]  # fmt: skip
    deck = open_deck(deck_pptx(dataclasses.replace(data, roadmap=rows)))
    pages = slides_titled(deck, "Roadmap: the upgrades")
    assert len(pages) >= 2 and all(title(p).endswith("(continued)") for p in pages[1:])
    assert sum(len(tables(p)[0].rows) - 1 for p in pages) == 30


def test_deom_slide_counts_the_upgrades_of_each_quadrant(uk):
    org, cycle, _ = uk
    deck = open_deck(deck_bytes(org, cycle))
    deom = next(s for s in deck.slides if any(sh.name == "DEOM" for sh in s.shapes))
    # IDG 2 → 3: high-end cost 1,200,000 > local bound 1,000,000 (low autonomy), base NPV
    # 3,971,023 ≥ 250,000 (high impact). CPL 3 → 4: 800,000 ≤ 1,000,000, 414,238 ≥ 250,000.
    assert texts(tables(deom)[0]) == [
        ["", "Low autonomy: high-end cost above $1M", "High autonomy: high-end cost within $1M"],
        [
            "High impact: base NPV ≥ $0.25M",
            "Centralized Scale\n1 upgrade · base NPV $3.97M\nUk: Identity Graph Enhancements 2 → 3 ($3.97M)",
            "Guardrailed Innovation\n1 upgrade · base NPV $0.41M\nUk: Consent and Privacy Layer 3 → 4 ($0.41M)",
        ],
        ["Low impact: below $0.25M", "Strategic Hold\n0 upgrades · base NPV $0", "Tactical Optimization\n0 upgrades · base NPV $0"],
    ]  # fmt: skip
    assert title(deom) == "Centralized Scale holds most of the value: 1 upgrade, base NPV $3.97M"


# --- what every slide shares ---------------------------------------------------------------


def run_sizes(slide) -> list[tuple[str, int | None]]:
    """(shape name, size in points) of every run and paragraph end of the slide: text
    boxes, table cells and charts (their XML, as a reader sees it)."""
    sizes = []
    for shape in slide.shapes:
        elements = [shape._element]
        if shape.has_chart:
            elements.append(shape.chart._chartSpace)
        for element in elements:
            for tag in ("rPr", "endParaRPr", "defRPr"):
                for node in element.iter(f"{A_NS}{tag}"):
                    size = node.get("sz")
                    sizes.append((shape.name, None if size is None else int(size) / 100))
    return sizes


def test_no_text_below_12_points_anywhere(small):
    org, cycle, _ = scored_organisation(small, units=many_units(16))
    deck = open_deck(deck_bytes(org, cycle))
    for number, slide in enumerate(deck.slides, start=1):
        for name, size in run_sizes(slide):
            # a run without a size inherits the chart's 12 pt (c:txPr) or the template's title
            if size is not None:
                assert size >= 12, (number, name, size)
        for shape in slide.shapes:
            if shape.has_chart:
                assert shape.chart.font.size.pt >= 12, (number, shape.name)


def overlaps(a, b) -> bool:
    return a.left < b.left + b.width and b.left < a.left + a.width and a.top < b.top + b.height and b.top < a.top + a.height  # fmt: skip


def test_every_shape_stays_on_the_16_9_slide_and_apart_from_the_others(small):
    org, cycle, _ = scored_organisation(small, units=many_units(16))
    deck = open_deck(deck_bytes(org, cycle))
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    for number, slide in enumerate(deck.slides, start=1):
        shapes = list(slide.shapes)
        assert "Title" in [s.name for s in shapes], number
        for shape in shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= deck.slide_width, (number, shape.name)
            assert shape.top + shape.height <= deck.slide_height, (number, shape.name)
        for i, first in enumerate(shapes):
            for second in shapes[i + 1 :]:
                assert not overlaps(first, second), (number, first.name, second.name)


def test_every_slide_has_a_number_the_source_line_and_the_confidentiality_label(acme):
    org, cycle, _ = acme
    data = report_data(org, cycle)
    deck = open_deck(deck_pptx(data, confidentiality="Confidential — board only"))
    for number, slide in enumerate(deck.slides, start=1):
        assert named(slide, "Slide number").text_frame.text == str(number)
        assert named(slide, "Footer source").text_frame.text == (
            f"Ladder · Acme · 2026-Q4 · {data.generated.isoformat()}"
        )
        assert named(slide, "Footer confidentiality").text_frame.text == "Confidential — board only"
        assert len(slide.notes_slide.notes_text_frame.text) > 100
    plain = open_deck(deck_pptx(data))
    assert not [s for s in plain.slides[0].shapes if s.name == "Footer confidentiality"]


def test_unit_names_go_in_as_plain_text(acme):
    org, cycle, _ = acme
    BusinessUnit.objects.filter(slug="east").update(name='=HYPERLINK("http://x") <b>East</b>')
    deck = open_deck(deck_bytes(org, cycle))
    (table,) = tables(heatmap_slides(deck)[0])
    assert table.cell(1, 0).text == '=HYPERLINK("http://x") <b>East</b> (draft)'
    assert any(title(s).startswith('=HYPERLINK("http://x") <b>East</b>:') for s in deck.slides)


# --- your own template ----------------------------------------------------------------------


def branded_template() -> bytes:
    """A template whose master carries a 'Brand logo' shape and a 4:3 'Title Only' layout."""
    from pptx.util import Inches as In

    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = In(13.333), In(7.5)
    master = presentation.slide_masters[0]
    master.shapes._spTree.append(
        parse_xml(
            f'<p:sp {nsdecls("p", "a")}><p:nvSpPr><p:cNvPr id="900" name="Brand logo"/>'
            f'<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{In(12.0)}" '
            f'y="{In(0.02)}"/><a:ext cx="{In(1.2)}" cy="{In(0.2)}"/></a:xfrm><a:prstGeom '
            'prst="rect"><a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/>'
            '<a:p><a:r><a:rPr lang="en-US" sz="1200"/><a:t>ACME</a:t></a:r></a:p></p:txBody></p:sp>'
        )
    )
    for layout in presentation.slide_layouts:
        if layout.name == "Title Only":
            title_shape = layout.placeholders[0]
            title_shape.left, title_shape.top = In(0.4), In(0.3)
            title_shape.width, title_shape.height = In(11.5), In(0.9)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def test_a_deck_built_with_a_template_keeps_its_master_and_layouts(uk):
    org, cycle, _ = uk
    deck = open_deck(deck_pptx(report_data(org, cycle), template=branded_template()))
    (master,) = deck.slide_masters
    assert "Brand logo" in [shape.name for shape in master.shapes]
    for slide in deck.slides:
        assert slide.slide_layout.name == "Title Only"
        assert slide.slide_layout.slide_master == master
        assert slide.shapes.title is not None and slide.shapes.title.text == title(slide)


def test_consultant_uploads_a_template_and_the_download_uses_it(client, uk):
    org, _, consultant = uk
    client.force_login(consultant)
    url = f"/reports/organisations/{org.slug}/deck-template/"
    assert "Ladder's default template" in client.get(url).content.decode()
    upload = SimpleUploadedFile("brand.pptx", branded_template())
    response = client.post(url, {"template": upload})
    assert response.status_code == 302
    assert DeckTemplate.objects.get(organisation=org).name == "brand.pptx"
    content = client.get(f"/reports/portfolio/deck.pptx?organisation={org.slug}").content
    assert "Brand logo" in [s.name for s in open_deck(content).slide_masters[0].shapes]
    client.post(url, {"delete": "1"})
    assert not DeckTemplate.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("notes.txt", b"hello", "'notes.txt' is not a .pptx (or .potx) file: upload a PowerPoint template."),
        ("fake.pptx", b"not a zip", "'fake.pptx' is not a PowerPoint file: its content is not a .pptx archive."),
    ],
)  # fmt: skip
def test_template_upload_refuses_what_is_not_a_presentation(client, uk, name, content, message):
    org, _, consultant = uk
    client.force_login(consultant)
    response = client.post(
        f"/reports/organisations/{org.slug}/deck-template/",
        {"template": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not DeckTemplate.objects.exists()


# --- the download and the command ----------------------------------------------------------


def test_consultant_downloads_the_deck_of_the_units_the_page_shows(client, acme):
    org, cycle, _ = acme
    client.force_login(org.consultants.get())
    response = client.get("/reports/portfolio/?region=Americas")
    link = the(parse(response), "#download-deck")
    assert (link["href"], text(link)) == (
        "/reports/portfolio/deck.pptx?region=Americas",
        "Slides (PPTX)",
    )
    response = client.get("/reports/portfolio/deck.pptx?region=Americas")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    )
    assert response["Content-Disposition"] == 'attachment; filename="acme-2026-Q4-portfolio.pptx"'
    (table,) = tables(heatmap_slides(open_deck(response.content))[0])
    assert [row[0] for row in texts(table)[1:]] == ["South (draft)", "West (draft)"]


def test_deck_download_is_refused_to_members_and_outsiders(client, acme):
    org, _, _ = acme
    member = factories.member(org.units.get(slug="east"), Membership.Role.LEAD)
    outsider = factories.user("globex-consultant")
    factories.organisation("globex", consultants=[outsider])
    for user, status in ((member, 403), (outsider, 404)):
        client.force_login(user)
        assert client.get("/reports/portfolio/deck.pptx?organisation=acme").status_code == status


@pytest.mark.parametrize("unit_count", [2, 6])
def test_deck_download_query_count_does_not_grow_with_units(
    client, small, unit_count, django_assert_num_queries
):
    org, _, _ = scored_organisation(small, units=many_units(unit_count), respondents=3)
    client.force_login(org.consultants.get())
    # session, user, the organisations (1), the filters' choices (3), the template (1), then
    # the deck's data: the previous cycle (1), the portfolio selector and the plan (17)
    with django_assert_num_queries(24):
        response = client.get("/reports/portfolio/deck.pptx?tag=retail")
    assert response.status_code == 200


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_export_deck_writes_the_deck_and_prints_what_it_holds(acme, tmp_path):
    path = tmp_path / "deck.pptx"
    out = run("export_deck", "--cycle", "2026-Q4", "-o", str(path))
    slides = len(open_deck(path.read_bytes()).slides)
    assert out == (
        f"Wrote {path}: {slides} slides for 4 units of acme in 2026-Q4, 6 recommended upgrades, "
        "6 on the roadmap\n"
    )


def test_export_deck_takes_a_template_and_a_confidentiality_label(acme, tmp_path):
    template = tmp_path / "brand.pptx"
    template.write_bytes(branded_template())
    path = tmp_path / "deck.pptx"
    out = run("export_deck", "-o", str(path), "--template", str(template), "--confidential", "Board only")  # fmt: skip
    assert out.endswith(f", template {template}\n")
    deck = open_deck(path.read_bytes())
    assert "Brand logo" in [s.name for s in deck.slide_masters[0].shapes]
    assert named(deck.slides[0], "Footer confidentiality").text_frame.text == "Board only"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--cycle", "2027-Q1"], "organisation 'acme' has no cycle '2027-Q1' (known: 2026-Q2, 2026-Q4)"),
        (["--organisation", "initech"], "no organisation 'initech' (known: acme)"),
        (["--cycle", "2026-Q2"], "organisation 'acme' has no assessment in cycle '2026-Q2': nothing to export"),
        (["--region", "APAC"], "no unit of 'acme' assessed in cycle '2026-Q4' has region 'APAC'"),
        (["--template", "/nonexistent/brand.pptx"], "/nonexistent/brand.pptx: cannot be read (No such file or directory)"),
    ],
)  # fmt: skip
def test_export_deck_refuses_bad_input_in_one_line(acme, tmp_path, args, message):
    with pytest.raises(CommandError) as refused:
        run("export_deck", *args, "-o", str(tmp_path / "deck.pptx"))
    assert str(refused.value) == message


def test_export_deck_refuses_a_template_that_is_not_a_presentation(acme, tmp_path):
    bad = tmp_path / "brand.pptx"
    bad.write_bytes(b"PK not really")
    with pytest.raises(CommandError) as refused:
        run("export_deck", "-o", str(tmp_path / "deck.pptx"), "--template", str(bad))
    assert str(refused.value) == (
        f"'{bad}' is not a PowerPoint file: its content is not a .pptx archive."
    )


def test_export_deck_says_when_the_file_cannot_be_written(acme, tmp_path):
    path = tmp_path / "missing" / "deck.pptx"
    with pytest.raises(CommandError) as refused:
        run("export_deck", "-o", str(path))
    assert str(refused.value) == f"{path}: cannot be written (No such file or directory)"


def test_export_deck_asks_which_organisation_when_there_are_several(acme, tmp_path):
    factories.organisation("globex")
    with pytest.raises(CommandError) as refused:
        run("export_deck", "-o", str(tmp_path / "deck.pptx"))
    assert str(refused.value) == (
        "several organisations: name one with --organisation (known: acme, globex)"
    )


# --- a real reader (make test-external: tests/conftest.py fails it without LibreOffice) -----


def to_pdf(path, tmp_path) -> str:
    subprocess.run(
        [shutil.which("soffice"), f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return str(path.with_suffix(".pdf"))


@pytest.mark.libreoffice
def test_libreoffice_converts_the_deck_to_one_pdf_page_per_slide(db, tmp_path):
    org, cycle = demo_like(factories.default_framework(), 16)
    deck = build_deck(report_data(org, cycle))
    path = tmp_path / "deck.pptx"
    path.write_bytes(deck.save())
    info = subprocess.run(["pdfinfo", to_pdf(path, tmp_path)], check=True, capture_output=True, text=True).stdout  # fmt: skip
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == len(open_deck(path.read_bytes()).slides) == deck.number
    text = subprocess.run(["pdftotext", "-layout", str(path.with_suffix(".pdf")), "-"], check=True, capture_output=True, text=True).stdout  # fmt: skip
    assert re.search(r"Ladder · Northwind Retail Group · 2026-Q4", text)
