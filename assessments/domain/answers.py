"""An answer as a person or a file gives it, and as it is written everywhere as text.

One rule for writing an answer as text, used by the tidy files, the audit log, the
review page and the sign-off hash: a level number for a choice (`3`), a measured value
as typed without a needless decimal (`55`, `55.5`), or `na` / `dk`.
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_APPLICABLE = "na"
DONT_KNOW = "dk"
SPECIAL_ANSWERS = (NOT_APPLICABLE, DONT_KNOW)


@dataclass(frozen=True)
class AnswerInput:
    """One answer as given by a person or a file, before it is stored."""

    choice: int | None = None
    value: float | None = None
    special: str = ""
    comment: str = ""
    evidence_url: str = ""


def number_text(value: float) -> str:
    """55.0 → "55", 55.5 → "55.5": a measured value as a person would write it."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def answer_text(*, choice: int | None, value: float | None, special: str) -> str:
    """The answer as written in the tidy answers file."""
    if special:
        return special
    if choice is not None:
        return str(int(choice))
    if value is None:
        raise ValueError("an answer needs a choice, a value, 'na' or 'dk'")
    return number_text(value)


def progress_percent(answered: int, total: int) -> int:
    """Whole percent answered, rounded down: 100 % only when nothing is left to answer.

    (Rounding to nearest would show 199 of 200 as 100 %; the page's script rounds the same way.)
    """
    return 100 * answered // total if total else 0
