"""The portfolio's big tables, written in Python rather than by template loops
(reports/pages.py): the same markup, with every text a user typed escaped."""

from django.urls import reverse

from reports.presenters.portfolio import gap_rows_html, heatmap_rows_html


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


def test_heatmap_row_links_the_unit_report_and_shows_rank_index_gap_and_cells(db):
    url = reverse("unit_report", args=[7])
    assert heatmap_rows_html([row()]) == (
        f'<tr data-unit="north"><td>1</td><th class="text-start sticky-col"><a href="{url}">North</a></th>'
        '<td>EMEA</td><td>3.00</td><td>-0.50</td><td class="level-3">3.00</td></tr>\n'
    )


def test_heatmap_row_of_an_unranked_draft_shows_its_status_and_blanks(db):
    html = heatmap_rows_html([row(rank=None, status="draft", maturity_index=None, gap=None)])
    assert '<tr data-unit="north"><td></td>' in html
    assert '</a> <span class="badge text-bg-secondary">draft</span></th>' in html
    assert "<td>EMEA</td><td></td><td></td>" in html


def test_rows_escape_what_users_typed(db):
    typed = row(key='a"b', label="<script>alert(1)</script>", region="<b>EMEA</b>")
    html = heatmap_rows_html([typed]) + gap_rows_html([typed])
    assert "<script>" not in html and "<b>" not in html
    assert '<tr data-unit="a&quot;b">' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</a>" in html
    assert "<td>&lt;b&gt;EMEA&lt;/b&gt;</td>" in html
    assert (
        '<tr data-unit="a&quot;b"><th class="text-start sticky-col">&lt;script&gt;alert(1)&lt;/script&gt;'
        '</th><td class="gap-below">-0.50</td></tr>\n'
    ) in html


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
