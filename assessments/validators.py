"""Validation shared by the questionnaire forms, answer imports, uploads and the admin.

The limits themselves (lengths, characters, the one number rule) are pure and live in
assessments/domain/limits.py, which the framework loader uses directly; these are their
Django faces: ValidationErrors and validators for form fields.
"""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible

from .domain import limits
from .domain.answers import SPECIAL_ANSWERS, AnswerInput


@deconstructible
class TextLimitValidator:
    """A form field's text against its limit: "The comment has 2001 characters (at most
    2000)." / "The respondent contains a control character (U+0001) at character 4; remove it."
    """

    def __init__(self, limit: limits.TextLimit):
        self.limit = limit

    def __call__(self, value) -> None:
        problem = limits.text_problem(str(value), self.limit)
        if problem:
            raise ValidationError(f"The {self.limit.label} {problem}.", code="text_limit")

    def __eq__(self, other) -> bool:
        return isinstance(other, TextLimitValidator) and other.limit == self.limit


# Evidence links are followed by reviewers: only web addresses, never javascript:, data:,
# file: or ftp: links.
validate_evidence_url = URLValidator(
    schemes=["http", "https"],
    message="An evidence link is a web address starting with http:// or https://.",
)


def _answer_kind(question) -> str:
    """What a choice answer names: an option's number when options carry values, else a level."""
    return "option" if question.has_option_values else "level"


def level_range(question) -> str:
    levels = sorted(int(n) for n in question.options)
    what = f"{_answer_kind(question)}s"
    return f"{what} {levels[0]}–{levels[-1]}" if levels else f"no {what}"


def parse_answer(question, raw: str, comment: str = "", evidence_url: str = "") -> AnswerInput:
    """Read a tidy answer cell: a level for a choice question (the option's number, 1 for
    the first, when its options carry values), a number for a numeric one, `na` or `dk`. Raises ValidationError saying what is wrong."""
    text = str(raw).strip()
    lowered = text.lower()
    if lowered in SPECIAL_ANSWERS:
        return AnswerInput(special=lowered, comment=comment, evidence_url=evidence_url)
    if question.type != "numeric":  # choice and yes_no: an option
        allowed = {str(n) for n in question.options}
        normalised = text[:-2] if text.endswith(".0") else text
        if normalised not in allowed:
            raise ValidationError(
                f"answer {limits.shown(text)} is not "
                f"{'an option' if _answer_kind(question) == 'option' else 'a level'} "
                f"of question {question.code} "
                f"({level_range(question)}, na, dk)"
            )
        return AnswerInput(choice=int(normalised), comment=comment, evidence_url=evidence_url)
    value = validate_measurement(question, text)
    return AnswerInput(value=value, comment=comment, evidence_url=evidence_url)


def validate_measurement(question, raw) -> float:
    """A measured answer by the one number rule (limits.parse_decimal): `3,5`, `1_000` and
    `1e400` are refused by name, not guessed at."""
    unit = f" in {question.unit}" if question.unit else ""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value, shown = float(raw), limits.number_shown(raw)
    else:
        shown = str(raw).strip()
        try:
            value = float(limits.parse_decimal(shown))
        except limits.NumberError as error:
            if str(error) == f"{limits.shown(shown)} is not a number":
                raise ValidationError(
                    f"answer {limits.shown(shown)} is not a number for question {question.code} "
                    f"(a value{unit}, na, dk)"
                ) from None
            raise ValidationError(f"answer for question {question.code}: {error}") from None
    if math.isnan(value) or math.isinf(value):
        raise ValidationError(
            f"answer '{shown}' is not a finite number for question {question.code}"
        )
    if value < 0:
        raise ValidationError(f"answer '{shown}' for question {question.code} must not be negative")
    if question.unit == "%" and value > 100:
        raise ValidationError(
            f"answer '{shown}' for question {question.code} is a percentage above 100"
        )
    if value > limits.MEASUREMENT.maximum:
        raise ValidationError(
            f"answer '{shown}' for question {question.code} is above "
            f"{limits.number_shown(limits.MEASUREMENT.maximum)}, the largest measured value stored"
        )
    return value


# --- uploads ----------------------------------------------------------------------------------

UPLOAD_EXTENSIONS = (".csv", ".xlsx")
_ZIP_MAGIC = b"PK\x03\x04"  # an XLSX workbook is a zip archive


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def validate_answers_upload(uploaded_file) -> None:
    """Refuse an uploaded answers file that is too large, not .csv/.xlsx, or whose
    content does not match its extension. Raises ValidationError saying which.

    Limits: settings.LADDER_MAX_UPLOAD_BYTES. An .xlsx must start as a zip archive;
    a .csv must be text (no NUL bytes, not a zip archive). Reads only the first
    few kilobytes and leaves the file at its start.
    """
    from django.conf import settings

    name = getattr(uploaded_file, "name", "") or "the file"
    limit = settings.LADDER_MAX_UPLOAD_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            f"'{name}' is {_megabytes(uploaded_file.size)}; the largest file accepted is "
            f"{_megabytes(limit)}.",
            code="too_large",
        )
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in UPLOAD_EXTENSIONS:
        raise ValidationError(
            f"'{name}' is not a .csv or .xlsx file: upload the tidy answers as CSV or XLSX.",
            code="wrong_type",
        )
    if uploaded_file.size == 0:
        raise ValidationError(f"'{name}' is empty.", code="empty")
    uploaded_file.seek(0)
    head = uploaded_file.read(4096)
    uploaded_file.seek(0)
    if isinstance(head, str):
        head = head.encode("utf-8")
    if extension == ".xlsx" and not head.startswith(_ZIP_MAGIC):
        raise ValidationError(
            f"'{name}' is not an XLSX workbook: its content does not start like one.",
            code="wrong_content",
        )
    if extension == ".csv" and (head.startswith(_ZIP_MAGIC) or b"\x00" in head):
        raise ValidationError(
            f"'{name}' is not a CSV text file: its content is binary "
            "(an XLSX workbook must end in .xlsx).",
            code="wrong_content",
        )
