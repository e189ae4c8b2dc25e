"""Per-unit value bases: a unit's own value base for a benefit metric overrides the
organisation's, so two units earn different NPVs from the same upgrade (hand-computed as
in tests/test_recommendations.py: Σ v^t, t = 7…24 = 15.92852664 and t = 1…12 = 11.40048783
at 10 % a year)."""

from __future__ import annotations

import pytest

from assessments.models import AuditEntry, ValueBase
from reports.domain.planning import EngagementInputs, Overrides
from reports.domain.roadmap import plan_roadmap
from reports.queries.planning import plan_for_cycle
from tests.recommendation_factories import organisation_with_units

CENT = 0.005
# IDG 2 → 3: cost mid 850,000 → −70,833.33 × 11.40048783 = −807,534.55 in every unit.
COST = 850_000 / 12 * 11.40048783
# Organisation's 40,000,000: 40M × 12 % × 75 % / 12 = 300,000 a month, t = 7…24
ORGANISATION_NPV = 300_000 * 15.92852664 - COST  # 3,971,023.44 (README's example)
# A unit of 20,000,000: 150,000 a month → 150,000 × 15.92852664 − 807,534.55
SMALL_UNIT_NPV = 150_000 * 15.92852664 - COST  # 1,581,744.44


def idg(plan, unit):
    return next(r for r in plan.recommendations if r.unit == unit and r.capability == "IDG")


def test_two_units_with_different_value_bases_get_their_own_npvs(small):
    org, _, assessments = organisation_with_units(small, 2)
    small_unit = assessments[1].unit
    ValueBase.objects.create(
        organisation=org, unit=small_unit, benefit_metric="attributable revenue", annual_value=20_000_000
    )  # fmt: skip
    plan = plan_for_cycle(org, assessments[0].cycle)
    assert ORGANISATION_NPV == pytest.approx(3_971_023.44, abs=CENT)
    assert SMALL_UNIT_NPV == pytest.approx(1_581_744.44, abs=0.01)
    assert idg(plan, "uk").npv_base == pytest.approx(ORGANISATION_NPV, abs=0.01)
    assert idg(plan, "unit-1").npv_base == pytest.approx(SMALL_UNIT_NPV, abs=0.01)
    assert idg(plan, "unit-1").value_base == 20_000_000
    # best: low cost 500,000, full benefit 200,000 a month: 200,000 × 15.928 − 41,666.67 × 11.400
    assert idg(plan, "unit-1").npv_best == pytest.approx(
        200_000 * 15.92852664 - 500_000 / 12 * 11.40048783, abs=0.01
    )
    # the roadmap values each unit's upgrade with its own base
    steps = {(s.unit, s.capability): s.npv_base for s in plan_roadmap(plan) if s.from_level == 2}
    assert steps[("unit-1", "IDG")] == pytest.approx(SMALL_UNIT_NPV, abs=0.01)
    assert steps[("uk", "IDG")] == pytest.approx(ORGANISATION_NPV, abs=0.01)


def test_a_value_base_given_for_one_run_applies_to_every_unit():
    inputs = EngagementInputs(
        value_bases={"attributable revenue": 40e6},
        unit_value_bases={"small": {"attributable revenue": 20e6, "x": 1.0}},
    )
    run = Overrides(value_bases={"attributable revenue": 30e6}).apply(inputs)
    assert run.for_unit("small").value_bases == {"attributable revenue": 30e6, "x": 1.0}
    assert inputs.for_unit("small").value_base("attributable revenue") == 20e6
    assert inputs.for_unit("other").value_base("attributable revenue") == 40e6


def test_consultant_sets_a_units_value_base_on_its_inputs_page(client, small):
    org, consultant, assessments = organisation_with_units(small, 2)
    client.force_login(consultant)
    url = f"/reports/organisations/{org.slug}/units/unit-1/targets/"
    page = client.get(url).content.decode()
    assert "Value base: attributable revenue (USD a year)" in page
    assert "Blank: the organisation's ($40,000,000)" in page
    response = client.post(url, {"value_base_0": "20000000", "value_base_1": ""})
    assert response.status_code == 302
    assert list(
        ValueBase.objects.filter(unit__slug="unit-1").values_list("benefit_metric", "annual_value")
    ) == [("attributable revenue", 20_000_000)]
    entry = AuditEntry.objects.filter(action="engagement.change").latest("pk")
    assert entry.details["changes"] == {"value_base: attributable revenue": [None, "20000000.00"]}
    report = client.get(f"/reports/assessments/{assessments[1].pk}/").content.decode()
    assert "$1,581,744" in report
    # blank again: the unit follows the organisation's
    client.post(url, {"value_base_0": "", "value_base_1": ""})
    assert not ValueBase.objects.filter(unit__isnull=False).exists()
