"""The offline questionnaire: an XLSX workbook that respondents fill in without Ladder.

The layout (sheet names, rows, columns, the identification sheet) is defined in
layout.py, shared with reader.py, which reads a filled workbook back; this module only
writes it. Guard rails for the respondent, none of them a security boundary (the
import checks every cell again, all rows or none):

- answers are drop-down lists (choice questions) or validated numbers (measured
  questions), each with an input message and an error message;
- every sheet is protected without a password, with only the answer, comment
  and name cells unlocked, and the workbook structure is locked so that sheets
  are not renamed, added or removed;
- the identification sheet is hidden.
"""

from __future__ import annotations

import datetime
import io
import math
from collections.abc import Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from assessments.domain.guidance import dont_know_text, threshold_lines
from assessments.domain.tidy import print_one_page_wide, write_xlsx_text

from . import layout

SPECIAL = ("na", "dk")
TO_FILL = PatternFill("solid", fgColor="FFF8D6")
HEADING = PatternFill("solid", fgColor="E9ECEF")
THIN = Side(style="thin", color="ADB5BD")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
TEXT_FORMAT = "@"  # what is typed into a comment stays text, even "=SUM(A1)"
COLUMN_WIDTHS = {"A": 14, "B": 18, "C": 44, "D": 40, "E": 11, "F": 62, "G": 40}
# Excel's limits for data validation messages.
PROMPT_TITLE_MAX, PROMPT_MAX, ERROR_MAX = 32, 255, 225


def questionnaire_workbook(
    assessment, questions, levels: Mapping[int, str], respondent_name: str = ""
) -> bytes:
    """The questionnaire of `assessment` as XLSX bytes.

    `questions`: the framework's questions with `capability` and `dimension`
    loaded, in the order respondents read them; `levels`: level number → name.
    One sheet per capability that has questions, in the order of the questions.
    """
    by_capability: dict[str, list] = {}
    capabilities = {}
    for question in questions:
        capabilities.setdefault(question.capability.code, question.capability)
        by_capability.setdefault(question.capability.code, []).append(question)
    titles = layout.sheet_titles(capabilities.values())

    book = Workbook()
    _instructions(book.active, assessment, levels, respondent_name, titles, by_capability)
    for code, capability in capabilities.items():
        _capability_sheet(book.create_sheet(titles[code]), capability, by_capability[code], levels)
    _identity(book.create_sheet(layout.IDENTITY_SHEET), assessment)
    book.active = 0
    book.security = WorkbookProtection(lockStructure=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def allowed_values(question, levels: Mapping[int, str]) -> str:
    """What a respondent may answer, with what each level looks like."""
    if question.type != "numeric":  # choice and yes_no: an option
        lines = [
            f"{number}: {text}"  # valued options (SAMM) are numbered, not levels
            if question.has_option_values
            else f"{number} {levels.get(number, '')}: {text}"
            for number, text in question.option_levels.items()
        ]
    else:
        unit = question.unit or "the unit of the question"
        limits = "0 to 100" if question.unit == "%" else "0 or more"
        lines = [f"A measured value in {unit} ({limits})."]
        lines += threshold_lines(
            question.threshold_levels, question.higher_is_better, levels, question.unit
        )
    lines.append("na: not applicable · dk: don't know")
    return "\n".join(lines)


def _instructions(sheet, assessment, levels, respondent_name, titles, by_capability) -> None:
    sheet.title = layout.INSTRUCTIONS_SHEET
    unit, cycle = assessment.unit, assessment.cycle
    framework = cycle.framework
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 100
    write_xlsx_text(sheet["A1"], "Ladder questionnaire")
    sheet["A1"].font = Font(bold=True, size=16)
    write_xlsx_text(sheet["A2"], f"{framework.name} {framework.version}")
    facts = [
        ("Organisation", unit.organisation.name),
        ("Business unit", unit.name),
        ("Cycle", cycle.name),
    ]
    for row, (label, value) in enumerate(facts, start=4):
        write_xlsx_text(sheet.cell(row=row, column=1), label)
        write_xlsx_text(sheet.cell(row=row, column=2), value)
        sheet.cell(row=row, column=1).font = Font(bold=True)

    name_row = layout.RESPONDENT_ROW
    write_xlsx_text(sheet.cell(row=name_row, column=1), "Your name (required)")
    sheet.cell(row=name_row, column=1).font = Font(bold=True)
    name = sheet[layout.RESPONDENT_CELL]
    write_xlsx_text(name, respondent_name or None)
    name.fill, name.border, name.protection = TO_FILL, BOX, UNLOCKED
    name.number_format = TEXT_FORMAT
    name_check = DataValidation(
        type="textLength",
        operator="between",
        formula1="1",
        formula2=str(layout.RESPONDENT_MAX_LENGTH),
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        promptTitle="Your name",
        prompt="Type your full name: your answers are stored under it.",
        errorTitle="Name too long",
        error=f"Type at most {layout.RESPONDENT_MAX_LENGTH} characters.",
    )
    name_check.add(layout.RESPONDENT_CELL)
    sheet.add_data_validation(name_check)

    steps = [
        f"1. Type your name in cell {layout.RESPONDENT_CELL} above. Each person fills in their own "
        "copy: answers are stored under this name, and the unit's level on a question is the "
        "median of its respondents' levels.",
        f"2. Each capability has a sheet (listed below). For every question, answer in column "
        f"{layout.ANSWER_LETTER} ('Answer'): choose a level from the drop-down list, or, for a "
        "measured question, type the value in the unit shown. Column F says what each level "
        "looks like.",
        "3. Leave an answer blank if you cannot answer it now: blank answers are skipped. "
        f"A comment (column {layout.COMMENT_LETTER}) needs an answer beside it.",
        "4. na means not applicable: the question does not apply to your unit and is left out "
        f"of the scoring. dk means don't know. {dont_know_text(levels)} for follow-up.",
        "5. Send the file back to your consultant or unit lead. Ladder imports it with "
        "all-or-nothing checking: if any answer is not valid, nothing is loaded and every "
        "problem is listed by sheet and row, e.g. \"Sheet 'Identity Graph Enhancements' row 5: "
        "answer '7' is not a level…\".",
        "6. Do not rename, add or remove sheets, move rows, or change the question codes in "
        "column A: they tell Ladder where each answer belongs.",
    ]
    row = name_row + 2
    write_xlsx_text(sheet.cell(row=row, column=1), "How to fill it in")
    sheet.cell(row=row, column=1).font = Font(bold=True, size=13)
    for step in steps:
        row += 1
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        write_xlsx_text(sheet.cell(row=row, column=1), step)
        sheet.cell(row=row, column=1).alignment = WRAP_TOP
        sheet.row_dimensions[row].height = 15 * (1 + len(step) // 110)  # merged cells do not grow

    row = _table(
        sheet,
        row + 2,
        "Levels",
        ("Level", "Name"),
        [(str(number), name) for number, name in sorted(levels.items())]
        + [("na", "Not applicable: left out of the scoring")]
        + [("dk", dont_know_text(levels))],
    )
    _table(
        sheet,
        row + 2,
        "Sheets",
        ("Sheet", "Questions"),
        [(titles[code], len(items)) for code, items in by_capability.items()],
    )
    print_one_page_wide(sheet)
    _protect(sheet)


def _table(sheet, row: int, title: str, heading: tuple[str, str], rows) -> int:
    write_xlsx_text(sheet.cell(row=row, column=1), title)
    sheet.cell(row=row, column=1).font = Font(bold=True, size=13)
    row += 1
    for column, text in enumerate(heading, start=1):
        cell = sheet.cell(row=row, column=column)
        write_xlsx_text(cell, text)
        cell.font, cell.fill = Font(bold=True), HEADING
    for values in rows:
        row += 1
        for column, text in enumerate(values, start=1):
            write_xlsx_text(sheet.cell(row=row, column=column), text)
    return row


def _capability_sheet(sheet, capability, questions, levels) -> None:
    write_xlsx_text(sheet["A1"], f"{capability.name} ({capability.code})")
    sheet["A1"].font = Font(bold=True, size=14)
    write_xlsx_text(
        sheet["A2"],
        f"Answer in column {layout.ANSWER_LETTER}, comment in column {layout.COMMENT_LETTER}. "
        f"Your name goes on the '{layout.INSTRUCTIONS_SHEET}' sheet.",
    )
    sheet["A2"].font = Font(italic=True)
    for column, text in enumerate(layout.COLUMNS, start=1):
        cell = sheet.cell(row=layout.HEADER_ROW, column=column)
        write_xlsx_text(cell, text)
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), HEADING, BOX, WRAP_TOP
    for letter, width in COLUMN_WIDTHS.items():
        sheet.column_dimensions[letter].width = width

    lists: dict[str, DataValidation] = {}
    for row, question in enumerate(questions, start=layout.FIRST_QUESTION_ROW):
        values = [
            question.code,
            question.dimension.name,
            question.text,
            question.help,
            None,
            allowed_values(question, levels),
            None,
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column)
            write_xlsx_text(cell, value)
            cell.alignment, cell.border = WRAP_TOP, BOX
        sheet.row_dimensions[row].height = _height(values)
        answer = sheet.cell(row=row, column=layout.ANSWER_COLUMN)
        comment = sheet.cell(row=row, column=layout.COMMENT_COLUMN)
        answer.fill, answer.protection = TO_FILL, UNLOCKED
        comment.fill, comment.protection, comment.number_format = TO_FILL, UNLOCKED, TEXT_FORMAT
        if question.type != "numeric":  # choice and yes_no: an option
            choices = [str(number) for number in question.option_levels] + list(SPECIAL)
            valued = question.has_option_values  # numbered options (SAMM), not levels
            key = ",".join(choices) + (" options" if valued else "")
            if key not in lists:
                lists[key] = _choice_validation(choices, levels, options=valued)
                sheet.add_data_validation(lists[key])
            lists[key].add(answer.coordinate)
        else:
            check = _measurement_validation(question, answer.coordinate)
            sheet.add_data_validation(check)
    sheet.row_dimensions[layout.HEADER_ROW].height = _height(layout.COLUMNS)
    sheet.freeze_panes = f"B{layout.FIRST_QUESTION_ROW}"
    print_one_page_wide(sheet, layout.HEADER_ROW)
    _protect(sheet)


def _height(values) -> float:
    """Row height in points for wrapped texts in COLUMN_WIDTHS: spreadsheets do not
    all grow rows to fit wrapped text, and long questions must stay readable."""
    lines = 1
    for width, value in zip(COLUMN_WIDTHS.values(), values, strict=False):
        if isinstance(value, str) and value:
            per_line = max(int(width * 1.2) - 2, 1)
            wrapped = sum(math.ceil(max(len(part), 1) / per_line) for part in value.split("\n"))
            lines = max(lines, wrapped)
    return 15.0 * lines


def _choice_validation(choices: list[str], levels, options: bool = False) -> DataValidation:
    """A drop-down of the level numbers (or, for valued options, the option numbers)."""
    numbers = choices[: -len(SPECIAL)]
    what = "an option" if options else "a level"
    span = f"{numbers[0]}–{numbers[-1]}" if numbers else what
    return DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        promptTitle="Answer"[:PROMPT_TITLE_MAX],
        prompt=(
            f"Choose {what} {span} (column F says what each looks like), "
            "na (not applicable) or dk (don't know)."
        )[:PROMPT_MAX],
        errorTitle=f"Not {what}",
        error=f"Choose one of {', '.join(choices)} from the list."[:ERROR_MAX],
    )


def _measurement_validation(question, ref: str) -> DataValidation:
    """A number ≥ 0 (≤ 100 for a percentage), or the text na / dk: Excel's "decimal"
    rule would refuse na and dk, so the rule is written as a formula."""
    upper = f",{ref}<=100" if question.unit == "%" else ""
    unit = f" in {question.unit}" if question.unit else ""
    limits = "from 0 to 100" if question.unit == "%" else "0 or more"
    return DataValidation(
        type="custom",
        formula1=f'OR(AND(ISNUMBER({ref}),{ref}>=0{upper}),{ref}="na",{ref}="dk")',
        sqref=ref,
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        promptTitle="Measured value"[:PROMPT_TITLE_MAX],
        prompt=f"Type the value{unit}, {limits}; or na (not applicable) or dk (don't know)."[
            :PROMPT_MAX
        ],
        errorTitle="Not a valid value",
        error=f"Type a number{unit} {limits}, or na or dk."[:ERROR_MAX],
    )


def _identity(sheet, assessment) -> None:
    framework = assessment.cycle.framework
    values = {
        "format": layout.FORMAT,
        "format_version": layout.FORMAT_VERSION,
        "organisation": assessment.unit.organisation.slug,
        "unit": assessment.unit.slug,
        "cycle": assessment.cycle.name,
        "framework": framework.code,
        "framework_version": framework.version,
    }
    for row, key in enumerate(layout.IDENTITY_KEYS, start=1):
        write_xlsx_text(sheet.cell(row=row, column=1), key)
        write_xlsx_text(sheet.cell(row=row, column=2), values[key])
    row = len(layout.IDENTITY_KEYS) + 1
    write_xlsx_text(sheet.cell(row=row, column=1), layout.MADE_AT_KEY)
    made_at = datetime.datetime.now(datetime.UTC)
    write_xlsx_text(sheet.cell(row=row, column=2), made_at.isoformat())
    sheet.sheet_state = "hidden"
    _protect(sheet)


def _protect(sheet) -> None:
    sheet.protection.sheet = True
    # Respondents may still widen columns and rows to read long texts.
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
