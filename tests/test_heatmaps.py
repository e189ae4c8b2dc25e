"""Level colours and the pure matrix/figure functions of the report charts (no database)."""

import json
import math

import pandas as pd

from reports.domain import levels
from reports.domain.comparisons import (
    DifferenceMatrix,
    compare_matrix,
    maturity_trend_matrix,
    target_matrix,
)
from reports.domain.heatmaps import HeatmapMatrix, heatmap_matrix, unit_heatmap_matrix
from reports.presenters.charts import (
    difference_figure,
    difference_spec,
    figure_data,
    heatmap_figure,
    levels_vs_target_figure,
    levels_vs_target_spec,
    maturity_trend_figure,
)

NaN = math.nan
LEVEL_NAMES = {1: "Initial", 2: "Repeatable", 3: "Managed", 4: "Optimized", 5: "Autonomous"}


def test_level_helpers_clamp_to_the_framework_and_grey_for_no_score():
    assert [levels.level_css_class(v) for v in (1, 3.0, 5, 7, None, NaN, pd.NA)] == [
        "level-1-of-5",
        "level-3-of-5",
        "level-5-of-5",
        "level-5-of-5",
        "level-none",
        "level-none",
        "level-none",
    ]
    assert levels.level_fill(2) == "#f46d43"
    assert levels.level_fill(None) == "#f0f0f0"
    assert levels.format_score(2.666666) == "2.67"
    assert levels.format_score(-0.5, signed=True) == "-0.50"
    assert levels.format_score(NaN) == ""


def test_discrete_colorscale_gives_each_level_one_flat_band():
    assert levels.plotly_colorscale(LEVEL_NAMES) == [
        [0.0, "#a50026"],
        [0.2, "#a50026"],
        [0.2, "#f46d43"],
        [0.4, "#f46d43"],
        [0.4, "#fee090"],
        [0.6, "#fee090"],
        [0.6, "#74add1"],
        [0.8, "#74add1"],
        [0.8, "#313695"],
        [1.0, "#313695"],
    ]
    # three levels from 0: three bands, the top one the top colour
    assert levels.plotly_colorscale({0: "a", 1: "b", 2: "c"})[-1] == [1.0, "#313695"]


def small_matrix() -> HeatmapMatrix:
    scores = pd.DataFrame({"IDG": [8 / 3, NaN], "CPL": [1.5, 3.0]}, index=["north", "south"])
    level_frame = pd.DataFrame(
        {"IDG": [2, None], "CPL": [1, 3]}, index=["north", "south"], dtype="Int64"
    )
    return heatmap_matrix(
        scores, level_frame, {"north": "North", "south": "South"}, {"IDG": "Identity"}
    )


def test_heatmap_matrix_keeps_order_and_blanks_missing_scores():
    assert small_matrix() == HeatmapMatrix(
        row_keys=["north", "south"],
        row_labels=["North", "South"],
        column_keys=["IDG", "CPL"],
        column_labels=["Identity", "CPL"],  # no label given: the key
        scores=[[8 / 3, 1.5], [None, 3.0]],
        levels=[[2, 1], [None, 3]],
    )
    assert small_matrix().table_rows() == [
        {
            "key": "north",
            "label": "North",
            "cells": [("level-2-of-5", "2 · 2.67", 2), ("level-1-of-5", "1 · 1.50", 1)],
        },
        {
            "key": "south",
            "label": "South",
            "cells": [("level-none", "", None), ("level-3-of-5", "3 · 3.00", 3)],
        },
    ]


def test_unit_heatmap_matrix_from_cells():
    # IDG fidelity: questions weighted 2 and 1 at levels 3 and 2 → (2·3 + 1·2) / 3 = 2.67, level 2.
    cells = pd.DataFrame(
        [("IDG", "fidelity", 8 / 3, 2), ("IDG", "recovery", 3.0, 3), ("CPL", "fidelity", 1.0, 1)],
        columns=["capability", "dimension", "score", "level"],
    )
    matrix = unit_heatmap_matrix(
        cells,
        [("IDG", "Identity Graph"), ("CPL", "Consent")],
        [("fidelity", "Data fidelity"), ("recovery", "Recovery")],
    )
    assert matrix == HeatmapMatrix(
        row_keys=["IDG", "CPL"],
        row_labels=["Identity Graph", "Consent"],
        column_keys=["fidelity", "recovery"],
        column_labels=["Data fidelity", "Recovery"],
        scores=[[8 / 3, 3.0], [1.0, None]],
        levels=[[2, 3], [1, None]],
    )


def test_heatmap_figure_colours_by_level_writes_scores_and_escapes_labels():
    matrix = HeatmapMatrix(
        row_keys=["a"],
        row_labels=["<b>A&B</b>"],
        column_keys=["IDG", "CPL"],
        column_labels=["Identity", "Consent"],
        scores=[[8 / 3, None]],
        levels=[[2, None]],
    )
    no_score, trace = heatmap_figure(matrix, LEVEL_NAMES).data
    # blank cells are NaN in z: plotly draws nothing there, and the grey trace beneath does
    assert [[None if v != v else v for v in row] for row in trace.z.tolist()] == [[2, None]]
    assert [[None if v != v else v for v in row] for row in no_score.z.tolist()] == [[None, 1]]
    assert [list(step) for step in no_score.colorscale] == [[0, "#f0f0f0"], [1, "#f0f0f0"]]
    assert trace.text.tolist() == [["2 · 2.67", ""]]
    assert trace.customdata.tolist() == [["2 Repeatable", "no score"]]
    assert list(trace.y) == ["&lt;b&gt;A&amp;B&lt;/b&gt;"]
    assert (trace.zmin, trace.zmax) == (0.5, 5.5)
    assert [list(step) for step in trace.colorscale] == levels.plotly_colorscale(LEVEL_NAMES)
    assert list(trace.colorbar.ticktext) == [
        "1 Initial",
        "2 Repeatable",
        "3 Managed",
        "4 Optimized",
        "5 Autonomous",
    ]


def test_target_matrix_levels_to_target_and_gap_to_median():
    matrix = target_matrix(
        [("IDG", "Identity"), ("CPL", "Consent"), ("RTO", "Orchestration")],
        scores={"IDG": 2.5, "CPL": None, "RTO": 4.5},
        levels={"IDG": 2, "CPL": None, "RTO": 4},
        targets={"IDG": 4, "CPL": 3, "RTO": 3},
        medians={"IDG": 3.0, "CPL": 2.0, "RTO": NaN},
    )
    assert matrix.to_dict("records") == [
        # 4 − 2 = 2 levels to climb; 2.5 − 3.0 = −0.5 below the median
        {"capability": "IDG", "name": "Identity", "score": 2.5, "level": 2, "target": 4,
         "levels_to_target": 2, "median": 3.0, "gap_to_median": -0.5},
        {"capability": "CPL", "name": "Consent", "score": None, "level": None, "target": 3,
         "levels_to_target": None, "median": 2.0, "gap_to_median": None},
        # already above its target: nothing to climb
        {"capability": "RTO", "name": "Orchestration", "score": 4.5, "level": 4, "target": 3,
         "levels_to_target": 0, "median": None, "gap_to_median": None},
    ]  # fmt: skip
    figure = levels_vs_target_figure(matrix, LEVEL_NAMES)
    bars, target, median = figure.data
    assert list(bars.y) == [2.5, None, 4.5]
    assert list(bars.marker.color) == ["#f46d43", "#f0f0f0", "#74add1"]
    # each bar says the level its colour shows, beside the score
    assert list(bars.text) == ["2 · 2.50", "", "4 · 4.50"]
    assert list(target.y) == [4, 3, 3]
    assert list(median.y) == [3.0, 2.0, None]


def test_target_spec_the_page_embeds_is_the_figure_plotly_would_write():
    matrix = target_matrix(
        [("IDG", "Identity <b>"), ("CPL", "Consent"), ("RTO", "Orchestration")],
        {"IDG": 2.5, "CPL": None, "RTO": 4.5},
        {"IDG": 2, "CPL": None, "RTO": 4},
        {"IDG": 4, "CPL": 3, "RTO": None},
        {"IDG": 3.0, "CPL": 2.0, "RTO": NaN},
    )
    spec = levels_vs_target_spec(matrix, LEVEL_NAMES)
    plotly = figure_data(levels_vs_target_figure(matrix, LEVEL_NAMES))
    assert json.loads(json.dumps(spec)) == plotly


def test_target_figure_without_medians_has_no_median_trace():
    matrix = target_matrix([("IDG", "Identity")], {"IDG": 2.5}, {"IDG": 2}, {"IDG": None})
    assert [trace.name for trace in levels_vs_target_figure(matrix, LEVEL_NAMES).data] == [
        "This unit (level · score)",
        "Target level",
    ]


def test_compare_matrix_side_by_side_and_differences_to_the_first_unit():
    scores = pd.DataFrame(
        {"IDG": [3.0, 2.5, NaN], "CPL": [2.0, 4.0, 1.0]}, index=["north", "south", "west"]
    )
    level_frame = pd.DataFrame(
        {"IDG": [3, 2, None], "CPL": [2, 4, 1]}, index=scores.index, dtype="Int64"
    )
    names = {"north": "North", "south": "South", "west": "West"}
    matrix = compare_matrix(
        scores,
        level_frame,
        {"north": 2.5, "south": 3.25, "west": 1.0},
        ["north", "south", "west"],
        names,
        {"IDG": "Identity", "CPL": "Consent"},
    )
    assert matrix.side_by_side.scores == [[3.0, 2.5, None], [2.0, 4.0, 1.0]]
    assert matrix.side_by_side.column_labels == ["North", "South", "West"]
    assert matrix.maturity == [2.5, 3.25, 1.0]
    assert matrix.differences.column_labels == ["South − North", "West − North"]
    # South − North: IDG 2.5 − 3.0 = −0.5, CPL 4.0 − 2.0 = +2.0; West − North: IDG blank, CPL −1.0
    assert matrix.differences.values == [[-0.5, None], [2.0, -1.0]]
    trace = difference_figure(matrix.differences).data[0]
    assert (trace.zmin, trace.zmax) == (-2.0, 2.0)  # symmetric around 0, the largest |difference|
    assert [list(row) for row in trace.text] == [["-0.50", ""], ["+2.00", "-1.00"]]


def test_difference_spec_the_page_embeds_is_the_figure_plotly_would_write():
    matrix = DifferenceMatrix(
        reference="north",
        row_keys=["IDG", "CPL", "RTO"],
        row_labels=["Identity <b>", "Consent", "Orchestration"],
        column_keys=["south", "west"],
        column_labels=["South − North", "West & co − North"],
        values=[[-0.5, None], [2.0, -1.25], [None, None]],
    )
    spec = difference_spec(matrix)
    assert json.loads(json.dumps(spec)) == figure_data(difference_figure(matrix))
    assert spec["data"][0]["text"] == [["-0.50", ""], ["+2.00", "-1.25"], ["", ""]]
    assert (spec["data"][0]["zmin"], spec["data"][0]["zmax"]) == (-2.0, 2.0)


def test_maturity_trend_matrix_adds_the_portfolio_median_per_cycle():
    over_cycles = pd.DataFrame(
        {"2026-Q2": [2.0, 3.0], "2026-Q4": [2.5, NaN]}, index=["north", "south"]
    )
    matrix = maturity_trend_matrix(over_cycles, ["north"], {"north": "North"})
    assert matrix.cycles == ["2026-Q2", "2026-Q4"]
    # Q2 median of 2.0 and 3.0 = 2.5; Q4 only North has an index: 2.5
    assert matrix.series == [("North", [2.0, 2.5]), ("Portfolio median", [2.5, 2.5])]
    figure = maturity_trend_figure(matrix, LEVEL_NAMES)
    assert [list(trace.y) for trace in figure.data] == [[2.0, 2.5], [2.5, 2.5]]
