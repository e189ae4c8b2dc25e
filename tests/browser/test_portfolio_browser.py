"""A consultant reads the portfolio heatmap in a real browser: the chart is drawn with the
Plotly served by the app itself, the region filter narrows units and chart, and the deck
downloaded from the filtered page holds the units shown."""

from __future__ import annotations

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
    plotly = [url for url in requested if "/static/plotly/plotly.min" in url]
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
    heatmap = deck.slides[1]
    assert next(shape.text_frame.text for shape in heatmap.shapes if shape.name == "Title") == (
        "Portfolio heatmap"
    )
    (table,) = [shape.table for shape in heatmap.shapes if shape.has_table]
    assert sorted(row.cells[0].text for row in list(table.rows)[1:]) == [
        "De-Ecommerce (draft)",
        "Uk-Retail (draft)",
    ]
