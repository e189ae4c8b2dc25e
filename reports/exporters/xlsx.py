"""XLSX workbooks. Text cells are always stored as text: a comment that starts with
`=` stays the words the respondent typed and is never evaluated as a formula."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font


def write_text_safe(cell, value) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = TYPE_STRING
        if value[:1] in ("=", "+", "-", "@"):
            cell.quotePrefix = True


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
            write_text_safe(worksheet.cell(row=r, column=c), value)
    worksheet.freeze_panes = "A2"
