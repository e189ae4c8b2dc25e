"""Framework files: the default framework's content, and validation that names file, place and problem."""

import pytest
from django.core.management import CommandError, call_command

from assessments.domain.framework_file import FrameworkError, parse_framework
from assessments.models import Framework, Question
from tests import factories
from tests.factories import DEFAULT_FRAMEWORK, SMALL_FRAMEWORK


@pytest.fixture(scope="module")
def default_spec():
    return parse_framework(DEFAULT_FRAMEWORK.read_text(), "martech-infra.yaml")


def test_default_framework_has_the_design_levels_and_dimensions(default_spec):
    assert [(lvl.number, lvl.name) for lvl in default_spec.levels] == [
        (1, "Initial"),
        (2, "Repeatable"),
        (3, "Managed"),
        (4, "Optimized"),
        (5, "Autonomous"),
    ]
    assert [lvl.benefit_factor for lvl in default_spec.levels[1:]] == [1.0, 1.0, 0.7, 0.4]
    assert [d.code for d in default_spec.dimensions] == [
        "fidelity",
        "interoperability",
        "security",
        "recovery",
    ]


def test_default_framework_carries_the_three_published_capability_rows(default_spec):
    rows = {
        c.code: (c.name, c.cost_low, c.cost_high, c.impact, c.benefit_percent, c.cost_is_assumption)
        for c in default_spec.capabilities
    }
    assert rows["IDG"] == (
        "Identity Graph Enhancements",
        500000,
        1200000,
        "12% revenue attribution improvement",
        12,
        False,
    )
    assert rows["CPL"] == (
        "Consent and Privacy Layer",
        300000,
        800000,
        "40% reduction in compliance incidents",
        40,
        False,
    )
    assert rows["RTO"] == (
        "Real-time Orchestration",
        800000,
        2000000,
        "25% faster campaign iteration",
        25,
        False,
    )
    others = [c for c in default_spec.capabilities if c.code not in {"IDG", "CPL", "RTO"}]
    assert len(others) >= 5
    assert all(c.cost_is_assumption for c in others)


def test_every_capability_dimension_has_two_questions_and_a_measured_rto(default_spec):
    for capability in default_spec.capabilities:
        for dimension in default_spec.dimensions:
            questions = [q for q in capability.questions if q.dimension == dimension.code]
            assert len(questions) >= 2, (capability.code, dimension.code)
        rto = [q for q in capability.questions if q.dimension == "recovery" and q.type == "numeric"]
        assert any(
            q.unit == "hours"
            and not q.higher_is_better
            and q.thresholds == {2: 72, 3: 24, 4: 4, 5: 1}
            for q in rto
        ), capability.code
    match_rate = next(q for q in default_spec.questions if q.code == "IDG-FID-2")
    assert (match_rate.dimension, match_rate.unit, match_rate.higher_is_better) == (
        "fidelity",
        "%",
        True,
    )
    assert match_rate.thresholds == {2: 50, 3: 62, 4: 75, 5: 88}


def test_choice_options_describe_each_level_concretely(default_spec):
    texts = [text for q in default_spec.questions for text in q.options.values()]
    assert len(texts) == len(set(texts)), "an option text is reused"
    level_names = {"initial", "repeatable", "managed", "optimized", "autonomous"}
    for text in texts:
        assert len(text.split()) >= 6, text
        assert text.strip(". ").lower() not in level_names
        assert not text.lower().startswith("level ")


BROKEN = [
    (
        SMALL_FRAMEWORK.replace(
            "    time_to_value_months: 6\n", "    time_to_value_months: 6\n    colour: blue\n"
        ),
        "bad.yaml: capabilities[0] (IDG).colour: unknown key 'colour'",
    ),
    (
        SMALL_FRAMEWORK.replace("    impact: 40% reduction in compliance incidents\n", ""),
        "bad.yaml: capabilities[1] (CPL): missing field 'impact'",
    ),
    (
        SMALL_FRAMEWORK.replace("code: CPL-REC-1", "code: CPL-FID-1"),
        "bad.yaml: capabilities[1] (CPL).questions[1] (CPL-FID-1).code: duplicate question code 'CPL-FID-1'",
    ),
    (
        SMALL_FRAMEWORK.replace(
            "dimension: recovery\n        type: choice", "dimension: speed\n        type: choice"
        ),
        "bad.yaml: capabilities[1] (CPL).questions[1] (CPL-REC-1).dimension: unknown dimension 'speed' (known: fidelity, recovery)",
    ),
    (
        SMALL_FRAMEWORK.replace(', 5: "Automatic failover"', ""),
        "bad.yaml: capabilities[1] (CPL).questions[1] (CPL-REC-1).options: a choice question needs one option per level (missing 5)",
    ),
    (
        SMALL_FRAMEWORK.replace("{2: 50, 3: 62, 4: 75, 5: 88}", "{2: 50, 3: 40, 4: 75, 5: 88}"),
        "bad.yaml: capabilities[0] (IDG).questions[1] (IDG-FID-2).thresholds: thresholds out of order: with higher_is_better: true they must strictly increase with the level, got {2: 50.0, 3: 40.0, 4: 75.0, 5: 88.0}",
    ),
    (
        SMALL_FRAMEWORK.replace("{2: 72, 3: 24, 4: 4, 5: 1}", "{2: 72, 3: 24, 4: 30, 5: 1}"),
        "bad.yaml: capabilities[0] (IDG).questions[2] (IDG-REC-1).thresholds: thresholds out of order: with higher_is_better: false they must strictly decrease with the level, got {2: 72.0, 3: 24.0, 4: 30.0, 5: 1.0}",
    ),
    (
        SMALL_FRAMEWORK.replace("cost_high: 800000", "cost_high: 200000"),
        "bad.yaml: capabilities[1] (CPL).cost_high: must be at least cost_low (300000), got 200000",
    ),
    ("framework: [unclosed", "bad.yaml: line 1, column 21: not valid YAML"),
]


@pytest.mark.parametrize(("text", "message"), BROKEN)
def test_broken_framework_is_rejected_with_file_path_and_problem(text, message):
    with pytest.raises(FrameworkError) as error:
        parse_framework(text, "bad.yaml")
    assert any(problem.startswith(message) for problem in error.value.problems), (
        error.value.problems
    )


def test_every_problem_is_reported_at_once():
    text = SMALL_FRAMEWORK.replace(
        "    time_to_value_months: 6\n", "    time_to_value_months: 6\n    colour: blue\n"
    )
    text = text.replace("weight: 2", "weight: -1")
    with pytest.raises(FrameworkError) as error:
        parse_framework(text, "bad.yaml")
    assert len(error.value.problems) == 2


def test_load_framework_command_loads_and_is_idempotent(db, capsys):
    call_command("load_framework", str(DEFAULT_FRAMEWORK))
    call_command("load_framework", str(DEFAULT_FRAMEWORK))
    out = capsys.readouterr().out
    assert (
        "Loaded martech-infra 2026.1: 5 levels, 4 dimensions, 8 capabilities, 66 questions" in out
    )
    assert "Already loaded, unchanged" in out
    assert Framework.objects.count() == 1
    assert Question.objects.count() == 66


def test_load_framework_command_rejects_bad_file_and_loads_nothing(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        SMALL_FRAMEWORK.replace(
            "type: numeric\n        unit: hours", "type: slider\n        unit: hours"
        )
    )
    with pytest.raises(CommandError) as error:
        call_command("load_framework", str(bad))
    assert (
        f"{bad}: capabilities[0] (IDG).questions[2] (IDG-REC-1).type: unknown type 'slider'"
        in str(error.value)
    )
    assert "nothing loaded" in str(error.value)
    assert Framework.objects.count() == 0
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_framework", str(tmp_path / "missing.yaml"))


def test_new_version_adds_beside_the_old_one(db, tmp_path):
    factories.small_framework()
    newer = tmp_path / "small-2.yaml"
    newer.write_text(SMALL_FRAMEWORK.replace('version: "1"', 'version: "2"'))
    call_command("load_framework", str(newer))
    assert list(Framework.objects.order_by("version").values_list("version", flat=True)) == [
        "1",
        "2",
    ]


def test_a_version_used_by_an_assessment_never_changes(db, tmp_path):
    framework = factories.small_framework()
    org = factories.organisation()
    factories.assessment(factories.unit(org), factories.cycle(org, framework))
    changed = tmp_path / "small.yaml"
    changed.write_text(SMALL_FRAMEWORK.replace("Persistent identity match rate", "Match rate"))
    with pytest.raises(CommandError) as error:
        call_command("load_framework", str(changed))
    assert (
        "framework small version 1 is used by assessments and cannot change; give the file a new version"
        in str(error.value)
    )
    assert Question.objects.get(code="IDG-FID-2").text == "Persistent identity match rate"
