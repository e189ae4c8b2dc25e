"""Charts: plotly figures drawn from the plain `*_matrix` data of reports/domain.

Pages embed a figure as JSON (Django's json_script) and static/ladder/charts.js draws
it with the app's own plotly.js; the image exports draw the same figures with kaleido.
Labels are HTML-escaped: plotly reads tags such as <a> or <b> in text, and unit names
are typed by users.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from reports.domain.comparisons import DifferenceMatrix, TrendMatrix
from reports.domain.heatmaps import HeatmapMatrix, z_levels
from reports.domain.levels import (
    HELD_EXPLANATION,
    NO_SCORE_COLOURS,
    NO_SCORE_LABEL,
    SCALE_ANCHORS,
    format_score,
    is_blank,
    level_and_score,
    level_fill,
    level_label,
    level_palette,
    level_rank,
    plotly_colorscale,
)

TEMPLATE = "none"  # plotly's empty template: the figure JSON carries no 6 kB of theme
NONE_TEMPLATE = {"data": {"scatter": [{"type": "scatter"}]}}  # "none" as plotly writes it


def plotly_text(text: str) -> str:
    """User text for a plotly label: <, > and & escaped, since plotly reads tags such as
    <a> and <b> in text; quotes left as they are, since plotly shows `&quot;` literally."""
    return html.escape(text, quote=False)


def figure_data(figure) -> dict:
    """A plotly figure as plain data for Django's json_script (plotly's own encoder first);
    a spec that is plain data already (heatmap_spec) as it is."""
    if isinstance(figure, dict):
        return figure
    return json.loads(figure.to_json())


# Heatmap text at many columns (a DSOMM of 19 sub-dimensions, a SAMM of 15 practices): a cell
# says "2 · 3.04*", about 9 characters, and plotly writes it at 12 px whatever the cell's
# width, so past ~10 columns on a 1,100 px chart it runs over the neighbouring cells; the
# capability names above the columns overlap likewise. Both shrink with the column count.
CELL_TEXT_PX = (12, 8)  # the largest and the smallest cell text, px
TICK_TEXT_PX = (12, 9)  # the same for the column labels
CELL_TEXT_ROOM = 130  # px of text size × columns a chart's width holds (12 px up to 10)
TICK_TEXT_ROOM = 150


def heatmap_text(columns: int) -> dict:
    """Sizes and angle of a heatmap's text for its number of columns: `cell` and `tick`
    font sizes in px (plotly's 12 up to ten columns, then smaller, never below 8 and 9)
    and the column labels' `angle` (None: plotly's own, up to 8 columns; then -45°, and
    vertical past 14)."""
    count = max(columns, 1)
    cell = max(CELL_TEXT_PX[1], min(CELL_TEXT_PX[0], CELL_TEXT_ROOM // count))
    tick = max(TICK_TEXT_PX[1], min(TICK_TEXT_PX[0], TICK_TEXT_ROOM // count))
    angle = None if count <= 8 else -45 if count <= 14 else -90
    return {"cell": cell, "tick": tick, "angle": angle}


# A colour bar needs this much height for each level it names, or its labels overlap.
COLOUR_BAR_PX_PER_LEVEL = 26
# Of a tick label's font size, the width of one of its characters (an average).
CHARACTER_WIDTH = 0.6


def heatmap_height(column_labels: Sequence[str], rows: int, levels: int, text: dict) -> int:
    """The heatmap's height in px: its rows (28 px each, at least 320 px in all) or its
    colour bar of `levels` labels, whichever needs more, plus the room its angled column
    labels take above the cells — without it, 19 DSOMM sub-dimensions over one unit left
    the cells and the colour bar 30 px, its six labels on top of each other, and the
    longest labels cut."""
    body = max(320, 60 + 28 * rows, 60 + COLOUR_BAR_PX_PER_LEVEL * levels)
    if text["angle"] is None:
        return body  # horizontal labels: plotly's own margin
    longest = max((len(label) for label in column_labels), default=0)
    slant = 1.0 if abs(text["angle"]) == 90 else math.sin(math.radians(abs(text["angle"])))
    return body + round(longest * text["tick"] * CHARACTER_WIDTH * slant)


def heatmap_spec(
    matrix: HeatmapMatrix,
    level_names: Mapping[int, str],
    title: str = "",
    *,
    table: str | None = None,
) -> dict:
    """The heatmap as plotly.js reads it — {"data": [...], "layout": {...}} of plain lists,
    numbers, strings and None — ready for json_script without going through plotly's
    Python objects (whose validation and copies cost more than the rest of a page of
    hundreds of units). `heatmap_figure` makes the plotly Figure of the same spec.

    Two traces: the "no score" cells in grey beneath, then the levels on the framework's
    own palette (z = the level's rank, so any number of levels from any first number
    draws one flat band each), with a colour bar of exactly the framework's levels as the
    legend. Each cell says its level and score ("2 · 3.04"), as the tables do. Labels are
    HTML-escaped: plotly reads tags such as <a> or <b> in text, and unit names are typed
    by users.

    With `table`, the id of an HTML table on the same page whose body rows end with the
    matrix's cells (`HeatmapMatrix.table_rows`: class and text, one row per row label),
    the cells are sent once, in the table: the spec leaves out the traces' per-cell
    arrays (z, text, customdata) and carries `table` = {id, levels: number → label,
    none}, from which static/ladder/charts.js fills them in the browser — the same
    arrays as without `table` (tests/browser/test_portfolio_browser.py).
    """
    palette = level_palette(level_names)
    level_count = len(palette)
    rows = [plotly_text(label) for label in matrix.row_labels]
    columns = [plotly_text(label) for label in matrix.column_labels]
    names = {level: level_label(level, level_names) for level in {*level_names, *z_levels(matrix)}}
    no_score = {
        "type": "heatmap",
        "x": columns,
        "y": rows,
        "colorscale": [[0, NO_SCORE_COLOURS[0]], [1, NO_SCORE_COLOURS[0]]],
        "showscale": False,
        "hovertemplate": "%{y} · %{x}<br>no score<extra></extra>",
        "xgap": 2,
        "ygap": 2,
        "name": NO_SCORE_LABEL,
    }
    text = heatmap_text(len(columns))
    trace = {
        "type": "heatmap",
        "x": columns,
        "y": rows,
        "texttemplate": "%{text}",
        "textfont": {"size": text["cell"]},
        "hovertemplate": "%{y} · %{x}<br>level · score %{text}<br>level %{customdata}<extra></extra>",
        "colorscale": plotly_colorscale(level_names),
        "zmin": 0.5,
        "zmax": level_count + 0.5,
        "xgap": 2,
        "ygap": 2,
        "colorbar": {
            "title": {"text": "Level"},
            "tickvals": [colour.rank for colour in palette],
            "ticktext": [plotly_text(level_label(c.level, level_names)) for c in palette],
        },
    }
    if table is None:
        no_score["z"] = [
            [
                1 if level is None and score is None else None
                for score, level in zip(srow, lrow, strict=True)
            ]
            for srow, lrow in zip(matrix.scores, matrix.levels, strict=True)
        ]
        trace["z"] = [[level_rank(level, level_names) for level in row] for row in matrix.levels]
        trace["text"] = [
            [level_and_score(level, score) for score, level in zip(srow, lrow, strict=True)]
            for srow, lrow in zip(matrix.scores, matrix.levels, strict=True)
        ]
        trace["customdata"] = [
            [names.get(level) or NO_SCORE_LABEL for level in row] for row in matrix.levels
        ]
    layout = {
        "height": heatmap_height(matrix.column_labels, len(rows), level_count, text)
        + (50 if title else 0),
        "margin": {"l": 10, "r": 10, "t": 70 if title else 10, "b": 50},
        "xaxis": {
            "side": "top",
            "automargin": True,
            "tickfont": {"size": text["tick"]},
            **({} if text["angle"] is None else {"tickangle": text["angle"]}),
        },
        "yaxis": {"autorange": "reversed", "automargin": True},
        "annotations": [
            {
                "text": f"grey = no score · cell = level · score · {plotly_text(HELD_EXPLANATION)}",
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 0,
                "xanchor": "right",
                "yanchor": "top",
                "yshift": -8,
                "showarrow": False,
                "font": {"size": 11},
            }
        ],
    }
    if title:
        layout["title"] = {
            "text": plotly_text(title),
            "x": 0,
            "xanchor": "left",
            "y": 0.99,
            "yanchor": "top",
        }
    if table is not None:
        return {
            "data": [no_score, trace],
            "layout": layout,
            "table": {
                "id": table,
                "levels": {str(level): label for level, label in names.items()},
                "none": NO_SCORE_LABEL,
            },
        }
    return {"data": [no_score, trace], "layout": layout}


def with_title(figure, title: str):
    """The figure (a Figure or a spec) with a title at the top left and room for it: for
    chart images, which travel without the page's headings."""
    spec = figure_data(figure)
    layout = dict(spec.get("layout", {}))
    xaxis = dict(layout.get("xaxis", {}))
    if xaxis.get("side") == "top":
        # angled column labels at the top would run into the title: below the plot instead,
        # and the note that sat below goes up between the title and the plot
        layout["xaxis"] = {**xaxis, "side": "bottom"}
        layout["annotations"] = [
            {**note, "y": 1, "yanchor": "bottom", "yshift": 6}
            if note.get("yref") == "paper" and note.get("y") == 0
            else note
            for note in layout.get("annotations", [])
        ]
    margin = dict(layout.get("margin", {}))
    margin["t"] = max(int(margin.get("t", 10)), 10) + 60
    layout["margin"] = margin
    layout["height"] = int(layout.get("height", 500)) + 60
    layout["title"] = {
        "text": plotly_text(title),
        "x": 0.01,
        "xanchor": "left",
        "yref": "container",
        "y": 1,
        "yanchor": "top",
        "pad": {"t": 12},
        # the margin grows for the title as for the axis labels: never one over the other
        "automargin": True,
        "font": {"size": 18},
    }
    return {**spec, "layout": layout}


def heatmap_figure(
    matrix: HeatmapMatrix, level_names: Mapping[int, str], title: str = ""
) -> go.Figure:
    """The plotly Figure of `heatmap_spec` (for images and exports)."""
    spec = heatmap_spec(matrix, level_names, title)
    traces = []
    for raw in spec["data"]:
        trace = dict(raw)
        # numpy arrays, not nested lists: plotly validates them at once (hundreds of units).
        shape = (len(trace["y"]), len(trace["x"]))
        trace["z"] = np.array(trace["z"], dtype=float).reshape(shape)  # None → NaN: blank
        for key in ("text", "customdata"):
            if key in trace:
                trace[key] = np.array(trace[key], dtype=object).reshape(shape)
        trace.pop("type")
        traces.append(go.Heatmap(**trace))
    return go.Figure(traces, layout={**spec["layout"], "template": TEMPLATE})


def level_axis(level_names: Mapping[int, str]) -> dict:
    """A y axis of exactly the framework's levels, lowest to top, with their names."""
    numbers = sorted(level_names) or [1, 2, 3, 4, 5]
    return {
        "range": [numbers[0] - 1 if numbers[0] >= 1 else numbers[0] - 0.5, numbers[-1] + 0.6],
        "tickvals": numbers,
        "ticktext": [plotly_text(level_label(n, level_names)) for n in numbers],
        "automargin": True,
        "showgrid": True,
        "gridcolor": "#e9ecef",
    }


# Legends sit above the plot, right of the title line, never over the axis labels below.
TOP_LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"}


def _plain(value):
    """A cell of a pandas frame as JSON reads it: None for a blank, Python numbers."""
    if is_blank(value):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def levels_vs_target_spec(matrix: pd.DataFrame, level_names: Mapping[int, str]) -> dict:
    """Bars: the unit's capability scores, coloured by level and labelled with that level and
    the score ("2 · 3.04", * where a weaker dimension holds it). Markers: the target level
    and, where the matrix has medians, the portfolio median score.

    Plain data for json_script, as `heatmap_spec`: the page skips plotly's Python objects
    (their validation cost more than the rest of the chart); `levels_vs_target_figure`
    makes the Figure of the same spec for images."""
    names = [plotly_text(name) for name in matrix["name"]]
    levels = [_plain(level) for level in matrix["level"]]
    scores = [_plain(v) for v in matrix["score"]]
    data: list[dict] = [
        {
            "type": "bar",
            "name": "This unit (level · score)",
            "x": names,
            "y": scores,
            "marker": {
                "color": [level_fill(level, level_names) for level in levels],
                "line": {"color": "#212529", "width": 0.5},
            },
            "text": [
                level_and_score(level, score) for level, score in zip(levels, scores, strict=True)
            ],
            # inside the bar's top: a label outside would sit under the target marker
            "textposition": "inside",
            "insidetextanchor": "end",
            "textangle": -90,  # along the bar: room for "2 · 3.04*" beside the median's bar
            "cliponaxis": False,
            "customdata": [level_label(level, level_names) or "no score" for level in levels],
            "hovertemplate": "%{x}<br>score %{y:.2f}<br>level %{customdata}<extra></extra>",
        },
        {
            "type": "scatter",
            "name": "Target level",
            "x": names,
            "y": [_plain(v) for v in matrix["target"]],
            "mode": "markers",
            "marker": {
                "symbol": "line-ew-open",
                "size": 34,
                "color": "#212529",
                "line": {"width": 3, "color": "#212529"},
            },
            "hovertemplate": "%{x}<br>target level %{y}<extra></extra>",
        },
    ]
    medians = [_plain(v) for v in matrix["median"]]
    if any(v is not None for v in medians):
        # a grey bar beside the unit's, not a marker over its label
        data.append(
            {
                "type": "bar",
                "name": "Portfolio median",
                "x": names,
                "y": medians,
                "marker": {"color": "#adb5bd", "line": {"color": "#495057", "width": 0.5}},
                "hovertemplate": "%{x}<br>portfolio median %{y:.2f}<extra></extra>",
            }
        )
    layout = {
        "template": NONE_TEMPLATE,
        "height": 460,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "yaxis": level_axis(level_names),
        "xaxis": {"automargin": True},
        "legend": TOP_LEGEND,
        "barmode": "group",
        "uniformtext": {"minsize": 12, "mode": "show"},
        "bargap": 0.3,
        "bargroupgap": 0.05,
    }
    return {"data": data, "layout": layout}


def levels_vs_target_figure(matrix: pd.DataFrame, level_names: Mapping[int, str]) -> go.Figure:
    """The plotly Figure of `levels_vs_target_spec` (for images and exports)."""
    spec = levels_vs_target_spec(matrix, level_names)
    return go.Figure(spec["data"], layout={**spec["layout"], "template": TEMPLATE})


def difference_spec(matrix: DifferenceMatrix) -> dict:
    """A diverging heatmap as plotly.js reads it (plain data, as `heatmap_spec`): the
    scale's low end where a unit is below the reference, its top end above, text = the
    signed difference, grey where either has no score."""
    largest = max(
        [abs(v) for row in matrix.values for v in row if v is not None] + [1.0],
    )
    trace = {
        "type": "heatmap",
        "z": [list(row) for row in matrix.values],
        "x": [plotly_text(label) for label in matrix.column_labels],
        "y": [plotly_text(label) for label in matrix.row_labels],
        "text": [[format_score(v, signed=True) for v in row] for row in matrix.values],
        "texttemplate": "%{text}",
        "hovertemplate": "%{y} · %{x}: %{text}<extra></extra>",
        "colorscale": [[0.0, SCALE_ANCHORS[0]], [0.5, "#f7f7f7"], [1.0, SCALE_ANCHORS[-1]]],
        "zmin": -largest,
        "zmax": largest,
        "xgap": 2,
        "ygap": 2,
        "colorbar": {"title": {"text": "Difference"}},
    }
    layout = {
        "template": NONE_TEMPLATE,
        "height": max(320, 60 + 28 * len(matrix.row_labels)),
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {"side": "top", "automargin": True},
        "yaxis": {"autorange": "reversed", "automargin": True},
        "plot_bgcolor": NO_SCORE_COLOURS[0],
    }
    return {"data": [trace], "layout": layout}


def difference_figure(matrix: DifferenceMatrix) -> go.Figure:
    """The plotly Figure of `difference_spec` (for images)."""
    spec = difference_spec(matrix)
    return go.Figure(spec["data"], layout={**spec["layout"], "template": TEMPLATE})


def maturity_trend_figure(matrix: TrendMatrix, level_names: Mapping[int, str]) -> go.Figure:
    """Maturity index over cycles: one line per series, dashed for the portfolio median."""
    figure = go.Figure(layout={"template": TEMPLATE})
    for position, (label, values) in enumerate(matrix.series):
        is_median = position == len(matrix.series) - 1
        figure.add_trace(
            go.Scatter(
                name=plotly_text(label),
                x=matrix.cycles,
                y=values,
                mode="lines+markers+text" if not is_median else "lines+markers",
                text=[format_score(v) for v in values] if not is_median else None,
                textposition="top center",
                line={"dash": "dash", "color": "#6c757d"}
                if is_median
                else {"width": 3, "color": SCALE_ANCHORS[-1]},
                connectgaps=False,
                hovertemplate="%{x}: %{y:.2f}<extra>" + plotly_text(label) + "</extra>",
            )
        )
    figure.update_layout(
        height=380,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        xaxis={"type": "category", "automargin": True},
        yaxis=level_axis(level_names),
        legend=TOP_LEGEND,
    )
    return figure
