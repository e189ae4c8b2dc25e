"""The budget roadmap: the exact optimum per funding cycle, then the next cycle from the new levels."""

import itertools
import random

import pytest

from reports.domain.money import cents
from reports.domain.planning import (
    CapabilityEconomics,
    CapabilityStanding,
    EngagementInputs,
    FrameworkEconomics,
    RoadmapStep,
    UnitStanding,
    one_level_upgrade,
    target_level,
)
from reports.domain.roadmap import best_subset, roadmap
from tests.test_recommendations import FRAMEWORK, IDG, LEVELS, SEED


def exhaustive(items, budget):
    """The best total value over every subset (the definition of the optimum)."""
    best = 0
    for size in range(len(items) + 1):
        for subset in itertools.combinations(items, size):
            if sum(c for c, _ in subset) <= budget:
                best = max(best, sum(v for _, v in subset))
    return best


def plan_value(items, chosen):
    return sum(items[i][1] for i in chosen), sum(items[i][0] for i in chosen)


@pytest.mark.parametrize("seed", range(300))
def test_best_subset_matches_exhaustive_search_on_small_random_cases(seed):
    rng = random.Random(seed)
    n = rng.randint(0, 11)
    # Round costs (many equal totals), arbitrary costs, and some worthless or negative items.
    scale = rng.choice([50_000, 1, 7])
    items = [
        (rng.randint(0, 40) * scale, rng.randint(-5, 60) * rng.choice([1, 1000, 12_345]))
        for _ in range(n)
    ]
    budget = rng.randint(0, max(1, sum(c for c, _ in items)))
    chosen = best_subset(items, budget)
    value, cost = plan_value(items, chosen)
    assert cost <= budget
    assert value == exhaustive(items, budget)
    assert all(items[i][1] > 0 for i in chosen)


def test_best_subset_beats_greedy_by_ratio():
    """Budget 10: greedy by value per cost takes A (7/6 = 1.17) and then nothing fits,
    total 7; B + C (5/5 each) make 10."""
    items = [(6, 7), (5, 5), (5, 5)]
    assert best_subset(items, 10) == (1, 2)


def test_best_subset_prefers_the_cheapest_of_equal_plans_and_takes_free_items():
    assert best_subset([(4, 5), (3, 5), (0, 1)], 4) == (1, 2)
    assert best_subset([(1, 5)], 0) == ()


def economics(code, cost, metric):
    return CapabilityEconomics(code, code, cost, cost, "", metric, 100, 0)


GREEDY_TRAP = FrameworkEconomics(
    LEVELS,
    (
        economics("AAA", 600_000, "a"),
        economics("BBB", 500_000, "b"),
        economics("CCC", 500_000, "c"),
    ),
)
# r = 0 and TTV 0: base NPV = 24/12 years × 75 % × value base × 100 % − cost.
#   AAA: 2 × 0.75 × 900,000 − 600,000 = 750,000  (1.25 per dollar)
#   BBB, CCC: 2 × 0.75 × 600,000 − 500,000 = 400,000 each  (0.80 per dollar)
TRAP_INPUTS = EngagementInputs(
    discount_rate=0.0,
    value_bases={"a": 900_000, "b": 600_000, "c": 600_000},
    budget_per_cycle=1_000_000,
    funding_cycles=1,
)


def test_roadmap_takes_the_optimal_set_where_greedy_by_ratio_does_not():
    """Budget 1,000,000: greedy by ratio takes AAA (750,000) and then neither 500,000 upgrade
    fits; BBB + CCC cost exactly 1,000,000 and are worth 800,000."""
    unit = UnitStanding(
        "uk", "UK", tuple(CapabilityStanding(c, 2, ()) for c in ("AAA", "BBB", "CCC"))
    )
    steps = roadmap([unit], GREEDY_TRAP, TRAP_INPUTS)
    assert steps == [
        RoadmapStep(1, "uk", "BBB", 2, 3, 500_000, pytest.approx(400_000)),
        RoadmapStep(1, "uk", "CCC", 2, 3, 500_000, pytest.approx(400_000)),
    ]
    greedy = greedy_by_ratio([unit], GREEDY_TRAP, TRAP_INPUTS)
    assert [c for c, _ in greedy] == ["AAA"]
    assert sum(npv for _, npv in greedy) == pytest.approx(750_000)


def greedy_by_ratio(units, framework, inputs):
    """The approximation the roadmap must beat: best NPV per dollar first, while it fits."""
    upgrades = sorted(
        (u for u in candidates(units, framework, inputs) if u.npv_base > 0),
        key=lambda u: -u.npv_per_dollar,
    )
    spent, chosen = 0, []
    for u in upgrades:
        if spent + u.cost_mid <= inputs.budget_per_cycle:
            spent += u.cost_mid
            chosen.append((u.capability, u.npv_base))
    return chosen


def candidates(units, framework, inputs):
    found = []
    for unit in units:
        for standing in unit.capabilities:
            capability = next(c for c in framework.capabilities if c.code == standing.capability)
            target = target_level(unit, capability.code, framework)
            u = one_level_upgrade(capability, standing, framework, inputs, target=target, unit=unit.unit)  # fmt: skip
            if u is not None:
                found.append(u)
    return found


def test_roadmap_moves_one_level_a_cycle_and_recomputes_each_level():
    """IDG from 2 with target 4 and budget 2,000,000: cycle 1 takes 2 → 3 (base NPV 3,971,023.44,
    see test_recommendations); cycle 2 takes 3 → 4 with Optimized's factor 0.7:
    B = 40,000,000 × 12 % × 75 % × 0.7 = 2,520,000 → 210,000 × 15.92852664 = 3,344,990.59,
    minus the cost 807,534.55 = 2,537,456.04. At the target, cycle 3 has nothing left."""
    unit = UnitStanding("uk", "UK", (CapabilityStanding("IDG", 2, ("fidelity",)),), {"IDG": 4})
    steps = roadmap([unit], FrameworkEconomics(LEVELS, (IDG,)), SEED)
    assert [(s.funding_cycle, s.from_level, s.to_level, s.cost_mid) for s in steps] == [
        (1, 2, 3, 850_000),
        (2, 3, 4, 850_000),
    ]
    assert [round(s.npv_base, 2) for s in steps] == [3_971_023.44, 2_537_456.04]


def test_roadmap_never_chooses_an_upgrade_without_positive_npv():
    """RTO 4 → 5 has base NPV −346,570.06: not chosen even with budget to spare."""
    unit = UnitStanding("uk", "UK", (CapabilityStanding("RTO", 4, ()),))
    assert roadmap([unit], FRAMEWORK, SEED) == []


def test_units_of_an_organisation_compete_for_one_budget():
    """Budget 1,000,000 fits one IDG upgrade (850,000 mid-band) a cycle. Alone, each unit gets
    its own; together, the cycle goes to uk (2 → 3: 3,971,023.44) before de (3 → 4:
    2,537,456.04), and de's waits for the next cycle."""
    inputs = EngagementInputs(
        discount_rate=0.10,
        value_bases={"attributable revenue": 40_000_000},
        budget_per_cycle=1_000_000,
        funding_cycles=2,
    )
    framework = FrameworkEconomics(LEVELS, (IDG,))
    uk = UnitStanding("uk", "UK", (CapabilityStanding("IDG", 2, ()),), {"IDG": 3})
    de = UnitStanding("de", "DE", (CapabilityStanding("IDG", 3, ()),), {"IDG": 4})
    assert [(s.funding_cycle, s.unit) for s in roadmap([de], framework, inputs)] == [(1, "de")]
    together = roadmap([de, uk], framework, inputs)
    assert [(s.funding_cycle, s.unit, s.from_level) for s in together] == [
        (1, "uk", 2),
        (2, "de", 3),
    ]


def test_zero_budget_or_cycles_plan_nothing():
    unit = UnitStanding("uk", "UK", (CapabilityStanding("IDG", 2, ()),))
    no_budget = EngagementInputs(value_bases={"attributable revenue": 40_000_000}, funding_cycles=3)
    assert roadmap([unit], FRAMEWORK, no_budget) == []
    no_cycles = EngagementInputs(value_bases={"attributable revenue": 40_000_000}, budget_per_cycle=9e9, funding_cycles=0)  # fmt: skip
    assert roadmap([unit], FRAMEWORK, no_cycles) == []


def random_case(seed):
    """A small organisation: 1–3 units, 1–4 capabilities with round or odd cost bands, random
    levels, targets, value bases, discount rate and budget."""
    rng = random.Random(seed)
    capabilities = []
    for i in range(rng.randint(1, 4)):
        low = rng.randint(1, 12) * rng.choice([100_000, 12_345])
        capabilities.append(
            CapabilityEconomics(
                code=f"C{i}",
                name=f"C{i}",
                cost_low=low,
                cost_high=low + rng.randint(0, 8) * 100_000,
                impact="",
                benefit_metric=f"m{i % 3}",
                benefit_percent=rng.choice([5, 10, 25, 40]),
                time_to_value_months=rng.randint(0, 12),
            )
        )
    framework = FrameworkEconomics(LEVELS, tuple(capabilities))
    units = [
        UnitStanding(
            f"u{n}",
            f"U{n}",
            tuple(CapabilityStanding(c.code, rng.randint(1, 5), ()) for c in capabilities),
            {c.code: rng.randint(2, 5) for c in capabilities if rng.random() < 0.5},
        )
        for n in range(rng.randint(1, 3))
    ]
    inputs = EngagementInputs(
        discount_rate=rng.choice([0.0, 0.05, 0.10]),
        value_bases={f"m{i}": rng.randint(0, 20) * 500_000 for i in range(3)},
        budget_per_cycle=rng.randint(0, 30) * 100_000,
        funding_cycles=3,
    )
    return units, framework, inputs


def at_levels(units, levels):
    """The units with their capabilities moved to `levels` ((unit, capability) → level)."""
    return [
        UnitStanding(
            u.unit,
            u.unit_name,
            tuple(CapabilityStanding(s.capability, levels[(u.unit, s.capability)], ()) for s in u.capabilities),
            u.targets,
        )
        for u in units
    ]  # fmt: skip


SEEDS = range(80)


@pytest.mark.parametrize("seed", SEEDS)
def test_each_funding_cycle_is_optimal_against_exhaustive_search(seed):
    """Every cycle's chosen set has the largest total base NPV (in cents) of all affordable
    subsets of that cycle's positive upgrades, moves each capability one level, and the next
    cycle starts from the new levels."""
    units, framework, inputs = random_case(seed)
    budget = cents(inputs.budget_per_cycle)
    steps = roadmap(units, framework, inputs)
    levels = {(u.unit, s.capability): s.level for u in units for s in u.capabilities}
    for cycle in range(1, inputs.funding_cycles + 1):
        items = [
            (cents(u.cost_mid), cents(u.npv_base))
            for u in candidates(at_levels(units, levels), framework, inputs)
            if cents(u.npv_base) > 0
        ]
        chosen = [s for s in steps if s.funding_cycle == cycle]
        assert sum(cents(s.cost_mid) for s in chosen) <= budget
        assert sum(cents(s.npv_base) for s in chosen) == exhaustive(items, budget)
        assert len({(s.unit, s.capability) for s in chosen}) == len(chosen)
        for s in chosen:
            assert s.to_level == s.from_level + 1 == levels[(s.unit, s.capability)] + 1
            levels[(s.unit, s.capability)] = s.to_level


def test_the_random_cases_are_not_trivial():
    """The optimality check above means something only if the cases make real choices: several
    plans of two or more upgrades in a cycle, later cycles, and cases where greedy is wrong."""
    multi, later, greedy_wrong = 0, 0, 0
    for seed in SEEDS:
        units, framework, inputs = random_case(seed)
        steps = roadmap(units, framework, inputs)
        first = [s for s in steps if s.funding_cycle == 1]
        multi += len(first) >= 2
        later += any(s.funding_cycle > 1 for s in steps)
        greedy = greedy_by_ratio(units, framework, inputs)
        greedy_wrong += sum(cents(npv) for _, npv in greedy) < sum(cents(s.npv_base) for s in first)
    assert multi >= 15 and later >= 20 and greedy_wrong >= 1, (multi, later, greedy_wrong)
