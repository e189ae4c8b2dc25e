"""The deck's native charts colour and label each point (a unit's capabilities, by level)
by copying the first point's XML rather than through python-pptx's point API, which was a
third of a 100-unit deck's time. What PowerPoint reads must not change: every point's
fill, outline and label are the XML python-pptx itself writes for them."""

from __future__ import annotations

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches, Pt

from reports.exporters.pptx_shapes import MIN_POINTS, Series, add_chart

CATEGORIES = ["Identity", "Consent", "Orchestration", "Recovery", "Analytics"]
VALUES = [1.5, 2.0, None, 3.25, 4.0]
COLOURS = ["#d73027", "#fc8d59", "#ffffff", "#91bfdb", "#4575b4"]
LABELS = ["1 · 1.50", "2 · 2.00", "", "3 · 3.25", "4 · 4.00"]  # no label: not answered


def _slide():
    deck = Presentation()
    return deck.slides.add_slide(deck.slide_layouts[6])


def _points_by_the_api() -> list[bytes]:
    """The same series' points formatted one by one through python-pptx's API."""
    data = CategoryChartData(number_format="0.00")
    data.categories = CATEGORIES
    data.add_series("Score", VALUES, number_format="0.00")
    frame = _slide().shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, 0, 0, Inches(6), Inches(4), data)
    drawn = frame.chart.plots[0].series[0]
    for index, colour in enumerate(COLOURS):
        point = drawn.points[index]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = RGBColor.from_string(colour[1:])
        point.format.line.color.rgb = RGBColor.from_string("212529")
    for index, label in enumerate(LABELS):
        if label:
            text = drawn.points[index].data_label.text_frame
            text.text = label
            for paragraph in text.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(MIN_POINTS)
    return _point_xml(drawn)


def _point_xml(drawn) -> list[bytes]:
    series = drawn._element
    points = series.findall("{*}dPt") + series.findall("{*}dLbls/{*}dLbl")
    return [etree.tostring(point) for point in points]


def test_every_point_is_filled_outlined_and_labelled_as_python_pptx_writes_it():
    chart = add_chart(
        _slide(), XL_CHART_TYPE.BAR_CLUSTERED, 0, 0, Inches(6), Inches(4), CATEGORIES,
        [Series("Score", VALUES, "#212529", point_colours=COLOURS, labels=LABELS)],
        name="unit chart",
    )  # fmt: skip
    drawn = chart.plots[0].series[0]
    assert _point_xml(drawn) == _points_by_the_api()
    # Read back through python-pptx, as PowerPoint would: each point its own colour and
    # label, in category order; the unanswered capability without one.
    fills = [str(drawn.points[i].format.fill.fore_color.rgb) for i in range(len(COLOURS))]
    assert fills == [c[1:].upper() for c in COLOURS]
    labels = [
        drawn.points[i].data_label.text_frame.text if drawn.points[i].data_label.has_text_frame else ""
        for i in range(len(LABELS))
    ]  # fmt: skip
    assert labels == LABELS
