"""Issue 15, item 1: levels as the model publishes them — from 0 (SAMM, DSOMM) or 1, three
or six of them, each with a name and a description — score, and every page, legend,
colour bar and level axis shows exactly the framework's levels."""

from __future__ import annotations

import pytest

from assessments.domain.answers import AnswerInput
from assessments.domain.framework_file import FrameworkError, parse_framework
from assessments.models import Answer, Level, Question
from assessments.services.answers import answers_save
from assessments.services.frameworks import framework_load
from tests import factories
from tests.pages import parse, text, the
from tests.report_factories import portfolio
from tests.test_report_views import chart_data

NAMES = ["Absent", "Started", "Defined", "Managed", "Measured", "Optimised", "Leading"]


def framework_text(
    numbers: list[int],
    code: str = "pub",
    numeric: bool = True,
    capabilities: dict[str, str] | None = None,
) -> str:
    """A framework file of these level numbers; `capabilities` {code: name} (default GOV
    and OPS), each with two choice questions (and a numeric one when `numeric`)."""
    levels = "\n".join(
        f"  - {{number: {n}, name: {NAMES[i]}, description: 'What {NAMES[i]} means'}}"
        for i, n in enumerate(numbers)
    )
    options = ", ".join(f'{n}: "practice at {n}"' for n in numbers)
    blocks = []
    for cap, name in (capabilities or {"GOV": "GOV practice", "OPS": "OPS practice"}).items():
        blocks.append(
            f"""  - code: {cap}
    name: "{name}"
    description: What {cap} covers
    cost_low: 1000
    cost_high: 2000
    cost_is_assumption: true
    impact: x
    benefit_metric: x
    benefit_percent: 1
    time_to_value_months: 3
    questions:
      - {{code: {cap}-A, dimension: people, type: choice, text: "{cap} A?", options: {{{options}}}}}
      - {{code: {cap}-B, dimension: tools, type: choice, text: "{cap} B?", options: {{{options}}}}}
"""
        )
        if numeric:
            thresholds = ", ".join(f"{n}: {10 * (i + 1)}" for i, n in enumerate(numbers[1:]))
            blocks[-1] += (
                f"      - {{code: {cap}-C, dimension: tools, type: numeric, text: {cap} C, "
                f'unit: "%", thresholds: {{{thresholds}}}}}\n'
            )
    return f"""framework: {{code: {code}, version: "1", name: Published, description: A published model}}
levels:
{levels}
dimensions:
  - {{code: people, name: People, description: Who does it}}
  - {{code: tools, name: Tools}}
capabilities:
{"".join(blocks)}"""


def load(numbers: list[int], numeric: bool = True):
    text = framework_text(numbers, numeric=numeric)
    framework, _ = framework_load(spec=parse_framework(text, "pub.yaml"))
    return framework


def test_levels_may_start_at_zero_and_carry_descriptions():
    spec = parse_framework(framework_text([0, 1, 2, 3]), "pub.yaml")
    assert [(level.number, level.description) for level in spec.levels] == [
        (0, "What Absent means"),
        (1, "What Started means"),
        (2, "What Defined means"),
        (3, "What Managed means"),
    ]
    assert spec.description == "A published model"
    assert [d.description for d in spec.dimensions] == ["Who does it", ""]
    assert spec.capabilities[0].description == "What GOV covers"


def test_levels_must_still_be_consecutive():
    with pytest.raises(FrameworkError) as refused:
        parse_framework(framework_text([0, 2, 3]), "pub.yaml")
    assert (
        "pub.yaml: levels[1].number: levels must be numbered in order without gaps (0, 1, 2…); "
        "expected 1, got 2"
    ) in refused.value.problems


@pytest.mark.django_db
def test_descriptions_are_stored():
    framework = load([0, 1, 2])
    assert framework.description == "A published model"
    assert list(Level.objects.filter(framework=framework).values_list("number", "description")) == [
        (0, "What Absent means"),
        (1, "What Started means"),
        (2, "What Defined means"),
    ]
    assert framework.dimensions.get(code="people").description == "Who does it"
    assert framework.capabilities.get(code="GOV").description == "What GOV covers"


@pytest.mark.django_db
def test_level_zero_answers_dont_know_and_unmet_thresholds_score_zero():
    """On main, level 0 was refused by the loader and by the Answer constraints, and
    "don't know" counted as 1 — one level above a 0-based model's bottom."""
    framework = load([0, 1, 2])
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk")
    assessment = factories.assessment(unit, factories.cycle(org, framework))
    questions = {q.code: q for q in Question.objects.filter(framework=framework)}
    answers_save(
        assessment=assessment,
        respondent="ann",
        questions=questions,
        answers={
            "GOV-A": AnswerInput(choice=0),
            "GOV-B": AnswerInput(special="dk"),
            "GOV-C": AnswerInput(value=5),  # below the level-1 threshold (10)
            "OPS-A": AnswerInput(choice=2),
        },
    )
    levels = dict(Answer.objects.values_list("question__code", "level"))
    assert levels == {"GOV-A": 0, "GOV-B": 0, "GOV-C": 0, "OPS-A": 2}
    stored = {
        (s.capability, s.dimension): (s.score, s.level) for s in assessment.stored_scores.all()
    }
    assert stored[("GOV", "")] == (0.0, 0)
    assert stored[("OPS", "")] == (2.0, 2)


LEVEL_SETS = {
    "three from 0": [0, 1, 2],
    "six from 1": [1, 2, 3, 4, 5, 6],
    "four from 0": [0, 1, 2, 3],
}


@pytest.mark.django_db
@pytest.mark.parametrize("numbers", LEVEL_SETS.values(), ids=LEVEL_SETS.keys())
def test_pages_legends_colour_bars_and_axes_show_exactly_the_frameworks_levels(client, numbers):
    framework = load(numbers, numeric=False)
    consultant = factories.user("casey")
    top, bottom = numbers[-1], numbers[0]
    _, _, assessments = portfolio(
        framework,
        units={
            "north": {"2026-Q2": {"GOV": bottom, "OPS": top}, "2026-Q4": {"GOV": top, "OPS": top}},
            "south": {"2026-Q2": {"GOV": bottom, "OPS": bottom}, "2026-Q4": {"GOV": top}},
        },
        consultant=consultant,
    )
    labels = [f"{n} {NAMES[i]}" for i, n in enumerate(numbers)]
    count = len(numbers)
    client.force_login(consultant)

    page = parse(client.get("/reports/portfolio/?cycle=2026-Q4"))
    legend = the(page, "p.legend")
    assert [text(badge) for badge in legend.select("span.badge")][:count] == labels
    assert [badge["class"][1] for badge in legend.select("span.badge")][:count] == [
        f"level-{rank}-of-{count}" for rank in range(1, count + 1)
    ]
    heatmap = chart_data(page, "chart-portfolio-heatmap")["data"][1]  # [0]: no-score grey
    assert heatmap["colorbar"]["ticktext"] == labels
    assert heatmap["colorbar"]["tickvals"] == list(range(1, count + 1))
    assert (heatmap["zmin"], heatmap["zmax"]) == (0.5, count + 0.5)

    report = parse(client.get(f"/reports/assessments/{assessments[('north', '2026-Q4')].pk}/"))
    unit_heatmap = chart_data(report, "chart-unit-heatmap")["data"][1]
    assert unit_heatmap["colorbar"]["ticktext"] == labels
    targets = chart_data(report, "chart-unit-targets")
    assert targets["layout"]["yaxis"]["tickvals"] == numbers
    # The top level takes the top colour: its class is the last rank of this many levels.
    assert f"level-{count}-of-{count}" in str(the(report, "#targets"))

    for address in ("/reports/compare/?units=north&units=south", "/reports/trends/"):
        assert client.get(address).status_code == 200
