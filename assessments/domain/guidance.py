"""What a respondent is told about "don't know" and about a measured question's thresholds.

One wording for every door: the web questionnaire and the offline workbook both call these,
so they can never tell a respondent different things (tests/test_questionnaire_guidance.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from assessments.domain.answers import number_text


def lowest_level(levels: Mapping[int, str]) -> int:
    return min(levels) if levels else 1


def level_label(number: int, levels: Mapping[int, str]) -> str:
    """`1 (Initial)`, or `1` where the framework names no level."""
    name = levels.get(number, "")
    return f"{number} ({name})" if name else str(number)


def dont_know_text(levels: Mapping[int, str]) -> str:
    """Don't know counts as level 1 (Initial) and is flagged."""
    return f"Don't know counts as level {level_label(lowest_level(levels), levels)} and is flagged"


def threshold_lines(
    thresholds: Mapping[int, float],
    higher_is_better: bool,
    levels: Mapping[int, str],
    unit: str = "",
) -> list[str]:
    """The level each measured value reaches, best level first, e.g.
    ["Level 4 (Managed): 80 % or more", …, "Level 1 (Initial): anything less"]."""
    if not thresholds:
        return []
    suffix = f" {unit}" if unit else ""
    word = "or more" if higher_is_better else "or less"
    lines = [
        f"Level {level_label(number, levels)}: {number_text(value)}{suffix} {word}"
        for number, value in sorted(thresholds.items(), reverse=True)
    ]
    lowest = lowest_level(levels)
    if lowest not in thresholds:
        rest = "anything less" if higher_is_better else "anything more"
        lines.append(f"Level {level_label(lowest, levels)}: {rest}")
    return lines


MINUTES_PER_QUESTION = 1
ROUND_MINUTES_TO = 5


def minutes_estimate(questions: int) -> int:
    """How long answering takes: 1 minute per question, rounded up to the next 5 minutes
    (0 when nothing is left). 8 questions → 10 minutes, 40 → 40, 41 → 45."""
    if questions <= 0:
        return 0
    minutes = questions * MINUTES_PER_QUESTION
    return -(-minutes // ROUND_MINUTES_TO) * ROUND_MINUTES_TO
