"""The report pages' cheaper paths give what the slower ones gave (issue 17 item 5): the
portfolio chart drawn from its table, the plain-value cell texts, the numpy placement of
the units × capabilities matrix, the compare form's choices written in Python; and the
heatmap's text shrinks with its number of columns."""

import json
import math
import random

import numpy as np
import pandas as pd

from reports.domain import portfolio as pf
from reports.domain.heatmaps import HeatmapMatrix, heatmap_matrix
from reports.domain.levels import (
    format_score,
    level_and_score,
    plain_level,
    plain_level_and_score,
    plain_score,
    plain_signed_score,
)
from reports.presenters.charts import heatmap_spec, heatmap_text
from reports.presenters.compare import unit_choices_html
from tests.pages import parse, text

NAMES = {1: "Initial", 2: "Repeatable", 3: "Managed", 4: "Optimized", 5: "Autonomous"}


def wide_matrix(columns: int, rows: int = 3) -> HeatmapMatrix:
    return HeatmapMatrix(
        row_keys=[f"u{r}" for r in range(rows)],
        row_labels=[f"Unit {r}" for r in range(rows)],
        column_keys=[f"C{c}" for c in range(columns)],
        column_labels=[f"Build and Deployment: practice {c}" for c in range(columns)],
        scores=[[2.5] * columns for _ in range(rows)],
        levels=[[2] * columns for _ in range(rows)],
    )


def test_heatmap_text_shrinks_and_turns_with_the_number_of_columns():
    # 8 capabilities (the default framework): plotly's 12 px and its own label angle
    spec = heatmap_spec(wide_matrix(8), NAMES)
    assert spec["data"][1]["textfont"] == {"size": 12}
    assert spec["layout"]["xaxis"]["tickfont"] == {"size": 12}
    assert "tickangle" not in spec["layout"]["xaxis"]
    # 15 (SAMM's practices), 19 (DSOMM's sub-dimensions), 40: smaller, angled, then upright
    fifteen, nineteen, forty = (heatmap_spec(wide_matrix(n), NAMES) for n in (15, 19, 40))
    assert [s["data"][1]["textfont"]["size"] for s in (fifteen, nineteen, forty)] == [8, 8, 8]
    assert [s["layout"]["xaxis"]["tickfont"]["size"] for s in (fifteen, nineteen, forty)] == [
        10,
        9,
        9,
    ]
    assert [s["layout"]["xaxis"]["tickangle"] for s in (fifteen, nineteen, forty)] == [
        -90,
        -90,
        -90,
    ]
    twelve = heatmap_spec(wide_matrix(12), NAMES)
    assert (twelve["data"][1]["textfont"]["size"], twelve["layout"]["xaxis"]["tickangle"]) == (
        10,
        -45,
    )
    # never larger for more columns
    sizes = [heatmap_text(n)["cell"] for n in range(1, 60)]
    assert sizes == sorted(sizes, reverse=True) and min(sizes) == 8 and max(sizes) == 12


def test_a_heatmap_drawn_from_its_table_sends_no_cell_twice():
    matrix = HeatmapMatrix(
        row_keys=["n", "s"],
        row_labels=["<b>North</b>", "South"],
        column_keys=["IDG", "CPL"],
        column_labels=["Identity", "Consent"],
        scores=[[2.5, None], [7.0, 3.0]],
        levels=[[2, None], [7, 3]],  # 7: a stale level beyond the framework's five
    )
    full = heatmap_spec(matrix, NAMES)
    drawn = heatmap_spec(matrix, NAMES, table="portfolio-heatmap")
    for trace in drawn["data"]:
        assert not {"z", "text", "customdata"} & set(trace)
    # everything else is the full figure's
    for mine, theirs in zip(drawn["data"], full["data"], strict=True):
        assert mine == {k: v for k, v in theirs.items() if k not in ("z", "text", "customdata")}
    assert drawn["layout"] == full["layout"]
    # what charts.js names the levels with: every level of the framework and of the cells
    assert drawn["table"] == {
        "id": "portfolio-heatmap",
        "levels": {
            "1": "1 Initial",
            "2": "2 Repeatable",
            "3": "3 Managed",
            "4": "4 Optimized",
            "5": "5 Autonomous",
            "7": "7",
        },
        "none": "no score",
    }
    json.dumps(drawn, allow_nan=False)
    # the table's cells hold what the full figure's arrays hold (the browser test reads both)
    rows = matrix.table_rows(NAMES)
    assert [[t for _, t, _ in row["cells"]] for row in rows] == full["data"][1]["text"]
    assert [[c for c, _, _ in row["cells"]] for row in rows] == [
        ["level-2-of-5", "level-none"],
        ["level-5-of-5", "level-3-of-5"],
    ]
    assert full["data"][1]["z"] == [[2, None], [5, 3]]


def test_plain_cell_texts_are_the_texts_of_any_value():
    values = [None, math.nan, pd.NA, 0, 1.0, 2.999999999, 3.0, 3.004, 3.995, 4.5, 5.0, 7.25]
    for level in [None, math.nan, pd.NA, 0, 1, 2, 3, 4, 5, 7]:
        for score in values:
            plain = plain_level_and_score(plain_level(level), plain_score(score))
            assert plain == level_and_score(level, score), (level, score)
    for value in [None, math.nan, -0.004, 0.0, -1.5, 2.345]:
        assert plain_signed_score(value) == format_score(value, signed=True)


def test_numpy_matrix_is_pandas_pivot():
    rng = random.Random(3)
    units = [f"u{n:02d}" for n in range(30)]
    codes = ["IDG", "CPL", "RTO", "GOV"]
    rows = [
        (unit, code, round(rng.uniform(1, 5), 3), rng.randint(1, 5))
        for unit in units
        for code in codes
        if rng.random() < 0.8
    ]
    rows.append(("elsewhere", "IDG", 2.0, 2))  # a unit not shown: left out
    frame = pd.DataFrame(rows, columns=["unit", "capability", "score", "level"])
    shown = units[::-1]
    scores, levels = pf.capability_matrix(frame, shown, codes)
    expected = frame.pivot(index="unit", columns="capability", values="score")
    expected = expected.reindex(index=pd.Index(shown, name="unit"), columns=codes).astype(float)
    pd.testing.assert_frame_equal(scores, expected, check_names=False)
    expected_levels = frame.pivot(index="unit", columns="capability", values="level")
    expected_levels = (
        expected_levels.reindex(index=pd.Index(shown, name="unit"), columns=codes)
        .astype(float)
        .astype("Int64")
    )
    pd.testing.assert_frame_equal(levels, expected_levels, check_names=False)
    # the matrix a page writes from them: the same as cell by cell
    matrix = heatmap_matrix(scores, levels, {}, {})
    assert matrix.scores == [[plain_score(v) for v in r] for r in scores.astype(object).to_numpy()]
    assert matrix.levels == [[plain_level(v) for v in r] for r in levels.astype(object).to_numpy()]
    empty = pf.capability_matrix(frame.iloc[:0], shown, codes)
    assert empty[0].isna().all().all() and empty[1].isna().all().all()
    assert str(empty[1].dtypes.iloc[0]) == "Int64" and np.isnan(empty[0].iloc[0, 0])


def test_numpy_matrix_refuses_two_scores_for_one_cell():
    frame = pd.DataFrame(
        [("u", "IDG", 2.0, 2), ("u", "IDG", 3.0, 3)],
        columns=["unit", "capability", "score", "level"],
    )
    try:
        pf.capability_matrix(frame, ["u"], ["IDG"])
    except ValueError as error:
        assert "two scores" in str(error)
    else:
        raise AssertionError("two scores for one cell were accepted")


def test_compare_choices_written_in_python_escape_and_mark_the_chosen_units():
    html = unit_choices_html([("a&b", "A <b>"), ("c", "C"), ("d", "D")], ["c", "a&b"])
    page = parse(f"<select>{html['options']}</select><fieldset>{html['checkboxes']}</fieldset>")
    assert "<b>" not in str(html["options"]) + str(html["checkboxes"])
    options = page.select("option")
    assert [(o["value"], text(o), o.has_attr("selected")) for o in options] == [
        ("a&b", "A <b>", False),
        ("c", "C", True),  # the reference: the first requested
        ("d", "D", False),
    ]
    boxes = page.select("input[type=checkbox]")
    assert [(b["value"], b["id"], b.has_attr("checked")) for b in boxes] == [
        ("a&b", "unit-a&b", True),
        ("c", "unit-c", True),
        ("d", "unit-d", False),
    ]
    labels = {label["for"]: text(label) for label in page.select("label")}
    assert labels == {"unit-a&b": "A <b>", "unit-c": "C", "unit-d": "D"}


def test_a_wide_heatmap_of_one_unit_leaves_its_colour_bar_and_labels_room():
    """19 DSOMM sub-dimensions (labels like "Test and Verification: Static depth for
    applications", upright at 9 px) over one unit: 320 px left the cells and the colour
    bar ~30 px after plotly's margin for the labels, six level names on top of each other.
    The height now adds the longest label's length (9 px × 0.6 a character) above a body
    that holds the colour bar's levels (26 px each)."""
    six = {level: f"Level {level} name" for level in range(6)}
    matrix = wide_matrix(19, rows=1)
    longest = max(len(label) for label in matrix.column_labels)
    height = heatmap_spec(matrix, six)["layout"]["height"]
    assert height == 320 + round(longest * 9 * 0.6)
    # a scale of 14 levels needs more than 320 px for its colour bar alone
    many = {level: f"L{level}" for level in range(14)}
    assert heatmap_spec(wide_matrix(4, rows=1), many)["layout"]["height"] == 60 + 26 * 14
    # the default framework's 8 columns and 5 levels keep plotly's own label margin
    assert heatmap_spec(wide_matrix(8), NAMES)["layout"]["height"] == 320
