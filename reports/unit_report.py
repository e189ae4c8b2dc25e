"""The unit report's data: one assessment scored, laid out for the page and exports."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from assessments import scoring
from assessments.models import Answer, Assessment, Capability, Dimension, Level, Question
from assessments.queries import answer_levels_frame, questions_frame

BY = ("assessment",)


@dataclass(frozen=True)
class Cell:
    score: float | None
    level: int | None
    binding: bool = False


@dataclass(frozen=True)
class CapabilityRow:
    code: str
    name: str
    cells: list[Cell]  # in dimension order
    score: float | None
    level: int | None
    binding_dimensions: tuple[str, ...]


@dataclass(frozen=True)
class DisputedQuestion:
    code: str
    text: str
    capability: str
    dimension: str
    level: int
    respondent_levels: list[tuple[str, int | None, str]]  # respondent, level, raw answer


@dataclass(frozen=True)
class UnitReport:
    assessment: Assessment
    levels: dict[int, str]
    dimensions: list[Dimension]
    capabilities: list[CapabilityRow]
    maturity_index: float | None
    disputed: list[DisputedQuestion]
    dont_know: int
    scores: scoring.Scores


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def unit_report(assessment: Assessment) -> UnitReport:
    framework = assessment.cycle.framework
    answers = answer_levels_frame([assessment.pk])
    scores = scoring.score(answers, questions_frame(framework), BY)
    dimensions = list(Dimension.objects.filter(framework=framework).order_by("position"))
    cells = {
        (r.capability, r.dimension): Cell(float(r.score), int(r.level))
        for r in scores.cells.itertuples()
    }
    by_capability = {r.capability: r for r in scores.capabilities.itertuples()}
    rows = []
    for capability in Capability.objects.filter(framework=framework).order_by("position"):
        summary = by_capability.get(capability.code)
        binding = tuple(summary.binding_dimensions) if summary else ()
        rows.append(
            CapabilityRow(
                code=capability.code,
                name=capability.name,
                cells=[
                    Cell(cell.score, cell.level, binding=d.code in binding)
                    for d in dimensions
                    for cell in [cells.get((capability.code, d.code), Cell(None, None))]
                ],
                score=_number(summary.score) if summary else None,
                level=int(summary.level) if summary else None,
                binding_dimensions=binding,
            )
        )
    index = scores.units["maturity_index"].iloc[0] if not scores.units.empty else None
    return UnitReport(
        assessment=assessment,
        levels=dict(Level.objects.filter(framework=framework).values_list("number", "name")),
        dimensions=dimensions,
        capabilities=rows,
        maturity_index=_number(index),
        disputed=_disputed(assessment, scores.question_levels),
        dont_know=int(scores.question_levels["dont_know"].sum())
        if not scores.question_levels.empty
        else 0,
        scores=scores,
    )


def _disputed(assessment: Assessment, levels: pd.DataFrame) -> list[DisputedQuestion]:
    disputed = levels[levels["disputed"]] if not levels.empty else levels
    if disputed.empty:
        return []
    codes = list(disputed["question"])
    questions = {
        q.code: q
        for q in Question.objects.filter(
            framework=assessment.cycle.framework, code__in=codes
        ).select_related("capability", "dimension")
    }
    answers: dict[str, list] = {}
    for answer in (
        Answer.objects.filter(response__assessment=assessment, question__code__in=codes)
        .select_related("response", "question")
        .order_by("response__respondent")
    ):
        answers.setdefault(answer.question.code, []).append(
            (answer.response.respondent, answer.level, answer.tidy_value)
        )
    result = []
    for row in disputed.itertuples():
        question = questions[row.question]
        result.append(
            DisputedQuestion(
                code=question.code,
                text=question.text,
                capability=question.capability.name,
                dimension=question.dimension.name,
                level=int(row.level),
                respondent_levels=answers.get(question.code, []),
            )
        )
    return sorted(result, key=lambda d: (d.capability, d.code))
