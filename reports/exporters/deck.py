"""The PowerPoint deck, from plain data (reports.domain.report_data.ReportData) to bytes: a
story a board can follow, every table a native table and every chart a native chart
(its data in the chart's embedded workbook), text at 12 pt or more.

Slides (docs/deliverables.md, "The deck"):

1. title; 2. executive summary (maturity and its change, weakest capabilities, the
   investment per funding cycle with base NPV and best–downside range, what needs a
   decision);
3. for a framework with capability groups, units × its top-level groups (each cell the
   group's rolled-up "level · score"), then the portfolio heatmap, units × capabilities;
   both continued by rows and split by columns as the content needs;
4. the trend since the previous cycle (a chart), when there is one;
5. per unit: capabilities against target and the portfolio median (a chart), the top
   upgrades worth funding with cost band, NPV range, time-to-value and payback month,
   and what is not worth funding at these inputs;
6. the roadmap: cost per funding cycle stacked by unit, investment against return
   (charts), then its table;
7. the DEOM grid: counts and the largest upgrades per quadrant (for a framework without cost
   data, a plain statement that its upgrades are maturity-only and where they are);
8. appendix: every unit's capability × dimension table ("—" where a capability asks nothing
   in a dimension), the whole DEOM list, upgrades not worth funding, assumptions and method.

Every slide has a headline title stating its finding, speaker notes, a slide number, the
source line "Ladder · organisation · cycle · date" and the optional confidentiality
label. Sizes are computed from the slide and the content (any number of capabilities,
dimensions and levels). With a template (.pptx), slides use its master and layouts.
"""

from __future__ import annotations

from reports.domain.report_data import ReportData

from .deck_appendix import appendix_lists, appendix_unit_slides
from .deck_frame import Deck
from .deck_plans import deom_slide, roadmap_slides, unit_slides
from .deck_slides import group_slides, heatmap_slides, summary_slide, title_slide, trend_slide

__all__ = ["Deck", "build_deck", "deck_pptx", "heatmap_slides", "slide_count"]

# --- the deck ----------------------------------------------------------------------------------


def build_deck(
    data: ReportData, *, template: bytes | None = None, confidentiality: str = ""
) -> Deck:
    deck = Deck(data, template, confidentiality)
    title_slide(deck)
    summary_slide(deck)
    group_slides(deck)
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
