"""Issue 15: the deck and the chart images show exactly the framework's levels (three from
0, six from 1: legend, cell colours, colour bars, level axes), and the deck scales (item 8):
a framework of 30 capabilities with long names, units with long names — every shape on
the slide and apart from the others (the legend never covered), every table row tall
enough for its text, and every capability and every unit exactly once across the slides
that continue a table or a chart."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Inches

from assessments.domain.framework_file import parse_framework
from assessments.models import ValueBase
from assessments.services.frameworks import framework_load
from reports.domain.levels import SCALE_ANCHORS, level_fill, level_palette
from reports.exporters.deck import deck_pptx
from reports.exporters.deck_frame import balanced, pages_by_height
from reports.exporters.pptx_shapes import LINE_HEIGHT_12PT, text_lines, text_width
from reports.queries.exports import report_data
from tests import factories
from tests.recommendation_factories import seed_engagement
from tests.report_factories import portfolio
from tests.test_exports_deck import overlaps, tables, texts, title
from tests.test_levels_as_published import NAMES, framework_text

LEVEL_SETS = {"three from 0": [0, 1, 2], "six from 1": [1, 2, 3, 4, 5, 6]}
NO_SCORE = ("no score", "#f0f0f0")


def load(numbers: list[int], capabilities: dict[str, str], renamed: dict[str, str] | None = None):
    text = framework_text(numbers, numeric=False, capabilities=capabilities)
    for old, new in (renamed or {}).items():
        text = text.replace(f"name: {old},", f"name: {new},")
    framework, _ = framework_load(spec=parse_framework(text, "pub.yaml"))
    return framework


def labels_of(numbers: list[int]) -> list[str]:
    return [f"{n} {NAMES[i]}" for i, n in enumerate(numbers)]


def fill(shape_or_cell) -> str:
    return "#" + str(shape_or_cell.fill.fore_color.rgb).lower()


def shapes_named(slide, name: str) -> list:
    return [shape for shape in slide.shapes if shape.name == name]


def leveled_portfolio(numbers: list[int], consultant=None, renamed=None):
    """One capability per level; unit North holds capability i at level i (every level
    once, the top included), South the reverse, in 2026-Q2 and 2026-Q4."""
    codes = [f"C{i}" for i in range(len(numbers))]
    framework = load(numbers, {code: f"Capability {code}" for code in codes}, renamed)
    forward = dict(zip(codes, numbers, strict=True))
    backward = dict(zip(codes, reversed(numbers), strict=True))
    org, _, assessments = portfolio(
        framework,
        units={
            "north": {"2026-Q2": backward, "2026-Q4": forward},
            "south": {"2026-Q2": forward, "2026-Q4": backward},
        },
        consultant=consultant or factories.user("casey"),
    )
    seed_engagement(org)
    return org, org.cycles.get(name="2026-Q4"), assessments


# --- the deck shows exactly the framework's levels --------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("numbers", LEVEL_SETS.values(), ids=LEVEL_SETS.keys())
def test_deck_legend_cells_and_axes_show_exactly_the_frameworks_levels(numbers):
    org, cycle, _ = leveled_portfolio(numbers)
    deck = Presentation(io.BytesIO(deck_pptx(report_data(org, cycle))))
    labels = labels_of(numbers)
    fills = {c.level: c.fill for c in level_palette(numbers)}
    assert fills[numbers[0]] == SCALE_ANCHORS[0] and fills[numbers[-1]] == SCALE_ANCHORS[-1]
    legend = [*zip(labels, [fills[n] for n in numbers], strict=True), NO_SCORE]
    with_legend = [s for s in deck.slides if any(sh.name.startswith("Legend ") for sh in s.shapes)]
    assert with_legend
    for slide in with_legend:
        entries = [
            (shape.text_frame.text, fill(shape))
            for shape in slide.shapes
            if shape.name.startswith("Legend ")
        ]
        assert entries == legend, title(slide)

    heatmap = next(s for s in deck.slides if shapes_named(s, "Heatmap"))
    (table,) = tables(heatmap)
    # North holds C0 at the lowest level … the last capability at the top
    north = next(row for row in table.rows if row.cells[0].text.startswith("North"))
    cells = list(north.cells)[2:]
    assert [cell.text.split(" · ")[0] for cell in cells] == [str(n) for n in numbers]
    assert [fill(cell) for cell in cells] == [fills[n] for n in numbers]

    unit_slide = next(s for s in deck.slides if title(s).startswith("North"))
    (chart,) = [shape.chart for shape in shapes_named(unit_slide, "Unit chart")]
    axis = chart.value_axis
    assert (axis.minimum_scale, axis.maximum_scale) == (
        numbers[0] - 1 if numbers[0] >= 1 else numbers[0],
        numbers[-1],
    )
    bars = next(s for s in chart.plots[0].series if s.name.startswith("This unit"))
    assert [fill(bars.points[i].format) for i in range(len(numbers))] == [fills[n] for n in numbers]
    trend = next(s for s in deck.slides if shapes_named(s, "Trend chart"))
    axis = shapes_named(trend, "Trend chart")[0].chart.value_axis
    assert axis.maximum_scale == numbers[-1]

    appendix = next(s for s in deck.slides if title(s).startswith("Appendix: North"))
    (table,) = tables(appendix)
    level_column = [row.cells[len(row.cells) - 2] for row in list(table.rows)[1:]]
    assert [cell.text for cell in level_column] == labels
    assert [fill(cell) for cell in level_column] == [fills[n] for n in numbers]


@pytest.mark.django_db
def test_legend_boxes_are_as_wide_as_long_level_names():
    """CMMI-like names: each legend box holds its name on one line, the "held" note giving
    way; on main every box was 1.28 in and "4 Quantitatively managed" spilled over "5"."""
    renamed = {"Measured": "Quantitatively managed", "Optimised": "Continuously innovating"}
    org, cycle, _ = leveled_portfolio(LEVEL_SETS["six from 1"], renamed=renamed)
    deck = Presentation(io.BytesIO(deck_pptx(report_data(org, cycle))))
    heatmap = next(s for s in deck.slides if shapes_named(s, "Heatmap"))
    boxes = [shape for shape in heatmap.shapes if shape.name.startswith("Legend ")]
    assert [box.text_frame.text for box in boxes][4:6] == [
        "5 Quantitatively managed",
        "6 Continuously innovating",
    ]
    for box in boxes:
        assert box.width >= text_width(box.text_frame.text), box.text_frame.text
        assert box.left + box.width <= deck.slide_width - Inches(0.4)
    for first, second in zip(boxes, boxes[1:], strict=False):
        assert first.left + first.width <= second.left
    assert shapes_named(heatmap, "Legend")[0].text_frame.text == "Cell = level · score"


# --- the chart images show exactly the framework's levels ------------------------------------


@pytest.fixture
def drawn(monkeypatch):
    """The figures the chart-image views hand to kaleido, in order (kaleido not started)."""
    figures = []

    def render(figure, image_format, **_):
        figures.append(figure)
        return b"\x89PNG drawn"

    monkeypatch.setattr("reports.views.downloads.render_chart", render)
    return figures


@pytest.mark.django_db
@pytest.mark.parametrize("numbers", LEVEL_SETS.values(), ids=LEVEL_SETS.keys())
def test_chart_images_colour_bars_and_axes_show_exactly_the_frameworks_levels(
    client, drawn, numbers
):
    consultant = factories.user("casey")
    _, _, assessments = leveled_portfolio(numbers, consultant)
    client.force_login(consultant)
    labels, count = labels_of(numbers), len(numbers)
    pk = assessments[("north", "2026-Q4")].pk
    for address in (
        "/reports/portfolio/chart.png?chart=heatmap",
        f"/reports/assessments/{pk}/chart.svg?chart=heatmap",
        "/reports/compare/chart.png?chart=side-by-side&units=north,south",
    ):
        assert client.get(address).status_code == 200, address
        levels = drawn.pop()["data"][1]  # [0]: the grey "no score" cells
        assert levels["colorbar"]["ticktext"] == labels, address
        assert levels["colorbar"]["tickvals"] == list(range(1, count + 1)), address
        assert (levels["zmin"], levels["zmax"]) == (0.5, count + 0.5), address
        scale = levels["colorscale"]
        assert (scale[0][1], scale[-1][1]) == (SCALE_ANCHORS[0], SCALE_ANCHORS[-1]), address
        assert [colour for _, colour in scale[::2]] == [level_fill(n, numbers) for n in numbers]
    for address in (
        f"/reports/assessments/{pk}/chart.svg?chart=targets",
        "/reports/trends/chart.png?chart=maturity&unit=north",
    ):
        assert client.get(address).status_code == 200, address
        axis = drawn.pop()["layout"]["yaxis"]
        assert (list(axis["tickvals"]), list(axis["ticktext"])) == (numbers, labels), address
        assert axis["range"][1] < numbers[-1] + 1, address  # the axis stops at the top level
    targets = client.get(f"/reports/assessments/{pk}/chart.svg?chart=targets")
    assert targets.status_code == 200
    bars = drawn.pop()["data"][0]
    assert list(bars["marker"]["color"]) == [level_fill(n, numbers) for n in numbers]


@pytest.mark.chromium
@pytest.mark.django_db
def test_a_six_level_heatmap_image_draws_its_six_levels_in_the_colour_bar(client):
    numbers = LEVEL_SETS["six from 1"]
    consultant = factories.user("casey")
    leveled_portfolio(numbers, consultant)
    client.force_login(consultant)
    response = client.get("/reports/portfolio/chart.svg?chart=heatmap")
    assert response.status_code == 200
    svg = response.content.decode()
    for label in labels_of(numbers):
        assert f">{label}<" in svg
    assert "rgb(49, 54, 149)" in svg  # the top level (#313695) is drawn


# --- a deck that scales (item 8) --------------------------------------------------------------

WORDY = "with a name long enough to wrap over more than one line of a table cell"
LONG_UNIT = "Northern Europe and the Baltic states, retail, wholesale and the online shop"


def scaled_deck(count: int = 33, numbers: list[int] | None = None):
    """A framework of `count` capabilities with long names (SCF has 33 domains), three
    units (one with a long name), upgrades worth funding (a value base for their metric);
    returns (report data, the deck opened)."""
    numbers = numbers or LEVEL_SETS["six from 1"]
    codes = [f"C{n:02d}" for n in range(count)]
    framework = load(numbers, {code: f"Capability {code} {WORDY}" for code in codes})
    units = {
        slug: {
            "2026-Q2": {c: numbers[(i + k) % 3] for i, c in enumerate(codes)},
            "2026-Q4": {
                c: numbers[(i * (k + 1)) % (len(numbers) - 1)] for i, c in enumerate(codes)
            },
        }
        for k, slug in enumerate(("north", "south", "east"))
    }
    org, unit_objects, _ = portfolio(framework, units=units, consultant=factories.user("casey"))
    unit_objects["north"].name = LONG_UNIT
    unit_objects["north"].save()
    seed_engagement(org)
    ValueBase.objects.create(organisation=org, benefit_metric="x", annual_value=50_000_000)
    data = report_data(org, org.cycles.get(name="2026-Q4"))
    return data, Presentation(io.BytesIO(deck_pptx(data)))


def needed_height(cell, width: int) -> int:
    """The height a cell's paragraphs take at its width: the deck's own estimate of lines
    (characters per line and line height at 12 pt, as LibreOffice renders Carlito) and the
    cell's top and bottom margins (0.03 in each)."""
    lines = 0
    for paragraph in cell.text_frame.paragraphs:
        sizes = [run.font.size.pt for run in paragraph.runs if run.font.size] or [12]
        lines += text_lines(paragraph.text, width, int(max(sizes))) * max(sizes) / 12
    return int(lines * LINE_HEIGHT_12PT + Inches(0.06))


@pytest.mark.django_db
def test_a_wide_long_framework_keeps_every_shape_on_the_slide_and_every_text_in_its_row():
    data, deck = scaled_deck()
    for number, slide in enumerate(deck.slides, start=1):
        shapes = list(slide.shapes)
        for shape in shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= deck.slide_width, (number, shape.name)
            assert shape.top + shape.height <= deck.slide_height, (number, shape.name)
        for i, first in enumerate(shapes):
            for second in shapes[i + 1 :]:
                assert not overlaps(first, second), (number, title(slide), first.name, second.name)
        for shape in shapes:
            if shape.has_chart:
                axis = shape.chart._chartSpace.find(".//" + qn("c:catAx"))
                assert axis.find(qn("c:tickLblSkip")).get("val") == "1", (number, shape.name)
            if shape.name == "Unit chart":
                # every name gets the lines it wraps to in the chart's left half
                categories = list(shape.chart.plots[0].categories)
                lines = max(text_lines(name, int(shape.width * 0.5)) for name in categories)
                plot = shape.height - Inches(0.8)
                assert len(categories) * lines * LINE_HEIGHT_12PT <= plot, (number, len(categories))
            if not shape.has_table:
                continue
            table = shape.table
            widths = [column.width for column in table.columns]
            for r, row in enumerate(table.rows):
                for c, cell in enumerate(row.cells):
                    assert row.height >= needed_height(cell, widths[c]), (
                        number, title(slide), shape.name, r, cell.text,
                    )  # fmt: skip


@pytest.mark.django_db
def test_continued_slides_hold_every_capability_and_unit_exactly_once():
    data, deck = scaled_deck()
    names = [name for _, name in data.capabilities]
    units = [u.name for u in data.units]
    for unit in units:
        charts = [s for s in deck.slides if shapes_named(s, "Unit chart") and title(s).startswith(unit + ":")]  # fmt: skip
        assert len(charts) > 1
        assert [title(s).endswith("(continued)") for s in charts] == [False] + [True] * (len(charts) - 1)  # fmt: skip
        shown = [c for s in charts for c in shapes_named(s, "Unit chart")[0].chart.plots[0].categories]  # fmt: skip
        assert shown == names, unit
        appendix = [s for s in deck.slides if title(s).startswith(f"Appendix: {unit},")]
        rows = [row[0] for s in appendix for row in texts(tables(s)[0])[1:]]
        assert rows == names, unit
    heatmaps = [s for s in deck.slides if shapes_named(s, "Heatmap")]
    # 33 capabilities split by columns, as docs/deliverables.md says: 7, 7, 7, 6 and 6
    assert [len(tables(s)[0].columns) - 2 for s in heatmaps] == [7, 7, 7, 6, 6]
    assert [title(s).endswith("(continued)") for s in heatmaps] == [False] + [True] * 4
    assert "capabilities 8–14 of 33" in shapes_named(heatmaps[1], "Subtitle")[0].text_frame.text
    seen = {}
    for slide in heatmaps:
        rows = texts(tables(slide)[0])
        for row in rows[1:]:
            for column, cell in zip(rows[0][2:], row[2:], strict=True):
                seen.setdefault((row[0].removesuffix(" (draft)"), column), []).append(cell)
    assert sorted(seen) == sorted((u, n) for u in units for n in names)
    assert all(len(cells) == 1 for cells in seen.values())
    roadmap = [s for s in deck.slides if title(s).startswith("Roadmap: the upgrades")]
    assert sum(len(tables(s)[0].rows) - 1 for s in roadmap) == len(data.roadmap) > 0


def test_continued_pages_are_even_and_never_leave_one_row_alone():
    assert [len(r) for r in balanced(33, 4)] == [4, 4, 4, 4, 4, 4, 3, 3, 3]
    assert [len(r) for r in balanced(20, 7)] == [7, 7, 6]
    assert [len(page) for page in pages_by_height([1] * 33, 8)] == [7, 7, 7, 7, 5]
    assert pages_by_height([1] * 33, 8)[-1] == [28, 29, 30, 31, 32]
    # a row taller than a page gets one of its own; none gives one empty page
    assert pages_by_height([10, 1, 1], 5) == [[0], [1, 2]]
    assert pages_by_height([], 5) == [[]]
    # At most 16 rows a page (the trend chart's bars): 17 short rows are 9 and 8, not 16 and 1.
    assert [len(page) for page in pages_by_height([1] * 17, 100, most=16)] == [9, 8]
