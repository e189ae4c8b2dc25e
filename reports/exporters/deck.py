"""The PowerPoint deck, from plain data (reports.domain.report_data.ReportData) to bytes: a
story a board can follow, every table a native table and every chart a native chart
(its data in the chart's embedded workbook), text at 12 pt or more.

Slides (docs/deliverables.md, "The deck"):

1. title; 2. executive summary (maturity and its change, weakest capabilities, the
   investment per funding cycle with base NPV and best–downside range, what needs a
   decision);
3. the portfolio heatmap, units × capabilities (cells "level · score"), continued by rows
   and split by columns as the content needs;
4. the trend since the previous cycle (a chart), when there is one;
5. per unit: capabilities against target and the portfolio median (a chart), the top
   upgrades worth funding with cost band, NPV range, time-to-value and payback month,
   and what is not worth funding at these inputs;
6. the roadmap: cost per funding cycle stacked by unit, investment against return
   (charts), then its table;
7. the DEOM grid: counts and the largest upgrades per quadrant;
8. appendix: every unit's capability × dimension table, the whole DEOM list, upgrades not
   worth funding, assumptions and method.

Every slide has a headline title stating its finding, speaker notes, a slide number, the
source line "Ladder · organisation · cycle · date" and the optional confidentiality
label. Sizes are computed from the slide and the content (any number of capabilities,
dimensions and levels). With a template (.pptx), slides use its master and layouts.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Emu, Inches

from reports.domain import money
from reports.domain.levels import (
    NO_SCORE_LABEL,
    format_score,
    level_and_score,
    level_fill,
    level_label,
    level_palette,
    level_text_colour,
)
from reports.domain.money import percent
from reports.domain.planning import ASSUMED, Recommendation
from reports.domain.report_data import ReportData, UnitSummary

from .pptx_shapes import (  # the legend's boxes
    CENTER,
    LEFT,
    MIN_POINTS,
    MUTED_TEXT,
    PLAIN_TEXT,
    RIGHT,
    Series,
    _paragraphs_xml,
    _xfrm,
    add_chart,
    add_shape_xml,
    add_table,
    fill_cell,
    header_cell,
    row_height,
    text_box,
    text_lines,
)

WIDE = (Inches(13.333), Inches(7.5))
MARGIN = Inches(0.4)
BINDING_MARK = " ▼"
CONTINUED = " (continued)"
DRAFT_MARK = " (draft)"
TOP_UPGRADES = 3
DEOM_TOP = 3
CURRENT_COLOUR, PREVIOUS_COLOUR, TARGET_COLOUR, MEDIAN_COLOUR = (
    "#313695", "#adb5bd", "#212529", "#868e96",
)  # fmt: skip
NOT_WORTH = "not worth funding at these inputs"
# Units in the roadmap's stacks: neutral blues and greys, not the level colours.
UNIT_COLOURS = ["#1f3b73", "#5b7db1", "#9db9dc", "#495057", "#868e96", "#ced4da", "#0b7285"]
MONEY_AXIS = '"$"0.0,,"M"'

SCORING_NOTES = """How the scores were computed:
1. Each answer has a level: the chosen option's level, or the measured value mapped through the question's thresholds. "Don't know" counts as the lowest level (and is flagged); "not applicable" is left out.
2. A unit's level on a question is the median of its respondents' levels (the lower of the two middle ones on an even count).
3. A cell (capability × dimension) score is the weighted mean of its question levels. Its level is the score rounded down: a level counts only when it is fully reached.
4. A capability's level is its lowest dimension level (a capability is as mature as its weakest dimension, the binding one); its score is the mean of its dimension scores. A cell reads "level · score"; * marks a capability held below the level of its mean by a weaker dimension.
5. A unit's maturity index is the mean of its capability scores.
6. Where nothing could be scored, the cell is blank and grey: never 0 or 1."""

RECOMMENDATION_NOTES = """How the recommendations were computed: every scored capability below the top level (and below its target) gets the upgrade to the next level only, never two levels at once. Its cost band is the capability's band times the framework's multiplier for the target level. Its 24-month NPV is discounted monthly at the engagement's yearly rate, with the cost spent evenly over the first 12 months and the benefit starting after the time-to-value; the value base is the unit's own where the consultant set one, else the organisation's. Best: low cost, full benefit; base: mid-band cost, 75 % of the benefit; downside: high cost, 40 %. The payback month is the first month whose cumulative discounted base cash flow is positive. Priority ranks the upgrades by base NPV per dollar of mid-band cost; an upgrade whose base NPV is negative is not worth funding at these inputs and is never recommended."""


def usd(amount: float) -> str:
    """Money on a slide: $0.5M, $3.97M, $50k, $950."""
    return money.usd(amount, compact=True)


def cost_band(r: Recommendation) -> str:
    band = money.usd_band(r.cost_low, r.cost_high, compact=True)
    return f"{band} ({ASSUMED})" if r.cost_is_assumption else band


def npv_range(best: float, base: float, downside: float) -> str:
    return f"{usd(base)} ({usd(downside)} to {usd(best)})"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def chunks(items: Sequence, size: int) -> list[Sequence]:
    """Items in slices of `size`; one empty slice when there are none."""
    size = max(1, size)
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def balanced(count: int, most: int) -> list[range]:
    """0…count−1 in as few groups of at most `most` as possible, of near-equal size."""
    groups = max(1, math.ceil(count / max(1, most)))
    size = math.ceil(count / groups) if count else 0
    return [range(start, min(start + size, count)) for start in range(0, count, size or 1)] or [
        range(0)
    ]


@dataclass(frozen=True)
class Geometry:
    """Where things go on this presentation's slides, from its size."""

    width: int
    height: int
    title_top: int = Inches(0.25)
    title_height: int = Inches(0.95)
    subtitle_height: int = Inches(0.4)

    @property
    def content_width(self) -> int:
        return self.width - 2 * MARGIN

    @property
    def subtitle_top(self) -> int:
        return self.title_top + self.title_height

    @property
    def body_top(self) -> int:
        return self.subtitle_top + self.subtitle_height + Inches(0.1)

    @property
    def footer_top(self) -> int:
        return self.height - Inches(0.45)

    @property
    def legend_top(self) -> int:
        return self.footer_top - Inches(0.45)

    @property
    def body_bottom(self) -> int:
        """Bottom of the body on slides with a legend."""
        return self.legend_top - Inches(0.1)

    @property
    def body_bottom_plain(self) -> int:
        return self.footer_top - Inches(0.1)


class Deck:
    """One deck being written: the presentation, its geometry, the data, the slide count."""

    def __init__(self, data: ReportData, template: bytes | None, confidentiality: str):
        self.data = data
        self.confidentiality = confidentiality.strip()
        if template:
            self.presentation = Presentation(io.BytesIO(template))
        else:
            self.presentation = Presentation()
            self.presentation.slide_width, self.presentation.slide_height = WIDE
        self.layout, self.title_placeholder = self._layout(bool(template))
        top, height = Inches(0.25), Inches(0.95)
        if self.title_placeholder is not None:
            top = self.title_placeholder.top
            height = self.title_placeholder.height
        self.geometry = Geometry(
            int(self.presentation.slide_width), int(self.presentation.slide_height),
            title_top=int(top), title_height=int(height),
        )  # fmt: skip
        self.number = 0
        self.level_names = data.level_names
        self.palette = level_palette(data.level_names)

    def _layout(self, template: bool):
        """The template's "Title Only" layout (its title keeps the template's look), else a
        blank layout with our own title box."""
        layouts = list(self.presentation.slide_layouts)
        if template:
            for layout in layouts:
                titles = [p for p in layout.placeholders if p.placeholder_format.type in (1, 3)]
                if layout.name.lower().replace(" ", "") == "titleonly" and titles:
                    return layout, titles[0]
        blank = next((lay for lay in layouts if lay.name.lower() == "blank"), layouts[-1])
        return blank, None

    # --- slide frame ----------------------------------------------------------------------

    def slide(self, title: str, subtitle: str, notes: str):
        g = self.geometry
        slide = self.presentation.slides.add_slide(self.layout)
        self.number += 1
        # placeholders the layout brings other than the title (dates, footers) stay empty
        for placeholder in list(slide.placeholders):
            if placeholder.placeholder_format.type not in (1, 3):
                placeholder._element.getparent().remove(placeholder._element)
        if self.title_placeholder is not None and slide.shapes.title is not None:
            shape = slide.shapes.title
            shape.text_frame.text = title
            for run in shape.text_frame.paragraphs[0].runs:
                run.font.size = Emu(Inches(0.39))  # 28 pt, the template's face and colour
            shape.name = "Title"
        else:
            text_box(
                slide, MARGIN, g.title_top, g.content_width, g.title_height, [title], size=24,
                bold=True, name="Title", anchor="b",
            )  # fmt: skip
        if subtitle:
            text_box(
                slide, MARGIN, g.subtitle_top, g.content_width, g.subtitle_height, [subtitle],
                size=14, colour=MUTED_TEXT, name="Subtitle",
            )  # fmt: skip
        self.footer(slide)
        slide.notes_slide.notes_text_frame.text = notes
        return slide

    def footer(self, slide) -> None:
        g, data = self.geometry, self.data
        source = f"Ladder · {data.organisation} · {data.cycle} · {data.generated.isoformat()}"
        third = int(g.content_width / 3)
        text_box(
            slide, MARGIN, g.footer_top, 2 * third, Inches(0.35), [source], size=MIN_POINTS,
            colour=MUTED_TEXT, name="Footer source", anchor="ctr",
        )  # fmt: skip
        if self.confidentiality:
            text_box(
                slide, MARGIN + 2 * third, g.footer_top, third - Inches(0.7), Inches(0.35),
                [self.confidentiality], size=MIN_POINTS, bold=True, colour="#842029",
                name="Footer confidentiality", anchor="ctr", align=RIGHT,
            )  # fmt: skip
        text_box(
            slide, g.width - MARGIN - Inches(0.6), g.footer_top, Inches(0.6), Inches(0.35),
            [str(self.number)], size=MIN_POINTS, colour=MUTED_TEXT, name="Slide number",
            anchor="ctr", align=RIGHT,
        )  # fmt: skip

    def legend(self, slide, held: bool = True) -> None:
        """One coloured box per level of the framework, then "no score"; the text colour
        of each box is the one that reads on it."""
        g = self.geometry
        entries = [(c.level, level_label(c.level, self.level_names)) for c in self.palette]
        entries.append((None, NO_SCORE_LABEL))
        label = "Cell = level · score" + (" (* held by a weaker dimension)" if held else "")
        label_width = Inches(3.6 if held else 1.9)
        text_box(
            slide, MARGIN, g.legend_top, label_width, Inches(0.36), [label], size=MIN_POINTS,
            colour=MUTED_TEXT, name="Legend", anchor="ctr",
        )  # fmt: skip
        width = min(Inches(1.6), int((g.content_width - label_width) / len(entries)))
        for position, (level, text) in enumerate(entries):
            xfrm = _xfrm(MARGIN + label_width + position * width, g.legend_top, width, Inches(0.36))
            colour = level_text_colour(level, self.level_names)
            paragraph = _paragraphs_xml([[(text, MIN_POINTS, False, colour)]], CENTER)
            fill = level_fill(level, self.level_names)
            add_shape_xml(
                slide,
                f'<p:sp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
                f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:nvSpPr>'
                f'<p:cNvPr id="0" name=""/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>{xfrm}'
                f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr '
                f'val="{fill.lstrip("#").upper()}"/></a:solidFill><a:ln w="12700"><a:solidFill>'
                '<a:srgbClr val="FFFFFF"/></a:solidFill></a:ln></p:spPr><p:txBody><a:bodyPr '
                'wrap="none" lIns="0" rIns="0" tIns="0" bIns="0" anchor="ctr"><a:normAutofit/>'
                f"</a:bodyPr><a:lstStyle/>{paragraph}</p:txBody></p:sp>",
                f"Legend {text}",
            )

    def level_cell(self, cell, level, text: str) -> None:
        fill_cell(
            cell, text, fill=level_fill(level, self.level_names),
            colour=level_text_colour(level, self.level_names), align=CENTER,
        )  # fmt: skip

    def save(self) -> bytes:
        self.presentation.core_properties.title = f"{self.data.organisation} — {self.data.cycle}"
        self.presentation.core_properties.author = "Ladder"
        buffer = io.BytesIO()
        self.presentation.save(buffer)
        return buffer.getvalue()


# --- what the story says ------------------------------------------------------------------------


def weakest_capabilities(data: ReportData, count: int = 3) -> list[tuple[str, float, str]]:
    """(capability name, median score, weakest unit's name) for the lowest medians."""
    found = []
    for position, (median, (_, name)) in enumerate(
        zip(data.capability_medians, data.capabilities, strict=True)
    ):
        if median is None:
            continue
        scored = [
            (unit.capability_scores[position], unit.name)
            for unit in data.units
            if unit.capability_scores[position] is not None
        ]
        weakest = min(scored)[1] if scored else ""
        found.append((median, name, weakest))
    found.sort()
    return [(name, median, weakest) for median, name, weakest in found[:count]]


def change_text(after: float | None, before: float | None) -> str:
    if after is None or before is None:
        return ""
    change = round(after, 2) - round(before, 2)
    return f"{change:+.2f}".replace("-", "−")


def funding_summary(data: ReportData) -> list[tuple[int, list, float, float, float, float]]:
    """(funding cycle, rows, cost, base, best, downside NPV) per funding cycle."""
    return [
        (
            number,
            rows,
            sum(r.cost_mid for r in rows),
            sum(r.npv_base for r in rows),
            sum(r.npv_best for r in rows),
            sum(r.npv_downside for r in rows),
        )  # fmt: skip
        for number, rows in data.funding_cycles
    ]


# --- slides --------------------------------------------------------------------------------------


def title_slide(deck: Deck) -> None:
    data, g = deck.data, deck.geometry
    drafts = sum(unit.is_draft for unit in data.units)
    slide = deck.slide(
        data.organisation,
        "",
        f"Maturity of {data.organisation}'s marketing-technology platforms in cycle "
        f"{data.cycle}, generated by Ladder on {data.generated.isoformat()}. The deck opens "
        "with the executive summary, then the portfolio, the trend since the previous cycle, "
        "one slide per unit, the budget roadmap and the DEOM grid; the appendix holds every "
        "unit's scores, the full lists and the assumptions. Draft assessments are included and "
        "marked 'draft'. Every table and chart is native: edit it as any other.",
    )
    lines = [
        ("Infrastructure maturity assessment", 28, True, PLAIN_TEXT),
        (f"Cycle {data.cycle} · {data.generated:%d %B %Y}".replace(" 0", " "), 20, False, PLAIN_TEXT),
        (
            plural(len(data.units), "unit")
            + (f" ({data.filters})" if data.filters else "")
            + (f", {drafts} not yet signed off (draft)" if drafts else ""),
            18, False, MUTED_TEXT,
        ),
    ]  # fmt: skip
    text_box(
        slide, MARGIN, g.body_top + Inches(0.8), g.content_width, Inches(2.6), lines,
        name="Title details",
    )  # fmt: skip


def summary_slide(deck: Deck) -> None:
    data, g = deck.data, deck.geometry
    median, before = data.median_maturity, data.previous_median_maturity
    change = change_text(median, before)
    cycles = funding_summary(data)
    first = cycles[0] if cycles else None
    headline = f"Median maturity {format_score(median) or 'not scored'}"
    if change:
        headline += f" ({change} since {data.previous_cycle})"
    if first:
        headline += f"; funding cycle 1: {usd(first[2])} buys base NPV {usd(first[3])}"
    maturity = [
        f"Median maturity index {format_score(median) or '—'} across {plural(len(data.units), 'unit')}"
    ]
    if data.previous_cycle:
        improved = sum(
            1 for u in data.units
            if u.maturity_index is not None and u.previous_maturity is not None
            and round(u.maturity_index, 2) > round(u.previous_maturity, 2)
        )  # fmt: skip
        declined = sum(
            1 for u in data.units
            if u.maturity_index is not None and u.previous_maturity is not None
            and round(u.maturity_index, 2) < round(u.previous_maturity, 2)
        )  # fmt: skip
        maturity.append(
            f"{format_score(before) or '—'} in {data.previous_cycle} → {format_score(median) or '—'} "
            f"now: {improved} improved, {declined} declined"
        )
    weakest = [
        f"{name}: median {format_score(m)} (lowest: {unit})"
        for name, m, unit in weakest_capabilities(data)
    ]
    invest = [
        f"Funding cycle {n}: {usd(cost)} for {plural(len(rows), 'upgrade')} → base NPV "
        f"{usd(base)} ({usd(down)} to {usd(best)})"
        for n, rows, cost, base, best, down in cycles[:3]
    ] or ["No upgrade is funded: " + ("no budget is set." if data.inputs.budget_per_cycle <= 0 else "nothing affordable has a positive base NPV.")]  # fmt: skip
    decisions = []
    if first:
        decisions.append(
            f"Approve funding cycle 1: {usd(first[2])} of the {usd(data.inputs.budget_per_cycle)} budget"
        )
    assumed = sum(1 for r in data.roadmap if r.cost_is_assumption)
    if assumed:
        decisions.append(
            f"{plural(assumed, 'planned upgrade')} rest on assumed cost bands: get quotes before committing"
        )
    negative = len(data.not_worth_funding)
    if negative:
        decisions.append(
            f"{plural(negative, 'upgrade')} {'is' if negative == 1 else 'are'} {NOT_WORTH}: do not fund"
        )
    if data.missing_value_bases:
        decisions.append(f"Set a value base for {', '.join(data.missing_value_bases)}")
    drafts = sum(unit.is_draft for unit in data.units)
    if drafts:
        decisions.append(f"{plural(drafts, 'unit')} still to sign off: scores may change")
    sections = [
        ("Portfolio maturity", maturity),
        ("Weakest capabilities across units", weakest or ["Nothing scored yet"]),
        ("Recommended investment (base NPV, downside to best)", invest),
        ("What needs a decision", decisions or ["Nothing beyond the plan above"]),
    ]
    notes = (
        "Executive summary. Median maturity: the median of the units' maturity indices "
        "(mean capability scores). Weakest capabilities: the lowest median capability scores "
        "across the units shown. Investment: the roadmap's funding cycles, each the set of "
        "one-level upgrades with the largest total base NPV within the budget. "
        + RECOMMENDATION_NOTES
    )
    slide = deck.slide(
        headline, f"Cycle {data.cycle}" + (f" · {data.filters}" if data.filters else ""), notes
    )
    half = int((g.content_width - Inches(0.3)) / 2)
    height = int((g.body_bottom_plain - g.body_top - Inches(0.2)) / 2)
    for index, (heading, items) in enumerate(sections):
        left = MARGIN + (index % 2) * (half + Inches(0.3))
        top = g.body_top + (index // 2) * (height + Inches(0.2))
        lines = [
            [(heading, 20, True, PLAIN_TEXT)],
            [("", 8, False, PLAIN_TEXT)],
            *[[(item, 16, False, PLAIN_TEXT)] for item in items],
        ]
        text_box(
            slide,
            left,
            top,
            half,
            height,
            lines,
            name=f"Summary {heading}",
            bullet=False,
            fill="#f8f9fa",
        )


def heatmap_slides(deck: Deck) -> None:
    data, g = deck.data, deck.geometry
    matrix = data.heatmap
    units = list(zip(data.units, data.maturity, matrix.scores, matrix.levels, strict=True))
    longest = max(
        (len(u.name) + (len(DRAFT_MARK) if u.is_draft else 0) for u in data.units), default=8
    )
    unit_width = min(Inches(3.0), max(Inches(1.6), int(longest * Inches(0.09) + Inches(0.25))))
    index_width = Inches(1.15)
    room = g.content_width - unit_width - index_width
    per_slide = max(1, int(room / Inches(1.1)))
    groups = balanced(len(matrix.column_labels), per_slide)
    weakest = weakest_capabilities(data, 1)
    headline = (
        f"{weakest[0][0]} is the weakest capability: median {format_score(weakest[0][1])}"
        if weakest
        else "Portfolio heatmap"
    )
    notes = (
        "Units × capabilities. Each cell shows the capability's level (its colour) and score: "
        "'2 · 3.04'; * marks a capability held below the level of its mean by a weaker "
        "dimension; a grey, blank cell has no score. The maturity index is the mean of the "
        "unit's capability scores. 'draft' marks an assessment not yet signed off.\n\n"
        + SCORING_NOTES
    )
    page = 0
    for group in groups:
        width = min(Inches(1.7), int(room / max(1, len(group))))
        labels = [matrix.column_labels[c] for c in group]
        header = max(row_height([("Maturity index", index_width)]), *(row_height([(label, width)]) for label in labels)) if labels else Inches(0.5)  # fmt: skip
        line = Inches(0.4)
        rows_per_slide = max(1, int((g.body_bottom - g.body_top - header) / line))
        # few units: rows grow to fill the slide, up to 0.6 in
        line = max(
            line,
            min(
                Inches(0.6),
                int(
                    (g.body_bottom - g.body_top - header) / max(1, min(rows_per_slide, len(units)))
                ),
            ),
        )
        for chunk_index, chunk in enumerate(chunks(units, rows_per_slide)):
            first = chunk_index * rows_per_slide + 1
            parts = [f"Cycle {data.cycle}"]
            if data.filters:
                parts.append(data.filters)
            if chunk:
                parts.append(f"units {first}–{first + len(chunk) - 1} of {len(units)}")
            if len(groups) > 1:
                parts.append(
                    f"capabilities {group.start + 1}–{group.stop} of {len(matrix.column_labels)}"
                )
            title = headline + (CONTINUED if page else "")
            slide = deck.slide(title, " · ".join(parts), notes)
            page += 1
            deck.legend(slide)
            if not chunk:
                text_box(slide, MARGIN, g.body_top, g.content_width, Inches(1), [f"No unit was assessed in {data.cycle}" + (f" with these filters ({data.filters})" if data.filters else "")], size=16)  # fmt: skip
                continue
            widths = [unit_width, index_width, *[width] * len(group)]
            heights = [header, *[line] * len(chunk)]
            with add_table(slide, widths, MARGIN, g.body_top, heights, name="Heatmap") as table:
                header_cell(table.cell(0, 0), "Unit", align=LEFT)
                header_cell(table.cell(0, 1), "Maturity index")
                for column, label in enumerate(labels, start=2):
                    header_cell(table.cell(0, column), label)
                for row, (unit, maturity, scores, levels) in enumerate(chunk, start=1):
                    runs = [(unit.name, MIN_POINTS, True, PLAIN_TEXT)]
                    if unit.is_draft:
                        runs.append((DRAFT_MARK, MIN_POINTS, False, MUTED_TEXT))
                    fill_cell(table.cell(row, 0), [runs])
                    fill_cell(table.cell(row, 1), format_score(maturity), align=CENTER)
                    for column, c in enumerate(group, start=2):
                        deck.level_cell(
                            table.cell(row, column),
                            levels[c],
                            level_and_score(levels[c], scores[c]),
                        )


def trend_slide(deck: Deck) -> None:
    data, g = deck.data, deck.geometry
    if not data.previous_cycle:
        return
    units = [
        u for u in data.units if u.maturity_index is not None or u.previous_maturity is not None
    ]
    improved = [u for u in units if u.maturity_index is not None and u.previous_maturity is not None and round(u.maturity_index, 2) > round(u.previous_maturity, 2)]  # fmt: skip
    change = change_text(data.median_maturity, data.previous_median_maturity)
    headline = (
        f"{len(improved)} of {plural(len(units), 'unit')} improved since {data.previous_cycle}; "
        f"median {format_score(data.previous_median_maturity) or '—'} → {format_score(data.median_maturity) or '—'}"
        + (f" ({change})" if change else "")
    )
    notes = (
        f"Maturity index per unit in {data.previous_cycle} and {data.cycle} (grey and blue "
        "bars), and how many of its capabilities moved a level up or down. A unit improved "
        "when its maturity index, shown to two decimals, rose. Blank where a unit was not "
        "scored in a cycle."
    )
    for page, chunk in enumerate(chunks(units, 16)):
        slide = deck.slide(
            headline + (CONTINUED if page else ""),
            f"Maturity index, {data.previous_cycle} and {data.cycle}",
            notes,
        )
        chart_width = int(g.content_width * 0.66)
        add_chart(
            slide, XL_CHART_TYPE.BAR_CLUSTERED, MARGIN, g.body_top, chart_width,
            g.body_bottom_plain - g.body_top, [u.name for u in chunk],
            [
                Series(data.previous_cycle, [u.previous_maturity for u in chunk], PREVIOUS_COLOUR),
                Series(data.cycle, [u.maturity_index for u in chunk], CURRENT_COLOUR),
            ],
            name="Trend chart", value_axis=_level_range(deck), gap_width=40, top_down=True,
        )  # fmt: skip
        left = MARGIN + chart_width + Inches(0.2)
        width = g.width - MARGIN - left
        header = Inches(0.45)
        heights = [header, *[Inches(0.3)] * len(chunk)]
        heights = [
            header,
            *[
                min(
                    Inches(0.3),
                    int((g.body_bottom_plain - g.body_top - header) / max(1, len(chunk))),
                )
            ]
            * len(chunk),
        ]
        with add_table(
            slide,
            [int(width * 0.6), width - int(width * 0.6)],
            left,
            g.body_top,
            heights,
            name="Trend table",
        ) as table:
            header_cell(table.cell(0, 0), "Unit", align=LEFT)
            header_cell(table.cell(0, 1), "Levels ▲ / ▼")
            for row, unit in enumerate(chunk, start=1):
                fill_cell(table.cell(row, 0), unit.name)
                fill_cell(
                    table.cell(row, 1),
                    f"{unit.capabilities_up} / {unit.capabilities_down}",
                    align=CENTER,
                )


def _level_range(deck: Deck) -> tuple[float, float]:
    numbers = [c.level for c in deck.palette]
    return (numbers[0] - 1 if numbers[0] >= 1 else numbers[0], numbers[-1])


def unit_slides(deck: Deck, unit: UnitSummary) -> None:
    data, g = deck.data, deck.geometry
    worth = unit.worth_funding
    top = worth[:TOP_UPGRADES]
    if top:
        first = top[0]
        headline = (
            f"{unit.name}: {first.capability_name} {first.from_level} → {first.to_level} "
            f"first, base NPV {usd(first.npv_base)}"
        )
    else:
        headline = f"{unit.name}: no upgrade worth funding at these inputs"
    details = [
        f"maturity index {format_score(unit.maturity_index) or 'none (nothing scored)'}",
        f"region {unit.region}" if unit.region else "",
        "draft (not yet signed off)" if unit.is_draft else "signed off",
    ]
    notes = "\n\n".join(
        [
            f"{unit.name}: bars are the capability scores, coloured by level and labelled "
            "'level · score'; the dark bar is the target level (the unit's own, else the "
            "organisation's, else the top level); the grey bar the portfolio median of the "
            "units shown. The table lists the upgrades worth funding, in priority order.",
            "Top upgrades: "
            + (
                "; ".join(
                    f"{r.priority}. {r.capability_name} {r.from_level} → {r.to_level}, cost "
                    f"{cost_band(r)}, base NPV {usd(r.npv_base)} (downside {usd(r.npv_downside)}, "
                    f"best {usd(r.npv_best)}), value from month {r.time_to_value_months + 1}, "
                    f"pays back {('in month ' + str(r.payback_month)) if r.payback_month else 'not within 24 months'}"
                    for r in top
                )
                or "none."
            ),
            RECOMMENDATION_NOTES,
        ]
    )
    capabilities = list(range(len(data.capabilities)))
    for page, group in enumerate(chunks(capabilities, 12)):
        slide = deck.slide(
            headline + (CONTINUED if page else ""),
            " · ".join(d for d in [f"Cycle {data.cycle}", *details] if d),
            notes,
        )
        deck.legend(slide)
        chart_width = int(g.content_width * 0.5)
        names = [data.capabilities[c][1] for c in group]
        levels = [unit.capability_levels[c] for c in group]
        scores = [unit.capability_scores[c] for c in group]
        add_chart(
            slide, XL_CHART_TYPE.BAR_CLUSTERED, MARGIN, g.body_top, chart_width,
            g.body_bottom - g.body_top, names,
            [
                Series("Portfolio median", [data.capability_medians[c] for c in group], MEDIAN_COLOUR),
                Series("Target level", [unit.targets[c] if unit.targets else None for c in group], TARGET_COLOUR, outline_only=True),
                Series(
                    "This unit (level · score)", scores, CURRENT_COLOUR,
                    point_colours=[level_fill(level, deck.level_names) for level in levels],
                    labels=[level_and_score(level, score) for level, score in zip(levels, scores, strict=True)],
                ),
            ],
            name="Unit chart", value_axis=_level_range(deck), gap_width=50, overlap=0, top_down=True,
        )  # fmt: skip
        if page == 0:
            upgrades_panel(deck, slide, unit, top, left=MARGIN + chart_width + Inches(0.25))


def upgrades_panel(
    deck: Deck, slide, unit: UnitSummary, top: list[Recommendation], *, left: int
) -> None:
    data, g = deck.data, deck.geometry
    width = g.width - MARGIN - left
    text_box(slide, left, g.body_top, width, Inches(0.4), ["Top upgrades worth funding"], size=16, bold=True, name="Upgrades heading")  # fmt: skip
    below = g.body_top + Inches(0.45)
    bottom = g.body_bottom
    if top:
        widths = [int(width * 0.36), int(width * 0.22), int(width * 0.26)]
        widths.append(width - sum(widths))
        rows = []
        for r in top:
            upgrade = [
                [(r.capability_name, MIN_POINTS, True, PLAIN_TEXT)],
                [
                    (
                        f"{r.from_level} → {level_label(r.to_level, data.level_names)}",
                        MIN_POINTS,
                        False,
                        PLAIN_TEXT,
                    )
                ],
            ]
            rows.append((r, upgrade))
        heights = [row_height([("Value from / pays back", widths[3])])]
        for r, _ in rows:
            heights.append(
                max(
                    row_height([(r.capability_name, widths[0])]) + Inches(0.22),
                    row_height([(cost_band(r), widths[1])]),
                    row_height([(npv_range(r.npv_best, r.npv_base, r.npv_downside), widths[2])]),
                )
            )
        with add_table(slide, widths, left, below, heights, name="Upgrades") as table:
            for column, label in enumerate(
                ["Upgrade", "Cost band", "Base NPV (downside to best)", "Value from / pays back"]
            ):
                header_cell(table.cell(0, column), label)
            for row, (r, upgrade) in enumerate(rows, start=1):
                fill_cell(table.cell(row, 0), upgrade)
                fill_cell(table.cell(row, 1), cost_band(r), align=CENTER)
                fill_cell(table.cell(row, 2), [[(usd(r.npv_base), MIN_POINTS, True, PLAIN_TEXT)], [(f"{usd(r.npv_downside)} to {usd(r.npv_best)}", MIN_POINTS, False, MUTED_TEXT)]], align=CENTER)  # fmt: skip
                payback = f"month {r.payback_month}" if r.payback_month else "after 24 months"
                fill_cell(
                    table.cell(row, 3),
                    [f"month {r.time_to_value_months + 1}", payback],
                    align=CENTER,
                )
        below += sum(heights) + Inches(0.15)
    else:
        text_box(slide, left, below, width, Inches(0.8), ["None: every scored capability is at its target or the top level, or no upgrade has a positive base NPV."], size=MIN_POINTS, colour=MUTED_TEXT)  # fmt: skip
        below += Inches(0.9)
    remarks = []
    more = len(unit.worth_funding) - len(top)
    if more > 0:
        remarks.append(f"{plural(more, 'more upgrade')} worth funding: in the workbook.")
    negative = unit.not_worth_funding
    if negative:
        remarks.append(
            "Not worth funding at these inputs: "
            + "; ".join(
                f"{r.capability_name} {r.from_level} → {r.to_level} (base NPV {usd(r.npv_base)})"
                for r in negative[:3]
            )
            + (f" and {len(negative) - 3} more" if len(negative) > 3 else "")
        )
    if any(r.cost_is_assumption for r in top):
        remarks.append(
            "Assumed cost bands (and the NPVs on them) are the framework's defaults: see the appendix."
        )
    missing = sorted(
        {r.benefit_metric for r in unit.recommendations} & set(data.missing_value_bases)
    )
    if missing:
        remarks.append(f"No value base for {', '.join(missing)}: those upgrades count no benefit.")
    if remarks and bottom - below > Inches(0.5):
        text_box(
            slide,
            left,
            below,
            width,
            bottom - below,
            remarks,
            size=MIN_POINTS,
            colour=MUTED_TEXT,
            name="Upgrade remarks",
        )


ROADMAP_HEADINGS = [
    "Funding cycle",
    "Unit",
    "Capability",
    "From → to",
    "Cost (mid)",
    "Base NPV (downside to best)",
    "Pays back",
]


def roadmap_slides(deck: Deck) -> None:
    data, g = deck.data, deck.geometry
    rows, inputs = data.roadmap, data.inputs
    cycles = funding_summary(data)
    summary = (
        f"Budget {usd(inputs.budget_per_cycle)} per funding cycle × {inputs.funding_cycles}, "
        f"discount rate {percent(inputs.discount_rate)}"
    )
    if rows:
        total_cost = sum(r.cost_mid for r in rows)
        headline = (
            f"{plural(len(cycles), 'funding cycle')}: {usd(total_cost)} buys base NPV "
            f"{usd(sum(r.npv_base for r in rows))} ({usd(sum(r.npv_downside for r in rows))} to "
            f"{usd(sum(r.npv_best for r in rows))})"
        )
    else:
        headline = "Roadmap: nothing to fund at these inputs"
    notes = (
        "The roadmap chooses, in each funding cycle, the set of one-level upgrades with the "
        "largest total base NPV whose mid-band costs fit the budget per cycle (the exact "
        "optimum, not a greedy pick). Each capability of each unit moves at most one level a "
        "cycle; the next cycle starts from the new levels. An upgrade whose base NPV is not "
        "positive is never chosen. All the units in this deck compete for the one budget; each "
        "cycle's NPVs are as of the start of that cycle. Left: the mid-band cost of each cycle, "
        "stacked by unit. Right: what each cycle costs against the NPV it buys."
    )
    slide = deck.slide(headline, summary, notes)
    if not rows:
        reason = (
            "No budget is set: enter the budget per funding cycle on the engagement inputs page."
            if inputs.budget_per_cycle <= 0
            else "Nothing is worth funding: no upgrade with a positive base NPV fits the budget."
        )
        text_box(slide, MARGIN, g.body_top, g.content_width, Inches(1), [reason], size=16)
        return
    categories = [f"Funding cycle {n}" for n, *_ in cycles]
    unit_names = list(dict.fromkeys(r.unit_name for r in rows))
    shown, rest = unit_names[:7], unit_names[7:]
    palette = UNIT_COLOURS
    stacks = [
        Series(
            name,
            [sum(r.cost_mid for r in rs if r.unit_name == name) or None for _, rs, *_ in cycles],
            palette[i % len(palette)],
            number_format='"$"#,##0',
        )
        for i, name in enumerate(shown)
    ]
    if rest:
        stacks.append(Series("Other units", [sum(r.cost_mid for r in rs if r.unit_name in rest) or None for _, rs, *_ in cycles], MEDIAN_COLOUR, number_format='"$"#,##0'))  # fmt: skip
    half = int((g.content_width - Inches(0.3)) / 2)
    height = g.body_bottom_plain - g.body_top
    add_chart(slide, XL_CHART_TYPE.COLUMN_STACKED, MARGIN, g.body_top, half, height, categories, stacks, name="Roadmap chart", number_format='"$"#,##0', gap_width=60, overlap=100, axis_format=MONEY_AXIS)  # fmt: skip
    add_chart(
        slide, XL_CHART_TYPE.COLUMN_CLUSTERED, MARGIN + half + Inches(0.3), g.body_top, half, height, categories,
        [
            Series("Cost (mid-band)", [c[2] for c in cycles], "#adb5bd", number_format='"$"#,##0'),
            Series("NPV downside", [c[5] for c in cycles], "#74add1", number_format='"$"#,##0'),
            Series("NPV base", [c[3] for c in cycles], "#313695", number_format='"$"#,##0'),
            Series("NPV best", [c[4] for c in cycles], "#a6bddb", number_format='"$"#,##0'),
        ],
        name="Investment and return chart", number_format='"$"#,##0', gap_width=60, axis_format=MONEY_AXIS,
    )  # fmt: skip
    widths = [Inches(1.35), Inches(2.3), Inches(2.8), Inches(1.7), Inches(1.35), Inches(2.05)]
    widths.append(g.content_width - sum(widths))
    header = row_height([(h, w) for h, w in zip(ROADMAP_HEADINGS, widths, strict=True)])
    line = Inches(0.4)
    per_slide = max(1, int((g.body_bottom_plain - g.body_top - header) / line))
    for page, chunk in enumerate(chunks(rows, per_slide)):
        table_slide = deck.slide(
            "Roadmap: the upgrades of each funding cycle" + (CONTINUED if page else ""),
            summary + (" · costs marked (assumed) use the framework's default band" if any(r.cost_is_assumption for r in chunk) else ""),
            notes,
        )  # fmt: skip
        heights = [header, *[line] * len(chunk)]
        with add_table(table_slide, widths, MARGIN, g.body_top, heights, name="Roadmap") as table:
            for column, label in enumerate(ROADMAP_HEADINGS):
                header_cell(table.cell(0, column), label)
            for row, r in enumerate(chunk, start=1):
                values = [
                    str(r.funding_cycle), r.unit_name, r.capability_name,
                    f"{r.from_level} → {level_label(r.to_level, data.level_names)}",
                    usd(r.cost_mid) + (f" ({ASSUMED})" if r.cost_is_assumption else ""),
                    npv_range(r.npv_best, r.npv_base, r.npv_downside),
                    f"month {r.payback_month}" if r.payback_month else "after 24 months",
                ]  # fmt: skip
                for column, value in enumerate(values):
                    fill_cell(
                        table.cell(row, column), value, align=LEFT if column in (1, 2) else CENTER
                    )


def deom_slide(deck: Deck) -> None:
    data, g = deck.data, deck.geometry
    inputs = data.inputs
    worth = [r for r in data.recommendations if not r.negative_npv]
    counts = {
        q.mode: [r for r in q.recommendations if not r.negative_npv]
        for row in data.deom
        for q in row
    }
    largest_mode = (
        max(counts, key=lambda m: (sum(r.npv_base for r in counts[m]), m)) if counts else ""
    )
    headline = (
        f"{largest_mode} holds most of the value: {plural(len(counts.get(largest_mode, [])), 'upgrade')}, base NPV {usd(sum(r.npv_base for r in counts.get(largest_mode, [])))}"
        if worth
        else "DEOM grid: no upgrade worth funding at these inputs"
    )
    notes = (
        "DEOM places every upgrade worth funding (positive base NPV) on a 2 × 2 grid. "
        "Autonomy is high when the upgrade's high-end cost (after the level's multiplier) is "
        f"at most the local budget bound ({usd(inputs.local_budget_bound)}): a unit can fund "
        "it alone. Impact is high when its base NPV reaches the impact threshold "
        f"({usd(inputs.impact_threshold)}). High impact and low autonomy: Centralized Scale; "
        "high impact and high autonomy: Guardrailed Innovation; low impact and high autonomy: "
        "Tactical Optimization; low impact and low autonomy: Strategic Hold. Each quadrant "
        "names its largest upgrades; the appendix lists them all. Upgrades not worth funding "
        "at these inputs are left out of the grid and listed in the appendix."
    )
    slide = deck.slide(
        headline,
        f"{plural(len(worth), 'upgrade')} worth funding · local budget bound {usd(inputs.local_budget_bound)} · impact threshold {usd(inputs.impact_threshold)}",
        notes,
    )  # fmt: skip
    corner = Inches(2.3)
    half = int((g.content_width - corner) / 2)
    bottom = g.body_bottom_plain - Inches(0.45)
    cell_height = int((bottom - g.body_top - Inches(0.75)) / 2)
    bound, threshold = usd(inputs.local_budget_bound), usd(inputs.impact_threshold)
    with add_table(
        slide,
        [corner, half, half],
        MARGIN,
        g.body_top,
        [Inches(0.75), cell_height, cell_height],
        name="DEOM",
    ) as table:
        header_cell(table.cell(0, 0), "")
        header_cell(table.cell(0, 1), f"Low autonomy: high-end cost above {bound}")
        header_cell(table.cell(0, 2), f"High autonomy: high-end cost within {bound}")
        impacts = {
            "high": f"High impact: base NPV ≥ {threshold}",
            "low": f"Low impact: below {threshold}",
        }
        for row, quadrants in enumerate(data.deom, start=1):
            header_cell(table.cell(row, 0), impacts[quadrants[0].impact])
            for column, quadrant in enumerate(quadrants, start=1):
                listed = sorted(counts[quadrant.mode], key=lambda r: -r.npv_base)
                lines = [
                    [(quadrant.mode, 18, True, PLAIN_TEXT)],
                    [(f"{plural(len(listed), 'upgrade')} · base NPV {usd(sum(r.npv_base for r in listed))}", 14, False, MUTED_TEXT)],
                    *[[(f"{r.unit_name}: {r.capability_name} {r.from_level} → {r.to_level} ({usd(r.npv_base)})", 14, False, PLAIN_TEXT)] for r in listed[:DEOM_TOP]],
                ]  # fmt: skip
                if len(listed) > DEOM_TOP:
                    lines.append(
                        [(f"… and {len(listed) - DEOM_TOP} more (appendix)", 14, False, MUTED_TEXT)]
                    )
                fill_cell(table.cell(row, column), lines)
                table.cell(row, column).anchor = "t"
    negative = len(data.not_worth_funding)
    if negative:
        text_box(slide, MARGIN, bottom + Inches(0.05), g.content_width, Inches(0.4), [f"{plural(negative, 'upgrade')} {NOT_WORTH} {'is' if negative == 1 else 'are'} left out of the grid (appendix)."], size=MIN_POINTS, colour=MUTED_TEXT, name="DEOM remark")  # fmt: skip


# --- appendix ----------------------------------------------------------------------------------


def appendix_unit_slides(deck: Deck, unit: UnitSummary) -> None:
    data, g = deck.data, deck.geometry
    table_data = unit.table
    name_width = min(
        Inches(3.2),
        max(
            Inches(2.2),
            int(
                max((len(n) for n in table_data.row_labels), default=10) * Inches(0.085)
                + Inches(0.2)
            ),
        ),
    )
    level_width, score_width = Inches(1.6), Inches(1.0)
    room = g.content_width - name_width - level_width - score_width
    groups = balanced(len(table_data.column_labels), max(1, int(room / Inches(1.25))))
    notes = (
        f"{unit.name}: each cell is the unit's score for a capability on one dimension, coloured "
        "by its level and written 'level · score'; ▼ marks the binding dimensions, those that hold "
        "the capability at its level. The capability's level is its lowest dimension level; its "
        f"score the mean of its dimension scores (maturity index {format_score(unit.maturity_index) or 'none'}).\n\n"
        + SCORING_NOTES
    )
    rows = list(range(len(table_data.row_labels)))
    page = 0
    for group in groups:
        width = min(Inches(1.8), int(room / max(1, len(group))))
        header = max(
            [row_height([(table_data.column_labels[c], width)]) for c in group] + [Inches(0.45)]
        )
        heights_of = [
            max(Inches(0.4), row_height([(table_data.row_labels[r], name_width)])) for r in rows
        ]
        budget = g.body_bottom - g.body_top - header
        pages, current, used = [], [], 0
        for r in rows:
            if current and used + heights_of[r] > budget:
                pages.append(current)
                current, used = [], 0
            current.append(r)
            used += heights_of[r]
        pages.append(current)
        for chunk in pages:
            title = f"Appendix: {unit.name}, capability × dimension" + (CONTINUED if page else "")
            slide = deck.slide(
                title,
                f"Cycle {data.cycle} · maturity index {format_score(unit.maturity_index) or 'none'} · ▼ binding dimension",
                notes,
            )
            page += 1
            deck.legend(slide)
            widths = [name_width, *[width] * len(group), level_width, score_width]
            with add_table(
                slide,
                widths,
                MARGIN,
                g.body_top,
                [header, *[heights_of[r] for r in chunk]],
                name="Unit scores",
            ) as table:
                header_cell(table.cell(0, 0), "Capability", align=LEFT)
                for column, c in enumerate(group, start=1):
                    header_cell(table.cell(0, column), table_data.column_labels[c])
                header_cell(table.cell(0, len(group) + 1), "Level")
                header_cell(table.cell(0, len(group) + 2), "Score")
                for row, r in enumerate(chunk, start=1):
                    fill_cell(table.cell(row, 0), table_data.row_labels[r], bold=True)
                    for column, c in enumerate(group, start=1):
                        level, score = table_data.levels[r][c], table_data.scores[r][c]
                        text = level_and_score(level, score) + (
                            BINDING_MARK if unit.binding[r][c] else ""
                        )
                        deck.level_cell(table.cell(row, column), level, text)
                    level, score = unit.capability_levels[r], unit.capability_scores[r]
                    deck.level_cell(
                        table.cell(row, len(group) + 1), level, level_label(level, data.level_names)
                    )
                    fill_cell(
                        table.cell(row, len(group) + 2), level_and_score(level, score), align=CENTER
                    )


def list_slides(
    deck: Deck,
    title: str,
    subtitle: str,
    notes: str,
    headings: list[str],
    widths: list[int],
    rows: list[list[str]],
) -> None:
    g = deck.geometry
    header = row_height(list(zip(headings, widths, strict=True)))
    heights = [row_height(list(zip(row, widths, strict=True))) for row in rows]
    budget = g.body_bottom_plain - g.body_top - header
    pages, current, used = [], [], 0
    for index, height in enumerate(heights):
        if current and used + height > budget:
            pages.append(current)
            current, used = [], 0
        current.append(index)
        used += height
    pages.append(current)
    for page, chunk in enumerate(pages):
        slide = deck.slide(title + (CONTINUED if page else ""), subtitle, notes)
        if not chunk:
            text_box(slide, MARGIN, g.body_top, g.content_width, Inches(0.6), ["None."], size=16)
            continue
        with add_table(
            slide, widths, MARGIN, g.body_top, [header, *[heights[i] for i in chunk]], name="List"
        ) as table:
            for column, label in enumerate(headings):
                header_cell(table.cell(0, column), label, align=LEFT)
            for row, index in enumerate(chunk, start=1):
                for column, value in enumerate(rows[index]):
                    fill_cell(table.cell(row, column), value)


def appendix_lists(deck: Deck) -> None:
    data, g = deck.data, deck.geometry
    w = g.content_width
    deom_rows = [
        [q.mode, r.unit_name, f"{r.capability_name} {r.from_level} → {r.to_level}", cost_band(r), npv_range(r.npv_best, r.npv_base, r.npv_downside)]
        for row in data.deom for q in row
        for r in sorted(q.recommendations, key=lambda r: -r.npv_base) if not r.negative_npv
    ]  # fmt: skip
    widths = [int(w * 0.2), int(w * 0.18), int(w * 0.26), int(w * 0.16)]
    widths.append(w - sum(widths))
    list_slides(deck, "Appendix: every upgrade worth funding, by DEOM quadrant", f"{plural(len(deom_rows), 'upgrade')}, largest base NPV first in each quadrant", "The DEOM slide's quadrants in full: every upgrade worth funding (positive base NPV), by quadrant, largest base NPV first, with its cost band and its NPV range from the downside to the best scenario.", ["Quadrant", "Unit", "Upgrade", "Cost band", "Base NPV (downside to best)"], widths, deom_rows)  # fmt: skip
    negative = [
        [r.unit_name, f"{r.capability_name} {r.from_level} → {r.to_level}", cost_band(r), npv_range(r.npv_best, r.npv_base, r.npv_downside)]
        for r in data.not_worth_funding
    ]  # fmt: skip
    widths = [int(w * 0.22), int(w * 0.32), int(w * 0.2)]
    widths.append(w - sum(widths))
    list_slides(deck, f"Appendix: {plural(len(negative), 'upgrade')} {NOT_WORTH}", "Their base NPV is negative: the benefit does not cover the cost within 24 months. They are never recommended.", "An upgrade is not worth funding when its base NPV (mid-band cost, 75 % of the benefit) is negative at the engagement's inputs: its value base, the discount rate and the cost band. A larger value base (a unit's own) or a quoted, lower cost can change that.", ["Unit", "Upgrade", "Cost band", "Base NPV (downside to best)"], widths, negative)  # fmt: skip
    inputs = data.inputs
    assumed = [(code, name) for code, name in data.capabilities if code in data.assumed_costs]
    lines = [
        [("Assumed cost bands", 16, True, PLAIN_TEXT)],
        [(
            (", ".join(name for _, name in assumed) + ": the framework's default bands, not quotes. ")
            if assumed else "None: every cost band comes from the framework as published. ",
            MIN_POINTS, False, PLAIN_TEXT,
        )],  # fmt: skip
        [("Change a band in the framework file (cost_low, cost_high) and load it as a new version: manage.py load_framework PATH.", MIN_POINTS, False, MUTED_TEXT)],
        [("Value bases (USD a year)", 16, True, PLAIN_TEXT)],
        *[[(f"{metric}: {money.usd(value)}", MIN_POINTS, False, PLAIN_TEXT)] for metric, value in sorted(inputs.value_bases.items())],
        *[[(f"{unit}: {metric} {money.usd(value)} (its own)", MIN_POINTS, False, PLAIN_TEXT)] for unit, own in sorted(inputs.unit_value_bases.items()) for metric, value in sorted(own.items())],
        [("Set on the engagement inputs page (a unit's own on its inputs page).", MIN_POINTS, False, MUTED_TEXT)],
        [("Financial inputs", 16, True, PLAIN_TEXT)],
        [(f"Discount rate {percent(inputs.discount_rate)} a year, discounted monthly; budget {usd(inputs.budget_per_cycle)} per funding cycle × {inputs.funding_cycles}; local budget bound {usd(inputs.local_budget_bound)}; impact threshold {usd(inputs.impact_threshold)}.", MIN_POINTS, False, PLAIN_TEXT)],
    ]  # fmt: skip
    slide = deck.slide(
        "Appendix: assumptions and where to change them",
        f"Cycle {data.cycle}",
        RECOMMENDATION_NOTES + "\n\n" + SCORING_NOTES,
    )
    text_box(
        slide,
        MARGIN,
        g.body_top,
        g.content_width,
        g.body_bottom_plain - g.body_top,
        lines,
        name="Assumptions",
    )


# --- the deck ----------------------------------------------------------------------------------


def build_deck(
    data: ReportData, *, template: bytes | None = None, confidentiality: str = ""
) -> Deck:
    deck = Deck(data, template, confidentiality)
    title_slide(deck)
    summary_slide(deck)
    heatmap_slides(deck)
    trend_slide(deck)
    for unit in data.units:
        unit_slides(deck, unit)
    roadmap_slides(deck)
    deom_slide(deck)
    for unit in data.units:
        appendix_unit_slides(deck, unit)
    appendix_lists(deck)
    return deck


def deck_pptx(
    data: ReportData, *, template: bytes | None = None, confidentiality: str = ""
) -> bytes:
    """The deck as .pptx bytes; `template` the bytes of a .pptx whose master and layouts to
    use, `confidentiality` an optional label for every slide's footer."""
    return build_deck(data, template=template, confidentiality=confidentiality).save()


def slide_count(data: ReportData) -> int:
    """How many slides the deck of `data` has."""
    return build_deck(data).number


_ = text_lines  # re-exported for the tests' sizing checks
