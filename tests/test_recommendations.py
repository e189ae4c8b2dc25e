"""One-level upgrades, cost bands, 24-month NPV, priority and DEOM: pure, no database.

The hand computations share these discount factors, at the seed's 10 % a year:

    m  = 1.1^(1/12) − 1 = 0.00797414            (monthly rate)
    v  = 1 / (1 + m)    = 1.1^(−1/12) = 0.99208894
    Σ v^t, t = 1…12  = v (1 − v^12) / (1 − v) = v (1 − 1/1.1) / (1 − v) = 11.40048783
    Σ v^t, t = 1…24  = 11.40048783 × (1 + 1/1.1)                       = 21.76456767
    Σ v^t, t = 5…24  = 21.76456767 − Σ(1…4) 3.92151281                = 17.84305486
    Σ v^t, t = 7…24  = 21.76456767 − Σ(1…6) 5.83604103                = 15.92852664
    Σ v^t, t = 10…24 = 21.76456767 − Σ(1…9) 8.65140964                = 13.11315803

Cost C is spent as C/12 in months 1…12, so its present value is C/12 × 11.40048783;
benefit B/12 flows in the months after the time-to-value (t > TTV).
"""

import pytest

from reports.domain.planning import (
    CENTRALIZED_SCALE,
    GUARDRAILED_INNOVATION,
    STRATEGIC_HOLD,
    TACTICAL_OPTIMIZATION,
    CapabilityEconomics,
    CapabilityStanding,
    EngagementInputs,
    FrameworkEconomics,
    LevelEconomics,
    QuestionSpec,
    ToDo,
    UnitStanding,
    binding_todos,
    deom_mode,
    monthly_rate,
    npv_24_months,
    one_level_upgrade,
    recommend,
)

CENT = 0.005

IDG = CapabilityEconomics(
    "IDG", "Identity Graph Enhancements", 500_000, 1_200_000,
    "12% revenue attribution improvement", "attributable revenue", 12, 6,
)  # fmt: skip
CPL = CapabilityEconomics(
    "CPL", "Consent and Privacy Layer", 300_000, 800_000,
    "40% reduction in compliance incidents", "compliance incident cost", 40, 4,
)  # fmt: skip
RTO = CapabilityEconomics(
    "RTO", "Real-time Orchestration", 800_000, 2_000_000,
    "25% faster campaign iteration", "campaign operations cost", 25, 9,
)  # fmt: skip
LEVELS = (
    LevelEconomics(1, "Initial"),
    LevelEconomics(2, "Repeatable", 1.0, 1.0),
    LevelEconomics(3, "Managed", 1.0, 1.0),
    LevelEconomics(4, "Optimized", 0.7, 1.0),
    LevelEconomics(5, "Autonomous", 0.4, 1.0),
)
FRAMEWORK = FrameworkEconomics(LEVELS, (IDG, CPL, RTO))
# The seed's engagement inputs.
SEED = EngagementInputs(
    discount_rate=0.10,
    value_bases={
        "attributable revenue": 40_000_000,
        "compliance incident cost": 3_000_000,
        "campaign operations cost": 12_000_000,
    },
    budget_per_cycle=2_000_000,
    funding_cycles=3,
    local_budget_bound=1_000_000,
    impact_threshold=250_000,
)


def standing(code: str, level: int, binding=("fidelity",)) -> CapabilityStanding:
    return CapabilityStanding(code, level, tuple(binding))


def upgrade(capability, level, inputs=SEED, framework=FRAMEWORK, target=None):
    return one_level_upgrade(
        capability, standing(capability.code, level), framework, inputs, target=target
    )


def test_monthly_rate_compounds_to_the_yearly_rate():
    assert monthly_rate(0.10) == pytest.approx(0.00797414, abs=1e-8)
    assert (1 + monthly_rate(0.10)) ** 12 == pytest.approx(1.10)


def test_identity_graph_two_to_three_with_the_seed_inputs():
    """IDG 2 → 3: band 500,000–1,200,000 (Managed: multiplier 1.0, benefit factor 1.0),
    12 % of 40,000,000 attributable revenue, TTV 6 → benefit in months 7…24.

    best:     B = 40,000,000 × 12 % × 100 % × 1.0 = 4,800,000 → 400,000 × 15.92852664 = 6,371,410.66
              C = 500,000 → 41,666.67 × 11.40048783 = 475,020.33;   NPV = 5,896,390.33
    base:     B = 3,600,000 → 300,000 × 15.92852664 = 4,778,557.99
              C = 850,000 → 70,833.33 × 11.40048783 = 807,534.55;   NPV = 3,971,023.44
    downside: B = 1,920,000 → 160,000 × 15.92852664 = 2,548,564.26
              C = 1,200,000 → 100,000 × 11.40048783 = 1,140,048.78; NPV = 1,408,515.48
    """
    idg = upgrade(IDG, 2)
    assert (idg.from_level, idg.to_level) == (2, 3)
    assert (idg.cost_low, idg.cost_high, idg.cost_mid) == (500_000, 1_200_000, 850_000)
    assert idg.npv_best == pytest.approx(5_896_390.33, abs=CENT)
    assert idg.npv_base == pytest.approx(3_971_023.44, abs=CENT)
    assert idg.npv_downside == pytest.approx(1_408_515.48, abs=CENT)
    assert idg.negative_npv is False
    # High end 1,200,000 > local bound 1,000,000: low autonomy; base NPV ≥ 250,000: high impact.
    assert idg.deom_mode == CENTRALIZED_SCALE


def test_consent_layer_three_to_four_takes_the_optimized_benefit_factor():
    """CPL 3 → 4: Optimized has benefit factor 0.7; 40 % of 3,000,000; TTV 4 → months 5…24.

    best:     B = 3,000,000 × 40 % × 100 % × 0.7 = 840,000 → 70,000 × 17.84305486 = 1,249,013.84
              C = 300,000 → 25,000 × 11.40048783 = 285,012.20;   NPV = 964,001.64
    base:     B = 630,000 → 52,500 × 17.84305486 = 936,760.38
              C = 550,000 → 45,833.33 × 11.40048783 = 522,522.36; NPV = 414,238.02
    downside: B = 336,000 → 28,000 × 17.84305486 = 499,605.54
              C = 800,000 → 66,666.67 × 11.40048783 = 760,032.52; NPV = −260,426.99
    """
    cpl = upgrade(CPL, 3)
    assert cpl.npv_best == pytest.approx(964_001.64, abs=CENT)
    assert cpl.npv_base == pytest.approx(414_238.02, abs=CENT)
    assert cpl.npv_downside == pytest.approx(-260_426.99, abs=CENT)
    assert cpl.negative_npv is False  # the flag follows the base scenario only
    # High end 800,000 ≤ 1,000,000 and base NPV ≥ 250,000.
    assert cpl.deom_mode == GUARDRAILED_INNOVATION


def test_orchestration_four_to_five_has_a_negative_base_npv_and_is_flagged():
    """RTO 4 → 5: Autonomous has benefit factor 0.4; 25 % of 12,000,000; TTV 9 → months 10…24.

    best:     B = 12,000,000 × 25 % × 100 % × 0.4 = 1,200,000 → 100,000 × 13.11315803 = 1,311,315.80
              C = 800,000 → 760,032.52;                                  NPV = 551,283.28
    base:     B = 900,000 → 75,000 × 13.11315803 = 983,486.85
              C = 1,400,000 → 116,666.67 × 11.40048783 = 1,330,056.91;  NPV = −346,570.06
    downside: B = 480,000 → 40,000 × 13.11315803 = 524,526.32
              C = 2,000,000 → 166,666.67 × 11.40048783 = 1,900,081.31; NPV = −1,375,554.98
    """
    rto = upgrade(RTO, 4)
    assert rto.npv_best == pytest.approx(551_283.28, abs=CENT)
    assert rto.npv_base == pytest.approx(-346_570.06, abs=CENT)
    assert rto.npv_downside == pytest.approx(-1_375_554.98, abs=CENT)
    assert rto.negative_npv is True
    assert rto.deom_mode == STRATEGIC_HOLD


def test_orchestration_two_to_three_base_npv():
    """RTO 2 → 3 (factor 1.0): B = 12,000,000 × 25 % × 75 % = 2,250,000 → 187,500 × 13.11315803
    = 2,458,717.13; C = 1,400,000 → 1,330,056.91; NPV = 1,128,660.22."""
    assert upgrade(RTO, 2).npv_base == pytest.approx(1_128_660.22, abs=CENT)


def test_benefit_starts_only_after_the_time_to_value():
    """With no cost and B = 1,200,000 (100,000 a month):
    TTV 23 → only month 24 pays: 100,000 × v^24 = 100,000 / 1.1^2 = 82,644.63;
    TTV 12 → months 13…24: 100,000 × 11.40048783 / 1.1 = 1,036,407.98;
    TTV 24 → nothing within the 24 months."""

    def npv(ttv: int) -> float:
        return npv_24_months(
            cost=0, annual_benefit=1_200_000, time_to_value_months=ttv, discount_rate=0.10
        )

    assert npv(23) == pytest.approx(82_644.63, abs=CENT)
    assert npv(12) == pytest.approx(1_036_407.98, abs=CENT)
    assert npv(24) == 0.0


def test_without_discounting_npv_is_the_plain_sum():
    """r = 0: IDG base = 300,000 × (24 − 6) months − 850,000 = 4,550,000."""
    inputs = EngagementInputs(discount_rate=0.0, value_bases={"attributable revenue": 40_000_000})
    assert upgrade(IDG, 2, inputs).npv_base == pytest.approx(4_550_000, abs=CENT)


def test_a_metric_without_value_base_gives_only_the_cost():
    """No value base: NPV = −C/12 × 11.40048783; base = −807,534.55."""
    idg = upgrade(IDG, 2, EngagementInputs())
    assert idg.value_base == 0
    assert idg.npv_base == pytest.approx(-807_534.55, abs=CENT)


def test_cost_band_takes_the_multiplier_of_the_target_level():
    levels = (*LEVELS[:3], LevelEconomics(4, "Optimized", 0.7, 1.5), LEVELS[4])
    framework = FrameworkEconomics(levels, (IDG,))
    to_three = upgrade(IDG, 2, framework=framework)
    to_four = upgrade(IDG, 3, framework=framework)
    assert (to_three.cost_low, to_three.cost_high) == (500_000, 1_200_000)
    assert (to_four.cost_low, to_four.cost_high, to_four.cost_mid) == (
        750_000,
        1_800_000,
        1_275_000,
    )


def test_top_level_and_target_stop_recommendations_and_none_jumps_two_levels():
    assert upgrade(IDG, 5) is None
    assert upgrade(IDG, 4, target=4) is None
    assert upgrade(IDG, 4, target=3) is None
    assert upgrade(IDG, 3, target=9) is not None  # a target above the top means the top
    for level in range(1, 5):
        assert upgrade(IDG, level).to_level == level + 1


def test_recommend_ranks_by_base_npv_per_mid_band_dollar_and_skips_unscored_and_at_target():
    """Per mid-band dollar: IDG 3,971,023.44 / 850,000 = 4.67; RTO 1,128,660.22 / 1,400,000 = 0.81;
    CPL is at its target 4, and a capability without a level is not recommended."""
    unit = UnitStanding(
        "uk",
        "UK",
        (standing("RTO", 2), standing("IDG", 2), standing("CPL", 4)),
        targets={"CPL": 4},
    )
    found = recommend(unit, FrameworkEconomics(LEVELS, (IDG, CPL, RTO)), SEED)
    assert [(r.capability, r.priority, r.unit) for r in found] == [
        ("IDG", 1, "uk"),
        ("RTO", 2, "uk"),
    ]


def test_negative_upgrades_rank_last():
    unit = UnitStanding("uk", "UK", (standing("RTO", 4), standing("CPL", 3)))
    found = recommend(unit, FRAMEWORK, SEED)
    assert [(r.capability, r.priority, r.negative_npv) for r in found] == [
        ("CPL", 1, False),
        ("RTO", 2, True),
    ]


def test_deom_modes_cover_the_two_by_two():
    """CPL 4 → 5 (factor 0.4): base B = 360,000 → 30,000 × 17.84305486 = 535,291.65;
    C = 522,522.36; NPV 12,769.29 < 250,000 (low impact); high end 800,000 fits the bound."""
    assert upgrade(CPL, 4).npv_base == pytest.approx(12_769.29, abs=CENT)
    assert upgrade(CPL, 4).deom_mode == TACTICAL_OPTIMIZATION
    modes = {
        (cost_high, npv): deom_mode(
            cost_high=cost_high, npv_base=npv, local_budget_bound=100, impact_threshold=10
        )
        for cost_high in (100, 101)
        for npv in (10, 9.99)
    }
    assert modes == {
        (100, 10): GUARDRAILED_INNOVATION,
        (101, 10): CENTRALIZED_SCALE,
        (100, 9.99): TACTICAL_OPTIMIZATION,
        (101, 9.99): STRATEGIC_HOLD,
    }


QUESTIONS = (
    QuestionSpec(
        "IDG-FID-1", "IDG", "fidelity", "How are identities resolved?", "choice",
        options={2: "Scripted batch", 3: "Managed matching service", 4: "Tuned matching"},
    ),
    QuestionSpec(
        "IDG-FID-2", "IDG", "fidelity", "Persistent identity match rate", "numeric",
        unit="%", thresholds={2: 50, 3: 62, 4: 75, 5: 88},
    ),
    QuestionSpec(
        "IDG-REC-1", "IDG", "recovery", "Measured RTO", "numeric", unit="hours",
        higher_is_better=False, thresholds={2: 72, 3: 24, 4: 4, 5: 1},
    ),
    QuestionSpec(
        "IDG-REC-2", "IDG", "recovery", "Restores tested?", "choice",
        options={3: "Quarterly restores", 4: "Monthly drills"},
    ),
    QuestionSpec("CPL-FID-1", "CPL", "fidelity", "Consent capture", "choice", options={4: "x"}),
)  # fmt: skip


def test_todo_lists_the_questions_holding_each_binding_dimension_with_the_next_level():
    """IDG at level 3, binding fidelity and recovery. Fidelity: IDG-FID-1 at 3 (kept), IDG-FID-2
    at 5 (not holding it). Recovery: RTO at 2 and restores at 3, lowest first; the numeric
    questions say the threshold of level 4. Unanswered questions are left out."""
    todos = binding_todos(
        "IDG",
        3,
        ("fidelity", "recovery"),
        QUESTIONS,
        {"IDG-FID-1": 3, "IDG-FID-2": 5, "IDG-REC-1": 2, "IDG-REC-2": 3, "CPL-FID-1": 1},
    )
    assert todos == (
        ToDo("IDG-FID-1", "How are identities resolved?", "fidelity", 3, "Tuned matching"),
        ToDo("IDG-REC-1", "Measured RTO", "recovery", 2, "reach ≤ 4 hours"),
        ToDo("IDG-REC-2", "Restores tested?", "recovery", 3, "Monthly drills"),
    )
    higher = binding_todos("IDG", 2, ("fidelity",), QUESTIONS, {"IDG-FID-2": 2})
    assert [t.next_step for t in higher] == ["reach ≥ 62 %"]


def test_recommendation_carries_the_standing_todos():
    todo = ToDo(
        "IDG-FID-1", "How are identities resolved?", "fidelity", 2, "Managed matching service"
    )
    unit = UnitStanding("uk", "UK", (CapabilityStanding("IDG", 2, ("fidelity",), (todo,)),))
    (idg,) = recommend(unit, FRAMEWORK, SEED)
    assert (idg.binding_dimensions, idg.todos) == (("fidelity",), (todo,))


def test_target_levels_prefer_the_unit_then_the_organisation_then_the_default():
    from reports.domain.planning import resolve_target_levels

    targets = resolve_target_levels(
        ["IDG", "CPL", "RTO"],
        unit_targets={"IDG": 5},
        organisation_targets={"IDG": 3, "CPL": 2},
        default=4,
    )
    assert targets == {"IDG": 5, "CPL": 2, "RTO": 4}
    assert resolve_target_levels(
        ["IDG"], unit_targets={}, organisation_targets={}, default=None
    ) == {"IDG": None}
