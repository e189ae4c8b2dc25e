"""The roadmap: funding cycle by funding cycle, the one-level upgrades with the largest total
base NPV that fit the budget, found by an exact 0/1 knapsack. Pure Python, no Django.

`roadmap` plans the funding cycles (docs/design.md, "Roadmap"); `best_subset` returns the subset of items with the largest total value whose
total cost fits the budget — the optimum, not a greedy approximation. Costs and
values are integers (the roadmap passes cents), so every comparison is exact.

Method: dynamic programming over the item set that keeps only the Pareto
frontier of partial plans — (cost, value) pairs where no other plan costs as
little and is worth as much — adding one item at a time (Nemhauser–Ullmann).
Items are taken in decreasing value-per-cost order, so that a partial plan can
be dropped as soon as its value plus the fractional (linear relaxation) bound of
the items still to come cannot beat the best complete plan found so far.

Complexity: O(n · F · log n) time and O(n · F) memory, where n is the number of
items and F the largest frontier, which is at most the number of distinct total
costs within the budget and at most 2^n. With cost bands in round figures (as in
every framework so far) F is tens, whatever n; the bound keeps it small for
arbitrary costs in practice. The worst case stays exponential: the problem is
NP-hard, and an exact answer is what the roadmap promises.

A capability without cost data is never a candidate: it has no cost to charge against the
budget and no NPV to gain. Its maturity-only upgrades are listed beside the plan as "no
cost data" (`not_costed`), at the levels the cycle starts from.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from .money import cents
from .planning import (
    CapabilityStanding,
    EngagementInputs,
    FrameworkEconomics,
    Plan,
    Recommendation,
    RoadmapStep,
    UnitStanding,
    one_level_upgrade,
    target_level,
)

# A chosen set as a linked chain (index, previous chain): sharing tails keeps memory linear.
Chain = tuple[int, "Chain"] | None

# Values are whole cents; the float bound is compared with half a cent of slack
# so that rounding in the bound never discards an optimal plan.
_BOUND_SLACK = 0.5


def best_subset(items: Sequence[tuple[int, int]], budget: int) -> tuple[int, ...]:
    """Indices (ascending) of the items (cost, value) that maximise total value
    with total cost ≤ budget. Items with value ≤ 0 are never chosen. Among plans
    of equal value the cheapest is returned; ties beyond that go to the
    candidate found first, so the answer is deterministic."""
    candidates = [i for i, (cost, value) in enumerate(items) if value > 0 and 0 <= cost <= budget]
    # Decreasing value per cost; free items first.
    order = sorted(
        candidates,
        key=lambda i: (-(items[i][1] / items[i][0]) if items[i][0] else float("-inf"), i),
    )
    costs = [items[i][0] for i in order]
    values = [items[i][1] for i in order]
    prefix_cost = [0]
    prefix_value = [0]
    for cost, value in zip(costs, values, strict=True):
        prefix_cost.append(prefix_cost[-1] + cost)
        prefix_value.append(prefix_value[-1] + value)

    def bound(start: int, capacity: int) -> float:
        """The fractional optimum of items order[start:] within capacity."""
        limit = prefix_cost[start] + capacity
        end = bisect.bisect_right(prefix_cost, limit, lo=start) - 1  # items start..end-1 fit whole
        whole = prefix_value[end] - prefix_value[start]
        if end >= len(costs):
            return float(whole)
        room = limit - prefix_cost[end]
        return whole + room * values[end] / costs[end]

    best = _greedy(costs, values, budget)
    # Frontier: (cost, value, chain), cost ascending and value strictly ascending.
    frontier: list[tuple[int, int, Chain]] = [(0, 0, None)]
    for position, (cost, value) in enumerate(zip(costs, values, strict=True)):
        added = [(c + cost, v + value, (position, chain)) for c, v, chain in frontier]
        merged = sorted(
            [*frontier, *(state for state in added if state[0] <= budget)],
            key=lambda state: (state[0], -state[1]),
        )
        frontier = []
        for state in merged:
            if frontier and state[1] <= frontier[-1][1]:
                continue  # dominated: costs at least as much and is worth no more
            if state[1] > best[1] or (state[1] == best[1] and state[0] < best[0]):
                best = (state[0], state[1], state[2])
            if state[1] + bound(position + 1, budget - state[0]) < best[1] - _BOUND_SLACK:
                continue  # cannot catch up with the best plan found so far
            frontier.append(state)
    chosen = []
    chain = best[2]
    while chain is not None:
        chosen.append(order[chain[0]])
        chain = chain[1]
    return tuple(sorted(chosen))


def _greedy(costs: list[int], values: list[int], budget: int) -> tuple[int, int, Chain]:
    """A first feasible plan: take items in ratio order while they fit."""
    spent = worth = 0
    chain: Chain = None
    for position, (cost, value) in enumerate(zip(costs, values, strict=True)):
        if spent + cost <= budget:
            spent += cost
            worth += value
            chain = (position, chain)
    return spent, worth, chain


def roadmap(
    units: Sequence[UnitStanding], framework: FrameworkEconomics, inputs: EngagementInputs
) -> list[RoadmapStep]:
    """Funding cycle by funding cycle, the one-level upgrades with the largest total base NPV
    whose mid-band costs fit `inputs.budget_per_cycle`; each capability of each unit moves at
    most one level a cycle, and an upgrade whose base NPV is not positive is never chosen.
    The next cycle starts from the new levels. Stops when the cycles or the upgrades run out.

    Every unit competes for the same budget (pass one unit for a unit's roadmap). Costs and
    NPVs are compared in whole cents, so the optimum is exact.
    """
    levels = {(u.unit, s.capability): s.level for u in units for s in u.capabilities}
    budget = cents(inputs.budget_per_cycle)
    steps: list[RoadmapStep] = []
    for funding_cycle in range(1, inputs.funding_cycles + 1):
        candidates = []
        for unit in units:
            for capability in framework.capabilities:
                level = levels.get((unit.unit, capability.code))
                if level is None or not capability.has_economics:
                    continue
                upgrade = one_level_upgrade(
                    capability,
                    CapabilityStanding(capability.code, level, ()),
                    framework,
                    inputs,
                    target=target_level(unit, capability.code, framework),
                    unit=unit.unit,
                )
                if upgrade is not None and cents(upgrade.npv_base or 0) > 0:
                    candidates.append(upgrade)
        chosen = best_subset(
            [(cents(c.cost_mid or 0), cents(c.npv_base or 0)) for c in candidates], budget
        )
        if not chosen:
            break  # nothing affordable is worth doing, now or in any later cycle
        for index in chosen:
            upgrade = candidates[index]
            levels[(upgrade.unit, upgrade.capability)] = upgrade.to_level
            steps.append(
                RoadmapStep(
                    funding_cycle=funding_cycle,
                    unit=upgrade.unit,
                    capability=upgrade.capability,
                    from_level=upgrade.from_level,
                    to_level=upgrade.to_level,
                    cost_mid=upgrade.cost_mid or 0.0,
                    npv_base=upgrade.npv_base or 0.0,
                    npv_best=upgrade.npv_best or 0.0,
                    npv_downside=upgrade.npv_downside or 0.0,
                    cost_is_assumption=upgrade.cost_is_assumption,
                    payback_month=upgrade.payback_month,
                )
            )
    return steps


def not_costed(plan: Plan) -> list[Recommendation]:
    """The plan's maturity-only upgrades (capabilities without cost data), which no roadmap
    plans: shown beside it under "no cost data", units and capabilities in the plan's order."""
    return plan.maturity_only


def plan_roadmap(plan: Plan) -> list[RoadmapStep]:
    """The roadmap of a plan's units, competing for its one budget per funding cycle."""
    return roadmap(plan.units, plan.framework.economics, plan.inputs)
