"""The portfolio's big tables, written in Python rather than by template loops
(reports/pages.py): the same markup, with every text a user typed escaped."""

from django.urls import reverse

from reports.presenters.portfolio import gap_rows_html, heatmap_rows_html
from tests.pages import cells, parse, text, the


def row(**fields):
    return {
        "key": "north",
        "label": "North",
        "assessment": 7,
        "rank": 1,
        "status": "submitted",
        "region": "EMEA",
        "maturity_index": 3.0,
        "gap": -0.5,
        "cells_html": '<td class="level-3">3.00</td>',
        "gaps_html": '<td class="gap-below">-0.50</td>',
        **fields,
    }


def table_rows(html: str):
    """The rows the writer produced, parsed as the browser reads them inside their table."""
    return parse(f"<table><tbody>{html}</tbody></table>").select("tr")


def test_heatmap_row_links_the_unit_report_and_shows_rank_index_gap_and_cells(db):
    html = heatmap_rows_html([row()])
    assert html.endswith("</tr>\n")  # one line a row
    (tr,) = table_rows(html)
    assert tr["data-unit"] == "north"
    assert cells(tr) == ["1", "North", "EMEA", "3.00", "-0.50", "3.00"]
    assert the(tr, "th a")["href"] == reverse("unit_report", args=[7])
    assert [td.get("class") for td in tr.find_all("td")] == [None, None, None, None, ["level-3"]]


def test_heatmap_row_of_an_unranked_draft_shows_its_status_and_blanks(db):
    html = heatmap_rows_html([row(rank=None, status="draft", maturity_index=None, gap=None)])
    (tr,) = table_rows(html)
    assert cells(tr) == ["", "North draft", "EMEA", "", "", "3.00"]
    assert text(the(tr, "th .badge")) == "draft"


def test_rows_escape_what_users_typed(db):
    typed = row(key='a"b', label="<script>alert(1)</script>", region="<b>EMEA</b>")
    heatmap, gaps = heatmap_rows_html([typed]), gap_rows_html([typed])
    assert "<script>" not in heatmap + gaps and "<b>" not in heatmap + gaps
    (heatmap_row,), (gap_row,) = table_rows(heatmap), table_rows(gaps)
    # what they typed is shown as text, in the attribute and the cells alike
    for tr in (heatmap_row, gap_row):
        assert tr["data-unit"] == 'a"b'
        assert tr.select("script, b") == []
    assert cells(heatmap_row)[1:3] == ["<script>alert(1)</script>", "<b>EMEA</b>"]
    assert text(the(heatmap_row, "a")) == "<script>alert(1)</script>"
    assert cells(gap_row) == ["<script>alert(1)</script>", "-0.50"]


def test_page_chart_spec_is_the_figure_as_plain_data():
    import json

    from reports.domain.heatmaps import HeatmapMatrix
    from reports.presenters.charts import heatmap_figure, heatmap_spec

    matrix = HeatmapMatrix(
        row_keys=["n"],
        row_labels=["<b>North</b>"],
        column_keys=["IDG", "CPL"],
        column_labels=["IDG", "CPL"],
        scores=[[2.5, None]],
        levels=[[2, None]],
    )
    names = {1: "Initial", 2: "Repeatable", 3: "Managed", 4: "Optimized", 5: "Autonomous"}
    spec = heatmap_spec(matrix, names)
    no_score, trace = spec["data"]
    assert trace["z"] == [[2, None]]  # null in JSON: a blank cell, never NaN
    assert no_score["z"] == [[None, 1]]  # drawn grey beneath
    assert trace["text"] == [["2 · 2.50", ""]]
    assert trace["customdata"] == [["2 Repeatable", "no score"]]
    assert trace["y"] == ["&lt;b&gt;North&lt;/b&gt;"]
    json.dumps(spec, allow_nan=False)  # plain JSON
    figure = heatmap_figure(matrix, names)
    assert figure.data[1].text.tolist() == trace["text"]
    assert figure.data[1].customdata.tolist() == trace["customdata"]
    assert figure.layout.height == spec["layout"]["height"] == 320
