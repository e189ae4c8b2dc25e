"""The deck's units and plans: one slide per unit (chart and upgrades), the roadmap and
the DEOM grid."""

from __future__ import annotations

from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches

from reports.domain.levels import (
    format_score,
    level_and_score,
    level_fill,
    level_label,
)
from reports.domain.money import percent
from reports.domain.planning import ASSUMED, NO_COST_DATA, Recommendation
from reports.domain.report_data import UnitSummary

from .deck_frame import (
    CONTINUED,
    CURRENT_COLOUR,
    DEOM_TOP,
    MARGIN,
    MEDIAN_COLOUR,
    MONEY_AXIS,
    NOT_WORTH,
    RECOMMENDATION_NOTES,
    TARGET_COLOUR,
    TOP_UPGRADES,
    UNIT_COLOURS,
    Deck,
    balanced,
    body_text,
    cost_band,
    funding_summary,
    level_range,
    npv_range,
    pages_by_height,
    plural,
    usd,
)
from .pptx_shapes import (  # the legend's boxes
    CENTER,
    LEFT,
    LINE_HEIGHT_12PT,
    MIN_POINTS,
    MUTED_TEXT,
    PLAIN_TEXT,
    Series,
    add_chart,
    add_table,
    fill_cell,
    header_cell,
    lines_height,
    row_height,
    text_box,
    text_lines,
)


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
    elif unit.maturity_only:
        count = len(unit.maturity_only)
        headline = (
            f"{unit.name}: {count} {'capability' if count == 1 else 'capabilities'} one level "
            f"up next ({NO_COST_DATA} to rank {'it' if count == 1 else 'them'})"
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
            *(
                [
                    "Without cost data (the next level only, no cost, NPV or DEOM mode): "
                    + "; ".join(
                        f"{r.capability_name} {r.from_level} → {r.to_level}"
                        + (f" ({r.to_level_description})" if r.to_level_description else "")
                        for r in unit.maturity_only
                    )
                ]
                if unit.maturity_only
                else []
            ),
            RECOMMENDATION_NOTES,
        ]
    )
    for page, group in enumerate(unit_chart_pages(deck)):
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
            name="Unit chart", value_axis=level_range(deck), gap_width=50, overlap=0, top_down=True,
        )  # fmt: skip
        if page == 0:
            upgrades_panel(deck, slide, unit, top, left=MARGIN + chart_width + Inches(0.25))


UNIT_CHART_MOST = 12  # capabilities on one unit slide's chart, when their names are short


def unit_chart_pages(deck: Deck) -> list[range]:
    """The capabilities of each unit slide's chart: as many as their labels leave room for
    (a category is as tall as the longest name wraps to, beside the chart's left half, and
    at least 0.33 in for its three bars), at most UNIT_CHART_MOST, in near-equal groups."""
    g = deck.geometry
    chart_width = int(g.content_width * 0.5)
    plot = g.body_bottom - g.body_top - Inches(0.8)  # less the legend and the value axis
    lines = max(
        (text_lines(name, int(chart_width * 0.5)) for _, name in deck.data.capabilities), default=1
    )
    per_category = max(Inches(0.33), int(lines * LINE_HEIGHT_12PT + Inches(0.1)))
    most = max(1, min(UNIT_CHART_MOST, int(plot / per_category)))
    return balanced(len(deck.data.capabilities), most)


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
    elif unit.maturity_only:
        text_box(slide, left, below, width, Inches(0.4), [f"None with cost data: the framework gives {'this capability' if len(unit.maturity_only) == 1 else 'these capabilities'} none."], size=MIN_POINTS, colour=MUTED_TEXT)  # fmt: skip
        below += Inches(0.45)
    else:
        text_box(slide, left, below, width, Inches(0.8), ["None: every scored capability is at its target or the top level, or no upgrade has a positive base NPV."], size=MIN_POINTS, colour=MUTED_TEXT)  # fmt: skip
        below += Inches(0.9)
    if unit.maturity_only:
        below = maturity_only_panel(deck, slide, unit, left=left, top=below, width=width)
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


def maturity_only_panel(
    deck: Deck, slide, unit: UnitSummary, *, left: int, top: int, width: int
) -> int:
    """The unit's upgrades without cost data: capability, levels, what the next level takes
    (as many as fit above the slide's body bottom; the rest in the appendix). Returns the
    top of what comes below."""
    data, g = deck.data, deck.geometry
    text_box(slide, left, top, width, Inches(0.4), [f"Next level, {NO_COST_DATA}"], size=16, bold=True, name="Maturity-only heading")  # fmt: skip
    below = top + Inches(0.45)
    widths = [int(width * 0.4), int(width * 0.25)]
    widths.append(width - sum(widths))
    header = row_height([("To do", widths[2])])
    rows = []
    for r in unit.maturity_only:
        todo = f"{plural(len(r.todos), 'question')} to raise" if r.todos else "—"
        cells = [
            r.capability_name,
            f"{r.from_level} → {level_label(r.to_level, data.level_names)}",
            todo,
        ]
        rows.append((cells, row_height(list(zip(cells, widths, strict=True)))))
    room = g.body_bottom - below - header - Inches(0.5)  # leave a line for "… more"
    shown, used = [], 0
    for cells, height in rows:
        if used + height > room and len(shown) < len(rows):
            break
        shown.append((cells, height))
        used += height
    if shown:
        with add_table(slide, widths, left, below, [header, *[h for _, h in shown]], name="Maturity-only upgrades") as table:  # fmt: skip
            for column, label in enumerate(["Capability", "From → to", "To do"]):
                header_cell(table.cell(0, column), label)
            for row, (cells, _) in enumerate(shown, start=1):
                for column, value in enumerate(cells):
                    fill_cell(table.cell(row, column), value, align=LEFT if column == 0 else CENTER)
        below += header + used + Inches(0.1)
    more = len(rows) - len(shown)
    if more:
        text_box(slide, left, below, width, Inches(0.4), [f"… and {more} more: in the appendix."], size=MIN_POINTS, colour=MUTED_TEXT, name="Maturity-only more")  # fmt: skip
        below += Inches(0.45)
    return below


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
    elif not data.has_cost_data:
        headline = "Roadmap: nothing to fund, the framework carries no cost data"
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
            "Nothing to plan: the framework carries no cost data, so its upgrades are "
            "maturity-only (the next level and its to-do list), on the unit slides and in the "
            "appendix."
            if not data.has_cost_data
            else "No budget is set: enter the budget per funding cycle on the engagement inputs page."
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
    values_of = [
        [
            str(r.funding_cycle), r.unit_name, r.capability_name,
            f"{r.from_level} → {level_label(r.to_level, data.level_names)}",
            usd(r.cost_mid) + (f" ({ASSUMED})" if r.cost_is_assumption else ""),
            npv_range(r.npv_best, r.npv_base, r.npv_downside),
            f"month {r.payback_month}" if r.payback_month else "after 24 months",
        ]
        for r in rows
    ]  # fmt: skip
    # each row as tall as its longest cell wraps to, at least 0.4 in
    needed = [
        max(Inches(0.4), row_height(list(zip(values, widths, strict=True)))) for values in values_of
    ]
    for page, indexes in enumerate(
        pages_by_height(needed, g.body_bottom_plain - g.body_top - header)
    ):
        chunk = [rows[i] for i in indexes]
        table_slide = deck.slide(
            "Roadmap: the upgrades of each funding cycle" + (CONTINUED if page else ""),
            summary + (" · costs marked (assumed) use the framework's default band" if any(r.cost_is_assumption for r in chunk) else ""),
            notes,
        )  # fmt: skip
        heights = [header, *[needed[i] for i in indexes]]
        with add_table(table_slide, widths, MARGIN, g.body_top, heights, name="Roadmap") as table:
            for column, label in enumerate(ROADMAP_HEADINGS):
                header_cell(table.cell(0, column), label)
            for row, index in enumerate(indexes, start=1):
                values = values_of[index]
                for column, value in enumerate(values):
                    fill_cell(
                        table.cell(row, column), value, align=LEFT if column in (1, 2) else CENTER
                    )


def deom_slide(deck: Deck) -> None:
    data, g = deck.data, deck.geometry
    inputs = data.inputs
    worth = [r for r in data.recommendations if r.has_economics and not r.negative_npv]
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
        "at these inputs are left out of the grid and listed in the appendix, and so are "
        "upgrades of capabilities without cost data (no NPV, so no impact to place)."
    )
    unpriced = len(data.maturity_only)
    if not data.has_cost_data:
        no_cost_data_deom_slide(deck, unpriced)
        return
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
                # the largest DEOM_TOP, fewer when their names take more lines than the cell has
                for shown in range(min(DEOM_TOP, len(listed)), -1, -1):
                    lines = [
                        [(quadrant.mode, 18, True, PLAIN_TEXT)],
                        [(f"{plural(len(listed), 'upgrade')} · base NPV {usd(sum(r.npv_base for r in listed))}", 14, False, MUTED_TEXT)],
                        *[[(f"{r.unit_name}: {r.capability_name} {r.from_level} → {r.to_level} ({usd(r.npv_base)})", 14, False, PLAIN_TEXT)] for r in listed[:shown]],
                    ]  # fmt: skip
                    if len(listed) > shown:
                        lines.append(
                            [
                                (
                                    f"… and {len(listed) - shown} more (appendix)",
                                    14,
                                    False,
                                    MUTED_TEXT,
                                )
                            ]
                        )
                    if lines_height(lines, half) <= cell_height:
                        break
                fill_cell(table.cell(row, column), lines)
                table.cell(row, column).anchor = "t"
    negative = len(data.not_worth_funding)
    remarks = []
    if negative:
        remarks.append(f"{plural(negative, 'upgrade')} {NOT_WORTH} {'is' if negative == 1 else 'are'} left out of the grid (appendix).")  # fmt: skip
    if unpriced:
        remarks.append(f"{plural(unpriced, 'upgrade')} without cost data (maturity-only: the next level and its to-do list) {'is' if unpriced == 1 else 'are'} left out too: on the unit slides and in the appendix.")  # fmt: skip
    if remarks:
        text_box(slide, MARGIN, bottom + Inches(0.05), g.content_width, Inches(0.4), [" ".join(remarks)], size=MIN_POINTS, colour=MUTED_TEXT, name="DEOM remark")  # fmt: skip


def no_cost_data_deom_slide(deck: Deck, unpriced: int) -> None:
    """The DEOM slide of a framework that carries no cost data: no NPV to place an upgrade
    by impact nor a cost by autonomy, so no grid; the upgrades are maturity-only, and the
    slide says where they are."""
    g = deck.geometry
    where = (
        f"{'It is' if unpriced == 1 else 'They are'} on each unit's slide, under "
        f"“Next level, {NO_COST_DATA}”, and listed with the next level's to-do list in the "
        f"appendix “{plural(unpriced, 'upgrade')} without cost data (next level only)”."
        if unpriced
        else "No unit has an upgrade to make: every scored capability is at its target or the top level."
    )
    lines = [
        [("The framework carries no cost data, so its recommendations are maturity-only", 20, True, PLAIN_TEXT)],
        [("", 8, False, PLAIN_TEXT)],
        [("DEOM places an upgrade by its base NPV (impact) and its high-end cost (autonomy). No capability of this framework has a cost band or a benefit, so no upgrade has either: the grid would be empty, not a finding.", 16, False, PLAIN_TEXT)],
        [("", 8, False, PLAIN_TEXT)],
        [(f"Each upgrade is the next level of one capability and the questions to raise to reach it ({plural(unpriced, 'upgrade')}). " + where, 16, False, PLAIN_TEXT)],
        [("", 8, False, PLAIN_TEXT)],
        [("To place them on the grid, add cost_low, cost_high, benefit_metric, benefit_percent and time_to_value_months to the capabilities in the framework file and load it as a new version.", MIN_POINTS, False, MUTED_TEXT)],
    ]  # fmt: skip
    slide = deck.slide(
        "DEOM grid: no cost data, so the upgrades are maturity-only",
        f"{plural(unpriced, 'upgrade')} without cost data · each the next level and its to-do list",
        "The DEOM grid needs an NPV (impact) and a cost (autonomy) for every upgrade it places; "
        "the framework gives its capabilities no economics, so its recommendations are "
        "maturity-only: the one-level upgrade, the next level's description and the questions "
        "that hold the capability at its level, with what the next level takes. Nothing is made "
        "up, so none of them is 'high impact'. " + RECOMMENDATION_NOTES,
    )
    body_text(slide, g, lines, name="DEOM without cost data")
