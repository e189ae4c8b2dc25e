"""The unit report's data: one assessment's stored scores, and its answers' question levels
and disputes, laid out for the page and exports."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.db.models import BooleanField, Exists, OuterRef, Value

from assessments.domain import scoring
from assessments.domain.answers import DONT_KNOW, answer_text
from assessments.models import (
    Answer,
    Assessment,
    Capability,
    Dimension,
    Level,
    Profile,
    Question,
)
from assessments.queries.scores import raw_rows, stored_scores
from reports.domain.groups import GroupScore, group_scores
from reports.domain.levels import held_below, is_blank

BY = ("assessment",)


@dataclass(frozen=True)
class Cell:
    score: float | None
    level: int | None
    binding: bool = False
    # False where the capability has no question in the dimension (published models are
    # sparse): shown as "—", not as a blank that waits for answers.
    asked: bool = True


@dataclass(frozen=True)
class CapabilityRow:
    code: str
    name: str
    cells: list[Cell]  # in dimension order
    score: float | None
    level: int | None
    binding_dimensions: tuple[str, ...]
    aggregation: str = "weighted_mean"  # how its answers become its score (docs/frameworks.md)
    groups: tuple[str, ...] = ()  # the groups it sits in, outermost first

    @property
    def held(self) -> bool:
        """A weaker dimension holds the capability below the level of its mean score."""
        return held_below(self.level, self.score)


@dataclass(frozen=True)
class DisputedQuestion:
    code: str
    text: str
    capability: str
    dimension: str
    level: int
    respondent_levels: list[tuple[str, int | None, str]]  # respondent, level, raw answer

    @property
    def spread(self) -> str:
        """The levels without names, lowest first ("levels 2, 4, 4"; "n/a" for not
        applicable): what a respondent sees of colleagues' answers."""
        levels = sorted(level for _, level, _ in self.respondent_levels if level is not None)
        missing = sum(1 for _, level, _ in self.respondent_levels if level is None)
        return "levels " + ", ".join([str(level) for level in levels] + ["n/a"] * missing)


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

    @property
    def groups(self) -> list[GroupScore]:
        """Its capability groups' rolled-up scores; [] when the framework has none."""
        return group_scores((row.groups, row.score, row.level) for row in self.capabilities)

    @property
    def aggregations(self) -> list[str]:
        """The scoring rules its capabilities use, in order of first use."""
        return list(dict.fromkeys(row.aggregation for row in self.capabilities))


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


ANSWER_COLUMNS = [
    "assessment",
    "question",
    "respondent",
    "level",
    "special",
    "choice",
    "value",
    "question_id",
]


def _answers(assessment: Assessment) -> pd.DataFrame:
    """The assessment's answers, one query: the `answers` frame of assessments/domain/scoring.py
    (question codes; level NaN for "not applicable"), with the raw answer and the
    question's id for the disputed questions. Numbers and short text only, read straight
    from the cursor: what the disputed questions show of their question (text, names,
    options) is read once per question with the framework's questions (`unit_report`)."""
    rows = Answer.objects.filter(response__assessment=assessment).values_list(
        "response__assessment_id",
        "question__code",
        "response__respondent",
        "level",
        "special",
        "choice",
        "value",
        "question_id",
    )
    frame = pd.DataFrame(raw_rows(rows), columns=ANSWER_COLUMNS)
    frame["level"] = frame["level"].astype(float)
    frame["dont_know"] = frame["special"] == DONT_KNOW
    return frame


def unit_report(assessment: Assessment) -> UnitReport:
    framework = assessment.cycle.framework
    answers = _answers(assessment)
    stored_capabilities, cells_ = stored_scores(Assessment.objects.filter(pk=assessment.pk))
    scores = scoring.Scores(
        question_levels=scoring.question_levels(
            answers[["assessment", "question", "respondent", "level", "dont_know"]], BY
        ),
        cells=cells_,
        capabilities=scoring.with_binding(stored_capabilities, cells_, BY),
        units=scoring.maturity_indices(stored_capabilities, BY),
    )
    dimensions = list(Dimension.objects.filter(framework=framework).order_by("position"))
    cells = {
        (r.capability, r.dimension): Cell(float(r.score), int(r.level))
        for r in scores.cells.itertuples()
    }
    by_capability = {r.capability: r for r in scores.capabilities.itertuples()}
    # Each question of the framework once (not once per answer): whether the cycle asks it
    # (its profile's, docs/frameworks.md "Profiles"), where, and what a disputed question
    # shows of it — the same queries whether or not any question is disputed.
    cycle = assessment.cycle
    asked_here = (
        Value(True, output_field=BooleanField())
        if cycle.profile_id is None
        else Exists(
            Profile.questions.through.objects.filter(
                question_id=OuterRef("pk"), profile_id=cycle.profile_id
            )
        )
    )
    questions = {
        pk: (capability, dimension, is_asked, shown)
        for pk, capability, dimension, is_asked, *shown in Question.objects.filter(
            framework=framework
        )
        .annotate(asked_here=asked_here)
        .values_list(
            "pk",
            "capability__code",
            "dimension__code",
            "asked_here",
            "text",
            "capability__name",
            "dimension__name",
            "options",
            "option_values",
        )
    }
    asked = {
        (capability, dimension)
        for capability, dimension, is_asked, _ in questions.values()
        if is_asked
    }
    rows = []
    for capability in Capability.objects.asked_in(assessment.cycle).order_by("position"):
        summary = by_capability.get(capability.code)
        binding = tuple(summary.binding_dimensions) if summary else ()
        rows.append(
            CapabilityRow(
                code=capability.code,
                name=capability.name,
                cells=[
                    Cell(
                        cell.score,
                        cell.level,
                        binding=d.code in binding,
                        asked=(capability.code, d.code) in asked,
                    )
                    for d in dimensions
                    for cell in [cells.get((capability.code, d.code), Cell(None, None))]
                ],
                score=_number(summary.score) if summary else None,
                level=int(summary.level) if summary else None,
                binding_dimensions=binding,
                aggregation=capability.aggregation,
                groups=tuple(capability.groups),
            )
        )
    index = scores.units["maturity_index"].iloc[0] if not scores.units.empty else None
    return UnitReport(
        assessment=assessment,
        levels=dict(Level.objects.filter(framework=framework).values_list("number", "name")),
        dimensions=dimensions,
        capabilities=rows,
        maturity_index=_number(index),
        disputed=_disputed(
            answers, scores.question_levels, {pk: shown for pk, (*_, shown) in questions.items()}
        ),
        dont_know=int(scores.question_levels["dont_know"].sum())
        if not scores.question_levels.empty
        else 0,
        scores=scores,
    )


def _disputed(
    answers: pd.DataFrame, levels: pd.DataFrame, questions: dict[int, list]
) -> list[DisputedQuestion]:
    """The disputed questions with every respondent's level and raw answer, from the
    assessment's answers and its framework's questions by id (text, capability and
    dimension names, options, option values): no query."""
    disputed = levels[levels["disputed"]] if not levels.empty else levels
    if disputed.empty:
        return []
    of_disputed = answers[answers["question"].isin(set(disputed["question"].tolist()))]
    of_disputed = of_disputed.sort_values(["respondent"], kind="stable")
    by_question: dict[str, list] = {}
    # Columns as Python lists: pandas' itertuples builds a tuple a row through its index.
    columns = ("question", "question_id", "respondent", "level", "special", "choice", "value")
    for code, question_id, respondent, level, special, choice, value in zip(
        *(of_disputed[column].tolist() for column in columns), strict=True
    ):
        text, capability_name, dimension_name, options, option_values = questions[question_id]
        choice = None if is_blank(choice) else int(choice)
        raw = answer_text(
            choice=choice,
            value=None if is_blank(value) else float(value),
            special=special,
        )
        if option_values and choice is not None:
            # An option number says nothing to a reader: show the option the person chose.
            raw = str(options.get(str(choice), raw))
        by_question.setdefault(code, []).append(
            (
                respondent,
                None if is_blank(level) else int(level),
                raw,
                text,
                capability_name,
                dimension_name,
            )
        )
    result = []
    for code, level in zip(disputed["question"].tolist(), disputed["level"].tolist(), strict=True):
        held = by_question[code]
        _, _, _, text, capability, dimension = held[0]
        result.append(
            DisputedQuestion(
                code=code,
                text=text,
                capability=capability,
                dimension=dimension,
                level=int(level),
                respondent_levels=[(who, level, raw) for who, level, raw, *_ in held],
            )
        )
    return sorted(result, key=lambda d: (d.capability, d.code))
