"""Reading a filled offline questionnaire workbook back.

Reading gives the same tidy rows as an answers CSV, each labelled with where it
came from ("Sheet 'Identity Graph Enhancements' row 7") so that an error points
at the cell. Blank answers are skipped. Cells are read as typed (formulas as
their text), so a comment such as `=SUM(A1)` stays the words the respondent
wrote and an answer typed as a formula is reported rather than evaluated. Every cell is
checked against its column's limit by the import; the respondent's name here (one error,
not one a row), and at most limits.MAX_IMPORT_ROWS rows are read.
"""

from __future__ import annotations

from assessments.domain import limits

from .layout import (
    ANSWER_COLUMN,
    ANSWER_LETTER,
    CODE_COLUMN,
    COLUMNS,
    COMMENT_COLUMN,
    FIRST_QUESTION_ROW,
    FORMAT,
    FORMAT_VERSION,
    HEADER_ROW,
    IDENTITY_KEYS,
    IDENTITY_SHEET,
    INSTRUCTIONS_SHEET,
    MADE_AT_KEY,
    RESERVED_SHEETS,
    RESPONDENT_CELL,
    RESPONDENT_ROW,
    ROW_PROBLEM,
    location,
)


class WorkbookUnreadable(ValueError):
    """The workbook as a whole cannot be read (layout, identification, respondent)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def read_questionnaire(workbook) -> tuple[dict[str, str], list[tuple[str, dict[str, str]]]]:
    """The workbook's identification and its tidy answer rows.

    Raises WorkbookUnreadable when the identification, the respondent's name or a
    sheet's layout is missing; problems with single answers are left to the import.
    """
    identity = _identity(workbook)
    respondent = _respondent(workbook)
    problems: list[str] = []
    rows: list[tuple[str, dict[str, str]]] = []
    for sheet in workbook.worksheets:
        if sheet.title in RESERVED_SHEETS:
            continue
        lines = sheet.iter_rows(min_row=HEADER_ROW, max_col=len(COLUMNS), values_only=True)
        header = tuple(_text(value) for value in next(lines, ()))
        if header != COLUMNS:
            problems.append(
                f"{location(sheet.title, HEADER_ROW)}: the column headings were changed "
                f"(expected: {', '.join(COLUMNS)}); download a new workbook and copy the answers into it"
            )
            continue
        for number, values in enumerate(lines, start=FIRST_QUESTION_ROW):
            cells = list(values) + [None] * (len(COLUMNS) - len(values))
            code = _text(cells[CODE_COLUMN - 1]).strip()
            answer = _text(cells[ANSWER_COLUMN - 1]).strip()
            comment = _text(cells[COMMENT_COLUMN - 1])
            if not answer and not comment.strip():
                continue  # not answered (yet): skipped, not an error
            if len(rows) == limits.MAX_IMPORT_ROWS:
                raise WorkbookUnreadable(
                    [
                        f"the workbook has more than {limits.MAX_IMPORT_ROWS:,} answer rows; "
                        "download a new workbook"
                    ]
                )
            row = {
                "organisation": identity["organisation"],
                "unit": identity["unit"],
                "cycle": identity["cycle"],
                "respondent": respondent,
                "question_code": code,
                "answer": answer,
                "comment": comment,
            }
            if not code:
                row[ROW_PROBLEM] = (
                    f"the question code in column A is empty; do not change the codes "
                    f"(answer '{answer}')"
                )
            elif not answer:
                row[ROW_PROBLEM] = (
                    f"question {code} has a comment but no answer; choose an answer in column "
                    f"{ANSWER_LETTER} (or dk, don't know) to keep the comment"
                )
            rows.append((location(sheet.title, number), row))
    if problems:
        raise WorkbookUnreadable(problems)
    return identity, rows


def _identity(workbook) -> dict[str, str]:
    sheet = workbook[IDENTITY_SHEET]
    identity = {}
    for values in sheet.iter_rows(max_col=2, values_only=True):
        if values and values[0] is not None:
            identity[_text(values[0]).strip()] = _text(values[1] if len(values) > 1 else None)
    missing = [key for key in IDENTITY_KEYS if not identity.get(key, "").strip()]
    if missing or identity.get("format") != FORMAT:
        raise WorkbookUnreadable(
            [
                f"Sheet '{IDENTITY_SHEET}': the workbook's identification was changed "
                f"(missing: {', '.join(missing) or 'format'}); download a new workbook"
            ]
        )
    if identity["format_version"] != FORMAT_VERSION:
        raise WorkbookUnreadable(
            [
                f"Sheet '{IDENTITY_SHEET}': questionnaire format version "
                f"{identity['format_version']} cannot be read (this Ladder reads version "
                f"{FORMAT_VERSION}); download a new workbook"
            ]
        )
    found = {key: identity[key].strip() for key in IDENTITY_KEYS}
    found[MADE_AT_KEY] = identity.get(MADE_AT_KEY, "").strip()  # "" in older workbooks
    return found


def _respondent(workbook) -> str:
    sheet = workbook[INSTRUCTIONS_SHEET]
    values = next(
        sheet.iter_rows(
            min_row=RESPONDENT_ROW, max_row=RESPONDENT_ROW, min_col=2, max_col=2, values_only=True
        ),
        (None,),
    )
    name = _text(values[0] if values else None).strip()
    where = f"Sheet '{INSTRUCTIONS_SHEET}' cell {RESPONDENT_CELL}"
    if not name:
        raise WorkbookUnreadable(
            [f"{where}: the respondent's name is empty; type the name of the person who answered"]
        )
    problem = limits.text_problem(name, limits.RESPONDENT)
    if problem:
        raise WorkbookUnreadable([f"{where}: the respondent's name {problem}"])
    return name


def _text(value) -> str:
    """A cell's value as the text a person typed: 3.0 → "3", None → ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
