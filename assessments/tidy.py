"""The tidy file formats of DESIGN.md and the cell safety rule shared by every export.

A text cell that a spreadsheet would read as a formula (it starts with `=`, `+`,
`-`, `@`, a tab or a carriage return) is written with a leading apostrophe in
CSV, the convention spreadsheets show as text. Cells that already start with an
apostrophe get one more, so `restore_formula_text` (applied by the importer)
gives back exactly what was typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

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


def neutralise_formula(text: str) -> str:
    if text.startswith(_FORMULA_STARTS + (_ESCAPE,)):
        return _ESCAPE + text
    return text


def restore_formula_text(text: str) -> str:
    if text.startswith(_ESCAPE) and text[1:].startswith(_FORMULA_STARTS + (_ESCAPE,)):
        return text[1:]
    return text


def csv_bytes(columns: list[str], rows: Iterable[Iterable]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                "" if cell is None else neutralise_formula(cell) if isinstance(cell, str) else cell
                for cell in row
            ]
        )
    return buffer.getvalue().encode("utf-8")
