"""The deck's frame: slide geometry from the presentation, the title, footer (slide number,
source line, confidentiality label) and legend of every slide, the template's layouts, and
the small texts the slides share (reports/exporters/deck.py lists the slides)."""

from __future__ import annotations

import io
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.opc.packuri import PackURI
from pptx.util import Emu, Inches

from reports.domain import money
from reports.domain.heatmaps import HeatmapMatrix
from reports.domain.levels import (
    NO_SCORE_LABEL,
    level_fill,
    level_label,
    level_palette,
    level_text_colour,
)
from reports.domain.planning import ASSUMED, Recommendation
from reports.domain.report_data import ReportData

from .pptx_shapes import (  # the legend's boxes
    CENTER,
    MIN_POINTS,
    MUTED_TEXT,
    RIGHT,
    _paragraphs_xml,
    _xfrm,
    add_shape_xml,
    fill_cell,
    text_box,
    text_width,
)

WIDE = (Inches(13.333), Inches(7.5))
MARGIN = Inches(0.4)
BINDING_MARK = " ▼"
CONTINUED = " (continued)"
NOT_ASKED = "—"  # a dimension the capability asks nothing in, as on the unit report
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

RECOMMENDATION_NOTES = """How the recommendations were computed: every scored capability below the top level (and below its target) gets the upgrade to the next level only, never two levels at once. Its cost band is the capability's band times the framework's multiplier for the target level. Its 24-month NPV is discounted monthly at the engagement's yearly rate, with the cost spent evenly over the first 12 months and the benefit starting after the time-to-value; the value base is the unit's own where the consultant set one, else the organisation's. Best: low cost, full benefit; base: mid-band cost, 75 % of the benefit; downside: high cost, 40 %. The payback month is the first month whose cumulative discounted base cash flow is positive. Priority ranks the upgrades by base NPV per dollar of mid-band cost; an upgrade whose base NPV is negative is not worth funding at these inputs and is never recommended. A capability without cost data in the framework gets the next level only (its to-do list, no cost, NPV, priority or DEOM mode); the roadmap does not plan it."""


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


def balanced(count: int, most: int) -> list[range]:
    """0…count−1 in as few groups of at most `most` as possible, their sizes differing by one
    at most (33 by at most 4: five groups of 4 and four of 3, never eight of 4 and one)."""
    groups = max(1, math.ceil(count / max(1, most)))
    small, extra = divmod(count, groups)
    found, start = [], 0
    for group in range(groups):
        size = small + (1 if group < extra else 0)
        found.append(range(start, start + size))
        start += size
    return found


def pages_by_height(heights: Sequence[int], room: int, most: int | None = None) -> list[list[int]]:
    """The indexes of rows of these heights in as few pages of at most `room` (and at most
    `most` rows) as possible (a row taller than a page gets one of its own), then evened
    out: as many rows on each page as on the others where the heights allow, never a lone
    row left for the last."""

    def fill(most: int) -> list[list[int]]:
        pages: list[list[int]] = [[]]
        used = 0
        for index, height in enumerate(heights):
            if pages[-1] and (used + height > room or len(pages[-1]) >= most):
                pages.append([])
                used = 0
            pages[-1].append(index)
            used += height
        return pages

    fewest = fill(min(most or len(heights), len(heights)) or 1)
    even = fill(math.ceil(len(heights) / len(fewest)) if heights else 1)
    return even if len(even) == len(fewest) else fewest


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


def body_text(slide, g: Geometry, lines, name: str) -> None:
    """A slide whose body is text alone: one box from below the subtitle to the footer."""
    text_box(
        slide, MARGIN, g.body_top, g.content_width, g.body_bottom_plain - g.body_top, lines,
        name=name,
    )  # fmt: skip


def _number_parts_from_counters(presentation) -> None:
    """python-pptx names every new part (slide, notes slide, chart, embedded workbook) by
    walking every relationship of the package to find the first free number: quadratic in
    the slides, half the time of a 100-unit deck. This package names them from a counter
    per name pattern instead, starting above the names the package (a template) already
    has; the names are the same as python-pptx's for a deck built in one go."""
    package = presentation.part.package
    taken = {str(part.partname) for part in package.iter_parts()}
    counters: dict[str, int] = {}

    def next_partname(template: str) -> PackURI:
        number = counters.get(template, 0) + 1
        while template % number in taken:
            number += 1
        counters[template] = number
        taken.add(template % number)
        return PackURI(template % number)

    package.next_partname = next_partname


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
        _number_parts_from_counters(self.presentation)
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

    def legend(self, slide, held: bool = True, weaker: str = "dimension") -> None:
        """One coloured box per level of the framework, then "no score"; the text colour
        of each box is the one that reads on it. The note says what `*` marks: a cell held
        below its score's level by a weaker `weaker` (a capability's dimension, a group's
        capability)."""
        g = self.geometry
        entries = [(c.level, level_label(c.level, self.level_names)) for c in self.palette]
        entries.append((None, NO_SCORE_LABEL))
        # each box as wide as its text on one line; the "held" note gives way to long names
        needed = [text_width(text) for _, text in entries]
        if held and sum(needed) > g.content_width - Inches(3.6):
            held = False
        label = "Cell = level · score" + (f" (* held by a weaker {weaker})" if held else "")
        label_width = Inches(3.6 if held else 1.9)
        text_box(
            slide, MARGIN, g.legend_top, label_width, Inches(0.36), [label], size=MIN_POINTS,
            colour=MUTED_TEXT, name="Legend", anchor="ctr",
        )  # fmt: skip
        room = g.content_width - label_width
        even = min(Inches(1.6), int(room / len(entries)))
        widths = [max(even, need) for need in needed]
        if sum(widths) > room:  # names longer than the strip: shares by length, text wraps
            widths = [int(room * need / sum(needed)) for need in needed]
        left = MARGIN + label_width
        for (level, text), width in zip(entries, widths, strict=True):
            xfrm = _xfrm(left, g.legend_top, width, Inches(0.36))
            left += width
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
                'wrap="square" lIns="0" rIns="0" tIns="0" bIns="0" anchor="ctr"><a:normAutofit/>'
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


def weakest_column(matrix: HeatmapMatrix) -> tuple[str, float] | None:
    """(column label, median score across the rows) of the column with the lowest median,
    the first on a tie; None when nothing is scored."""
    found = []
    for column, label in enumerate(matrix.column_labels):
        scored = [row[column] for row in matrix.scores if row[column] is not None]
        if scored:
            found.append((statistics.median(scored), column, label))
    if not found:
        return None
    median, _, label = min(found)
    return label, median


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


def level_range(deck: Deck) -> tuple[float, float]:
    numbers = [c.level for c in deck.palette]
    return (numbers[0] - 1 if numbers[0] >= 1 else numbers[0], numbers[-1])
