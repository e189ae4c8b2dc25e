"""XLSX workbooks. Text cells are always stored as text: a comment that starts with
`=` stays the words the respondent typed and is never evaluated as a formula.

`report_workbook` writes the consultant's workbook from plain data
(reports.domain.report_data.ReportData): sheets *scores* (tidy), *heatmap* (units ×
capabilities, cells filled by level, scores as numbers, a legend) and
*recommendations* (one row per recommended upgrade per unit).
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessments.domain.tidy import SCORE_COLUMNS, write_xlsx_text
from reports.domain.levels import (
    NO_SCORE_LABEL,
    hex_rrggbb,
    level_fill,
    level_label,
    level_text_colour,
)
from reports.domain.planning import RECOMMENDATION_FIELDS
from reports.domain.report_data import ReportData

HEATMAP_COLUMNS = ["unit", "unit_name", "region", "status", "maturity_index"]
RECOMMENDATION_COLUMNS = [
    "unit",
    "unit_name",
    "capability",
    "capability_name",
    *RECOMMENDATION_FIELDS[1:],
]
MONEY_FORMAT = "#,##0.00"
SCORE_FORMAT = "0.00"


def tidy_workbook(sheet: str, columns: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    append_table(worksheet, columns, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def append_table(worksheet, columns: list[str], rows: list[list]) -> None:
    worksheet.append(columns)
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            write_xlsx_text(worksheet.cell(row=r, column=c), value)
    worksheet.freeze_panes = "A2"


# --- the report workbook -----------------------------------------------------------------


def _level_style(cell, level) -> None:
    cell.fill = PatternFill(fill_type="solid", fgColor=hex_rrggbb(level_fill(level)))
    cell.font = Font(color=hex_rrggbb(level_text_colour(level)))
    cell.alignment = Alignment(horizontal="center")


def _score(value) -> float | None:
    return None if value is None else round(value, 4)


def _money(amount: float) -> float:
    return round(amount, 2)


def heatmap_sheet(worksheet, data: ReportData) -> None:
    """Units × capabilities in the page's order; a capability column holds the score (a
    number), its fill the level; below the table, the legend."""
    capability_names = [name for _, name in data.capabilities]
    worksheet.append([*HEATMAP_COLUMNS, *capability_names])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    first = len(HEATMAP_COLUMNS) + 1
    rows = zip(data.units, data.heatmap.scores, data.heatmap.levels, strict=True)
    for r, (unit, scores, levels) in enumerate(rows, start=2):
        values = [unit.slug, unit.name, unit.region, unit.status, _score(unit.maturity_index)]
        for c, value in enumerate(values, start=1):
            write_xlsx_text(worksheet.cell(row=r, column=c), value)
        worksheet.cell(row=r, column=len(values)).number_format = SCORE_FORMAT
        for c, (score, level) in enumerate(zip(scores, levels, strict=True), start=first):
            cell = worksheet.cell(row=r, column=c, value=_score(score))
            cell.number_format = SCORE_FORMAT
            _level_style(cell, level)
    legend_row = len(data.units) + 3
    worksheet.cell(row=legend_row, column=1, value="Legend").font = Font(bold=True)
    write_xlsx_text(
        worksheet.cell(row=legend_row, column=2),
        "fill = the capability's level (its lowest dimension level), number = its score "
        "(the mean of its dimension scores), grey and empty = no score",
    )
    entries = [(n, level_label(n, data.level_names)) for n in sorted(data.level_names)]
    for offset, (level, label) in enumerate([*entries, (None, NO_SCORE_LABEL)], start=1):
        cell = worksheet.cell(row=legend_row + offset, column=1)
        write_xlsx_text(cell, label)
        _level_style(cell, level)
    worksheet.freeze_panes = worksheet.cell(row=2, column=first)
    widths = {1: 18, 2: 26, 3: 12, 4: 11, 5: 10}
    for column in range(1, first + len(capability_names)):
        worksheet.column_dimensions[get_column_letter(column)].width = widths.get(column, 15)


def recommendation_rows(data: ReportData) -> list[list]:
    """One row per recommended upgrade per unit (units by name, then priority): money in
    USD rounded to the cent, binding dimensions joined with ';' as in `recommend`'s CSV."""
    return [
        [
            r.unit,
            r.unit_name,
            r.capability,
            r.capability_name,
            r.from_level,
            r.to_level,
            ";".join(r.binding_dimensions),
            _money(r.cost_low),
            _money(r.cost_high),
            _money(r.npv_best),
            _money(r.npv_base),
            _money(r.npv_downside),
            r.priority,
            r.negative_npv,
            r.deom_mode,
        ]
        for r in data.recommendations
    ]


def report_workbook(data: ReportData) -> bytes:
    workbook = Workbook()
    scores = workbook.active
    scores.title = "scores"
    append_table(scores, SCORE_COLUMNS, data.score_rows)
    heatmap_sheet(workbook.create_sheet("heatmap"), data)
    recommendations = workbook.create_sheet("recommendations")
    append_table(recommendations, RECOMMENDATION_COLUMNS, recommendation_rows(data))
    money_columns = [
        get_column_letter(RECOMMENDATION_COLUMNS.index(name) + 1)
        for name in ("cost_low", "cost_high", "npv_best", "npv_base", "npv_downside")
    ]
    for row in range(2, len(data.recommendations) + 2):
        for column in money_columns:
            recommendations[f"{column}{row}"].number_format = MONEY_FORMAT
    workbook.properties.title = f"{data.organisation} — {data.cycle}"
    workbook.properties.creator = "Ladder"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
