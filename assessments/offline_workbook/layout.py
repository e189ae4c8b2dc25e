"""The offline questionnaire workbook's layout, shared by its writer (writer.py) and its
reader (reader.py), so that the two cannot drift apart. A workbook has

- an "Instructions" sheet with the respondent's name in RESPONDENT_CELL;
- one sheet per capability: the column headings of COLUMNS on HEADER_ROW, one
  question a row below it, the answer in ANSWER_COLUMN, the comment in
  COMMENT_COLUMN;
- a hidden, protected sheet IDENTITY_SHEET of `key | value` rows naming the
  organisation, unit and cycle the answers belong to and the framework version
  the questions were taken from; and, after them, MADE_AT_KEY: when the workbook
  was made (an answer changed on the web after that is not overwritten unconfirmed).

"""

from __future__ import annotations

from assessments.domain import limits

FORMAT = "ladder-questionnaire"
FORMAT_VERSION = "1"

IDENTITY_SHEET = "Ladder"
INSTRUCTIONS_SHEET = "Instructions"
RESERVED_SHEETS = (IDENTITY_SHEET, INSTRUCTIONS_SHEET)
RESPONDENT_ROW = 7
RESPONDENT_CELL = f"B{RESPONDENT_ROW}"
RESPONDENT_MAX_LENGTH = limits.RESPONDENT.max_length

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

# The row after the identification rows: when the workbook was made (ISO 8601, UTC).
# Optional, so that workbooks made before it was written still upload.
MADE_AT_KEY = "made_at"
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
