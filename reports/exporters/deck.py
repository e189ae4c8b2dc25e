"""The PowerPoint deck, from plain data (reports.domain.report_data.ReportData) to bytes.

16:9 (13.333 × 7.5 in) on the default template's blank layout: every title is a text
box placed and sized here (the template's placeholders keep a 4:3 geometry and would
overlap the tables), and every table is a native, editable table whose cells are
filled with the level colours of reports/domain/levels.py. Slides:

1. title (organisation, cycle, date, filters);
2. the portfolio heatmap, units × capabilities (colour = level, text = score, grey and
   blank = no score) with a legend, UNITS_PER_SLIDE units a slide, "(continued)" after;
3. one slide per unit: its capability × dimension table (▼ = binding dimension) and its
   top three recommendations with cost band and base NPV;
4. the roadmap (funding cycle, unit, capability, from → to, cost, base NPV), continued
   when long;
5. the DEOM 2 × 2 grid with the upgrades of each quadrant.

Every slide carries speaker notes saying what it shows and how its figures were
computed. Text typed by users (unit and organisation names) goes in as plain text runs.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from contextlib import contextmanager
from xml.sax.saxutils import escape

from pptx import Presentation
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.util import Inches

from reports.domain import money
from reports.domain.levels import (
    NO_SCORE_LABEL,
    format_score,
    hex_rrggbb,
    level_fill,
    level_label,
    level_text_colour,
)
from reports.domain.money import percent
from reports.domain.planning import Recommendation
from reports.domain.report_data import ReportData, UnitSummary

SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
MARGIN = Inches(0.4)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
TITLE_TOP, TITLE_HEIGHT = Inches(0.3), Inches(0.7)
SUBTITLE_TOP, SUBTITLE_HEIGHT = Inches(1.0), Inches(0.4)
BODY_TOP = Inches(1.55)
LEGEND_TOP, LEGEND_HEIGHT = Inches(6.85), Inches(0.32)
BODY_BOTTOM = LEGEND_TOP - Inches(0.15)

UNITS_PER_SLIDE = 14  # heatmap rows a slide: 11 pt text stays legible from the back
ROADMAP_ROWS_PER_SLIDE = 14
TOP_RECOMMENDATIONS = 3
DEOM_LISTED = 8  # upgrades named in a DEOM quadrant before "… and N more"

BLANK_LAYOUT = 6  # the default template's "Blank"
HEADER_FILL, HEADER_TEXT = "#343a40", "#ffffff"
PLAIN_FILL, PLAIN_TEXT = "#ffffff", "#212529"
MUTED_TEXT = "#6c757d"
BINDING_MARK = " ▼"
CONTINUED = " (continued)"
DRAFT_MARK = " (draft)"
LEFT, CENTER = "l", "ctr"  # paragraph alignments in table cells (DrawingML's algn)

SCORING_NOTES = """How the scores were computed:
1. Each answer has a level: the chosen option's level, or the measured value mapped through the question's thresholds. "Don't know" counts as level 1 (and is flagged); "not applicable" is left out.
2. A unit's level on a question is the median of its respondents' levels (the lower of the two middle ones on an even count).
3. A cell (capability × dimension) score is the weighted mean of its question levels. Its level is the score rounded down: a level counts only when it is fully reached.
4. A capability's level is its lowest dimension level (a capability is as mature as its weakest dimension, the binding one); its score is the mean of its dimension scores.
5. A unit's maturity index is the mean of its capability scores.
6. Where nothing could be scored, the cell is blank and grey: never 0 or 1."""

RECOMMENDATION_NOTES = """How the recommendations were computed: every scored capability below the top level (and below its target) gets the upgrade to the next level only, never two levels at once. Its cost band is the capability's band times the framework's multiplier for the target level. Its 24-month NPV is discounted monthly at the engagement's yearly rate, with the cost spent evenly over the first 12 months and the benefit starting after the time-to-value. Best: low cost, full benefit; base: mid-band cost, 75 % of the benefit; downside: high cost, 40 %. Priority ranks the upgrades by base NPV per dollar of mid-band cost."""


# --- small formatting helpers ------------------------------------------------------------------


def usd(amount: float) -> str:
    """Money on a slide: $0.5M, $3.97M, $50k, $950."""
    return money.usd(amount, compact=True)


def cost_band(low: float, high: float) -> str:
    return money.usd_band(low, high, compact=True)


def sort_description(sort: str, capability_names: dict[str, str]) -> str:
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    if key == "maturity":
        return f"{'highest' if descending else 'lowest'} maturity index first"
    if key == "name":
        return "by name" + (", Z to A" if descending else "")
    name = capability_names.get(key, key)
    return f"{'strongest' if descending else 'weakest'} on {name} first"


def chunks(items: Sequence, size: int) -> list[Sequence]:
    """Items in slices of `size`; one empty slice when there are none (the slide still
    says so)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


# --- shapes ------------------------------------------------------------------------------------


def _lines(lines, size: int, bold: bool, colour: str) -> list[tuple[str, int, bool, str]]:
    """Lines as (text, size, bold, colour): a plain string takes the given style."""
    return [line if isinstance(line, tuple) else (line, size, bold, colour) for line in lines]


def _paragraphs_xml(lines, align: str = LEFT) -> str:
    return "".join(
        f'<a:p><a:pPr algn="{align}"/>{_run_xml(*line)}'
        f'<a:endParaRPr lang="en-US" sz="{line[1] * 100}" dirty="0"/></a:p>'
        for line in lines
    )


def add_shape_xml(slide, xml: str, name: str) -> None:
    """Append a shape (<p:sp>, <p:graphicFrame>) with the slide's next id and the given name.

    Shapes are written as XML for the speed of it: python-pptx's text and fill setters
    cost about a millisecond each (see NativeTable)."""
    element = parse_xml(xml)
    properties = element.xpath("./*[1]/p:cNvPr")[0]
    properties.set("id", str(slide.shapes._next_shape_id))
    properties.set("name", name)
    slide.shapes._spTree.append(element)


def _xfrm(left, top, width, height) -> str:
    return (
        f'<a:xfrm><a:off x="{int(left)}" y="{int(top)}"/>'
        f'<a:ext cx="{int(width)}" cy="{int(height)}"/></a:xfrm>'
    )


def text_box(
    slide, left, top, width, height, lines, *, size=14, colour=PLAIN_TEXT, bold=False,
    name="Text", anchor="t",
) -> None:  # fmt: skip
    """A text box with one paragraph per line (a line is text or (text, size, bold, colour));
    text that does not fit is shrunk by the reader (normAutofit), never spilled over a table."""
    paragraphs = _paragraphs_xml(_lines(lines, size, bold, colour))
    add_shape_xml(
        slide,
        f'<p:sp {nsdecls("p", "a")}><p:nvSpPr><p:cNvPr id="0" name=""/><p:cNvSpPr txBox="1"/>'
        f"<p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(left, top, width, height)}"
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>'
        f'<p:txBody><a:bodyPr wrap="square" anchor="{anchor}"><a:normAutofit/></a:bodyPr>'
        f"<a:lstStyle/>{paragraphs}</p:txBody></p:sp>",
        name,
    )


def add_slide(presentation, title: str, subtitle: str, notes: str):
    slide = presentation.slides.add_slide(presentation.slide_layouts[BLANK_LAYOUT])
    text_box(
        slide, MARGIN, TITLE_TOP, CONTENT_WIDTH, TITLE_HEIGHT, [title], size=28, bold=True,
        name="Title", anchor="b",
    )  # fmt: skip
    if subtitle:
        text_box(
            slide, MARGIN, SUBTITLE_TOP, CONTENT_WIDTH, SUBTITLE_HEIGHT, [subtitle], size=14,
            colour=MUTED_TEXT, name="Subtitle",
        )  # fmt: skip
    slide.notes_slide.notes_text_frame.text = notes
    return slide


class TableCell:
    """One cell of a NativeTable: its fill, vertical anchor and paragraphs of runs."""

    __slots__ = ("fill", "anchor", "paragraphs")

    def __init__(self):
        self.fill = PLAIN_FILL
        self.anchor = "ctr"
        self.paragraphs: list[tuple[str, list[tuple[str, int, bool, str]]]] = []  # (align, runs)


class NativeTable:
    """A table described cell by cell, then written as one DrawingML <a:tbl> element.

    Why not python-pptx's cell setters: each costs about a millisecond (a deck of 100
    units took 9 s); one parse of the whole table takes a few. The result is the same
    native, editable table, read back by python-pptx like any other.
    """

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


TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # python-pptx's default: Medium Style 2
_NOT_XML = re.compile(r"[\x00-\x1f\x7f]")  # control characters: not allowed (or wanted) in a:t
CELL_MARGINS = (
    f'marL="{Inches(0.05)}" marR="{Inches(0.05)}" marT="{Inches(0.02)}" marB="{Inches(0.02)}"'
)


def _run_xml(text: str, size: int, bold: bool, colour: str) -> str:
    return (
        f'<a:r><a:rPr lang="en-US" sz="{size * 100}" b="{int(bold)}" dirty="0">'
        f'<a:solidFill><a:srgbClr val="{hex_rrggbb(colour)}"/></a:solidFill></a:rPr>'
        f"<a:t>{escape(_NOT_XML.sub(' ', text))}</a:t></a:r>"
    )


def _cell_xml(cell: TableCell) -> str:
    paragraphs = "".join(
        f'<a:p><a:pPr algn="{align}"/>{"".join(_run_xml(*run) for run in runs)}'
        # an empty cell's height follows its end-of-paragraph font: keep it at the text's size
        f'<a:endParaRPr lang="en-US" sz="{runs[-1][1] * 100 if runs else 1100}" dirty="0"/></a:p>'
        for align, runs in (cell.paragraphs or [("l", [])])
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
    cell: TableCell, lines, *, fill=PLAIN_FILL, colour=PLAIN_TEXT, size=11, bold=False, align=LEFT
):
    """Set a cell's fill and text (a string, or lines as for text_box)."""
    cell.fill = fill
    cell.paragraphs = [
        (align, [line if isinstance(line, tuple) else (line, size, bold, colour)])
        for line in ([lines] if isinstance(lines, str) else lines)
    ]


def add_run(cell: TableCell, text: str, *, size: int, colour: str, bold=False) -> None:
    """Another run at the end of the cell's first paragraph."""
    cell.paragraphs[0][1].append((text, size, bold, colour))


def level_cell(cell, level, text: str, *, size=11):
    fill_cell(
        cell, text, fill=level_fill(level), colour=level_text_colour(level), size=size, align=CENTER
    )


def header_cell(cell, text: str, *, size=11, align=CENTER):
    fill_cell(cell, text, fill=HEADER_FILL, colour=HEADER_TEXT, size=size, bold=True, align=align)


def add_legend(slide, level_names: dict[int, str], top=LEGEND_TOP):
    """One coloured box per level, then "no score", along the bottom of the slide."""
    entries = [(n, level_label(n, level_names)) for n in sorted(level_names)]
    entries.append((None, NO_SCORE_LABEL))
    label_width = Inches(2.1)
    text_box(
        slide, MARGIN, top, label_width, LEGEND_HEIGHT, ["Colour = level, text = score:"],
        size=10, colour=MUTED_TEXT, name="Legend", anchor="ctr",
    )  # fmt: skip
    width = min(Inches(1.55), int((CONTENT_WIDTH - label_width) / len(entries)))
    for position, (level, label) in enumerate(entries):
        xfrm = _xfrm(MARGIN + label_width + position * width, top, width, LEGEND_HEIGHT)
        paragraph = _paragraphs_xml([(label, 10, False, level_text_colour(level))], CENTER)
        add_shape_xml(
            slide,
            f'<p:sp {nsdecls("p", "a")}><p:nvSpPr><p:cNvPr id="0" name=""/><p:cNvSpPr/>'
            f'<p:nvPr/></p:nvSpPr><p:spPr>{xfrm}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            f'<a:solidFill><a:srgbClr val="{hex_rrggbb(level_fill(level))}"/></a:solidFill>'
            '<a:ln w="12700"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:ln>'
            '</p:spPr><p:txBody><a:bodyPr wrap="square" tIns="0" bIns="0" anchor="ctr"/>'
            f"<a:lstStyle/>{paragraph}</p:txBody></p:sp>",
            f"Legend {label}",
        )


# --- slides ------------------------------------------------------------------------------------


def title_slide(presentation, data: ReportData) -> None:
    drafts = sum(unit.is_draft for unit in data.units)
    slide = presentation.slides.add_slide(presentation.slide_layouts[BLANK_LAYOUT])
    lines = [
        (data.organisation, 40, True, PLAIN_TEXT),
        (f"Infrastructure maturity assessment · cycle {data.cycle}", 24, False, PLAIN_TEXT),
        (f"{data.generated:%d %B %Y}".lstrip("0"), 18, False, MUTED_TEXT),
        (
            f"{len(data.units)} unit{'s' if len(data.units) != 1 else ''}"
            + (f" ({data.filters})" if data.filters else "")
            + (f", {drafts} not yet signed off (draft)" if drafts else ""),
            16,
            False,
            MUTED_TEXT,
        ),
    ]
    text_box(
        slide, Inches(0.8), Inches(2.2), SLIDE_WIDTH - Inches(1.6), Inches(3.2), lines,
        name="Title",
    )  # fmt: skip
    slide.notes_slide.notes_text_frame.text = (
        f"Maturity of {data.organisation}'s marketing-technology platforms in cycle "
        f"{data.cycle}, generated by Ladder on {data.generated.isoformat()}. The deck shows "
        "the portfolio heatmap, one slide per unit with its top recommendations, the "
        "budget roadmap and the DEOM grid. Draft assessments are included and marked "
        "'draft': their scores may still change before sign-off. Every table is a native "
        "PowerPoint table: edit it as any other."
    )


def heatmap_slides(presentation, data: ReportData) -> None:
    matrix = data.heatmap
    rows = list(zip(data.units, data.maturity, matrix.scores, matrix.levels, strict=True))
    columns = len(matrix.column_labels)
    size = 11 if columns <= 10 else 9 if columns <= 16 else 8
    unit_width, index_width = Inches(2.6), Inches(1.0)
    capability_width = int((CONTENT_WIDTH - unit_width - index_width) / max(columns, 1))
    widths = [unit_width, index_width, *[capability_width] * columns]
    header_height = Inches(0.62)
    row_height = int((BODY_BOTTOM - BODY_TOP - header_height) / UNITS_PER_SLIDE)
    pages = chunks(rows, UNITS_PER_SLIDE)
    for page, chunk in enumerate(pages):
        first = page * UNITS_PER_SLIDE + 1
        subtitle = (
            f"Cycle {data.cycle}"
            + (f" · {data.filters}" if data.filters else "")
            + f" · units {first}–{first + len(chunk) - 1} of {len(rows)}, "
            + sort_description(data.sort, data.capability_names)
            + " · colour = the capability's level, text = its score"
            if chunk
            else f"Cycle {data.cycle}: no unit was assessed"
            + (f" with these filters ({data.filters})" if data.filters else "")
        )
        slide = add_slide(
            presentation,
            "Portfolio heatmap" + (CONTINUED if page else ""),
            subtitle,
            "Units × capabilities. Each cell is the capability's level (its colour) and score "
            "(its text); a grey, blank cell has no score. The maturity index is the mean of "
            "the unit's capability scores. 'draft' marks an assessment not yet signed off.\n\n"
            + SCORING_NOTES,
        )
        add_legend(slide, data.level_names)
        if not chunk:
            continue
        heights = [header_height, *[row_height] * len(chunk)]
        with add_table(slide, widths, MARGIN, BODY_TOP, heights, name="Heatmap") as table:
            header_cell(table.cell(0, 0), "Unit", size=size, align=LEFT)
            header_cell(table.cell(0, 1), "Maturity index", size=size)
            for column, label in enumerate(matrix.column_labels, start=2):
                header_cell(table.cell(0, column), label, size=size - 1)
            for row, (unit, maturity, scores, levels) in enumerate(chunk, start=1):
                fill_cell(table.cell(row, 0), unit.name, size=size, bold=True)
                if unit.is_draft:
                    add_run(table.cell(row, 0), DRAFT_MARK, size=size - 1, colour=MUTED_TEXT)
                fill_cell(table.cell(row, 1), format_score(maturity), size=size, align=CENTER)
                for column, (score, level) in enumerate(zip(scores, levels, strict=True), start=2):
                    level_cell(table.cell(row, column), level, format_score(score), size=size)


def _upgrade_lines(recommendation: Recommendation, data: ReportData) -> list:
    dimensions = data.dimension_names
    held = ", ".join(dimensions.get(d, d) for d in recommendation.binding_dimensions)
    to_level = level_label(recommendation.to_level, data.level_names)
    lines = [
        (recommendation.capability_name, 10, True, PLAIN_TEXT),
        (f"{recommendation.from_level} → {to_level}", 10, False, PLAIN_TEXT),
    ]
    if held:
        lines.append((f"held by {held}", 9, False, MUTED_TEXT))
    return lines


def unit_slide(presentation, data: ReportData, unit: UnitSummary) -> None:
    table_data = unit.table
    details = [
        f"Cycle {data.cycle}",
        f"region {unit.region}" if unit.region else "",
        f"maturity index {format_score(unit.maturity_index) or 'none (nothing scored)'}",
        "draft (not yet signed off)" if unit.is_draft else "signed off",
    ]
    top = unit.recommendations[:TOP_RECOMMENDATIONS]
    notes = [
        f"{unit.name}: each cell is the unit's score for a capability on one dimension, "
        "coloured by its level; ▼ marks the binding dimensions, those that hold the "
        f"capability at its level. The maturity index, {format_score(unit.maturity_index) or 'none'}, "
        "is the mean of the capability scores.",
        "Top recommendations: "
        + (
            "; ".join(
                f"{r.priority}. {r.capability_name} {r.from_level} → {r.to_level}, cost "
                f"{cost_band(r.cost_low, r.cost_high)}, base NPV {usd(r.npv_base)}"
                + (" (negative NPV)" if r.negative_npv else "")
                for r in top
            )
            if top
            else "none: every scored capability is at its target or the top level."
        ),
        RECOMMENDATION_NOTES,
        SCORING_NOTES,
    ]
    slide = add_slide(
        presentation, unit.name, " · ".join(d for d in details if d), "\n\n".join(notes)
    )
    add_legend(slide, data.level_names)
    dimensions = len(table_data.column_labels)
    capabilities = len(table_data.row_labels)
    size = 11 if capabilities <= 10 else 9
    name_width, level_width, score_width = Inches(2.35), Inches(1.15), Inches(0.6)
    dimension_width = int((Inches(8.2) - name_width - level_width - score_width) / dimensions)
    widths = [name_width, *[dimension_width] * dimensions, level_width, score_width]
    header_height = Inches(0.55)
    row_height = min(Inches(0.5), int((BODY_BOTTOM - BODY_TOP - header_height) / capabilities))
    heights = [header_height, *[row_height] * capabilities]
    with add_table(slide, widths, MARGIN, BODY_TOP, heights, name="Unit scores") as table:
        unit_table(table, data, unit, size)
    recommendations_panel(slide, data, unit, top, left=MARGIN + sum(widths) + Inches(0.3))


def unit_table(table: NativeTable, data: ReportData, unit: UnitSummary, size: int) -> None:
    table_data = unit.table
    dimensions = len(table_data.column_labels)
    header_cell(table.cell(0, 0), "Capability", size=size, align=LEFT)
    for column, label in enumerate(table_data.column_labels, start=1):
        header_cell(table.cell(0, column), label, size=size - 2)
    header_cell(table.cell(0, dimensions + 1), "Level", size=size)
    header_cell(table.cell(0, dimensions + 2), "Score", size=size)
    rows = zip(
        table_data.row_labels,
        table_data.scores,
        table_data.levels,
        unit.binding,
        unit.capability_levels,
        unit.capability_scores,
        strict=True,
    )
    for row, (label, scores, levels, binding, level, score) in enumerate(rows, start=1):
        fill_cell(table.cell(row, 0), label, size=size, bold=True)
        cells = zip(scores, levels, binding, strict=True)
        for column, (cell_score, cell_level, holds) in enumerate(cells, start=1):
            text = format_score(cell_score) + (BINDING_MARK if holds else "")
            level_cell(table.cell(row, column), cell_level, text, size=size)
        level_cell(table.cell(row, dimensions + 1), level, level_label(level, data.level_names), size=size)  # fmt: skip
        fill_cell(table.cell(row, dimensions + 2), format_score(score), size=size, align=CENTER)


def recommendations_panel(slide, data, unit, top, *, left) -> None:
    width = SLIDE_WIDTH - MARGIN - left
    text_box(
        slide, left, BODY_TOP - Inches(0.05), width, Inches(0.4), ["Top recommendations"],
        size=14, bold=True, name="Recommendations heading",
    )  # fmt: skip
    below = BODY_TOP + Inches(0.45)
    if not top:
        text_box(
            slide, left, below, width, Inches(1.2),
            ["No upgrade recommended: every scored capability is at its target or the top level."],
            size=12, colour=MUTED_TEXT,
        )  # fmt: skip
        return
    widths = [int(width * 0.5), int(width * 0.26)]
    widths.append(width - sum(widths))
    heights = [Inches(0.35), *[Inches(0.78)] * len(top)]
    with add_table(slide, widths, left, below, heights, name="Recommendations") as table:
        for column, label in enumerate(["Upgrade", "Cost band", "Base NPV"]):
            header_cell(table.cell(0, column), label, size=10)
        for row, recommendation in enumerate(top, start=1):
            fill_cell(table.cell(row, 0), _upgrade_lines(recommendation, data))
            band = cost_band(recommendation.cost_low, recommendation.cost_high)
            fill_cell(table.cell(row, 1), band, size=10, align=CENTER)
            npv = usd(recommendation.npv_base)
            if recommendation.negative_npv:
                npv += " (negative)"
            fill_cell(table.cell(row, 2), npv, size=10, align=CENTER)
    more = len(unit.recommendations) - len(top)
    remarks = []
    if more > 0:
        remarks.append(f"{more} more upgrade{'s' if more != 1 else ''} in the XLSX workbook.")
    missing = sorted({r.benefit_metric for r in top} & set(data.missing_value_bases))
    if missing:
        remarks.append(f"No value base for {', '.join(missing)}: its NPV counts no benefit.")
    if remarks:
        text_box(
            slide, left, below + Inches(0.35 + 0.78 * len(top) + 0.1), width, Inches(0.8),
            remarks, size=10, colour=MUTED_TEXT,
        )  # fmt: skip


ROADMAP_HEADINGS = ["Funding cycle", "Unit", "Capability", "From → to", "Cost (mid)", "Base NPV"]


def roadmap_slides(presentation, data: ReportData) -> None:
    rows = data.roadmap
    inputs = data.inputs
    cycles = sorted({row.funding_cycle for row in rows})
    summary = (
        f"Budget {usd(inputs.budget_per_cycle)} per funding cycle × {inputs.funding_cycles}, "
        f"discount rate {percent(inputs.discount_rate)}"
    )
    if rows:
        summary += (
            f": {len(rows)} upgrade{'s' if len(rows) != 1 else ''} over {len(cycles)} funding "
            f"cycle{'s' if len(cycles) != 1 else ''}, cost {usd(sum(r.cost_mid for r in rows))}, "
            f"base NPV {usd(sum(r.npv_base for r in rows))}"
        )
    notes = (
        "The roadmap chooses, in each funding cycle, the set of one-level upgrades with the "
        "largest total base NPV whose mid-band costs fit the budget per cycle (the exact "
        "optimum, not a greedy pick). Each capability of each unit moves at most one level a "
        "cycle; the next cycle starts from the new levels. An upgrade whose base NPV is not "
        "positive is never chosen. All the units in this deck compete for the one budget; each "
        "cycle's NPVs are as of the start of that cycle."
    )
    widths = [Inches(1.3), Inches(2.7), Inches(3.3), Inches(2.0), Inches(1.5)]
    widths.append(CONTENT_WIDTH - sum(widths))
    header_height = Inches(0.45)
    row_height = int((BODY_BOTTOM - BODY_TOP - header_height) / ROADMAP_ROWS_PER_SLIDE)
    for page, chunk in enumerate(chunks(rows, ROADMAP_ROWS_PER_SLIDE)):
        slide = add_slide(presentation, "Roadmap" + (CONTINUED if page else ""), summary, notes)
        if not chunk:
            reason = (
                "No budget is set: enter the budget per funding cycle on the engagement inputs page."
                if inputs.budget_per_cycle <= 0
                else "Nothing is worth funding: no upgrade with a positive base NPV fits the budget."
            )
            text_box(slide, MARGIN, BODY_TOP, CONTENT_WIDTH, Inches(1), [reason], size=16)
            continue
        heights = [header_height, *[row_height] * len(chunk)]
        with add_table(slide, widths, MARGIN, BODY_TOP, heights, name="Roadmap") as table:
            for column, label in enumerate(ROADMAP_HEADINGS):
                header_cell(table.cell(0, column), label)
            for row, line in enumerate(chunk, start=1):
                values = [
                    str(line.funding_cycle),
                    line.unit_name,
                    line.capability_name,
                    f"{line.from_level} → {level_label(line.to_level, data.level_names)}",
                    usd(line.cost_mid),
                    usd(line.npv_base),
                ]
                for column, value in enumerate(values):
                    align = LEFT if column in (1, 2) else CENTER
                    fill_cell(table.cell(row, column), value, align=align)


def deom_slide(presentation, data: ReportData) -> None:
    inputs = data.inputs
    notes = (
        "DEOM places every recommended upgrade of the units in this deck on a 2 × 2 grid. "
        "Autonomy is high when the upgrade's high-end cost (after the level's multiplier) is "
        f"at most the local budget bound ({usd(inputs.local_budget_bound)}): a unit can fund "
        "it alone. Impact is high when its base NPV reaches the impact threshold "
        f"({usd(inputs.impact_threshold)}). High impact and low autonomy: Centralized Scale; "
        "high impact and high autonomy: Guardrailed Innovation; low impact and high autonomy: "
        "Tactical Optimization; low impact and low autonomy: Strategic Hold."
    )
    slide = add_slide(
        presentation,
        "DEOM grid",
        f"{len(data.recommendations)} recommended upgrades · local budget bound "
        f"{usd(inputs.local_budget_bound)} · impact threshold {usd(inputs.impact_threshold)}",
        notes,
    )
    corner = Inches(2.2)
    half = int((CONTENT_WIDTH - corner) / 2)
    cell_height = int((BODY_BOTTOM - BODY_TOP - Inches(0.5)) / 2)
    widths, heights = [corner, half, half], [Inches(0.5), cell_height, cell_height]
    with add_table(slide, widths, MARGIN, BODY_TOP, heights, name="DEOM") as table:
        header_cell(table.cell(0, 0), "")
        bound, threshold = usd(inputs.local_budget_bound), usd(inputs.impact_threshold)
        header_cell(table.cell(0, 1), f"Low autonomy: high-end cost above {bound}")
        header_cell(table.cell(0, 2), f"High autonomy: high-end cost within {bound}")
        impacts = {
            "high": f"High impact: base NPV ≥ {threshold}",
            "low": f"Low impact: below {threshold}",
        }
        for row, quadrants in enumerate(data.deom, start=1):
            header_cell(table.cell(row, 0), impacts[quadrants[0].impact])
            for column, quadrant in enumerate(quadrants, start=1):
                count = len(quadrant.recommendations)
                # The largest first: those are the ones a steering committee asks about.
                largest = sorted(quadrant.recommendations, key=lambda r: -r.npv_base)
                listed = [
                    f"{r.unit_name} — {r.capability_name} {r.from_level} → {r.to_level} "
                    f"({usd(r.npv_base)})"
                    for r in largest[:DEOM_LISTED]
                ]
                if count > DEOM_LISTED:
                    listed.append(f"… and {count - DEOM_LISTED} more")
                fill_cell(
                    table.cell(row, column),
                    [
                        (quadrant.mode, 14, True, PLAIN_TEXT),
                        (f"{count} upgrade{'s' if count != 1 else ''}", 11, False, MUTED_TEXT),
                        *[(line, 10, False, PLAIN_TEXT) for line in listed],
                    ],
                )
                table.cell(row, column).anchor = "t"


# --- the deck ----------------------------------------------------------------------------------


def slide_count(data: ReportData) -> int:
    """Title, heatmap pages, units, roadmap pages, DEOM."""
    heatmap = max(1, math.ceil(len(data.units) / UNITS_PER_SLIDE))
    roadmap = max(1, math.ceil(len(data.roadmap) / ROADMAP_ROWS_PER_SLIDE))
    return 1 + heatmap + len(data.units) + roadmap + 1


def deck_pptx(data: ReportData) -> bytes:
    presentation = Presentation()
    presentation.slide_width = SLIDE_WIDTH
    presentation.slide_height = SLIDE_HEIGHT
    title_slide(presentation, data)
    heatmap_slides(presentation, data)
    for unit in data.units:
        unit_slide(presentation, data, unit)
    roadmap_slides(presentation, data)
    deom_slide(presentation, data)
    presentation.core_properties.title = f"{data.organisation} — {data.cycle}"
    presentation.core_properties.author = "Ladder"
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()
