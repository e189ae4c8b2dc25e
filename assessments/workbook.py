"""The offline questionnaire workbook: its layout, and reading a filled one back.

The writer is reports/exporters/questionnaire_workbook.py; both sides take the
layout from the constants here, so they cannot drift apart. A workbook has

- an "Instructions" sheet with the respondent's name in RESPONDENT_CELL;
- one sheet per capability: the column headings of COLUMNS on HEADER_ROW, one
  question a row below it, the answer in ANSWER_COLUMN, the comment in
  COMMENT_COLUMN;
- a hidden, protected sheet IDENTITY_SHEET of `key | value` rows naming the
  organisation, unit and cycle the answers belong to and the framework version
  the questions were taken from.

Reading gives the same tidy rows as an answers CSV, each labelled with where it
came from ("Sheet 'Identity Graph Enhancements' row 7") so that an error points
at the cell. Blank answers are skipped. Cells are read as typed (formulas as
their text), so a comment such as `=SUM(A1)` stays the words the respondent
wrote and an answer typed as a formula is reported rather than evaluated.
"""

from __future__ import annotations

FORMAT = "ladder-questionnaire"
FORMAT_VERSION = "1"

IDENTITY_SHEET = "Ladder"
INSTRUCTIONS_SHEET = "Instructions"
RESERVED_SHEETS = (IDENTITY_SHEET, INSTRUCTIONS_SHEET)
RESPONDENT_ROW = 7
RESPONDENT_CELL = f"B{RESPONDENT_ROW}"
RESPONDENT_MAX_LENGTH = 150  # Response.respondent

COLUMNS = (
    "Question code",
    "Dimension",
    "Question",
    "Help",
    "Answer",
    "Allowed values and levels",
    "Comment",
)
CODE_COLUMN, ANSWER_COLUMN, COMMENT_COLUMN = 1, 5, 7  # 1-based, as in openpyxl
ANSWER_LETTER, COMMENT_LETTER = "E", "G"
HEADER_ROW = 3
FIRST_QUESTION_ROW = HEADER_ROW + 1

# The identification rows of IDENTITY_SHEET, in order.
IDENTITY_KEYS = (
    "format",
    "format_version",
    "organisation",
    "unit",
    "cycle",
    "framework",
    "framework_version",
)

# A reader may mark a row it could not read: answers_import reports this problem
# with the row's location, beside every other bad row.
ROW_PROBLEM = "_problem"

_FORBIDDEN_IN_SHEET_TITLES = str.maketrans({c: " " for c in "[]:*?/\\"})


class WorkbookUnreadable(ValueError):
    """The workbook as a whole cannot be read (layout, identification, respondent)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def sheet_titles(capabilities) -> dict[str, str]:
    """A sheet title for each capability code: its name as far as Excel allows
    (31 characters, none of []:*?/\\), unique without regard to case."""
    taken = {title.lower() for title in RESERVED_SHEETS}
    titles = {}
    for capability in capabilities:
        title = " ".join(capability.name.translate(_FORBIDDEN_IN_SHEET_TITLES).split())
        title = title.strip("'")[:31].strip() or capability.code
        if title.lower() in taken:
            suffix = f" ({capability.code})"
            title = title[: 31 - len(suffix)].rstrip() + suffix
        titles[capability.code] = title
        taken.add(title.lower())
    return titles


def location(sheet: str, row: int) -> str:
    return f"Sheet '{sheet}' row {row}"


def is_questionnaire(sheetnames: list[str]) -> bool:
    return IDENTITY_SHEET in sheetnames and INSTRUCTIONS_SHEET in sheetnames


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
    return {key: identity[key].strip() for key in IDENTITY_KEYS}


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
    if len(name) > RESPONDENT_MAX_LENGTH:
        raise WorkbookUnreadable(
            [
                f"{where}: the respondent's name has {len(name)} characters "
                f"(at most {RESPONDENT_MAX_LENGTH})"
            ]
        )
    return name


def _text(value) -> str:
    """A cell's value as the text a person typed: 3.0 → "3", None → ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
