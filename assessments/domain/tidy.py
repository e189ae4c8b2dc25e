"""The tidy file formats (docs/design.md) and the cell safety rule shared by every export.

A text cell that a spreadsheet would read as a formula (`is_formula_like`: it starts
with `=`, `+`, `-`, `@`, a tab or a carriage return) is written as text: in CSV with a
leading apostrophe, the convention spreadsheets show as text (cells that already start
with an apostrophe get one more, so `restore_formula_text`, applied by the importer,
gives back exactly what was typed); in XLSX as a string cell with Excel's quote prefix
(`write_xlsx_text`), so the cell shows what was typed and is never evaluated. Headers go
through the same rule as values: they may be third-party text (capability names).

XLSX cannot hold control characters other than tab and line breaks; every door refuses
them now (assessments/domain/limits.py), and text stored before that is written with
each replaced by U+FFFD (�) rather than failing the whole export.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

ANSWER_COLUMNS = [
    "organisation",
    "unit",
    "cycle",
    "respondent",
    "question_code",
    "answer",
    "comment",
]
SCORE_COLUMNS = ["organisation", "unit", "cycle", "capability", "dimension", "score", "level"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPE = "'"
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_formula_like(text: str) -> bool:
    return text.startswith(_FORMULA_STARTS)


def neutralise_formula(text: str) -> str:
    """A CSV cell's text: an apostrophe before anything a spreadsheet would evaluate."""
    if is_formula_like(text) or text.startswith(_ESCAPE):
        return _ESCAPE + text
    return text


def write_xlsx_text(cell: Any, value: object) -> None:
    """Set an openpyxl cell: text is stored as a string (never a formula), and text that
    looks like a formula carries the quote prefix so spreadsheets show it as typed."""
    if isinstance(value, str):
        value = _NOT_IN_XLSX.sub("\ufffd", value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True


def print_one_page_wide(sheet: Any, header_row: int | None = None) -> None:
    """An openpyxl sheet's print setup: landscape, every column on one page's width (as
    many pages down as it takes) and, given `header_row`, that row repeated on every
    page: a printed sheet never splits its columns across pages."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row is not None:
        sheet.print_title_rows = f"{header_row}:{header_row}"


def restore_formula_text(text: str) -> str:
    if text.startswith(_ESCAPE) and text[1:].startswith(_FORMULA_STARTS + (_ESCAPE,)):
        return text[1:]
    return text


def csv_bytes(columns: list[str], rows: Iterable[Iterable[object]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise_formula(column) for column in columns])
    for row in rows:
        writer.writerow(
            [
                "" if cell is None else neutralise_formula(cell) if isinstance(cell, str) else cell
                for cell in row
            ]
        )
    return buffer.getvalue().encode("utf-8")
