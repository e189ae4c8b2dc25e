"""Aggregation declared by the framework (issue 15, item 3): `weighted_mean` (today's rule)
and `gated` (DSOMM, staged CMMI), with hand-computed numbers. No database."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from assessments.domain import scoring
from assessments.domain.aggregation import (
    GATED,
    WEIGHTED_MEAN,
    QuestionResult,
    gated,
    weighted_mean,
)
from assessments.domain.framework_file import parse_framework

TOP = 5  # a DSOMM-like scale: levels 0 (nothing done) to 5


def yes(level: int) -> QuestionResult:
    return QuestionResult(level=level, gate=level)


def no(level: int) -> QuestionResult:
    return QuestionResult(level=0, gate=level)  # "no" counts as the lowest level, 0


def test_weighted_mean_says_4_where_the_gate_says_1():
    """One level-2 activity not done: the mean of 1, 0 and seven 5s is 36 / 9 = 4.0, but
    the gate stops at level 1, the last level whose activities (and those below) are done."""
    results = [yes(1), no(2), *[yes(5)] * 7]
    assert weighted_mean(results) == 4.0
    assert gated(results, TOP) == 1


def test_the_gate_says_5_where_the_weighted_mean_says_3():
    """Every activity done, one per level: the mean of 1..5 is 3.0, the gate reaches the top."""
    results = [yes(1), yes(2), yes(3), yes(4), yes(5)]
    assert weighted_mean(results) == 3.0
    assert gated(results, TOP) == 5


def test_nothing_met_is_the_lowest_level_and_a_level_without_activities_is_passed():
    assert gated([no(1), yes(2)], TOP) == 0
    # no level-3 or level-4 activity: reached with level 2; the level-5 one is not done
    assert gated([yes(1), yes(2), no(5)], TOP) == 4


def test_a_choice_question_caps_the_gate_at_the_level_its_answer_reaches():
    """A choice (or measured) question answered 2 is met at levels 1 and 2, not at 3."""
    results = [yes(1), QuestionResult(level=2), yes(3)]
    assert gated(results, TOP) == 2
    assert weighted_mean(results) == 2.0  # (1 + 2 + 3) / 3


DSOMM = """framework: {code: dsomm-like, version: "1", name: DSOMM-like, aggregation: gated}
levels:
  - {number: 0, name: None}
  - {number: 1, name: Basic}
  - {number: 2, name: Intermediate}
  - {number: 3, name: Advanced}
dimensions:
  - {code: build, name: Build}
  - {code: test, name: Test}
capabilities:
  - code: BLD
    name: Build and deployment
    cost_low: 0
    cost_high: 0
    cost_is_assumption: true
    impact: x
    benefit_metric: x
    benefit_percent: 1
    time_to_value_months: 1
    questions:
      - {code: B1, dimension: build, type: yes_no, level: 1, text: "Defined build process?"}
      - {code: B2, dimension: build, type: yes_no, level: 2, text: "Signed artefacts?"}
      - {code: B3, dimension: build, type: yes_no, level: 3, text: "Reproducible builds?"}
      - {code: T1, dimension: test, type: yes_no, level: 1, text: "Unit tests run?"}
      - {code: T3, dimension: test, type: yes_no, level: 3, text: "Mutation tests?"}
  - code: MIX
    name: Mixed, scored by the mean
    aggregation: weighted_mean
    cost_low: 0
    cost_high: 0
    cost_is_assumption: true
    impact: x
    benefit_metric: x
    benefit_percent: 1
    time_to_value_months: 1
    questions:
      - {code: M1, dimension: build, type: yes_no, level: 1, text: "One?"}
      - {code: M3, dimension: build, type: yes_no, level: 3, text: "Three?"}
"""


def questions_of(text: str) -> pd.DataFrame:
    """The questions frame the stored scores are computed with (queries/scores.py), built
    from a framework file."""
    spec = parse_framework(text, "f.yaml")
    top = spec.levels[-1].number
    rows = [
        (q.code, c.code, q.dimension, q.weight, c.aggregation, q.level, top)
        for c in spec.capabilities
        for q in c.questions
    ]
    frame = pd.DataFrame(
        rows,
        columns=["question", "capability", "dimension", "weight", "aggregation", "gate", "top"],
    )
    frame["gate"] = frame["gate"].astype(float)
    return frame


def answer(unit: str, respondent: str, yes_to: str, no_to: str = "", dont_know: str = ""):
    """Answer rows for the yes/no questions of DSOMM: "yes" counts as the question's level,
    "no" and "don't know" as 0."""
    levels = {"B1": 1, "B2": 2, "B3": 3, "T1": 1, "T3": 3, "M1": 1, "M3": 3}
    rows = [(unit, code, respondent, levels[code], False) for code in yes_to.split()]
    rows += [(unit, code, respondent, 0, False) for code in no_to.split()]
    rows += [(unit, code, respondent, 0, True) for code in dont_know.split()]
    return rows


def test_gated_cells_and_capability_through_the_one_scoring_function():
    """BLD build: B1 yes, B2 no, B3 yes → 1 (the mean would be 4/3); test: T1, T3 yes → 3
    (no level-2 activity). The capability reaches 1 (its weakest cell) and scores 1, not the
    cells' mean 2. MIX keeps the weighted mean: (1 + 0) / 2 = 0.5 → level 0."""
    answers = scoring.answers_frame(answer("u", "ann", "B1 B3 T1 T3 M1", no_to="B2 M3"))
    scores = scoring.score(answers, questions_of(DSOMM))
    cells = {(r.capability, r.dimension): (r.score, r.level) for r in scores.cells.itertuples()}
    assert cells == {
        ("BLD", "build"): (1.0, 1),
        ("BLD", "test"): (3.0, 3),
        ("MIX", "build"): (0.5, 0),
    }
    capabilities = {r.capability: (r.score, r.level) for r in scores.capabilities.itertuples()}
    assert capabilities == {"BLD": (1.0, 1), "MIX": (0.5, 0)}
    assert list(scores.capabilities.set_index("capability").loc["BLD", "binding_dimensions"]) == [
        "build"
    ]
    assert scores.units["maturity_index"].tolist() == [0.75]
    # what is stored is the same
    stored = scoring.stored_score_rows(
        answers.rename(columns={"unit": "assessment"}).assign(assessment=1), questions_of(DSOMM)
    )
    assert (1, "BLD", "", 1.0, 1) in stored and (1, "BLD", "build", 1.0, 1) in stored


def test_gated_respondents_are_consolidated_per_question_first():
    """Rule 2 per question, then the gate: B2 has yes and no (lower median: no), so build
    stops at 1; with a third respondent saying yes, B2 is met and build reaches 3."""
    two = answer("u", "ann", "B1 B2 B3") + answer("u", "bob", "B1 B3", no_to="B2")
    cells = scoring.score(scoring.answers_frame(two), questions_of(DSOMM)).cells
    assert cells.set_index("dimension").loc["build", "level"] == 1
    three = two + answer("u", "cat", "B1 B2 B3")
    cells = scoring.score(scoring.answers_frame(three), questions_of(DSOMM)).cells
    assert cells.set_index("dimension").loc["build", "level"] == 3


def test_not_applicable_is_left_out_and_dont_know_is_not_met():
    na = answer("u", "ann", "B1 B3") + [("u", "B2", "ann", float("nan"), False)]
    cells = scoring.score(scoring.answers_frame(na), questions_of(DSOMM)).cells
    assert cells.set_index("dimension").loc["build", "level"] == 3
    dk = answer("u", "ann", "B1 B3", dont_know="B2")
    scores = scoring.score(scoring.answers_frame(dk), questions_of(DSOMM))
    assert scores.cells.set_index("dimension").loc["build", "level"] == 1
    assert scores.question_levels.set_index("question").loc["B2", "dont_know"] == 1


def test_frameworks_aggregation_is_the_capabilities_default():
    spec = parse_framework(DSOMM, "f.yaml")
    assert spec.aggregation == GATED
    assert [c.aggregation for c in spec.capabilities] == [GATED, WEIGHTED_MEAN]
    default = parse_framework(DSOMM.replace(", aggregation: gated}", "}"), "f.yaml")
    assert [c.aggregation for c in default.capabilities] == [WEIGHTED_MEAN, WEIGHTED_MEAN]


DEFAULT_FRAMEWORK = Path(__file__).resolve().parents[1] / "fixtures/frameworks/martech-infra.yaml"


@pytest.mark.parametrize("seed", range(5))
def test_weighted_mean_on_the_default_framework_gives_todays_numbers(seed):
    """Property: the default framework declares no aggregation, so every capability is
    `weighted_mean`; scoring its questions with the aggregation columns gives exactly the
    numbers of today's frame (without them), on random answers of several units and
    respondents, "not applicable" and "don't know" included."""
    spec = parse_framework(DEFAULT_FRAMEWORK.read_text(), "martech-infra.yaml")
    assert {c.aggregation for c in spec.capabilities} == {WEIGHTED_MEAN}
    rng = random.Random(seed)
    rows = []
    for unit in ("north", "south", "east"):
        for respondent in range(rng.randint(1, 4)):
            for question in spec.questions:
                pick = rng.random()
                if pick < 0.1:
                    continue  # unanswered
                if pick < 0.2:
                    rows.append((unit, question.code, respondent, float("nan"), False))
                elif pick < 0.3:
                    rows.append((unit, question.code, respondent, 1, True))
                else:
                    rows.append((unit, question.code, respondent, rng.randint(1, 5), False))
    answers = scoring.answers_frame(rows)
    with_columns = questions_of(DEFAULT_FRAMEWORK.read_text())
    today = with_columns[["question", "capability", "dimension", "weight"]]
    new, old = scoring.score(answers, with_columns), scoring.score(answers, today)
    for part in ("question_levels", "cells", "capabilities", "units"):
        pd.testing.assert_frame_equal(getattr(new, part), getattr(old, part))
