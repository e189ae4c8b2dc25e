"""Economics optional (issue 15, item 5): a capability without cost data gets maturity-only
recommendations — the one-level upgrade, the next level's name and description and its
to-do list — with no cost band, NPV, priority or DEOM mode, never "high impact"; the
roadmap does not plan it. The other capabilities' figures do not change.

The costed figures are the hand computations of tests/test_recommendations.py, at the
seed's 10 % a year (Σ v^t, t = 1…12 = 11.40048783; t = 7…24 = 15.92852664;
t = 5…24 = 17.84305486):

    IDG 2 → 3, band 500,000–1,200,000, 12 % of 40,000,000 from month 7:
        base NPV = 300,000 × 15.92852664 − 70,833.33 × 11.40048783 = 3,971,023.44
    CPL 3 → 4 (Optimized, benefit factor 0.7), band 300,000–800,000, 40 % of 3,000,000
    from month 5:
        base NPV = 0.75 × 0.7 × 1,200,000 / 12 × 17.84305486 − 45,833.33 × 11.40048783
                 = 936,760.38 − 522,522.36 = 414,238.02
"""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from pptx import Presentation

from assessments.domain.framework_file import parse_framework
from assessments.models import Capability
from assessments.services.frameworks import framework_load
from reports.domain.planning import (
    CENTRALIZED_SCALE,
    GUARDRAILED_INNOVATION,
    CapabilityEconomics,
    CapabilityStanding,
    EngagementInputs,
    FrameworkEconomics,
    LevelEconomics,
    ToDo,
    UnitStanding,
    by_priority,
    deom_grid,
    recommend,
)
from reports.domain.roadmap import roadmap
from reports.exporters.deck import deck_pptx
from reports.exporters.workbook import recommendation_rows, report_workbook
from reports.queries.exports import report_data
from tests import factories
from tests.pages import parse, rows, text, the
from tests.recommendation_factories import organisation_with_units

CENT = 0.005

IDG = CapabilityEconomics(
    "IDG", "Identity Graph Enhancements", 500_000, 1_200_000,
    "12% revenue attribution improvement", "attributable revenue", 12, 6,
)  # fmt: skip
CPL = CapabilityEconomics(
    "CPL", "Consent and Privacy Layer", 300_000, 800_000,
    "40% reduction in compliance incidents", "compliance incident cost", 40, 4,
)  # fmt: skip
# As a published model gives it: a name, no cost data.
GOV = CapabilityEconomics("GOV", "Governance")
LEVELS = (
    LevelEconomics(1, "Initial"),
    LevelEconomics(2, "Repeatable", description="Repeatable by the team that does it."),
    LevelEconomics(3, "Managed"),
    LevelEconomics(4, "Optimized", 0.7, 1.0),
    LevelEconomics(5, "Autonomous", 0.4, 1.0),
)
COSTED = FrameworkEconomics(LEVELS, (IDG, CPL))
MIXED = FrameworkEconomics(LEVELS, (IDG, GOV, CPL))
# The case: an impact threshold of 0 made every NPV 0 "high impact".
INPUTS = EngagementInputs(
    discount_rate=0.10,
    value_bases={"attributable revenue": 40_000_000, "compliance incident cost": 3_000_000},
    budget_per_cycle=2_000_000,
    funding_cycles=3,
    local_budget_bound=1_000_000,
    impact_threshold=0,
)
GOV_TODO = ToDo("GOV-1", "Is there a security policy?", "fidelity", 1, "A written policy")


def unit(*extra: CapabilityStanding) -> UnitStanding:
    return UnitStanding(
        "uk",
        "Uk",
        (
            CapabilityStanding("IDG", 2, ("fidelity",)),
            CapabilityStanding("CPL", 3, ("fidelity", "recovery")),
            *extra,
        ),
        targets={"IDG": 4, "CPL": 4, "GOV": 4},
    )


GOV_AT_1 = CapabilityStanding("GOV", 1, ("fidelity",), (GOV_TODO,))


def test_capability_without_cost_data_gets_the_next_level_and_its_to_do_only():
    found = {r.capability: r for r in recommend(unit(GOV_AT_1), MIXED, INPUTS)}
    gov = found["GOV"]
    assert (gov.from_level, gov.to_level, gov.to_level_name) == (1, 2, "Repeatable")
    assert gov.to_level_description == "Repeatable by the team that does it."
    assert gov.binding_dimensions == ("fidelity",)
    assert gov.todos == (GOV_TODO,)
    assert gov.maturity_only and not gov.has_economics
    money = (gov.cost_low, gov.cost_high, gov.cost_mid, gov.npv_best, gov.npv_base)
    assert money == (None,) * 5
    assert (gov.npv_downside, gov.payback_month, gov.annual_benefit_base) == (None,) * 3
    # no NPV to reach the threshold of 0 with: not "high impact", in no quadrant, unranked
    assert gov.deom_mode is None
    assert gov.priority is None
    assert gov.negative_npv is False


def test_the_other_capabilities_keep_their_figures_and_priorities():
    mixed = recommend(unit(GOV_AT_1), MIXED, INPUTS)
    costed = recommend(unit(), COSTED, INPUTS)
    # costed first in priority order, the maturity-only one after them
    assert [(r.capability, r.priority) for r in mixed] == [("IDG", 1), ("CPL", 2), ("GOV", None)]
    assert mixed[:2] == costed
    idg, cpl = mixed[0], mixed[1]
    assert idg.npv_base == pytest.approx(3_971_023.44, abs=CENT)
    assert cpl.npv_base == pytest.approx(414_238.02, abs=CENT)
    # threshold 0: both are high impact; IDG's high end is above the 1,000,000 bound
    assert (idg.deom_mode, cpl.deom_mode) == (CENTRALIZED_SCALE, GUARDRAILED_INNOVATION)


def test_by_priority_puts_maturity_only_last_whatever_the_order_given():
    mixed = recommend(unit(GOV_AT_1), MIXED, INPUTS)
    shuffled = by_priority([mixed[2], mixed[1], mixed[0]])
    assert [(r.capability, r.priority) for r in shuffled] == [
        ("IDG", 1),
        ("CPL", 2),
        ("GOV", None),
    ]


def test_deom_grid_holds_only_the_costed_upgrades():
    grid = deom_grid(recommend(unit(GOV_AT_1), MIXED, INPUTS))
    placed = {r.capability: q.mode for row in grid for q in row for r in q.recommendations}
    assert placed == {"IDG": CENTRALIZED_SCALE, "CPL": GUARDRAILED_INNOVATION}


def test_roadmap_neither_picks_nor_charges_a_capability_without_cost_data():
    """Budget 2,000,000: cycle 1 funds IDG 2 → 3 (mid 850,000) and CPL 3 → 4 (mid 550,000),
    1,400,000 in all, exactly as without GOV; GOV is never a step."""
    mixed = roadmap([unit(GOV_AT_1)], MIXED, INPUTS)
    assert mixed == roadmap([unit()], COSTED, INPUTS)
    assert "GOV" not in {step.capability for step in mixed}
    first = [s for s in mixed if s.funding_cycle == 1]
    assert sum(s.cost_mid for s in first) == pytest.approx(1_400_000)
    # with unlimited money GOV is still never planned
    rich = roadmap(
        [unit(GOV_AT_1)], MIXED, EngagementInputs(budget_per_cycle=1e12, funding_cycles=5)
    )
    assert "GOV" not in {step.capability for step in rich}


def test_a_framework_without_any_cost_data_recommends_levels_and_plans_nothing():
    bare = FrameworkEconomics(LEVELS, (GOV,))
    standing = UnitStanding("uk", "Uk", (GOV_AT_1,))
    found = recommend(standing, bare, INPUTS)
    assert [(r.capability, r.from_level, r.to_level, r.priority) for r in found] == [
        ("GOV", 1, 2, None)
    ]
    assert roadmap([standing], bare, INPUTS) == []
    assert all(q.recommendations == [] for row in deom_grid(found) for q in row)


# --- the framework file ---------------------------------------------------------------------

ECONOMICS_OF_CPL = (
    "    cost_low: 300000\n    cost_high: 800000\n    cost_is_assumption: false\n"
    "    impact: 40% reduction in compliance incidents\n"
    "    benefit_metric: compliance incident cost\n    benefit_percent: 40\n"
    "    time_to_value_months: 4\n"
)
WITHOUT_CPL_COSTS = (
    factories.SMALL_FRAMEWORK.replace(ECONOMICS_OF_CPL, "")
    .replace('code: small, version: "1"', 'code: small-noc, version: "1"')
    .replace("{number: 4, name: Optimized,", "{number: 4, name: Optimized, description: Measured,")
)


def test_framework_file_may_leave_a_capabilitys_economics_out():
    assert ECONOMICS_OF_CPL in factories.SMALL_FRAMEWORK
    spec = parse_framework(WITHOUT_CPL_COSTS, "noc.yaml")
    idg, cpl = spec.capabilities
    assert idg.has_economics and (idg.cost_low, idg.time_to_value_months) == (500_000, 6)
    assert not cpl.has_economics
    assert (cpl.cost_low, cpl.cost_high, cpl.benefit_percent, cpl.time_to_value_months) == (
        None,
        None,
        None,
        None,
    )
    assert (cpl.benefit_metric, cpl.impact, cpl.cost_is_assumption) == ("", "", False)


def test_economics_are_all_or_nothing():
    partial = factories.SMALL_FRAMEWORK.replace("    cost_low: 300000\n", "")
    assert factories.framework_problems(partial, "bad.yaml") == [
        "bad.yaml: capabilities[1] (CPL): economics are all or nothing: cost_high, "
        "benefit_metric, benefit_percent, time_to_value_months given without cost_low (leave "
        "them all out for maturity-only recommendations)"
    ]
    assumed = factories.SMALL_FRAMEWORK.replace(ECONOMICS_OF_CPL, "    cost_is_assumption: true\n")
    assert factories.framework_problems(assumed, "bad.yaml") == [
        "bad.yaml: capabilities[1] (CPL).cost_is_assumption: says whether a cost band is "
        "assumed, but no cost band is given (cost_low, cost_high, benefit_metric, "
        "benefit_percent, time_to_value_months)"
    ]


# --- pages, commands and files ----------------------------------------------------------------


@pytest.fixture
def noc(db):
    """One unit 'Uk' (UK_ANSWERS: IDG at 2, CPL at 3, default target 4) on the small
    framework with CPL's economics left out: IDG 2 → 3 costed, CPL 3 → 4 maturity-only."""
    framework, _ = framework_load(spec=parse_framework(WITHOUT_CPL_COSTS, "noc.yaml"))
    org, consultant, assessments = organisation_with_units(framework, 1, slug="noc")
    return org, consultant, assessments[0]


def test_capability_without_cost_data_is_stored_with_null_economics(noc):
    cpl = Capability.objects.get(framework__code="small-noc", code="CPL")
    assert (cpl.cost_low, cpl.cost_high, cpl.benefit_percent, cpl.time_to_value_months) == (
        None,
        None,
        None,
        None,
    )
    assert not cpl.has_economics


def test_unit_report_lists_the_maturity_only_upgrade_apart_without_money(client, noc):
    org, consultant, uk = noc
    client.force_login(consultant)
    report = parse(client.get(f"/reports/assessments/{uk.pk}/"))
    costed = the(report, "#recommendation-table")
    assert "Identity Graph Enhancements" in text(costed)
    assert "$3,971,023" in text(costed)
    assert "Consent and Privacy Layer" not in text(costed)
    apart = the(report, "#maturity-only")
    cpl = text(the(apart, "#recommendation-CPL"))
    assert "3 Managed → 4 Optimized" in cpl
    assert "no cost data" in cpl
    assert "Level 4: Measured" in cpl
    assert "How is consent captured? (now level 3) → Audited consent store" in cpl
    assert "How is the consent store backed up? (now level 3) → Tested restores" in cpl
    assert "$" not in cpl
    grid = the(report, "#deom-grid")
    assert "Consent and Privacy Layer" not in text(grid)


def test_roadmap_page_lists_the_capability_without_cost_data_as_not_planned(client, noc):
    org, consultant, uk = noc
    client.force_login(consultant)
    page = parse(client.get(f"/reports/organisations/{org.slug}/roadmap/"))
    assert "Consent and Privacy Layer" not in text(the(page, "#funding-cycle-1"))
    assert rows(the(page, "#no-cost-data-table"))[1:] == [
        ["Uk", "Consent and Privacy Layer", "3 Managed → 4 Optimized no cost data"]
    ]


def test_recommend_command_gives_nulls_for_a_maturity_only_upgrade(noc):
    out = io.StringIO()
    call_command("recommend", "--unit", "uk", "--cycle", "2026-Q4", "--format", "json", stdout=out)
    found = {row["capability"]: row for row in json.loads(out.getvalue())}
    assert found["IDG"]["npv_base"] == 3971023.44
    assert found["IDG"]["priority"] == 1
    assert found["CPL"] == {
        "capability": "CPL",
        "from_level": 3,
        "to_level": 4,
        "binding_dimensions": ["fidelity", "recovery"],
        "cost_low": None,
        "cost_high": None,
        "npv_best": None,
        "npv_base": None,
        "npv_downside": None,
        "priority": None,
        "negative_npv": False,
        "deom_mode": None,
    }


def test_workbook_row_of_a_maturity_only_upgrade_has_levels_and_no_money(noc):
    org, _, uk = noc
    data = report_data(org, uk.cycle)
    by_code = {row[4]: row for row in recommendation_rows(data)}
    assert by_code["IDG"][13] == 3971023.44
    assert by_code["CPL"] == [
        "Uk", "uk", None, "Consent and Privacy Layer", "CPL", 3, 4, "Optimized",
        "Data fidelity, Recovery (RTO)", None, None, None, None, None, None,
        "no cost data", None, None, None, None, None, None,
    ]  # fmt: skip
    # and the workbook opens with that row
    sheet = openpyxl.load_workbook(io.BytesIO(report_workbook(data)))["Recommendations"]
    assert [c.value for c in sheet[3]][:8] == list(by_code["CPL"][:8])


def test_deck_shows_the_maturity_only_upgrade_on_the_unit_slide_and_in_the_appendix(noc):
    org, _, uk = noc
    deck = Presentation(io.BytesIO(deck_pptx(report_data(org, uk.cycle))))
    titles = [
        next(s.text_frame.text for s in slide.shapes if s.name == "Title") for slide in deck.slides
    ]
    unit_slide = deck.slides[titles.index(next(t for t in titles if t.startswith("Uk:")))]
    table = next(s.table for s in unit_slide.shapes if s.name == "Maturity-only upgrades")
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Capability", "From → to", "To do"],
        ["Consent and Privacy Layer", "3 → 4 Optimized", "2 questions to raise"],
    ]
    appendix = [t for t in titles if "without cost data" in t]
    assert appendix == ["Appendix: 1 upgrade without cost data (next level only)"]
    slide = deck.slides[titles.index(appendix[0])]
    listed = next(s.table for s in slide.shapes if s.has_table)
    assert [c.text for c in listed.rows[1].cells] == [
        "Uk",
        "Consent and Privacy Layer 3 → 4 Optimized",
        "Measured; How is consent captured? → Audited consent store; "
        "How is the consent store backed up? → Tested restores",
    ]
    deom = next(t for t in titles if "DEOM" in t or "holds most" in t)
    assert "1 upgrade" in deom
