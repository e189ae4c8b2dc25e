"""XLSX workbooks. Every text cell, headers too, is written through
assessments.domain.tidy.write_xlsx_text: a name that starts with `=` stays the words typed
and is never evaluated as a formula.

`report_workbook` writes the consultant's workbook from plain data
(reports.domain.report_data.ReportData), readable as opened: every sheet has a header row
of words, frozen, with an autofilter, column widths that fit its content, and number
formats (USD, percent, scores). Sheets:

- Heatmap: units × capabilities, each cell "level · score" filled by its level (colour and
  number agree), with a legend below;
- Scores: one row per unit, capability and dimension (the tidy scores, names beside codes);
- Recommendations: one row per upgrade, with cost band (assumed or not), NPV range, value
  base, time-to-value, payback month and whether it is worth funding;
- Roadmap: the budget plan, funding cycle by funding cycle;
- Trend: each unit's maturity in the previous cycle and this one;
- Assumptions: assumed cost bands, value bases and the financial inputs, and where to
  change each.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessments.domain.tidy import print_one_page_wide, write_xlsx_text
from reports.domain.levels import (
    HELD_EXPLANATION,
    NO_SCORE_LABEL,
    hex_rrggbb,
    level_and_score,
    level_fill,
    level_label,
    level_palette,
    level_text_colour,
)
from reports.domain.planning import ASSUMPTION_NOTE, NO_COST_DATA
from reports.domain.report_data import ReportData

USD = '"$"#,##0;[Red]-"$"#,##0'
PERCENT = "0.0%"
SCORE = "0.00"
INTEGER = "0"
TEXT = "@"
HEADER_FILL = "343A40"
FONT = "Calibri"  # the workbook's default face: styled cells keep it
NOT_WORTH = "not worth funding at these inputs"


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # characters
    number_format: str = TEXT


def _header(worksheet, columns: Sequence[Column], row: int = 1) -> None:
    for index, column in enumerate(columns, start=1):
        cell = worksheet.cell(row=row, column=index)
        write_xlsx_text(cell, column.header)
        cell.font = Font(name=FONT, bold=True, color="FFFFFF")
        cell.fill = PatternFill(fill_type="solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    # tall enough for a heading wrapped on three lines in its column
    lines = max((len(c.header) / max(c.width - 1, 1) for c in columns), default=1)
    worksheet.row_dimensions[row].height = 16 * min(4, max(2, int(lines) + 1))


def write_table(
    worksheet, columns: Sequence[Column], rows: Sequence[Sequence[object]], *, freeze: str = "A2"
) -> None:
    """A header row of words, then the rows (text through write_xlsx_text, numbers with the
    column's format), the header frozen and filtered."""
    _header(worksheet, columns)
    for r, row in enumerate(rows, start=2):
        for c, (value, column) in enumerate(zip(row, columns, strict=True), start=1):
            cell = worksheet.cell(row=r, column=c)
            write_xlsx_text(cell, value)
            if column.number_format != TEXT and not isinstance(value, str):
                cell.number_format = column.number_format
    worksheet.freeze_panes = freeze
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows)) + 1}"


def tidy_workbook(sheet: str, columns: list[str], rows: list[list]) -> bytes:
    """A tidy table (export_answers / export_scores --format xlsx): the format's own column
    names, which the importer reads back, with widths, a frozen header and a filter."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    widths = [max([len(name), *(len(str(row[i])) for row in rows[:500] if row[i] is not None)]) + 2 for i, name in enumerate(columns)]  # fmt: skip
    write_table(
        worksheet,
        [Column(name, min(60, width), "General") for name, width in zip(columns, widths, strict=True)],
        rows,
    )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def append_table(worksheet, columns: list[str], rows: list[list]) -> None:
    """Kept for callers of the tidy layout (the offline workbook's own sheets)."""
    write_table(worksheet, [Column(name, 16, "General") for name in columns], rows)


# --- the report workbook -----------------------------------------------------------------


def _level_style(cell, level, levels) -> None:
    cell.fill = PatternFill(fill_type="solid", fgColor=hex_rrggbb(level_fill(level, levels)))
    cell.font = Font(name=FONT, color=hex_rrggbb(level_text_colour(level, levels)))
    cell.alignment = Alignment(horizontal="center")


def _round(value, digits: int = 2):
    return None if value is None else round(value, digits)


def _name_width(names, least: int = 12, most: int = 40) -> float:
    return min(most, max([least, *(len(n) + 2 for n in names)]))


def heatmap_sheet(worksheet, data: ReportData) -> None:
    units = [u.name for u in data.units]
    columns = [
        Column("Unit", _name_width(units)),
        Column("Unit code", _name_width([u.slug for u in data.units], 10, 24)),
        Column("Region", 12),
        Column("Status", 11),
        Column("Maturity index", 11, SCORE),
        *[Column(name, max(14, min(24, len(name) * 0.6 + 4))) for _, name in data.capabilities],
    ]
    rows = [
        [
            unit.name, unit.slug, unit.region, unit.status, _round(unit.maturity_index, 4),
            *[level_and_score(level, score) for score, level in zip(scores, levels, strict=True)],
        ]
        for unit, scores, levels in zip(data.units, data.heatmap.scores, data.heatmap.levels, strict=True)
    ]  # fmt: skip
    write_table(worksheet, columns, rows, freeze="B2")
    first = 6
    for r, levels in enumerate(data.heatmap.levels, start=2):
        for c, level in enumerate(levels, start=first):
            _level_style(worksheet.cell(row=r, column=c), level, data.level_names)
    legend_row = len(data.units) + 3
    write_xlsx_text(worksheet.cell(row=legend_row, column=1), "Legend")
    worksheet.cell(row=legend_row, column=1).font = Font(name=FONT, bold=True)
    write_xlsx_text(
        worksheet.cell(row=legend_row, column=2),
        "cell = the capability's level (its lowest dimension level, the fill) · its score (the "
        f"mean of its dimension scores); {HELD_EXPLANATION}; grey and empty = no score. The "
        "Scores sheet has the numbers.",
    )
    entries = [(c.level, level_label(c.level, data.level_names)) for c in level_palette(data.level_names)]  # fmt: skip
    for offset, (level, label) in enumerate([*entries, (None, NO_SCORE_LABEL)], start=1):
        cell = worksheet.cell(row=legend_row + offset, column=1)
        write_xlsx_text(cell, label)
        _level_style(cell, level, data.level_names)


def groups_sheet(worksheet, data: ReportData) -> None:
    """Each unit's capability groups with their rolled-up scores (docs/frameworks.md,
    "Capability groups"): one row per unit and group, the level filled as on the Heatmap."""
    columns = [
        Column("Unit", _name_width([u.name for u in data.units])),
        Column("Group", 40),
        Column("Level", 24),
        Column("Score", 9, SCORE),
        Column("Capabilities scored", 12),
    ]
    rows, levels = [], []
    for unit in data.units:
        for group in data.unit_groups(unit):
            rows.append(
                [
                    unit.name,
                    " › ".join(group.path),
                    level_label(group.level, data.level_names),
                    _round(group.score, 4),
                    f"{group.scored} of {group.capabilities}",
                ]
            )
            levels.append(group.level)
    write_table(worksheet, columns, rows, freeze="B2")
    # about 125 characters wide, past a portrait page: printed as the questionnaires are
    print_one_page_wide(worksheet, header_row=1)
    for r, level in enumerate(levels, start=2):
        _level_style(worksheet.cell(row=r, column=3), level, data.level_names)
        worksheet.cell(row=r, column=5).alignment = Alignment(horizontal="center")
    note = len(rows) + 3
    write_xlsx_text(
        worksheet.cell(row=note, column=1),
        "A group's score is the mean of its capabilities' scores (any depth); its level is "
        "its weakest capability's.",
    )


def scores_sheet(worksheet, data: ReportData) -> None:
    names = {u.slug: u.name for u in data.units}
    capabilities, dimensions = data.capability_names, data.dimension_names
    columns = [
        Column("Unit", _name_width(names.values())),
        Column("Unit code", 14),
        Column("Cycle", 10),
        Column("Capability", _name_width(capabilities.values())),
        Column("Capability code", 12),
        Column("Dimension", _name_width(dimensions.values(), 12, 30)),
        Column("Dimension code", 14),
        Column("Score", 8, SCORE),
        Column("Level", 7, INTEGER),
        Column("Level name", 14),
    ]
    rows = [
        [
            names.get(unit, unit), unit, cycle, capabilities.get(capability, capability),
            capability, dimensions.get(dimension, dimension), dimension, score, level,
            data.level_names.get(level, "") if level is not None else "",
        ]
        for _, unit, cycle, capability, dimension, score, level in data.score_rows
    ]  # fmt: skip
    write_table(worksheet, columns, rows, freeze="B2")


RECOMMENDATION_COLUMNS = [
    Column("Unit", 20), Column("Unit code", 14), Column("Priority", 9, INTEGER),
    Column("Capability", 30), Column("Capability code", 11), Column("From level", 9, INTEGER),
    Column("To level", 9, INTEGER), Column("To level name", 14), Column("Binding dimensions", 26),
    Column("Cost low", 13, USD), Column("Cost high", 13, USD), Column("Cost assumed", 10),
    Column("NPV downside", 14, USD), Column("NPV base", 14, USD), Column("NPV best", 14, USD),
    Column("Worth funding", 30), Column("Value base (a year)", 16, USD),
    Column("Benefit metric", 24), Column("Discount rate", 10, PERCENT),
    Column("Value from month", 10, INTEGER), Column("Pays back in month", 11, INTEGER),
    Column("DEOM mode", 22),
]  # fmt: skip


def recommendation_rows(data: ReportData) -> list[list]:
    """One row per recommended upgrade per unit (units by name, then priority), money in
    USD rounded to the cent. A maturity-only upgrade (no cost data) has its levels and
    binding dimensions, "no cost data" under Worth funding and every money cell blank."""
    dimensions = data.dimension_names
    return [
        [
            r.unit_name, r.unit, r.priority, r.capability_name, r.capability, r.from_level,
            r.to_level, data.level_names.get(r.to_level, ""),
            ", ".join(dimensions.get(d, d) for d in r.binding_dimensions),
            _round(r.cost_low), _round(r.cost_high),
            ("assumed" if r.cost_is_assumption else "no") if r.has_economics else None,
            _round(r.npv_downside), _round(r.npv_base), _round(r.npv_best),
            NO_COST_DATA if r.maturity_only else NOT_WORTH if r.negative_npv else "yes",
            _round(r.value_base) if r.has_economics else None, r.benefit_metric or None,
            r.discount_rate if r.has_economics else None,
            None if r.time_to_value_months is None else r.time_to_value_months + 1,
            r.payback_month, r.deom_mode,
        ]
        for r in data.recommendations
    ]  # fmt: skip


def recommendations_sheet(worksheet, data: ReportData) -> None:
    columns = [
        Column(c.header, _name_width([r.unit_name for r in data.recommendations]) if c.header == "Unit" else c.width, c.number_format)
        for c in RECOMMENDATION_COLUMNS
    ]  # fmt: skip
    write_table(worksheet, columns, recommendation_rows(data), freeze="B2")


def roadmap_sheet(worksheet, data: ReportData) -> None:
    columns = [
        Column("Funding cycle", 10, INTEGER), Column("Unit", _name_width([r.unit_name for r in data.roadmap])),
        Column("Capability", 30), Column("From level", 9, INTEGER), Column("To level", 9, INTEGER),
        Column("Cost (mid-band)", 15, USD), Column("Cost assumed", 10),
        Column("NPV downside", 14, USD), Column("NPV base", 14, USD), Column("NPV best", 14, USD),
        Column("Pays back in month", 11, INTEGER),
    ]  # fmt: skip
    rows = [
        [
            r.funding_cycle, r.unit_name, r.capability_name, r.from_level, r.to_level,
            _round(r.cost_mid), "assumed" if r.cost_is_assumption else "no",
            _round(r.npv_downside), _round(r.npv_base), _round(r.npv_best), r.payback_month,
        ]
        for r in data.roadmap
    ]  # fmt: skip
    write_table(worksheet, columns, rows)


def trend_sheet(worksheet, data: ReportData) -> None:
    previous = data.previous_cycle or "previous cycle"
    columns = [
        Column("Unit", _name_width([u.name for u in data.units])),
        Column(f"Maturity {previous}", 14, SCORE), Column(f"Maturity {data.cycle}", 14, SCORE),
        Column("Change", 9, '+0.00;[Red]-0.00;0.00'), Column("Capabilities a level up", 12, INTEGER),
        Column("Capabilities a level down", 12, INTEGER),
    ]  # fmt: skip
    rows = [
        [
            u.name, _round(u.previous_maturity, 4), _round(u.maturity_index, 4),
            None if u.previous_maturity is None or u.maturity_index is None
            else round(round(u.maturity_index, 2) - round(u.previous_maturity, 2), 2),
            u.capabilities_up, u.capabilities_down,
        ]
        for u in data.units
    ]  # fmt: skip
    write_table(worksheet, columns, rows)


def assumptions_sheet(worksheet, data: ReportData) -> None:
    inputs = data.inputs
    columns = [Column("Input", 36), Column("Value", 18, "General"), Column("Where to change it", 70)]  # fmt: skip
    framework = "the framework file (cost_low, cost_high), loaded as a new version with manage.py load_framework"  # fmt: skip
    rows: list[list] = [
        [f"Cost band of {name} (assumed)", "assumed", framework]
        for code, name in data.capabilities
        if code in data.assumed_costs
    ]
    rows += [[f"Value base: {metric} (a year)", value, "the engagement inputs page"] for metric, value in sorted(inputs.value_bases.items())]  # fmt: skip
    rows += [
        [f"Value base of unit {unit}: {metric} (a year)", value, "the unit's inputs page"]
        for unit, own in sorted(inputs.unit_value_bases.items())
        for metric, value in sorted(own.items())
    ]
    rows += [
        ["Discount rate (a year)", inputs.discount_rate, "the engagement inputs page"],
        ["Budget per funding cycle", inputs.budget_per_cycle, "the engagement inputs page"],
        ["Funding cycles", inputs.funding_cycles, "the engagement inputs page"],
        ["Local budget bound", inputs.local_budget_bound, "the engagement inputs page"],
        ["Impact threshold (base NPV)", inputs.impact_threshold, "the engagement inputs page"],
    ]
    write_table(worksheet, columns, rows)
    for r, row in enumerate(rows, start=2):
        value = worksheet.cell(row=r, column=2)
        if row[0].startswith(("Value base", "Budget", "Local", "Impact")):
            value.number_format = USD
        elif row[0].startswith("Discount"):
            value.number_format = PERCENT
        elif row[0] == "Funding cycles":
            value.number_format = INTEGER
    note = len(rows) + 3
    write_xlsx_text(worksheet.cell(row=note, column=1), "An " + ASSUMPTION_NOTE + ".")


def report_workbook(data: ReportData) -> bytes:
    workbook = Workbook()
    heatmap = workbook.active
    heatmap.title = "Heatmap"
    heatmap_sheet(heatmap, data)
    if data.capability_groups:
        groups_sheet(workbook.create_sheet("Groups"), data)
    scores_sheet(workbook.create_sheet("Scores"), data)
    recommendations_sheet(workbook.create_sheet("Recommendations"), data)
    roadmap_sheet(workbook.create_sheet("Roadmap"), data)
    trend_sheet(workbook.create_sheet("Trend"), data)
    assumptions_sheet(workbook.create_sheet("Assumptions"), data)
    workbook.properties.title = f"{data.organisation} — {data.cycle}"
    workbook.properties.creator = "Ladder"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
