"""Stored scores over plain rows (assessments/domain/stored_scores.py): what every save
stores. They must be the frame pipeline's numbers (assessments/domain/scoring.py, the
rules reports were checked with): hand-computed cases, then random assessments of every
aggregation compared cell by cell. No database."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from assessments.domain import scoring
from assessments.domain.aggregation import GATED, SUM, WEIGHTED_MEAN
from assessments.domain.stored_scores import (
    CAPABILITY_ROW,
    ScorableAnswer,
    ScoredQuestion,
    stored_rows,
)


def test_a_mean_a_gate_and_a_sum_stored_by_hand():
    """Assessment 7. IDG fidelity: Q1 weight 2 answered 3 and 4 (lower median 3), Q2 at 2:
    (3·2 + 2) / 3 = 2.667, level 2; IDG recovery Q3 at 4: 4.0. IDG: level 2, score
    (2.667 + 4) / 2 = 3.333. BLD is gated: B1 (level 1) yes, B2 (level 2) no → 1, and its
    score is its level. TA sums SAMM values 1 + 0.5 + 0.25 = 1.75, level 1. Q4 has weight
    0: it counts nowhere."""
    questions = {
        1: ScoredQuestion("IDG", "fidelity", 2.0),
        2: ScoredQuestion("IDG", "fidelity"),
        3: ScoredQuestion("IDG", "recovery"),
        4: ScoredQuestion("IDG", "recovery", weight=0.0),
        11: ScoredQuestion("BLD", "build", aggregation=GATED, gate=1, top=5),
        12: ScoredQuestion("BLD", "build", aggregation=GATED, gate=2, top=5),
        21: ScoredQuestion("TA", "a", aggregation=SUM, top=3),
        22: ScoredQuestion("TA", "a", aggregation=SUM, top=3),
        23: ScoredQuestion("TA", "a", aggregation=SUM, top=3),
    }
    answers = [
        ScorableAnswer(7, 1, 3),
        ScorableAnswer(7, 1, 4),
        ScorableAnswer(7, 2, 2),
        ScorableAnswer(7, 3, 4),
        ScorableAnswer(7, 4, 1),
        ScorableAnswer(7, 11, 1),
        ScorableAnswer(7, 12, 0),
        ScorableAnswer(7, 21, 1, 1.0),
        ScorableAnswer(7, 22, 0, 0.5),
        ScorableAnswer(7, 23, 0, 0.25),
    ]
    rows = {(c, d): (round(s, 6), level) for _, c, d, s, level in stored_rows(answers, questions)}
    assert rows == {
        ("IDG", "fidelity"): (2.666667, 2),
        ("IDG", "recovery"): (4.0, 4),
        ("IDG", CAPABILITY_ROW): (3.333333, 2),
        ("BLD", "build"): (1.0, 1),
        ("BLD", CAPABILITY_ROW): (1.0, 1),
        ("TA", "a"): (1.75, 1),
        ("TA", CAPABILITY_ROW): (1.75, 1),
    }


def test_nothing_scorable_stores_nothing():
    only_weight_zero = {1: ScoredQuestion("IDG", "fidelity", weight=0.0)}
    assert stored_rows([ScorableAnswer(1, 1, 3)], only_weight_zero) == []
    assert stored_rows([], only_weight_zero) == []


def _random_case(rng: random.Random):
    """Questions of three capabilities (one per aggregation) over two dimensions, answered
    by up to four respondents in up to three assessments, with SAMM-like values for the
    summed one, yes/no gates for the gated one, weights 0–3 and "not applicable"."""
    questions = []
    rules = {"MEAN": WEIGHTED_MEAN, "GATE": GATED, "SUM": SUM}
    for capability, rule in rules.items():
        for n in range(rng.randint(1, 5)):
            weight = rng.choice([0.0, 0.5, 1.0, 1.0, 2.0, 3.0]) if rule != SUM else 0.5
            gate = rng.randint(1, 5) if rule == GATED and rng.random() < 0.7 else None
            questions.append(
                (f"{capability}-{n}", capability, rng.choice(["d1", "d2"]), weight, rule, gate)
            )
    answers = []
    for assessment in range(1, rng.randint(1, 3) + 1):
        for respondent in range(rng.randint(1, 4)):
            for code, _, _, _, rule, gate in questions:
                if rng.random() < 0.2:
                    continue  # unanswered
                if rng.random() < 0.1:
                    answers.append((assessment, code, respondent, None, None))  # n/a
                elif rule == SUM:
                    value = rng.choice([0.0, 0.25, 0.5, 1.0])
                    answers.append((assessment, code, respondent, int(value), value))
                elif gate is not None:
                    level = rng.choice([gate, 0])
                    answers.append((assessment, code, respondent, level, float(level)))
                else:
                    level = rng.randint(0, 5)
                    answers.append((assessment, code, respondent, level, float(level)))
    return questions, answers


@pytest.mark.parametrize("seed", range(200))
def test_stored_rows_are_the_frame_pipelines_numbers(seed):
    questions, answers = _random_case(random.Random(seed))
    frame = pd.DataFrame(answers, columns=["unit", "question", "respondent", "level", "value"])
    frame["level"] = frame["level"].astype(float)
    frame["value"] = frame["value"].astype(float)
    frame["dont_know"] = False
    question_frame = pd.DataFrame(
        [(*q, 5) for q in questions],
        columns=["question", "capability", "dimension", "weight", "aggregation", "gate", "top"],
    )
    question_frame["gate"] = question_frame["gate"].astype(float)
    expected = scoring.score(frame, question_frame)

    by_code = {
        code: ScoredQuestion(capability, dimension, weight, rule, gate, 5)
        for code, capability, dimension, weight, rule, gate in questions
    }
    rows = stored_rows(
        [
            ScorableAnswer(assessment, code, level, value)
            for assessment, code, _, level, value in answers
            if level is not None
        ],
        by_code,
    )
    stored = {(a, c, d): (s, level) for a, c, d, s, level in rows}
    cells = {
        (r.unit, r.capability, r.dimension): (r.score, r.level) for r in expected.cells.itertuples()
    }
    cells |= {
        (r.unit, r.capability, CAPABILITY_ROW): (r.score, r.level)
        for r in expected.capabilities.itertuples()
    }
    assert stored.keys() == cells.keys()
    for key, (score, level) in cells.items():
        assert stored[key][1] == level, key
        assert stored[key][0] == pytest.approx(score, abs=1e-12), key
