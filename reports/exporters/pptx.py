"""The PowerPoint deck, from plain data (reports.export_data.ReportData) to bytes.

16:9 (13.333 × 7.5 in) on the default template's blank layout: every title is a text
box placed and sized here (the template's placeholders keep a 4:3 geometry and would
overlap the tables), and every table is a native, editable table whose cells are
filled with the level colours of reports/levels.py. Slides:

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
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from reports.exporters.xlsx import hex_rrggbb
from reports.levels import (
    NO_SCORE_LABEL,
    format_score,
    level_fill,
    level_label,
    level_text_colour,
)

if TYPE_CHECKING:
    from assessments.recommendations import Recommendation
    from reports.export_data import ReportData, UnitSummary

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
    """$0.5M, $3.97M, $50k, $950; a minus sign for negative amounts."""
    sign = "−" if amount < 0 else ""
    value = abs(amount)
    if value >= 100_000:
        text = f"{value / 1_000_000:.2f}".rstrip("0").rstrip(".")
        return f"{sign}${text}M"
    if value >= 1_000:
        return f"{sign}${value / 1_000:.0f}k"
    return f"{sign}${value:.0f}"


def cost_band(low: float, high: float) -> str:
    return f"{usd(low)}–{usd(high)}"


def percent(rate: float) -> str:
    return f"{rate * 100:.4f}".rstrip("0").rstrip(".") + " %"


def sort_description(sort: str, capability_names: dict[str, str]) -> str:
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    if key == "maturity":
        return f"{'highest' if descending else 'lowest'} maturity index first"
    if key == "name":
        return "by name" + (", Z to A" if descending else "")
    name = capability_names.get(key, key)
    return f"{'strongest' if descending else 'weakest'} on {name} first"


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(hex_rrggbb(colour))


def chunks(items: Sequence, size: int) -> list[Sequence]:
    """Items in slices of `size`; one empty slice when there are none (the slide still
    says so)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


# --- shapes ------------------------------------------------------------------------------------


def _paragraph(paragraph, text: str, *, size: int, colour: str, bold=False, align=None):
    run = paragraph.add_run()
    run.text = text
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = _rgb(colour)
    # An empty cell's height follows its end-of-paragraph font: keep it at the run's size.
    paragraph._p.get_or_add_endParaRPr().set("sz", str(size * 100))
    if align is not None:
        paragraph.alignment = align
    return run


def text_box(slide, left, top, width, height, lines, *, size=14, colour=PLAIN_TEXT, bold=False):
    """A text box with one paragraph per line (a line is text or (text, size, bold, colour))."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for number, line in enumerate(lines):
        text, line_size, line_bold, line_colour = (
            line if isinstance(line, tuple) else (line, size, bold, colour)
        )
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        _paragraph(paragraph, text, size=line_size, colour=line_colour, bold=line_bold)
    return box


def add_slide(presentation, title: str, subtitle: str, notes: str):
    slide = presentation.slides.add_slide(presentation.slide_layouts[BLANK_LAYOUT])
    box = text_box(
        slide, MARGIN, TITLE_TOP, CONTENT_WIDTH, TITLE_HEIGHT, [title], size=28, bold=True
    )
    box.name = "Title"
    box.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    if subtitle:
        text_box(
            slide,
            MARGIN,
            SUBTITLE_TOP,
            CONTENT_WIDTH,
            SUBTITLE_HEIGHT,
            [subtitle],
            size=14,
            colour=MUTED_TEXT,
        ).name = "Subtitle"
    slide.notes_slide.notes_text_frame.text = notes
    return slide


def add_table(slide, rows: int, widths: Sequence[int], left, top, row_heights: Sequence[int]):
    shape = slide.shapes.add_table(rows, len(widths), left, top, sum(widths), sum(row_heights))
    table = shape.table
    table.horz_banding = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Emu(int(width))
    for row, height in zip(table.rows, row_heights, strict=True):
        row.height = Emu(int(height))
    return shape, table


def fill_cell(cell, lines, *, fill=PLAIN_FILL, colour=PLAIN_TEXT, size=11, bold=False, align=None):
    """Set a cell's fill and text (a string, or lines as for text_box)."""
    cell.fill.solid()
    cell.fill.fore_color.rgb = _rgb(fill)
    cell.margin_left = cell.margin_right = Inches(0.05)
    cell.margin_top = cell.margin_bottom = Inches(0.02)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame = cell.text_frame
    frame.word_wrap = True
    for number, line in enumerate([lines] if isinstance(lines, str) else lines):
        text, line_size, line_bold, line_colour = (
            line if isinstance(line, tuple) else (line, size, bold, colour)
        )
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        _paragraph(paragraph, text, size=line_size, colour=line_colour, bold=line_bold, align=align)


def level_cell(cell, level, text: str, *, size=11):
    fill_cell(
        cell,
        text,
        fill=level_fill(level),
        colour=level_text_colour(level),
        size=size,
        align=PP_ALIGN.CENTER,
    )


def header_cell(cell, text: str, *, size=11, align=PP_ALIGN.CENTER):
    fill_cell(cell, text, fill=HEADER_FILL, colour=HEADER_TEXT, size=size, bold=True, align=align)


def add_legend(slide, level_names: dict[int, str], top=LEGEND_TOP):
    """One coloured box per level, then "no score", along the bottom of the slide."""
    entries = [(n, level_label(n, level_names)) for n in sorted(level_names)]
    entries.append((None, NO_SCORE_LABEL))
    label_width = Inches(2.1)
    text_box(
        slide,
        MARGIN,
        top,
        label_width,
        LEGEND_HEIGHT,
        ["Colour = level, text = score:"],
        size=10,
        colour=MUTED_TEXT,
    ).name = "Legend"
    width = min(Inches(1.55), int((CONTENT_WIDTH - label_width) / len(entries)))
    for position, (level, label) in enumerate(entries):
        box = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, MARGIN + label_width + position * width, top, width, LEGEND_HEIGHT
        )
        box.name = f"Legend {label}"
        box.fill.solid()
        box.fill.fore_color.rgb = _rgb(level_fill(level))
        box.line.color.rgb = _rgb("#ffffff")
        box.shadow.inherit = False
        frame = box.text_frame
        frame.margin_top = frame.margin_bottom = 0
        _paragraph(
            frame.paragraphs[0],
            label,
            size=10,
            colour=level_text_colour(level),
            align=PP_ALIGN.CENTER,
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
    box = text_box(slide, Inches(0.8), Inches(2.2), SLIDE_WIDTH - Inches(1.6), Inches(3.2), lines)
    box.name = "Title"
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
        _, table = add_table(
            slide,
            len(chunk) + 1,
            widths,
            MARGIN,
            BODY_TOP,
            [header_height, *[row_height] * len(chunk)],
        )
        header_cell(table.cell(0, 0), "Unit", size=size, align=PP_ALIGN.LEFT)
        header_cell(table.cell(0, 1), "Maturity index", size=size)
        for column, label in enumerate(matrix.column_labels, start=2):
            header_cell(table.cell(0, column), label, size=size - 1)
        for row, (unit, maturity, scores, levels) in enumerate(chunk, start=1):
            fill_cell(table.cell(row, 0), unit.name, size=size, bold=True)
            if unit.is_draft:
                paragraph = table.cell(row, 0).text_frame.paragraphs[0]
                _paragraph(paragraph, DRAFT_MARK, size=size - 1, colour=MUTED_TEXT)
            fill_cell(table.cell(row, 1), format_score(maturity), size=size, align=PP_ALIGN.CENTER)
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
    _, table = add_table(
        slide, capabilities + 1, widths, MARGIN, BODY_TOP, [header_height, *[row_height] * capabilities]
    )  # fmt: skip
    header_cell(table.cell(0, 0), "Capability", size=size, align=PP_ALIGN.LEFT)
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
        fill_cell(table.cell(row, dimensions + 2), format_score(score), size=size, align=PP_ALIGN.CENTER)  # fmt: skip
    recommendations_panel(slide, data, unit, top, left=MARGIN + sum(widths) + Inches(0.3))


def recommendations_panel(slide, data, unit, top, *, left) -> None:
    width = SLIDE_WIDTH - MARGIN - left
    text_box(
        slide, left, BODY_TOP - Inches(0.05), width, Inches(0.4), ["Top recommendations"],
        size=14, bold=True,
    ).name = "Recommendations heading"  # fmt: skip
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
    shape, table = add_table(
        slide, len(top) + 1, widths, left, below, [Inches(0.35), *[Inches(0.78)] * len(top)]
    )
    shape.name = "Recommendations"
    for column, label in enumerate(["Upgrade", "Cost band", "Base NPV"]):
        header_cell(table.cell(0, column), label, size=10)
    for row, recommendation in enumerate(top, start=1):
        fill_cell(table.cell(row, 0), _upgrade_lines(recommendation, data))
        fill_cell(
            table.cell(row, 1),
            cost_band(recommendation.cost_low, recommendation.cost_high),
            size=10,
            align=PP_ALIGN.CENTER,
        )
        npv = usd(recommendation.npv_base) + (" (negative)" if recommendation.negative_npv else "")
        fill_cell(table.cell(row, 2), npv, size=10, align=PP_ALIGN.CENTER)
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
        _, table = add_table(
            slide, len(chunk) + 1, widths, MARGIN, BODY_TOP, [header_height, *[row_height] * len(chunk)]
        )  # fmt: skip
        headings = ["Funding cycle", "Unit", "Capability", "From → to", "Cost (mid)", "Base NPV"]
        for column, label in enumerate(headings):
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
                fill_cell(
                    table.cell(row, column),
                    value,
                    align=PP_ALIGN.LEFT if column in (1, 2) else PP_ALIGN.CENTER,
                )


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
    _, table = add_table(
        slide, 3, [corner, half, half], MARGIN, BODY_TOP, [Inches(0.5), cell_height, cell_height]
    )
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
            table.cell(row, column).vertical_anchor = MSO_ANCHOR.TOP


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
