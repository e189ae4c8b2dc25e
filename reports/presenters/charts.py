"""Charts: plotly figures drawn from the plain `*_matrix` data of reports/domain.

Pages embed a figure as JSON (Django's json_script) and static/ladder/charts.js draws
it with the app's own plotly.js; the image exports draw the same figures with kaleido.
Labels are HTML-escaped: plotly reads tags such as <a> or <b> in text, and unit names
are typed by users.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from reports.domain.comparisons import DifferenceMatrix, TrendMatrix
from reports.domain.heatmaps import HeatmapMatrix, z_levels
from reports.domain.levels import (
    LEVEL_COLOURS,
    NO_SCORE_COLOURS,
    NO_SCORE_LABEL,
    TOP_COLOURED_LEVEL,
    format_score,
    is_blank,
    level_fill,
    level_label,
    plotly_colorscale,
)

TEMPLATE = "none"  # plotly's empty template: the figure JSON carries no 6 kB of theme


def figure_data(figure) -> dict:
    """A plotly figure as plain data for Django's json_script (plotly's own encoder first);
    a spec that is plain data already (heatmap_spec) as it is."""
    if isinstance(figure, dict):
        return figure
    return json.loads(figure.to_json())


def heatmap_spec(matrix: HeatmapMatrix, level_names: Mapping[int, str], title: str = "") -> dict:
    """The heatmap as plotly.js reads it — {"data": [...], "layout": {...}} of plain lists,
    numbers, strings and None — ready for json_script without going through plotly's
    Python objects (whose validation and copies cost more than the rest of a page of
    hundreds of units). `heatmap_figure` makes the plotly Figure of the same spec.

    The matrix drawn on the five-colour level scale, with a colour bar as the legend.
    Labels are HTML-escaped: plotly reads tags such as <a> or <b> in text, and
    unit names are typed by users.
    """
    level_count = TOP_COLOURED_LEVEL
    rows = [html.escape(label) for label in matrix.row_labels]
    columns = [html.escape(label) for label in matrix.column_labels]
    names = {level: level_label(level, level_names) for level in {*level_names, *z_levels(matrix)}}
    trace = {
        "type": "heatmap",
        "z": [
            [None if level is None else min(level, level_count) for level in row]
            for row in matrix.levels
        ],
        "x": columns,
        "y": rows,
        "text": [[format_score(score) for score in row] for row in matrix.scores],
        "texttemplate": "%{text}",
        "customdata": [
            [names.get(level) or NO_SCORE_LABEL for level in row] for row in matrix.levels
        ],
        "hovertemplate": "%{y} · %{x}<br>score %{text}<br>level %{customdata}<extra></extra>",
        "colorscale": plotly_colorscale(level_count),
        "zmin": 0.5,
        "zmax": level_count + 0.5,
        "xgap": 2,
        "ygap": 2,
        "colorbar": {
            "title": {"text": "Level"},
            "tickvals": list(range(1, level_count + 1)),
            "ticktext": [
                html.escape(level_label(n, level_names)) for n in range(1, level_count + 1)
            ],
        },
    }
    layout = {
        "height": max(320, 60 + 28 * len(rows)),
        "margin": {"l": 10, "r": 10, "t": 40 if title else 10, "b": 30},
        "xaxis": {"side": "top", "automargin": True},
        "yaxis": {"autorange": "reversed", "automargin": True},
        "annotations": [
            {
                "text": "blank = no score",
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 0,
                "xanchor": "right",
                "yanchor": "top",
                "yshift": -4,
                "showarrow": False,
                "font": {"size": 11},
            }
        ],
    }
    if title:
        layout["title"] = {"text": html.escape(title)}
    return {"data": [trace], "layout": layout}


def heatmap_figure(
    matrix: HeatmapMatrix, level_names: Mapping[int, str], title: str = ""
) -> go.Figure:
    """The plotly Figure of `heatmap_spec` (for images and exports)."""
    spec = heatmap_spec(matrix, level_names, title)
    trace = dict(spec["data"][0])
    # numpy arrays, not nested lists: plotly validates them at once (hundreds of units).
    shape = (len(trace["y"]), len(trace["x"]))
    trace["z"] = np.array(trace["z"], dtype=float).reshape(shape)  # None → NaN: blank
    for key in ("text", "customdata"):
        trace[key] = np.array(trace[key], dtype=object).reshape(shape)
    trace.pop("type")
    return go.Figure(go.Heatmap(**trace), layout={**spec["layout"], "template": TEMPLATE})


def levels_vs_target_figure(matrix: pd.DataFrame, level_names: Mapping[int, str]) -> go.Figure:
    """Bars: the unit's capability scores, coloured by level. Markers: the target level and,
    where the matrix has medians, the portfolio median score."""
    names = [html.escape(name) for name in matrix["name"]]
    scores = [None if is_blank(v) else v for v in matrix["score"]]
    figure = go.Figure(layout={"template": TEMPLATE})
    figure.add_trace(
        go.Bar(
            name="This unit (score)",
            x=names,
            y=scores,
            marker={"color": [level_fill(level) for level in matrix["level"]]},
            text=[format_score(v) for v in scores],
            textposition="outside",
            customdata=[level_label(level, level_names) or "no score" for level in matrix["level"]],
            hovertemplate="%{x}<br>score %{y:.2f}<br>level %{customdata}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            name="Target level",
            x=names,
            y=[None if is_blank(v) else v for v in matrix["target"]],
            mode="markers",
            marker={
                "symbol": "line-ew-open",
                "size": 34,
                "color": "#212529",
                "line": {"width": 3, "color": "#212529"},
            },
            hovertemplate="%{x}<br>target level %{y}<extra></extra>",
        )
    )
    if any(not is_blank(v) for v in matrix["median"]):
        figure.add_trace(
            go.Scatter(
                name="Portfolio median",
                x=names,
                y=[None if is_blank(v) else v for v in matrix["median"]],
                mode="markers",
                marker={"symbol": "diamond", "size": 11, "color": "#0d6efd"},
                hovertemplate="%{x}<br>portfolio median %{y:.2f}<extra></extra>",
            )
        )
    top = max([TOP_COLOURED_LEVEL, *level_names])
    figure.update_layout(
        height=420,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        yaxis={
            "range": [0, top + 0.6],
            "tickvals": list(range(1, top + 1)),
            "ticktext": [html.escape(level_label(n, level_names)) for n in range(1, top + 1)],
            "automargin": True,
            "showgrid": True,
            "gridcolor": "#e9ecef",
        },
        xaxis={"automargin": True},
        legend={"orientation": "h", "y": -0.2},
        bargap=0.35,
    )
    return figure


def difference_figure(matrix: DifferenceMatrix) -> go.Figure:
    """A diverging heatmap: red where a unit is below the reference, green above, text =
    the signed difference, blank where either has no score."""
    largest = max(
        [abs(v) for row in matrix.values for v in row if v is not None] + [1.0],
    )
    figure = go.Figure(
        go.Heatmap(
            z=matrix.values,
            x=[html.escape(label) for label in matrix.column_labels],
            y=[html.escape(label) for label in matrix.row_labels],
            text=[[format_score(v, signed=True) for v in row] for row in matrix.values],
            texttemplate="%{text}",
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            colorscale=[
                [0.0, LEVEL_COLOURS[1][0]],
                [0.5, "#f7f7f7"],
                [1.0, LEVEL_COLOURS[TOP_COLOURED_LEVEL][0]],
            ],
            zmin=-largest,
            zmax=largest,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": "Difference"}},
        ),
        layout={"template": TEMPLATE},
    )
    figure.update_layout(
        height=max(320, 60 + 28 * len(matrix.row_labels)),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"side": "top", "automargin": True},
        yaxis={"autorange": "reversed", "automargin": True},
        plot_bgcolor=NO_SCORE_COLOURS[0],
    )
    return figure


def maturity_trend_figure(matrix: TrendMatrix, level_names: Mapping[int, str]) -> go.Figure:
    """Maturity index over cycles: one line per series, dashed for the portfolio median."""
    figure = go.Figure(layout={"template": TEMPLATE})
    for position, (label, values) in enumerate(matrix.series):
        is_median = position == len(matrix.series) - 1
        figure.add_trace(
            go.Scatter(
                name=html.escape(label),
                x=matrix.cycles,
                y=values,
                mode="lines+markers+text" if not is_median else "lines+markers",
                text=[format_score(v) for v in values] if not is_median else None,
                textposition="top center",
                line={"dash": "dash", "color": "#6c757d"} if is_median else {"width": 3},
                connectgaps=False,
                hovertemplate="%{x}: %{y:.2f}<extra>" + html.escape(label) + "</extra>",
            )
        )
    top = max([TOP_COLOURED_LEVEL, *level_names])
    figure.update_layout(
        height=360,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"type": "category", "automargin": True},
        yaxis={
            "range": [0.5, top + 0.5],
            "tickvals": list(range(1, top + 1)),
            "ticktext": [html.escape(level_label(n, level_names)) for n in range(1, top + 1)],
            "automargin": True,
            "showgrid": True,
            "gridcolor": "#e9ecef",
        },
        legend={"orientation": "h", "y": -0.15},
    )
    return figure
