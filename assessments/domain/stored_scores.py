"""What is stored for an assessment: its cells' and capabilities' scores (rules 2–4 of
assessments/domain/scoring.py), computed over plain rows with the scalar rules of
aggregation.py. Every save stores the scores of its whole assessment, and the frame
pipeline of scoring.py — vectorised for reports over hundreds of units — spent 12 ms in
pandas' fixed cost per operation on one assessment's 150 answers; this takes well under
one. tests/test_stored_score_rows.py holds it to the frame pipeline on random assessments.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from . import aggregation
from .aggregation import QuestionResult

CAPABILITY_ROW = ""  # the dimension of a capability's own stored row

# (assessment, capability, dimension, score, level); dimension CAPABILITY_ROW for the
# capability's own row.
StoredRow = tuple[int, str, str, float, int]


@dataclass(frozen=True)
class ScoredQuestion:
    """What a question brings to its cell: where it counts, how much, and by which rule."""

    capability: str
    dimension: str
    weight: float = 1.0
    aggregation: str = aggregation.WEIGHTED_MEAN  # its capability's
    gate: int | None = None  # a yes/no question's own level
    top: int = 5  # the framework's top level


@dataclass(frozen=True)
class ScorableAnswer:
    """One respondent's answer with a level ("not applicable" answers have none and are
    not scorable); `value` is what it counts as: a valued option's value, else the level."""

    assessment: int
    question: int | str  # its id (or, in hand-made examples, its code)
    level: int
    value: float | None = None


def stored_rows(
    answers: Iterable[ScorableAnswer], questions: Mapping[int | str, ScoredQuestion]
) -> list[StoredRow]:
    """Each capability's row, then each cell's, for every assessment of `answers`."""
    given: dict[tuple[int, int | str], list[float]] = defaultdict(list)
    for answer in answers:
        given[answer.assessment, answer.question].append(
            float(answer.level) if answer.value is None else float(answer.value)
        )
    # Rule 2: per question, the lower median of the respondents' values; its level is that
    # median's (levels round values down, keeping their order).
    cells: dict[tuple[int, str, str], list[QuestionResult]] = defaultdict(list)
    rules: dict[str, ScoredQuestion] = {}
    for (assessment, question_id), values in given.items():
        question = questions.get(question_id)
        if question is None or question.weight <= 0:  # weight 0: for information only
            continue
        value = sorted(values)[(len(values) - 1) // 2]
        cells[assessment, question.capability, question.dimension].append(
            QuestionResult(
                level=aggregation.level_of(value),
                weight=question.weight,
                gate=question.gate,
                value=value,
            )
        )
        rules[question.capability] = question
    cell_rows = [
        (assessment, capability, dimension, *_cell(results, rules[capability]))
        for (assessment, capability, dimension), results in cells.items()
    ]
    # Rule 4: a capability's level is its lowest cell's, its score the mean of its cells'
    # (a gated capability's score is its level).
    by_capability: dict[tuple[int, str], list[tuple[float, int]]] = defaultdict(list)
    for assessment, capability, _, score, level in cell_rows:
        by_capability[assessment, capability].append((score, level))
    capability_rows = []
    for (assessment, capability), scored in by_capability.items():
        level = min(level for _, level in scored)
        if rules[capability].aggregation == aggregation.GATED:
            score = float(level)
        else:
            score = math.fsum(score for score, _ in scored) / len(scored)
        capability_rows.append((assessment, capability, CAPABILITY_ROW, score, level))
    return capability_rows + cell_rows


def _cell(results: list[QuestionResult], rule: ScoredQuestion) -> tuple[float, int]:
    """Rule 3: (score, level) of one cell by its capability's aggregation."""
    if rule.aggregation == aggregation.GATED:
        level = aggregation.gated(results, rule.top)
        return float(level), level
    if rule.aggregation == aggregation.SUM:
        score = min(float(rule.top), math.fsum(r.worth * r.weight for r in results))
    else:
        total = math.fsum(r.weight for r in results)
        score = math.fsum(r.worth * r.weight for r in results) / total
    return score, aggregation.level_of(score)
