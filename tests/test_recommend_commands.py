"""`manage.py recommend` and `manage.py roadmap`: the JSON keys and values of DESIGN.md, CSV,
overriding inputs, and one clear line for every bad input."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from tests.recommendation_factories import organisation_with_units

# The figures are hand-computed in tests/test_recommendations.py (IDG 2 → 3, CPL 3 → 4).
IDG = {
    "capability": "IDG",
    "from_level": 2,
    "to_level": 3,
    "binding_dimensions": ["fidelity"],
    "cost_low": 500000,
    "cost_high": 1200000,
    "npv_best": 5896390.33,
    "npv_base": 3971023.44,
    "npv_downside": 1408515.48,
    "priority": 1,
    "negative_npv": False,
    "deom_mode": "Centralized Scale",
}
CPL = {
    "capability": "CPL",
    "from_level": 3,
    "to_level": 4,
    "binding_dimensions": ["fidelity", "recovery"],
    "cost_low": 300000,
    "cost_high": 800000,
    "npv_best": 964001.64,
    "npv_base": 414238.02,
    "npv_downside": -260426.99,
    "priority": 2,
    "negative_npv": False,
    "deom_mode": "Guardrailed Innovation",
}


@pytest.fixture
def acme(small):
    return organisation_with_units(small, 2)


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def recommend(*extra):
    return run("recommend", "--unit", "uk", "--cycle", "2026-Q4", *extra)


def roadmap(*extra):
    return run("roadmap", "--organisation", "acme", "--cycle", "2026-Q4", *extra)


def test_recommend_json_has_exactly_the_design_keys_and_cent_values(acme):
    out, err = recommend("--format", "json")
    assert json.loads(out) == [IDG, CPL]
    assert '"cost_low": 500000,' in out  # whole dollars print without decimals
    assert err == "2 recommended upgrade(s) for acme/uk in 2026-Q4\n"


def test_recommend_csv_has_one_row_per_upgrade(acme):
    out, _ = recommend()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(IDG)
    assert rows[1] == {
        "capability": "CPL",
        "from_level": "3",
        "to_level": "4",
        "binding_dimensions": "fidelity;recovery",
        "cost_low": "300000",
        "cost_high": "800000",
        "npv_best": "964001.64",
        "npv_base": "414238.02",
        "npv_downside": "-260426.99",
        "priority": "2",
        "negative_npv": "false",
        "deom_mode": "Guardrailed Innovation",
    }


def test_options_override_the_stored_inputs_for_this_run(acme):
    """No discount and no value for IDG's metric: base NPV = −850,000 (the whole mid-band
    cost, undiscounted), ranked last and flagged. CPL at 0 %: B = 3,000,000 × 40 % × 75 % × 0.7
    = 630,000 → 52,500 × 20 months − 550,000 = 500,000."""
    out, err = recommend("--format", "json", "--discount-rate", "0%", "--value-base", "IDG=0")
    by_code = {row["capability"]: row for row in json.loads(out)}
    assert by_code["IDG"]["npv_base"] == -850000
    assert (by_code["IDG"]["negative_npv"], by_code["IDG"]["priority"]) == (True, 2)
    assert by_code["CPL"]["npv_base"] == 500000
    # The stored inputs are untouched.
    assert json.loads(recommend("--format", "json")[0]) == [IDG, CPL]


def test_value_base_by_metric_name_is_the_same_as_by_capability(acme):
    by_code, _ = recommend("--format", "json", "--value-base", "IDG=10,000,000")
    by_metric, _ = recommend("--format", "json", "--value-base", "attributable revenue=10000000")
    assert by_code == by_metric
    assert json.loads(by_code)[0]["npv_base"] != IDG["npv_base"]


def test_roadmap_json_for_an_organisation(acme):
    """Budget 1,000,000: one IDG upgrade (850,000) a cycle. Both units stand at IDG 2 and CPL 3;
    IDG 2 → 3 (3,971,023.44) beats CPL 3 → 4 (414,238.02) and two CPLs (1,100,000) do not fit.
    Cycle 1 funds the first unit's IDG (of equal plans, the first unit by name: Uk), cycle 2
    the other's."""
    out, err = roadmap("--budget", "1000000", "--funding-cycles", "2", "--format", "json")
    assert json.loads(out) == [
        {
            "funding_cycle": 1,
            "unit": "uk",
            "capability": "IDG",
            "from_level": 2,
            "to_level": 3,
            "cost_mid": 850000,
            "npv_base": 3971023.44,
        },
        {
            "funding_cycle": 2,
            "unit": "unit-1",
            "capability": "IDG",
            "from_level": 2,
            "to_level": 3,
            "cost_mid": 850000,
            "npv_base": 3971023.44,
        },
    ]
    assert err == (
        "2 upgrade(s) over 2 of 2 funding cycle(s) for 2 unit(s), total base NPV 7,942,046.88 USD\n"
    )


def test_roadmap_for_one_unit_csv(acme):
    """Budget 1,400,000 fits IDG 2 → 3 and CPL 3 → 4 together (850,000 + 550,000)."""
    out, _ = roadmap("--unit", "uk", "--budget", "1400000", "--funding-cycles", "1")
    assert out == (
        "funding_cycle,unit,capability,from_level,to_level,cost_mid,npv_base\n"
        "1,uk,IDG,2,3,850000,3971023.44\n"
        "1,uk,CPL,3,4,550000,414238.02\n"
    )


def test_roadmap_command_runs_the_same_queries_for_two_and_six_units(
    small, django_assert_num_queries
):
    for size, slug in ((2, "two"), (6, "six")):
        organisation_with_units(small, size, slug=slug)
        # Names (3), scoring (3), framework (4), engagement (3).
        with django_assert_num_queries(13):
            run("roadmap", "--organisation", slug, "--cycle", "2026-Q4", "--budget", "1", "--funding-cycles", "1")  # fmt: skip


@pytest.mark.parametrize(
    "args, message",
    [
        (["--unit", "nowhere"], "no unit 'nowhere' (known: uk, unit-1)"),
        (["--cycle", "1999-Q1"], "organisation 'acme' has no cycle '1999-Q1' (known: 2026-Q4)"),
        (["--organisation", "nope"], "no organisation 'nope' (known: acme)"),
        (
            ["--value-base", "IDG40000000"],
            "--value-base 'IDG40000000': expected CAPABILITY=USD or METRIC=USD, e.g. IDG=40000000",
        ),
        (
            ["--value-base", "XYZ=5"],
            "--value-base 'XYZ=5': 'XYZ' is neither a capability code (CPL, IDG) nor a benefit "
            "metric (attributable revenue, compliance incident cost)",
        ),
        (["--value-base", "IDG=lots"], "--value-base IDG= 'lots' is not an amount in USD (e.g. 2000000)"),
        (["--value-base", "IDG=-1"], "--value-base IDG= -1: an amount must be 0 USD or more"),
        (
            ["--value-base", "IDG=1", "attributable revenue=2"],
            "--value-base 'attributable revenue=2': the metric 'attributable revenue' was already given 1 USD",
        ),
        (
            ["--discount-rate", "10"],
            "--discount-rate '10': give a yearly rate between 0 and 100 % as a fraction (0.10) or a percent (10%)",
        ),
    ],
)  # fmt: skip
def test_recommend_bad_input_is_one_clear_line(acme, args, message):
    base = {"--unit": "uk", "--cycle": "2026-Q4"}
    given = list(args)
    for option, value in base.items():
        if option not in given:
            given += [option, value]
    with pytest.raises(CommandError) as error:
        run("recommend", *given)
    assert str(error.value) == message


def test_recommend_asks_for_the_organisation_when_the_unit_slug_is_not_unique(acme, small):
    other = factories.organisation("beta")
    factories.unit(other, "uk")
    with pytest.raises(CommandError) as error:
        recommend()
    assert str(error.value) == (
        "unit 'uk' exists in several organisations (acme, beta): name one with --organisation"
    )
    out, _ = recommend("--organisation", "acme", "--format", "json")
    assert json.loads(out) == [IDG, CPL]


def test_recommend_without_an_assessment_in_the_cycle(acme, small):
    org = acme[0]
    factories.unit(org, "new")
    with pytest.raises(CommandError) as error:
        run("recommend", "--unit", "new", "--cycle", "2026-Q4")
    assert str(error.value) == "unit 'new' has no assessment in cycle '2026-Q4'"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--budget", "-5", "--funding-cycles", "3"], "--budget -5: an amount must be 0 USD or more"),
        (["--budget", "abc", "--funding-cycles", "3"], "--budget 'abc' is not an amount in USD (e.g. 2000000)"),
        (["--budget", "100", "--funding-cycles", "0"], "--funding-cycles 0: give 1 to 10 funding cycles"),
        (["--budget", "100", "--funding-cycles", "11"], "--funding-cycles 11: give 1 to 10 funding cycles"),
        (["--budget", "100", "--funding-cycles", "2", "--unit", "zz"], "no unit 'zz' in organisation 'acme' (known: uk, unit-1)"),
    ],
)  # fmt: skip
def test_roadmap_bad_input_is_one_clear_line(acme, args, message):
    with pytest.raises(CommandError) as error:
        roadmap(*args)
    assert str(error.value) == message
