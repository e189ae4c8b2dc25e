"""Shapes for the deck, written as DrawingML: text boxes, native tables, legends, footers,
and native (editable) charts through python-pptx.

Why XML for text and tables: python-pptx's text and fill setters cost about a millisecond
each (a deck of 100 units took 9 s); one parse of a whole table takes a few. The result
is the same native, editable shape, read back by python-pptx like any other. Every run
carries its size, never below MIN_POINTS (12 pt: legible from the back of a board room).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from xml.sax.saxutils import escape

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_LEGEND_POSITION
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from reports.domain.levels import hex_rrggbb

MIN_POINTS = 12
HEADER_FILL, HEADER_TEXT = "#343a40", "#ffffff"
PLAIN_FILL, PLAIN_TEXT = "#ffffff", "#212529"
MUTED_TEXT = "#495057"  # 8.6:1 on white
LEFT, CENTER, RIGHT = "l", "ctr", "r"  # paragraph alignments (DrawingML's algn)
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # python-pptx's default: Medium Style 2
_NOT_XML = re.compile(r"[\x00-\x1f\x7f]")  # control characters: not allowed (or wanted) in a:t
CELL_MARGINS = (
    f'marL="{Inches(0.06)}" marR="{Inches(0.06)}" marT="{Inches(0.03)}" marB="{Inches(0.03)}"'
)
# Average width of a character at 12 pt in Calibri/Carlito, for sizing cells by their text.
CHAR_WIDTH_12PT = Inches(0.085)
LINE_HEIGHT_12PT = Inches(0.21)

Line = tuple[str, int, bool, str]  # text, size (pt), bold, colour


def _run_xml(text: str, size: int, bold: bool, colour: str) -> str:
    size = max(size, MIN_POINTS)
    return (
        f'<a:r><a:rPr lang="en-US" sz="{size * 100}" b="{int(bold)}" dirty="0">'
        f'<a:solidFill><a:srgbClr val="{hex_rrggbb(colour)}"/></a:solidFill></a:rPr>'
        f"<a:t>{escape(_NOT_XML.sub(' ', text))}</a:t></a:r>"
    )


def lines_of(lines, size: int, bold: bool, colour: str) -> list[list[Line]]:
    """Paragraphs of runs: a line is text, a (text, size, bold, colour) tuple, or a list of
    such tuples (runs of one paragraph)."""
    paragraphs = []
    for line in [lines] if isinstance(lines, str) else lines:
        if isinstance(line, str):
            paragraphs.append([(line, size, bold, colour)])
        elif isinstance(line, tuple):
            paragraphs.append([line])
        else:
            paragraphs.append(list(line))
    return paragraphs


def _paragraphs_xml(paragraphs: list[list[Line]], align: str = LEFT, bullet: bool = False) -> str:
    plain = f'<a:pPr algn="{align}"/>'
    bulleted = (
        f'<a:pPr algn="{align}" marL="{Inches(0.25)}" indent="-{Inches(0.2)}">'
        '<a:buChar char="•"/></a:pPr>'
    )
    xml = []
    for runs in paragraphs:
        properties = bulleted if bullet and runs and runs[0][0] else plain
        end = max(runs[-1][1] if runs else MIN_POINTS, MIN_POINTS) * 100
        xml.append(
            f"<a:p>{properties}{''.join(_run_xml(*run) for run in runs)}"
            f'<a:endParaRPr lang="en-US" sz="{end}" dirty="0"/></a:p>'
        )
    return "".join(xml)


def add_shape_xml(slide, xml: str, name: str):
    """Append a shape (<p:sp>, <p:graphicFrame>) with the slide's next id and the given name."""
    element = parse_xml(xml)
    properties = element.xpath("./*[1]/p:cNvPr")[0]
    properties.set("id", str(slide.shapes._next_shape_id))
    properties.set("name", name)
    slide.shapes._spTree.append(element)
    return element


def _xfrm(left, top, width, height) -> str:
    return (
        f'<a:xfrm><a:off x="{int(left)}" y="{int(top)}"/>'
        f'<a:ext cx="{int(width)}" cy="{int(height)}"/></a:xfrm>'
    )


def text_box(
    slide, left, top, width, height, lines, *, size=14, colour=PLAIN_TEXT, bold=False,
    name="Text", anchor="t", align=LEFT, bullet=False, fill: str | None = None,
) -> None:  # fmt: skip
    """A text box with one paragraph per line; text that does not fit is shrunk by the
    reader (normAutofit), never spilled over another shape."""
    paragraphs = _paragraphs_xml(lines_of(lines, size, bold, colour), align, bullet)
    fill_xml = (
        f'<a:solidFill><a:srgbClr val="{hex_rrggbb(fill)}"/></a:solidFill>'
        if fill
        else "<a:noFill/>"
    )
    add_shape_xml(
        slide,
        f'<p:sp {nsdecls("p", "a")}><p:nvSpPr><p:cNvPr id="0" name=""/><p:cNvSpPr txBox="1"/>'
        f"<p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(left, top, width, height)}"
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{fill_xml}</p:spPr>'
        f'<p:txBody><a:bodyPr wrap="square" lIns="{Inches(0.05)}" rIns="{Inches(0.05)}" '
        f'anchor="{anchor}"><a:normAutofit/></a:bodyPr>'
        f"<a:lstStyle/>{paragraphs}</p:txBody></p:sp>",
        name,
    )


class TableCell:
    """One cell of a NativeTable: its fill, vertical anchor and paragraphs of runs."""

    __slots__ = ("fill", "anchor", "paragraphs", "align")

    def __init__(self):
        self.fill = PLAIN_FILL
        self.anchor = "ctr"
        self.align = LEFT
        self.paragraphs: list[list[Line]] = []


class NativeTable:
    """A table described cell by cell, then written as one DrawingML <a:tbl> element."""

    def __init__(self, widths: Sequence[int], heights: Sequence[int]):
        self.widths = [int(w) for w in widths]
        self.heights = [int(h) for h in heights]
        self.cells = [[TableCell() for _ in self.widths] for _ in self.heights]

    def cell(self, row: int, column: int) -> TableCell:
        return self.cells[row][column]

    def xml(self) -> str:
        grid = "".join(f'<a:gridCol w="{w}"/>' for w in self.widths)
        rows = "".join(
            f'<a:tr h="{height}">{"".join(_cell_xml(cell) for cell in cells)}</a:tr>'
            for height, cells in zip(self.heights, self.cells, strict=True)
        )
        return (
            "<a:tbl>"
            f'<a:tblPr firstRow="1" bandRow="0"><a:tableStyleId>{TABLE_STYLE}</a:tableStyleId>'
            f"</a:tblPr><a:tblGrid>{grid}</a:tblGrid>{rows}</a:tbl>"
        )


def _cell_xml(cell: TableCell) -> str:
    paragraphs = "".join(
        f'<a:p><a:pPr algn="{cell.align}"/>{"".join(_run_xml(*run) for run in runs)}'
        # an empty cell's height follows its end-of-paragraph font: keep it at the text's size
        f'<a:endParaRPr lang="en-US" sz="{max(runs[-1][1] if runs else MIN_POINTS, MIN_POINTS) * 100}" dirty="0"/></a:p>'
        for runs in (cell.paragraphs or [[]])
    )
    return (
        f"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</a:txBody>"
        f'<a:tcPr {CELL_MARGINS} anchor="{cell.anchor}"><a:solidFill>'
        f'<a:srgbClr val="{hex_rrggbb(cell.fill)}"/></a:solidFill></a:tcPr></a:tc>'
    )


@contextmanager
def add_table(slide, widths: Sequence[int], left, top, heights: Sequence[int], name="Table"):
    """`with add_table(...) as table:` fill `table.cell(r, c)`; the table is placed on the
    slide, at the given position and sizes, when the block ends."""
    table = NativeTable(widths, heights)
    yield table
    size = f'<a:off x="{int(left)}" y="{int(top)}"/><a:ext cx="{sum(table.widths)}" cy="{sum(table.heights)}"/>'
    add_shape_xml(
        slide,
        f'<p:graphicFrame {nsdecls("p", "a")}><p:nvGraphicFramePr><p:cNvPr id="0" name=""/>'
        '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/>'
        f"</p:nvGraphicFramePr><p:xfrm>{size}</p:xfrm><a:graphic><a:graphicData "
        f'uri="http://schemas.openxmlformats.org/drawingml/2006/table">{table.xml()}'
        "</a:graphicData></a:graphic></p:graphicFrame>",
        name,
    )


def fill_cell(
    cell: TableCell, lines, *, fill=PLAIN_FILL, colour=PLAIN_TEXT, size=MIN_POINTS, bold=False,
    align=LEFT,
) -> None:  # fmt: skip
    """Set a cell's fill and text (a string, or lines as for text_box)."""
    cell.fill = fill
    cell.align = align
    cell.paragraphs = lines_of(lines, size, bold, colour)


def header_cell(cell: TableCell, text: str, *, align=CENTER) -> None:
    fill_cell(cell, text, fill=HEADER_FILL, colour=HEADER_TEXT, bold=True, align=align)


def text_lines(text: str, width: int, size: int = MIN_POINTS) -> int:
    """How many lines `text` takes in a box `width` EMU wide (word wrap, estimated from an
    average character width): for sizing rows by their content."""
    room = max(1, int((width - Inches(0.12)) / (CHAR_WIDTH_12PT * size / MIN_POINTS)))
    lines, used = 1, 0
    for word in text.split():
        length = len(word)
        if used and used + 1 + length > room:
            lines, used = lines + 1, length
        else:
            used += (1 if used else 0) + length
        while used > room:  # a word longer than the line
            lines, used = lines + 1, used - room
    return lines


def text_width(text: str, size: int = MIN_POINTS) -> int:
    """The width `text` takes on one line at `size`, with a box's usual margins (0.2 in)."""
    return int(len(text) * CHAR_WIDTH_12PT * size / MIN_POINTS + Inches(0.2))


def row_height(texts: Sequence[tuple[str, int]], size: int = MIN_POINTS) -> int:
    """The height a table row needs for its (text, column width) cells."""
    lines = max((text_lines(text, width, size) for text, width in texts), default=1)
    return int(lines * LINE_HEIGHT_12PT * size / MIN_POINTS + Inches(0.12))


def lines_height(paragraphs: Sequence[Sequence[Line]], width: int) -> int:
    """The height paragraphs of runs (as for a table cell) take in a cell `width` EMU wide:
    each paragraph's lines at its largest size, and the cell's margins."""
    total = 0.0
    for runs in paragraphs:
        size = max((run[1] for run in runs), default=MIN_POINTS)
        text = "".join(run[0] for run in runs)
        total += text_lines(text, width, size) * LINE_HEIGHT_12PT * size / MIN_POINTS
    return int(total + Inches(0.12))


# --- native charts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str
    point_colours: Sequence[str] | None = None  # one per category (level colours)
    labels: Sequence[str] | None = None  # data label text per point ("2 · 3.04")
    number_format: str = "0.00"
    outline_only: bool = False  # drawn as an empty frame (a target to reach)


def add_chart(
    slide, chart_type, left, top, width, height, categories: Sequence[str],
    series: Sequence[Series], *, name: str, value_axis: tuple[float, float] | None = None,
    tick_labels: dict[float, str] | None = None, number_format: str = "0.00",
    legend: bool = True, gap_width: int = 60, overlap: int | None = None,
    axis_format: str = "", top_down: bool = False,
):  # fmt: skip
    """A native chart whose data lives in its embedded workbook (python-pptx writes it),
    every text at 12 pt or more; per-point colours and label texts where given."""
    data = CategoryChartData(number_format=number_format)
    data.categories = list(categories)
    for one in series:
        data.add_series(one.name, list(one.values), number_format=one.number_format)
    frame = slide.shapes.add_chart(chart_type, Emu(int(left)), Emu(int(top)), Emu(int(width)), Emu(int(height)), data)  # fmt: skip
    frame.name = name
    chart = frame.chart
    chart.font.size = Pt(MIN_POINTS)
    chart.font.color.rgb = RGBColor.from_string(hex_rrggbb(PLAIN_TEXT))
    chart.has_legend = legend and len(series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(MIN_POINTS)
    plot = chart.plots[0]
    if hasattr(plot, "gap_width"):
        plot.gap_width = gap_width
    if overlap is not None and hasattr(plot, "overlap"):
        plot.overlap = overlap
    for one, drawn in zip(series, plot.series, strict=True):
        if one.outline_only:
            drawn.format.fill.background()
            drawn.format.line.color.rgb = RGBColor.from_string(hex_rrggbb(one.colour))
            drawn.format.line.width = Pt(1.5)
        else:
            drawn.format.fill.solid()
            drawn.format.fill.fore_color.rgb = RGBColor.from_string(hex_rrggbb(one.colour))
        drawn.invert_if_negative = False
        if one.point_colours:
            _point_fills(drawn, one.point_colours)
        if one.labels:
            _point_labels(drawn, one.labels)
    value = chart.value_axis
    value.tick_labels.font.size = Pt(MIN_POINTS)
    value.has_major_gridlines = True
    value.major_gridlines.format.line.color.rgb = RGBColor.from_string("DEE2E6")
    if value_axis is not None:
        value.minimum_scale, value.maximum_scale = value_axis
        value.major_unit = 1
    if axis_format:
        value.tick_labels.number_format = axis_format
        value.tick_labels.number_format_is_linked = False
    category = chart.category_axis
    category.tick_labels.font.size = Pt(MIN_POINTS)
    if top_down:  # bar charts list categories bottom-up: read them top-down, as a table
        category.reverse_order = True
    # every category's label, never every other one (readers skip labels they think crowded;
    # the slides give each category the room its label needs)
    axis = category._element
    skip = axis.find(qn("c:tickLblSkip"))
    if skip is None:
        skip = OxmlElement("c:tickLblSkip")
        later = axis.find(qn("c:noMultiLvlLbl"))
        if later is not None:
            later.addprevious(skip)
        else:
            axis.append(skip)
    skip.set("val", "1")
    return chart


def chart_series(frame) -> dict[str, list]:
    """A chart's series as read back (name → values): for tests and notes."""
    return {s.name: list(s.values) for s in frame.chart.plots[0].series}


# Per-point formats: python-pptx's point API finds or makes each point's element by XPath
# and sets every property through its own look-ups, a third of a 100-unit deck's time. The
# first point of a series is formatted through it; every other point is a copy of that
# element with its own index and colour or text: the same XML, made once.


def _point_fills(drawn, colours: Sequence[str]) -> None:
    """Each point's fill in its colour, outlined in the plain text colour (c:dPt)."""
    first = drawn.points[0].format
    first.fill.solid()
    first.fill.fore_color.rgb = RGBColor.from_string(hex_rrggbb(colours[0]))
    first.line.color.rgb = RGBColor.from_string(hex_rrggbb(PLAIN_TEXT))
    fill = f"{qn('c:spPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}"
    _copies_for_points(
        drawn._element.find(qn("c:dPt")),
        enumerate(colours[1:], start=1),
        lambda point, colour: point.find(fill).set("val", hex_rrggbb(colour)),
    )


def _point_labels(drawn, labels: Sequence[str]) -> None:
    """Each point's data label with its own text at MIN_POINTS (c:dLbl); none where the
    text is empty."""
    shown = [(index, _NOT_XML.sub(" ", label)) for index, label in enumerate(labels) if label]
    if not shown:
        return
    (index, text), *rest = shown
    frame = drawn.points[index].data_label.text_frame
    frame.text = text
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(MIN_POINTS)

    def place(label, text: str) -> None:
        label.find(f".//{qn('a:t')}").text = text

    _copies_for_points(drawn._element.find(f"{qn('c:dLbls')}/{qn('c:dLbl')}"), rest, place)


def _copies_for_points(made, values, place) -> None:
    """`made`, one point's element as python-pptx wrote it, copied after itself for each
    further (index, value) in turn: each copy with its own c:idx, then `place(copy, value)`."""
    previous = made
    for index, value in values:
        copy = deepcopy(made)
        copy.find(qn("c:idx")).set("val", str(index))
        place(copy, value)
        previous.addnext(copy)
        previous = copy
