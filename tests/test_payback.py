"""Payback month (reports/domain/planning.py), by hand: the first month whose cumulative
discounted base cash flow reaches 0, with the cash flows of the 24-month NPV. At 10 % a
year, v = 1.1^(−1/12) = 0.99208894; Σ v^t for t = 1…6 = 5.83604103."""

import pytest

from reports.domain.planning import payback_month

V = 1.1 ** (-1 / 12)


def test_identity_graph_2_to_3_pays_back_in_month_8():
    # Cost mid 850,000: −70,833.33 a month in 1…12; benefit 40M × 12 % × 75 % = 300,000 a
    # month from month 7. Months 1–6: −70,833.33 × 5.83604103 = −413,386.22; month 7 adds
    # 229,166.67 × v^7 = 216,773.26 → −196,612.96; month 8 adds 229,166.67 × v^8 = 215,058.36
    # → +18,445.40: paid back.
    assert -70_833.33 * 5.83604103 == pytest.approx(-413_386.22, abs=0.01)
    assert -413_386.22 + 229_166.67 * V**7 == pytest.approx(-196_612.96, abs=0.05)
    assert -196_612.96 + 229_166.67 * V**8 == pytest.approx(18_445.40, abs=0.05)
    assert payback_month(cost=850_000, annual_benefit=3_600_000, time_to_value_months=6, discount_rate=0.10) == 8  # fmt: skip


def test_no_payback_within_24_months_and_a_free_upgrade_pays_back_at_its_first_benefit():
    assert payback_month(cost=2_000_000, annual_benefit=100_000, time_to_value_months=6, discount_rate=0.10) is None  # fmt: skip
    assert payback_month(cost=0, annual_benefit=120_000, time_to_value_months=3, discount_rate=0.10) == 4  # fmt: skip
    assert payback_month(cost=0, annual_benefit=0, time_to_value_months=3, discount_rate=0.10) is None  # fmt: skip
