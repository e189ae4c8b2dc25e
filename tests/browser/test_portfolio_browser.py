"""A consultant reads the portfolio heatmap in a real browser: the chart is drawn with the
Plotly served by the app itself, the region filter narrows units and chart, and the deck
downloaded from the filtered page holds the units shown."""

from __future__ import annotations

import gzip
import re

import pytest
from playwright.sync_api import expect
from pptx import Presentation

from assessments.domain.answers import AnswerInput
from assessments.services.answers import answers_save
from tests import factories

from .test_questionnaire_browser import log_in

# unit slug, region, the level every choice answer of the unit gives
UNITS = [("uk-retail", "EMEA", 3), ("de-ecommerce", "EMEA", 2), ("us-retail", "Americas", 4)]


@pytest.fixture
def portfolio(transactional_db):
    consultant = factories.user("cora")
    org = factories.organisation("northwind", consultants=[consultant])
    cycle = factories.cycle(org, factories.small_framework())
    questions = {q.code: q for q in cycle.framework.questions.all()}
    for slug, region, level in UNITS:
        unit = factories.unit(org, slug, region=region)
        assessment = factories.assessment(unit, cycle)
        respondent = factories.member(unit, username=f"respondent-{slug}")
        answers = {
            code: AnswerInput(choice=level)
            if question.type == "choice"
            else AnswerInput(special="dk")
            for code, question in questions.items()
        }
        answers_save(
            assessment=assessment,
            respondent=respondent.username,
            user=respondent,
            questions=questions,
            answers=answers,
        )
    return org


def test_consultant_filters_the_drawn_heatmap_by_region_and_downloads_the_deck(
    page, live_server, shot, requested, portfolio
):
    log_in(page, live_server, "cora")
    page.get_by_role("link", name="Northwind").click()
    expect(page).to_have_url(re.compile(r"/reports/portfolio/\?organisation=northwind$"))
    heatmap = page.locator("[data-chart='chart-portfolio-heatmap']")
    expect(heatmap).to_have_attribute("data-chart-drawn", "true")
    expect(heatmap.locator("svg.main-svg").first).to_be_visible()
    expect(page.locator("#portfolio-heatmap tbody tr")).to_have_count(3)
    shot("portfolio-all-regions")
    plotly = [url for url in requested if "/static/vendor/plotly/plotly.min" in url]
    assert [url.startswith(live_server.url) for url in plotly] == [True]
    assert page.evaluate("typeof Plotly.newPlot") == "function"

    page.get_by_label("Region").select_option("EMEA")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"region=EMEA"))
    expect(page.locator("#portfolio-heatmap tbody tr")).to_have_count(2)
    rows = page.locator("#portfolio-heatmap tbody tr[data-unit]")
    assert sorted(rows.evaluate_all("rows => rows.map(r => r.dataset.unit)")) == [
        "de-ecommerce",
        "uk-retail",
    ]
    expect(page.locator("[data-chart='chart-portfolio-heatmap']")).to_have_attribute(
        "data-chart-drawn", "true"
    )
    shot("portfolio-emea")
    drawn_units = page.evaluate(
        "() => document.querySelector(\"[data-chart='chart-portfolio-heatmap']\").data[0].y"
    )
    assert sorted(drawn_units) == ["De-Ecommerce", "Uk-Retail"]

    # The deck of what is shown: the filter travels with the download link.
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name="Slides (PPTX)").click()
    download = download_info.value
    assert download.suggested_filename == "northwind-2026-Q4-portfolio.pptx"
    saved = shot.folder / download.suggested_filename
    download.save_as(saved)
    deck = Presentation(saved)
    heatmap = next(s for s in deck.slides if any(sh.name == "Heatmap" for sh in s.shapes))
    assert "is the weakest capability" in next(
        shape.text_frame.text for shape in heatmap.shapes if shape.name == "Title"
    )
    (table,) = [shape.table for shape in heatmap.shapes if shape.has_table]
    assert sorted(row.cells[0].text for row in list(table.rows)[1:]) == [
        "De-Ecommerce (draft)",
        "Uk-Retail (draft)",
    ]


def test_every_report_page_draws_its_charts_within_500_kb_gzipped(
    page, live_server, shot, portfolio
):
    # What the page transfers: every response's body as whitenoise serves it in production
    # (gzip at level 9: the test server itself sends files uncompressed).
    bodies: dict[str, bytes] = {}
    page.on("response", lambda response: bodies.setdefault(response.url, response.body()))
    log_in(page, live_server, "cora")
    assessment = portfolio.units.get(slug="uk-retail").assessments.get()
    pages = {
        "portfolio": "/reports/portfolio/",
        "compare": "/reports/compare/?units=uk-retail&units=de-ecommerce",
        "trends": "/reports/trends/?unit=uk-retail",
        "unit-report": f"/reports/assessments/{assessment.pk}/",
    }
    for name, path in pages.items():
        bodies.clear()
        page.goto(live_server.url + path)
        charts = page.locator("[data-chart]")
        assert charts.count() >= 1, name
        for index in range(charts.count()):
            expect(charts.nth(index)).to_have_attribute("data-chart-drawn", "true")
            expect(charts.nth(index).locator("svg.main-svg").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        shot(name)
        gzipped = sum(len(gzip.compress(body, 9)) for body in bodies.values())
        assert gzipped <= 500_000, (name, {url: len(b) for url, b in bodies.items()})


def test_compare_sends_the_units_in_the_order_ticked_and_tables_scroll_inside_at_1366(
    page, live_server, shot, portfolio
):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server, "cora")
    page.goto(f"{live_server.url}/reports/compare/?organisation=northwind")
    # ticked US Retail first, then UK Retail: US Retail is the reference, though it sorts last
    page.get_by_label("Us-Retail").check()
    page.get_by_label("Uk-Retail").check()
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#side-by-side")).to_be_visible()
    headers = page.locator("#side-by-side thead th").all_inner_texts()
    assert headers == ["Capability", "Us-Retail", "Uk-Retail"]
    expect(page.get_by_role("heading", name="Difference to Us-Retail")).to_be_visible()
    shot("compare-order-ticked")
    # the reference select wins, and the page never scrolls sideways at 1366 px
    page.get_by_label("Reference unit (shown first)").select_option("uk-retail")
    page.get_by_role("button", name="Show").click()
    assert page.locator("#side-by-side thead th").all_inner_texts()[1] == "Uk-Retail"
    page.goto(f"{live_server.url}/reports/portfolio/?organisation=northwind")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    sticky = page.locator("#portfolio-heatmap tbody th.sticky-col").first
    assert sticky.evaluate("e => getComputedStyle(e).position") == "sticky"
    shot("portfolio-1366")


def test_compare_charts_keep_their_width_on_a_phone_and_scroll_inside(
    page, live_server, shot, portfolio
):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "cora")
    page.goto(
        f"{live_server.url}/reports/compare/?organisation=northwind"
        "&units=uk-retail,de-ecommerce,us-retail"
    )
    charts = page.locator("[data-chart]")
    expect(charts).to_have_count(2)
    for index in range(2):
        chart = charts.nth(index)
        expect(chart).to_have_attribute("data-chart-drawn", "true")
        # 40rem: the cells keep room for "2 · 3.04" and the labels are not cut
        assert chart.evaluate("e => e.getBoundingClientRect().width") >= 640
        box = chart.locator("xpath=..")
        assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # it scrolls inside its box
    # and the page itself does not scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot("compare-390")


def test_the_heatmap_drawn_from_the_table_has_every_cell_the_server_scored(
    page, live_server, portfolio
):
    # The chart's cells are not in its JSON: charts.js reads them from the table. What it
    # draws must be what the server's full figure holds: each unit × capability's level
    # rank (the colour), "level · score" text, level label for the hover, grey for none.
    from assessments.models import Level, StoredScore
    from reports.domain.levels import NO_SCORE_LABEL, level_and_score, level_label, level_rank

    cycle = portfolio.cycles.get()
    factories.assessment(factories.unit(portfolio, "at-unanswered", region="EMEA"), cycle)
    log_in(page, live_server, "cora")
    page.goto(f"{live_server.url}/reports/portfolio/?organisation=northwind&sort=name")
    chart = page.locator("[data-chart='chart-portfolio-heatmap']")
    expect(chart).to_have_attribute("data-chart-drawn", "true")
    drawn = page.evaluate(
        "() => document.querySelector(\"[data-chart='chart-portfolio-heatmap']\").data"
    )
    names = dict(Level.objects.filter(framework=cycle.framework).values_list("number", "name"))
    codes = list(cycle.framework.capabilities.order_by("position").values_list("code", flat=True))
    stored = {
        (unit, code): (score, level)
        for unit, code, score, level in StoredScore.objects.filter(
            assessment__cycle=cycle, dimension=""
        ).values_list("assessment__unit__slug", "capability", "score", "level")
    }
    units = ["at-unanswered", *sorted(slug for slug, _, _ in UNITS)]  # sorted by name
    cells = [[stored.get((unit, code), (None, None)) for code in codes] for unit in units]
    no_score, levels = drawn
    assert levels["z"] == [[level_rank(level, names) for _, level in row] for row in cells]
    assert levels["text"] == [
        [level_and_score(level, score) for score, level in row] for row in cells
    ]
    assert levels["customdata"] == [
        [level_label(level, names) if level is not None else NO_SCORE_LABEL for _, level in row]
        for row in cells
    ]
    assert no_score["z"] == [[1 if level is None else None for _, level in row] for row in cells]
    assert cells[0] == [(None, None)] * len(codes)  # the unit nobody answered: all grey
