"""Answer scales per question (issue 15, item 2): yes/no questions in the file, the
questionnaire and every report, scored by the capability's aggregation."""

from __future__ import annotations

import pytest

from assessments.domain.framework_file import parse_framework
from assessments.models import Answer, Membership
from assessments.services.frameworks import framework_load
from tests import factories
from tests.pages import cells, parse, text, the
from tests.test_aggregation import DSOMM

B1_AT = "capabilities[0] (BLD).questions[0] (B1)"


def with_b1(replacement: str) -> str:
    text_ = DSOMM.replace(
        '{code: B1, dimension: build, type: yes_no, level: 1, text: "Defined build process?"}',
        replacement,
    )
    assert text_ != DSOMM
    return text_


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        (
            "{code: B1, dimension: build, type: yes_no, text: Built}",
            f"f.yaml: {B1_AT}: a yes_no question needs 'level': the level whose activity it is",
        ),
        (
            "{code: B1, dimension: build, type: yes_no, level: 4, text: Built}",
            f"f.yaml: {B1_AT}.level: level 4 is not a level above the framework's lowest (1–3)",
        ),
        (
            "{code: B1, dimension: build, type: yes_no, level: 0, text: Built}",
            f"f.yaml: {B1_AT}.level: level 0 is not a level above the framework's lowest (1–3)",
        ),
        (
            "{code: B1, dimension: build, type: yes_no, level: 1, text: Built, options: {1: a}}",
            f"f.yaml: {B1_AT}.options: 'options' does not belong to a yes_no question (its "
            "answers are yes and no; 'level' says which level its activity is)",
        ),
        (
            "{code: B1, dimension: build, type: choice, level: 1, text: Built, "
            "options: {0: a, 1: b, 2: c, 3: d}}",
            f"f.yaml: {B1_AT}.level: 'level' belongs to yes_no questions: a choice question's "
            "level is the one its answer reaches",
        ),
        (
            "{code: B1, dimension: build, type: yesno, level: 1, text: Built}",
            f"f.yaml: {B1_AT}.type: unknown type 'yesno' (choice, numeric or yes_no)",
        ),
    ],
)
def test_the_loader_says_what_is_wrong_with_a_yes_no_question(question, problem):
    assert factories.framework_problems(with_b1(question)) == [problem]


def test_the_loader_refuses_an_unknown_aggregation():
    text_ = DSOMM.replace("aggregation: weighted_mean", "aggregation: median")
    assert factories.framework_problems(text_) == [
        "f.yaml: capabilities[1] (MIX).aggregation: unknown aggregation 'median' "
        "(weighted_mean or gated or sum)"
    ]


@pytest.fixture
def dsomm(db):
    framework, _ = framework_load(spec=parse_framework(DSOMM, "dsomm.yaml"))
    consultant = factories.user("casey")
    org = factories.organisation("acme", consultants=[consultant])
    unit = factories.unit(org, "north")
    assessment = factories.assessment(unit, factories.cycle(org, framework))
    respondent = factories.member(unit, Membership.Role.RESPONDENT, username="ann")
    return assessment, respondent, consultant


def test_yes_no_questions_are_answered_yes_or_no_and_the_reports_show_the_gated_level(
    client, dsomm
):
    """Through the questionnaire: build B1 yes, B2 no, B3 yes → the gate stops at 1 (the
    mean would say 1.33); test T1 yes, T3 "don't know" (not met) → 2, as there is no level-2
    activity. BLD is gated: level 1, score 1 (not the cells' mean 1.5), on the unit report
    and the portfolio; MIX (weighted mean): M1 yes (1), M3 yes (3) → 2."""
    assessment, respondent, consultant = dsomm
    client.force_login(respondent)
    url = f"/assessments/{assessment.pk}/capabilities/BLD/"
    page = parse(client.get(url))
    radios = the(page, "#q-B1-text").find_parent("fieldset").select("input[type=radio]")
    labels = [text(page.find("label", attrs={"for": radio["id"]})) for radio in radios]
    assert labels == ["Yes", "No", "Not applicable", "Don't know"]
    assert [radio["value"] for radio in radios] == ["1", "0", "na", "dk"]

    answers = {"B1": "1", "B2": "0", "B3": "3", "T1": "1", "T3": "dk"}
    assert client.post(url, answers).status_code == 302
    assert (
        client.post(
            f"/assessments/{assessment.pk}/capabilities/MIX/", {"M1": "1", "M3": "3"}
        ).status_code
        == 302
    )
    stored = dict(Answer.objects.values_list("question__code", "level"))
    assert stored == {"B1": 1, "B2": 0, "B3": 3, "T1": 1, "T3": 0, "M1": 1, "M3": 3}
    page = parse(client.get(url))
    assert the(page, "input[name=B2][value='0']").has_attr("checked")

    client.force_login(consultant)
    report = parse(client.get(f"/reports/assessments/{assessment.pk}/"))
    bld, mix = the(report, "#unit-heatmap tbody").find_all("tr")
    assert cells(bld)[:3] == ["Build and deployment", "1 · 1.00 ▼", "2 · 2.00"]
    # MIX asks nothing in the test dimension: "—", not a blank waiting for answers.
    assert cells(mix)[:3] == ["Mixed, scored by the mean", "2 · 2.00 ▼", "—"]
    assert mix.select_one("td.not-asked")["title"] == (
        "Mixed, scored by the mean asks nothing in this dimension"
    )

    portfolio = parse(client.get("/reports/portfolio/"))
    row = the(portfolio, '#portfolio-heatmap tr[data-unit="north"]')
    assert cells(row)[-2:] == ["1 · 1.00", "2 · 2.00"]


def test_the_unit_report_says_by_which_rule_its_cells_are_scored(client, dsomm):
    """The caption above the heatmap names the rule of each capability's score: this
    framework has a gated capability (BLD) and a mean-scored one (MIX); the default
    framework's report keeps its one rule."""
    assessment, _, consultant = dsomm
    client.force_login(consultant)
    report = parse(client.get(f"/reports/assessments/{assessment.pk}/"))
    caption = text(the(report, "#scoring-rule"))
    assert caption.startswith(
        "Cell = level · score, by each capability's rule: gated capabilities: the highest "
        "level whose questions, and those of every level below, are all met"
    )
    assert "mean-scored capabilities: the weighted mean of the unit's question levels" in caption


def test_a_mean_scored_framework_keeps_its_one_sentence(client, db):
    small = factories.small_framework()
    consultant = factories.user("casey")
    org = factories.organisation("acme", consultants=[consultant])
    assessment = factories.assessment(factories.unit(org, "north"), factories.cycle(org, small))
    client.force_login(consultant)
    report = parse(client.get(f"/reports/assessments/{assessment.pk}/"))
    assert text(the(report, "#scoring-rule")).startswith(
        "Cell = level · score: the weighted mean of the unit's question levels (each the "
        "lower median of its respondents); the level is the score rounded down."
    )
