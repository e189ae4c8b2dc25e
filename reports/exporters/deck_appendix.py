"""The deck's appendix: every unit's capability × dimension table, the full DEOM list, the
upgrades not worth funding, and the assumptions."""

from __future__ import annotations

from pptx.util import Inches

from reports.domain import money
from reports.domain.levels import (
    format_score,
    level_and_score,
    level_label,
)
from reports.domain.money import percent
from reports.domain.report_data import UnitSummary

from .deck_frame import (
    BINDING_MARK,
    CONTINUED,
    MARGIN,
    NOT_ASKED,
    NOT_WORTH,
    RECOMMENDATION_NOTES,
    SCORING_NOTES,
    Deck,
    balanced,
    body_text,
    cost_band,
    npv_range,
    pages_by_height,
    plural,
    usd,
)
from .pptx_shapes import (  # the legend's boxes
    CENTER,
    LEFT,
    MIN_POINTS,
    MUTED_TEXT,
    PLAIN_TEXT,
    add_table,
    fill_cell,
    header_cell,
    row_height,
    text_box,
)

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
    sparse = any(
        not data.asks(capability, dimension)
        for capability in table_data.row_keys
        for dimension in table_data.column_keys
    )
    room = g.content_width - name_width - level_width - score_width
    groups = balanced(len(table_data.column_labels), max(1, int(room / Inches(1.25))))
    notes = (
        f"{unit.name}: each cell is the unit's score for a capability on one dimension, coloured "
        "by its level and written 'level · score'; ▼ marks the binding dimensions, those that hold "
        "the capability at its level. The capability's level is its lowest dimension level; its "
        f"score the mean of its dimension scores (maturity index {format_score(unit.maturity_index) or 'none'})."
        + (
            f" {NOT_ASKED} marks a dimension the capability asks nothing in (the framework gives "
            "it no question there): not a score, and not waiting for answers."
            if sparse
            else ""
        )
        + "\n\n"
        + SCORING_NOTES
    )
    # each row as tall as its capability's name takes, whichever columns it shows
    heights_of = [
        max(Inches(0.4), row_height([(label, name_width)])) for label in table_data.row_labels
    ]
    page = 0
    for group in groups:
        width = min(Inches(1.8), int(room / max(1, len(group))))
        header = max(
            [row_height([(table_data.column_labels[c], width)]) for c in group] + [Inches(0.45)]
        )
        pages = pages_by_height(heights_of, g.body_bottom - g.body_top - header)
        for chunk in pages:
            title = f"Appendix: {unit.name}, capability × dimension" + (CONTINUED if page else "")
            slide = deck.slide(
                title,
                f"Cycle {data.cycle} · maturity index {format_score(unit.maturity_index) or 'none'} · ▼ binding dimension"
                + (f" · {NOT_ASKED} not asked" if sparse else ""),
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
                        if not data.asks(table_data.row_keys[r], table_data.column_keys[c]):
                            fill_cell(table.cell(row, column), NOT_ASKED, colour=MUTED_TEXT, align=CENTER)  # fmt: skip
                            continue
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
    pages = pages_by_height(heights, g.body_bottom_plain - g.body_top - header)
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
    unpriced = [
        [
            r.unit_name,
            f"{r.capability_name} {r.from_level} → {level_label(r.to_level, data.level_names)}",
            "; ".join(
                [
                    *([r.to_level_description] if r.to_level_description else []),
                    *(f"{t.text} → {t.next_step}" if t.next_step else t.text for t in r.todos[:3]),
                    *([f"and {len(r.todos) - 3} more questions"] if len(r.todos) > 3 else []),
                ]
            )
            or "—",
        ]
        for r in data.maturity_only
    ]
    if unpriced:
        widths = [int(w * 0.18), int(w * 0.27)]
        widths.append(w - sum(widths))
        list_slides(deck, f"Appendix: {plural(len(unpriced), 'upgrade')} without cost data (next level only)", "The framework gives these capabilities no cost band or benefit: no cost, NPV, priority or DEOM mode, and the roadmap does not plan them.", "A capability without cost data in the framework file gets maturity-only recommendations: the one-level upgrade, what the next level is (the framework's level description) and the questions that hold the capability at its level with what the next level takes. Nothing is made up, so none of them is 'high impact'. Add cost_low, cost_high, benefit_metric, benefit_percent and time_to_value_months to the capability in the framework file (a new version) to cost and plan them.", ["Unit", "Upgrade", "What the next level takes"], widths, unpriced)  # fmt: skip
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
    body_text(slide, g, lines, name="Assumptions")
