"""Scoring rules 1–6 of DESIGN.md with hand-computed numbers. No database."""

import math

import pandas as pd
import pytest

from assessments.domain import scoring
from assessments.domain.scoring import answers_frame, questions_frame

RTO = {2: 72, 3: 24, 4: 4, 5: 1}
MATCH_RATE = {2: 50, 3: 62, 4: 75, 5: 88}


@pytest.mark.parametrize(
    ("hours", "level"),
    [(100, 1), (72.01, 1), (72, 2), (30, 2), (24, 3), (5, 3), (4, 4), (1.5, 4), (1, 5), (0.2, 5)],
)
def test_rto_hours_map_to_levels_lower_is_better(hours, level):
    assert scoring.numeric_level(hours, RTO, higher_is_better=False) == level


@pytest.mark.parametrize(
    ("percent", "level"),
    [
        (0, 1),
        (49.9, 1),
        (50, 2),
        (61.9, 2),
        (62, 3),
        (74.99, 3),
        (75, 4),
        (87.9, 4),
        (88, 5),
        (100, 5),
    ],
)
def test_match_rate_maps_to_levels_higher_is_better(percent, level):
    assert scoring.numeric_level(percent, MATCH_RATE, higher_is_better=True) == level


def test_answer_level_for_each_kind_of_answer():
    assert scoring.answer_level(choice=4) == 4
    assert scoring.answer_level(value=30, thresholds=RTO, higher_is_better=False) == 2
    assert scoring.answer_level(special="dk") == 1
    assert scoring.answer_level(special="na") is None


@pytest.mark.parametrize(
    ("levels", "median"),
    [([3], 3), ([2, 4], 2), ([1, 2, 3, 4], 2), ([5, 1, 3], 3), ([4, 4, 1, 1], 1)],
)
def test_lower_median_takes_the_lower_middle_on_ties(levels, median):
    assert scoring.lower_median(levels) == median


QUESTIONS = questions_frame(
    [
        ("IDG-FID-1", "IDG", "fidelity", 2),
        ("IDG-FID-2", "IDG", "fidelity", 1),
        ("IDG-INT-1", "IDG", "interoperability", 1),
        ("IDG-SEC-1", "IDG", "security", 1),
        ("IDG-REC-1", "IDG", "recovery", 1),
        ("CPL-FID-1", "CPL", "fidelity", 1),
    ]
)


def test_design_worked_example_identity_graph():
    """DESIGN.md: fidelity questions weighted 2 and 1 at levels 3 and 2 → (2·3 + 1·2)/3 = 2.67 →
    level 2; other dimensions at 3, 4, 3 → capability level 2, fidelity binding."""
    answers = answers_frame(
        [
            ("u", "IDG-FID-1", "ann", 3),
            ("u", "IDG-FID-2", "ann", 2),
            ("u", "IDG-INT-1", "ann", 3),
            ("u", "IDG-SEC-1", "ann", 4),
            ("u", "IDG-REC-1", "ann", 3),
        ]
    )
    result = scoring.score(answers, QUESTIONS)
    cells = result.cells.set_index("dimension")
    assert cells.loc["fidelity", "score"] == pytest.approx(8 / 3)
    assert cells.loc["fidelity", "level"] == 2
    capability = result.capabilities.iloc[0]
    assert capability["level"] == 2
    assert capability["binding_dimensions"] == ("fidelity",)
    # capability score: mean of cell scores (8/3 + 3 + 4 + 3) / 4 = 3.1667
    assert capability["score"] == pytest.approx((8 / 3 + 3 + 4 + 3) / 4)
    assert result.units.iloc[0]["maturity_index"] == pytest.approx((8 / 3 + 3 + 4 + 3) / 4)


def test_unit_question_level_is_lower_median_and_spread_of_two_is_disputed():
    answers = answers_frame(
        [
            ("u", "IDG-FID-1", "ann", 1),
            ("u", "IDG-FID-1", "bob", 3),
            ("u", "IDG-FID-1", "cat", 4),
            ("u", "IDG-FID-1", "dan", 2),
            ("u", "IDG-FID-2", "ann", 3),
            ("u", "IDG-FID-2", "bob", 4),
        ]
    )
    levels = scoring.question_levels(answers).set_index("question")
    # [1, 2, 3, 4] → lower median 2; spread 3 → disputed
    assert levels.loc["IDG-FID-1", "level"] == 2
    assert bool(levels.loc["IDG-FID-1", "disputed"]) is True
    # [3, 4] → 3; spread 1 → not disputed
    assert levels.loc["IDG-FID-2", "level"] == 3
    assert bool(levels.loc["IDG-FID-2", "disputed"]) is False


def test_not_applicable_is_left_out_and_dont_know_counts_as_level_one():
    answers = answers_frame(
        [
            ("u", "IDG-FID-1", "ann", None),  # na
            ("u", "IDG-FID-1", "bob", 4),
            ("u", "IDG-FID-2", "ann", 1, True),  # dk
            ("u", "IDG-FID-2", "bob", 3),
        ]
    )
    levels = scoring.question_levels(answers).set_index("question")
    assert levels.loc["IDG-FID-1", "level"] == 4  # ann's na left out
    assert levels.loc["IDG-FID-1", "respondents"] == 1
    assert levels.loc["IDG-FID-2", "level"] == 1  # [1, 3] → lower median 1
    assert levels.loc["IDG-FID-2", "dont_know"] == 1
    assert bool(levels.loc["IDG-FID-2", "disputed"]) is True


def test_question_everyone_marked_not_applicable_is_left_out_of_the_cell():
    answers = answers_frame(
        [
            ("u", "IDG-FID-1", "ann", None),
            ("u", "IDG-FID-1", "bob", None),
            ("u", "IDG-FID-2", "ann", 3),
        ]
    )
    result = scoring.score(answers, QUESTIONS)
    assert list(result.question_levels["question"]) == ["IDG-FID-2"]
    # the weight-2 question is gone: the cell is just IDG-FID-2's level
    assert result.cells.iloc[0]["score"] == 3.0


def test_capability_level_and_score_leave_out_dimensions_without_score():
    answers = answers_frame([("u", "IDG-FID-1", "ann", 4), ("u", "IDG-SEC-1", "ann", 2)])
    capability = scoring.score(answers, QUESTIONS).capabilities.iloc[0]
    assert capability["level"] == 2
    assert capability["score"] == 3.0
    assert capability["binding_dimensions"] == ("security",)


def test_nothing_scorable_gives_no_score_not_zero():
    answers = answers_frame([("u", "IDG-FID-1", "ann", None), ("v", "CPL-FID-1", "bob", 2)])
    result = scoring.score(answers, QUESTIONS)
    assert list(result.units["unit"]) == ["v"]
    assert "u" not in set(result.cells["unit"])
    empty = scoring.score(answers_frame([]), QUESTIONS)
    assert empty.units.empty and empty.cells.empty


def test_maturity_index_is_mean_of_capability_scores_across_units():
    answers = answers_frame(
        [
            ("u", "IDG-FID-1", "ann", 3),
            ("u", "CPL-FID-1", "ann", 5),
            ("v", "IDG-FID-1", "bob", 1),
            ("v", "IDG-FID-1", "cat", 2),
        ]
    )
    units = scoring.score(answers, QUESTIONS).units.set_index("unit")["maturity_index"]
    assert units["u"] == 4.0  # (3 + 5) / 2
    assert units["v"] == 1.0  # lower median of [1, 2]


def test_level_is_floor_even_when_floating_point_lands_just_below():
    # weights 0.1, 0.2 at level 3: (0.3 + 0.6) / 0.3 = 2.9999999999999996 in floating point
    questions = questions_frame([("a", "C", "d", 0.1), ("b", "C", "d", 0.2)])
    answers = answers_frame([("u", "a", "x", 3), ("u", "b", "x", 3)])
    cell = scoring.score(answers, questions).cells.iloc[0]
    assert cell["level"] == 3
    assert scoring.level_of(2.9999999) == 2
    assert math.isclose(cell["score"], 3.0)


def test_scores_group_by_cycle_and_unit_for_trends():
    answers = answers_frame([("u", "IDG-FID-1", "ann", 2), ("u", "IDG-FID-1", "ann", 4)])
    answers["cycle"] = ["2026-Q2", "2026-Q4"]
    units = scoring.score(answers, QUESTIONS, by=("cycle", "unit")).units
    assert units.set_index("cycle")["maturity_index"].to_dict() == {"2026-Q2": 2.0, "2026-Q4": 4.0}
    assert isinstance(units, pd.DataFrame)


def test_binding_dimensions_per_capability_in_the_order_the_cells_list_them():
    # Cells of two units and two capabilities, interleaved as a merge may leave them.
    cells = pd.DataFrame(
        [
            ("v", "IDG", "security", 2.0, 2),
            ("u", "IDG", "recovery", 3.5, 3),
            ("u", "CPL", "fidelity", 4.0, 4),
            ("v", "IDG", "fidelity", 2.5, 2),
            ("u", "IDG", "fidelity", 3.0, 3),
            ("u", "IDG", "security", 4.0, 4),
            ("v", "IDG", "recovery", 5.0, 5),
        ],
        columns=["unit", "capability", "dimension", "score", "level"],
    )
    result = scoring.capability_scores(cells)
    assert result.to_dict("records") == [
        # v IDG: levels 2, 2, 5 → level 2, both level-2 dimensions in their order; (2 + 2.5 + 5) / 3
        {"unit": "v", "capability": "IDG", "score": 9.5 / 3, "level": 2,
         "binding_dimensions": ("security", "fidelity")},
        # u IDG: levels 3, 3, 4 → level 3, recovery listed before fidelity; (3.5 + 3 + 4) / 3
        {"unit": "u", "capability": "IDG", "score": 3.5, "level": 3,
         "binding_dimensions": ("recovery", "fidelity")},
        {"unit": "u", "capability": "CPL", "score": 4.0, "level": 4,
         "binding_dimensions": ("fidelity",)},
    ]  # fmt: skip
