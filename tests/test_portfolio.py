"""Portfolio data: the selector (fixed queries) and the pure aggregation on its frames."""

import math

import pandas as pd
import pytest

from assessments.models import Engagement, TargetLevel
from reports.domain import portfolio as pf
from reports.queries.portfolio import portfolio_scores, target_levels
from tests import factories
from tests.report_factories import answer
from tests.report_factories import portfolio as build_portfolio

NaN = math.nan


def units_frame(rows) -> pd.DataFrame:
    return pd.DataFrame(
        [(n, slug, name, region, tags, "2026-Q4", "draft") for n, (slug, name, region, tags) in enumerate(rows)],
        columns=pf.UNIT_COLUMNS,
    )  # fmt: skip


UNITS = units_frame(
    [
        ("uk", "UK Retail", "EMEA", "retail, stores"),
        ("de", "DE E-commerce", "EMEA", "ecommerce"),
        ("us", "US Retail", "Americas", "retail"),
        ("br", "BR Marketplace", "Americas", "retailers,marketplace"),
    ]
)


def test_filters_by_region_and_by_a_whole_tag_of_the_comma_separated_field():
    assert list(pf.filter_units(UNITS, region="EMEA")["unit"]) == ["de", "uk"]
    # "retailers" is another tag, not a match for "retail"
    assert list(pf.filter_units(UNITS, tag="retail")["unit"]) == ["uk", "us"]
    assert list(pf.filter_units(UNITS, region="Americas", tag="retail")["unit"]) == ["us"]
    assert list(pf.filter_units(UNITS, region="APAC", tag="retail")["unit"]) == []
    assert pf.regions(UNITS) == ["Americas", "EMEA"]
    assert pf.tags(UNITS) == ["ecommerce", "marketplace", "retail", "retailers", "stores"]


def test_capability_matrix_in_the_given_orders_with_blanks():
    long = pd.DataFrame(
        [("uk", "IDG", 8 / 3, 2), ("uk", "CPL", 2.0, 2), ("de", "CPL", 1.5, 1)],
        columns=["unit", "capability", "score", "level"],
    )
    scores, levels = pf.capability_matrix(long, ["de", "uk", "us"], ["IDG", "CPL"])
    assert scores.to_dict("index") == {
        "de": {"IDG": pytest.approx(NaN, nan_ok=True), "CPL": 1.5},
        "uk": {"IDG": 8 / 3, "CPL": 2.0},
        "us": {"IDG": pytest.approx(NaN, nan_ok=True), "CPL": pytest.approx(NaN, nan_ok=True)},
    }
    assert levels.astype(object).where(levels.notna(), None).to_dict("index") == {
        "de": {"IDG": None, "CPL": 1},
        "uk": {"IDG": 2, "CPL": 2},
        "us": {"IDG": None, "CPL": None},
    }


SCORES = pd.DataFrame(
    {"IDG": [2.0, NaN, 2.0, 4.0], "CPL": [1.0, 2.0, 3.0, 4.5]},
    index=pd.Index(["a", "b", "c", "d"], name="unit"),
)


def test_capability_statistics_median_quartiles_weakest_strongest():
    statistics = pf.capability_statistics(SCORES)
    # CPL sorted 1.0, 2.0, 3.0, 4.5 (n = 4): Q1 at rank 0.75 → 1.0 + 0.75·(2.0 − 1.0) = 1.75;
    # median at rank 1.5 → (2.0 + 3.0) / 2 = 2.5; Q3 at rank 2.25 → 3.0 + 0.25·(4.5 − 3.0) = 3.375
    assert statistics.loc["CPL"].to_dict() == {
        "units": 4, "q1": 1.75, "median": 2.5, "q3": 3.375, "min": 1.0, "max": 4.5,
        "weakest": ["a"], "strongest": ["d"],
    }  # fmt: skip
    # IDG: b has no score, left out; sorted 2.0, 2.0, 4.0: Q1 at rank 0.5 → 2.0, median 2.0,
    # Q3 at rank 1.5 → 2.0 + 0.5·(4.0 − 2.0) = 3.0; a and c tie as weakest
    assert statistics.loc["IDG"].to_dict() == {
        "units": 3, "q1": 2.0, "median": 2.0, "q3": 3.0, "min": 2.0, "max": 4.0,
        "weakest": ["a", "c"], "strongest": ["d"],
    }  # fmt: skip


def test_gap_to_median_is_score_minus_median():
    gaps = pf.gaps_to_median(SCORES, pf.capability_statistics(SCORES)["median"])
    # CPL median 2.5: 1.0 − 2.5 = −1.5, 2.0 − 2.5 = −0.5, 3.0 − 2.5 = 0.5, 4.5 − 2.5 = 2.0
    assert list(gaps["CPL"]) == [-1.5, -0.5, 0.5, 2.0]
    # IDG median 2.0: b has no score, so no gap
    assert gaps["IDG"].fillna(-99).tolist() == [0.0, -99, 0.0, 2.0]


def test_ranking_shares_ranks_on_ties_and_gives_none_without_an_index():
    units = units_frame(
        [("a", "A", "", ""), ("b", "B", "", ""), ("c", "C", "", ""), ("d", "D", "", "")]
    )
    maturity = pd.Series({"a": 3.0, "b": 2.0, "c": 3.0})
    ranking = pf.maturity_ranking(units, maturity)
    assert ranking["rank"].astype(object).where(ranking["rank"].notna(), None).tolist() == [
        1,
        3,
        1,
        None,
    ]
    # median index of 3.0, 2.0, 3.0 is 3.0: gaps 0, −1, 0, none
    assert ranking["gap"].fillna(-99).tolist() == [0.0, -1.0, 0.0, -99]


def test_sort_units_by_maturity_name_or_capability_blank_last():
    units = units_frame(
        [
            ("a", "Alpha", "", ""),
            ("b", "Beta", "", ""),
            ("c", "Gamma", "", ""),
            ("d", "Delta", "", ""),
        ]
    )
    ranking = pf.maturity_ranking(units, pd.Series({"a": 2.0, "b": 3.5, "c": 2.0}))

    def order(sort):
        return list(pf.sort_units(ranking, SCORES, sort)["unit"])

    assert order("-maturity") == ["b", "a", "c", "d"]  # highest first, ties by name, none last
    assert order("maturity") == ["a", "c", "b", "d"]
    assert order("name") == ["a", "b", "d", "c"]
    assert order("-name") == ["c", "d", "b", "a"]
    assert order("CPL") == ["a", "b", "c", "d"]  # weakest first
    assert order("-IDG") == ["d", "a", "c", "b"]  # b has no IDG score: last


def test_level_and_unit_changes_between_cycles():
    before = pd.DataFrame({"IDG": [2, None], "CPL": [3, 1]}, index=["a", "b"], dtype="Int64")
    after = pd.DataFrame({"IDG": [3, 2], "CPL": [3, None]}, index=["a", "b"], dtype="Int64")
    directions = pf.level_changes(before, after)
    assert directions.to_dict("index") == {
        "a": {"IDG": "up", "CPL": "same"},
        "b": {"IDG": "", "CPL": ""},  # blank when either cycle has no level
    }
    changes = pf.unit_changes(
        pd.Series({"a": 2.004, "b": 3.0}), pd.Series({"a": 2.006, "b": 2.5}), directions
    )
    # a: 2.00 → 2.01 as shown: +0.01, up; b: 3.00 → 2.50: −0.50, down
    assert changes[["change", "direction", "capabilities_up", "capabilities_down"]].to_dict(
        "index"
    ) == {
        "a": {"change": 0.01, "direction": "up", "capabilities_up": 1, "capabilities_down": 0},
        "b": {"change": -0.5, "direction": "down", "capabilities_up": 0, "capabilities_down": 0},
    }


def test_previous_cycle_is_the_name_sorting_just_before():
    names = ["2026-Q2", "2026-Q4", "2025-Q4"]
    assert pf.previous_cycle(names, "2026-Q4") == "2026-Q2"
    assert pf.previous_cycle(names, "2026-Q2") == "2025-Q4"
    assert pf.previous_cycle(names, "2025-Q4") is None


def test_unit_target_wins_over_organisation_default_over_engagement_default():
    rows = [(None, "IDG", 3), (7, "IDG", 5), (None, "CPL", 2)]
    assert pf.resolve_targets(rows, 4, ["IDG", "CPL", "RTO"]) == {"IDG": 5, "CPL": 2, "RTO": 4}
    assert pf.resolve_targets([], None, ["IDG"]) == {"IDG": None}


# --- the selector, against the database ------------------------------------------


def test_portfolio_scores_matches_the_scoring_rules(small):
    org, _, _ = build_portfolio(
        small,
        units={
            "north": {"2026-Q4": {"IDG": 3, "CPL": 2}},
            "south": {"2026-Q4": {"IDG": 2}},  # CPL unanswered: no score
        },
    )
    data = portfolio_scores(organisation=org, cycles=list(org.cycles.order_by("name")))
    capability_scores = data.capability_scores.sort_values(["unit", "capability"])
    assert capability_scores[["unit", "capability", "score", "level"]].values.tolist() == [
        ["north", "CPL", 2.0, 2],
        ["north", "IDG", 3.0, 3],
        ["south", "IDG", 2.0, 2],
    ]
    assert data.maturity.sort_values("unit")[["unit", "maturity_index"]].values.tolist() == [
        ["north", 2.5],  # (3 + 2) / 2
        ["south", 2.0],
    ]
    assert data.capability_codes == ["IDG", "CPL"]
    assert data.levels == {
        1: "Initial",
        2: "Repeatable",
        3: "Managed",
        4: "Optimized",
        5: "Autonomous",
    }


def test_unit_level_on_a_question_is_the_lower_median_of_respondents(small):
    org, units, assessments = build_portfolio(small, units={"north": {"2026-Q4": {"CPL": 4}}})
    answer(assessments[("north", "2026-Q4")], "second", {"CPL": 2})
    data = portfolio_scores(organisation=org, cycles=list(org.cycles.filter(name="2026-Q4")))
    # two respondents at 4 and 2 on each CPL question: the lower median is 2
    assert data.capability_scores[["capability", "score", "level"]].values.tolist() == [
        ["CPL", 2.0, 2]
    ]


@pytest.mark.parametrize("unit_count", [2, 6])
def test_portfolio_scores_runs_five_queries_whatever_the_number_of_units(
    small, unit_count, django_assert_num_queries
):
    units = {
        f"unit-{n}": {"2026-Q2": {"IDG": 2, "CPL": 2}, "2026-Q4": {"IDG": 3, "CPL": 1}}
        for n in range(unit_count)
    }
    org, _, _ = build_portfolio(small, units=units, respondents=3)
    cycles = list(org.cycles.order_by("name"))
    with django_assert_num_queries(5):
        data = portfolio_scores(organisation=org, cycles=cycles)
    assert len(data.maturity) == 2 * unit_count


def test_target_levels_read_unit_then_organisation_then_engagement(small):
    org, units, _ = build_portfolio(small, units={"north": {}, "south": {}})
    Engagement.objects.create(organisation=org, default_target_level=4)
    TargetLevel.objects.create(organisation=org, capability_code="CPL", level=5)
    TargetLevel.objects.create(
        organisation=org, unit=units["north"], capability_code="CPL", level=3
    )
    TargetLevel.objects.create(
        organisation=org, unit=units["south"], capability_code="IDG", level=2
    )
    assert target_levels(units["north"], ["IDG", "CPL"]) == {"IDG": 4, "CPL": 3}
    assert target_levels(units["south"], ["IDG", "CPL"]) == {"IDG": 2, "CPL": 5}
    other = factories.organisation("other")
    assert target_levels(factories.unit(other, "x"), ["IDG"]) == {"IDG": None}


def test_capability_scores_without_binding_dimensions_are_the_same_rows():
    from assessments.domain import scoring

    cells = pd.DataFrame(
        [
            (1, "IDG", "fidelity", 8 / 3, 2),
            (1, "IDG", "recovery", 3.0, 3),
            (1, "CPL", "fidelity", 1.5, 1),
            (2, "IDG", "fidelity", 4.0, 4),
        ],
        columns=["assessment", "capability", "dimension", "score", "level"],
    )
    full = scoring.capability_scores(cells, ("assessment",))
    plain = scoring.capability_scores(cells, ("assessment",), binding=False)
    assert list(plain.columns) == ["assessment", "capability", "score", "level"]
    assert plain.to_dict("records") == full.drop(columns="binding_dimensions").to_dict("records")
    # IDG of 1: level min(2, 3) = 2, score (8/3 + 3) / 2 = 2.8333…, held by fidelity
    assert full.to_dict("records")[0] == {
        "assessment": 1, "capability": "IDG", "score": (8 / 3 + 3) / 2, "level": 2,
        "binding_dimensions": ("fidelity",),
    }  # fmt: skip
