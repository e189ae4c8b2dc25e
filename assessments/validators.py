"""Validation shared by the questionnaire forms, answer imports and the framework loader."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .scoring import DONT_KNOW, NOT_APPLICABLE

SPECIAL_ANSWERS = (NOT_APPLICABLE, DONT_KNOW)


@dataclass(frozen=True)
class AnswerInput:
    """One answer as given by a person or a file, before it is stored."""

    choice: int | None = None
    value: float | None = None
    special: str = ""
    comment: str = ""
    evidence_url: str = ""


def level_range(question) -> str:
    levels = sorted(int(n) for n in question.options)
    return f"levels {levels[0]}–{levels[-1]}" if levels else "no levels"


def parse_answer(question, raw: str, comment: str = "", evidence_url: str = "") -> AnswerInput:
    """Read a tidy answer cell: a level for a choice question, a number for a
    numeric one, `na` or `dk`. Raises ValidationError saying what is wrong."""
    text = str(raw).strip()
    lowered = text.lower()
    if lowered in SPECIAL_ANSWERS:
        return AnswerInput(special=lowered, comment=comment, evidence_url=evidence_url)
    if question.type == "choice":
        allowed = {str(n) for n in question.options}
        normalised = text[:-2] if text.endswith(".0") else text
        if normalised not in allowed:
            raise ValidationError(
                f"answer '{text}' is not a level of question {question.code} "
                f"({level_range(question)}, na, dk)"
            )
        return AnswerInput(choice=int(normalised), comment=comment, evidence_url=evidence_url)
    value = validate_measurement(question, text)
    return AnswerInput(value=value, comment=comment, evidence_url=evidence_url)


def validate_measurement(question, raw) -> float:
    unit = f" in {question.unit}" if question.unit else ""
    try:
        value = (
            float(str(raw).strip().replace(",", ""))
            if not isinstance(raw, int | float)
            else float(raw)
        )
    except ValueError:
        raise ValidationError(
            f"answer '{raw}' is not a number for question {question.code} (a value{unit}, na, dk)"
        ) from None
    if math.isnan(value) or math.isinf(value):
        raise ValidationError(f"answer '{raw}' is not a finite number for question {question.code}")
    if value < 0:
        raise ValidationError(f"answer '{raw}' for question {question.code} must not be negative")
    if question.unit == "%" and value > 100:
        raise ValidationError(
            f"answer '{raw}' for question {question.code} is a percentage above 100"
        )
    return value
