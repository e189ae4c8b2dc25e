"""Choice options that carry a value and `aggregation: sum` (issue 15, items 2 and 3; OWASP
SAMM): the loader's messages, hand-computed scores through the pure functions and through
answers_save → stored scores → the unit report, the questionnaire page, and the tidy answers
file's round trip."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from assessments.domain import scoring
from assessments.domain.aggregation import QuestionResult, summed, weighted_mean
from assessments.domain.answers import AnswerInput
from assessments.domain.framework_file import parse_framework
from assessments.models import Answer, Assessment, Engagement, Membership, Question, StoredScore
from assessments.services.answers import answers_save
from assessments.services.carry import carry_forward
from assessments.services.frameworks import framework_load
from tests import factories
from tests.pages import cells, parse, text, the
from tests.test_aggregation import questions_of
from tests.test_carry_forward import acme, carried  # noqa: F401 (acme: a fixture)
from tests.test_offline_workbook import download, fill

SAMM_OPTIONS = (
    '[{text: "No", value: 0}, {text: "Yes, for some", value: 0.25}, '
    '{text: "Yes, for at least half", value: 0.5}, {text: "Yes, for most or all", value: 1}]'
)


def stream(code: str, dimension: str) -> str:
    return "\n".join(
        f"      - {{code: {code}{n}, dimension: {dimension}, type: choice, "
        f'text: "{code} question {n}?", options: {SAMM_OPTIONS}}}'
        for n in (1, 2, 3)
    )


# SAMM's Threat Assessment practice: two streams (A and B), three questions each (one per
# level), answered with options worth 0, 0.25, 0.5 and 1; a stream's score is their sum.
# CMM is a CMMI-style capability, scored by the mean, with options for only some levels.
SAMM = f"""framework: {{code: samm-like, version: "1", name: SAMM-like, aggregation: sum}}
levels:
  - {{number: 0, name: Nothing}}
  - {{number: 1, name: Initial}}
  - {{number: 2, name: Managed}}
  - {{number: 3, name: Optimised}}
dimensions:
  - {{code: a, name: Stream A}}
  - {{code: b, name: Stream B}}
capabilities:
  - code: TA
    name: Threat assessment
    questions:
{stream("A", "a")}
{stream("B", "b")}
  - code: CMM
    name: Staged practice
    aggregation: weighted_mean
    questions:
      - code: C1
        dimension: a
        type: choice
        text: "How is it done?"
        options:
          - {{text: "Not at all", value: 0}}
          - {{text: "As a defined process", value: 2}}
          - {{text: "Measured and improved", value: 3}}
"""

TA = {"A1", "A2", "A3", "B1", "B2", "B3"}
# option numbers, as the answer stores them: 1 "No" (0), 2 (0.25), 3 (0.5), 4 (1)
WORTH = {1: 0.0, 2: 0.25, 3: 0.5, 4: 1.0}


# --- the loader --------------------------------------------------------------------------


def test_the_loader_reads_options_with_values_numbered_in_their_order():
    spec = parse_framework(SAMM, "samm.yaml")
    a1 = next(q for q in spec.questions if q.code == "A1")
    assert a1.options == {
        1: "No",
        2: "Yes, for some",
        3: "Yes, for at least half",
        4: "Yes, for most or all",
    }
    assert a1.option_values == WORTH
    ta, cmm = spec.capabilities
    assert (ta.aggregation, cmm.aggregation) == ("sum", "weighted_mean")
    c1 = cmm.questions[0]
    assert c1.option_values == {1: 0.0, 2: 2.0, 3: 3.0}  # no option for level 1: allowed


A1_OPTIONS = (
    f'{{code: A1, dimension: a, type: choice, text: "A question 1?", options: {SAMM_OPTIONS}}}'
)
AT = "capabilities[0] (TA).questions[0] (A1).options"


def with_a1_options(options: str) -> str:
    text_ = SAMM.replace(A1_OPTIONS, A1_OPTIONS.replace(SAMM_OPTIONS, options))
    assert text_ != SAMM
    return text_


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        (
            '[{text: "Only", value: 0}]',
            f"{AT}: a choice question needs at least two options, got 1",
        ),
        (
            '[{text: "No", value: 0}, {text: "no", value: 1}]',
            f"{AT}[1].text: option text 'no' is also option 1's: each option needs its own text",
        ),
        (
            '[{text: "No", value: 0}, {text: "Yes", value: 4}]',
            f"{AT}[1].value: 4 is not within the framework's levels (0–3)",
        ),
        (
            '[{text: "No", value: -0.5}, {text: "Yes", value: 1}]',
            f"{AT}[0].value: -0.5 is not within the framework's levels (0–3)",
        ),
        (
            '[{text: "No", value: 0}, {text: "Yes", value: "half"}]',
            f"{AT}[1].value: expected a number: 'half' is not a number",
        ),
        (
            '[{text: "No", value: 0}, {text: "Yes", value: "0.5"}]',
            f"{AT}[1].value: expected a number, got text '0.5' (drop the quotes)",
        ),
        (
            '[{text: "No", value: 0}, {text: "Yes", value: .nan}]',
            f"{AT}[1].value: must be a finite number, got .nan",
        ),
        ('[{text: "No", value: 0}, {text: "Yes"}]', f"{AT}[1]: missing field 'value'"),
        ('[{text: "No", value: 0}, {value: 1}]', f"{AT}[1]: missing field 'text'"),
        ('[{text: "No", value: 0}, {text: , value: 1}]', f"{AT}[1].text: must not be empty"),
        (
            '[{text: No, value: 0}, {text: "Yes", value: 1}]',
            f"{AT}[0].text: option text was read as the boolean false (YAML reads an unquoted "
            'yes, no, on, off, true or false as a boolean): quote it, e.g. "No"',
        ),
        (
            '[{text: "No", value: 0}, {text: "Yes", value: 1, level: 1}]',
            f"{AT}[1].level: unknown key 'level' (allowed: text, value)",
        ),
        ('[{text: "No", value: 0}, "Yes"]', f"{AT}[1]: expected a mapping, got text 'Yes'"),
    ],
)
def test_the_loader_says_what_is_wrong_with_valued_options(options, problem):
    assert factories.framework_problems(with_a1_options(options)) == [f"f.yaml: {problem}"]


def test_the_loader_refuses_a_sum_that_could_pass_the_top_level():
    """A fourth question worth up to 1 in stream A: 4 > 3, SAMM's top level."""
    extra = A1_OPTIONS.replace("A1", "A4").replace("question 1", "question 4")
    text_ = SAMM.replace(A1_OPTIONS, A1_OPTIONS + "\n      - " + extra)
    assert factories.framework_problems(text_) == [
        "f.yaml: capabilities[0] (TA).aggregation: sum: the answers to its a questions can add "
        "up to 4, above the top level 3 (give its options smaller values, or use fewer "
        "questions or smaller weights)"
    ]


def test_options_keyed_by_level_still_need_one_per_level():
    """The existing form is unchanged: a mapping of level → text, one per level."""
    text_ = with_a1_options('{0: "None", 1: "Some", 2: "Most"}').replace(
        "aggregation: sum", "aggregation: weighted_mean"
    )
    assert factories.framework_problems(text_) == [
        f"f.yaml: {AT}: a choice question needs one option per level (missing 3)"
    ]


# --- the pure functions, by hand ---------------------------------------------------------


def test_sum_adds_the_values_and_the_mean_averages_them():
    results = [QuestionResult(level=1, value=1.0), QuestionResult(level=0, value=0.5)]
    results.append(QuestionResult(level=0, value=0.25))
    assert summed(results, top=3) == 1.75  # 1 + 0.5 + 0.25
    assert weighted_mean(results) == pytest.approx(1.75 / 3)
    assert summed([QuestionResult(level=3)] * 2, top=3) == 3.0  # capped at the top level


def samm_questions() -> pd.DataFrame:
    return questions_of(SAMM)


def test_sum_consolidates_respondents_per_question_first():
    """ann and bob answer Threat Assessment (value; "na" left out):

    stream A: A1 ann 1, bob 0.25 → lower median 0.25; A2 0.5, 0.5 → 0.5; A3 ann 0.25, bob na
    → 0.25; sum 1.0 → level 1.
    stream B: B1 1, 1 → 1; B2 1, 0.5 → 0.5; B3 0.25, dk (0) → 0; sum 1.5 → level 1.
    The practice: score (1.0 + 1.5) / 2 = 1.25, level min(1, 1) = 1."""
    answers = {
        "ann": {"A1": 1, "A2": 0.5, "A3": 0.25, "B1": 1, "B2": 1, "B3": 0.25},
        "bob": {"A1": 0.25, "A2": 0.5, "A3": None, "B1": 1, "B2": 0.5, "B3": 0},
    }
    rows = [
        ("north", code, who, None if value is None else int(value), who == "bob" and code == "B3")
        for who, given in answers.items()
        for code, value in given.items()
    ]
    frame = scoring.answers_frame(rows)
    frame["value"] = [None if v is None else float(v) for g in answers.values() for v in g.values()]
    scores = scoring.score(frame, samm_questions())
    cells_ = {(r.capability, r.dimension): (r.score, r.level) for r in scores.cells.itertuples()}
    assert cells_ == {("TA", "a"): (1.0, 1), ("TA", "b"): (1.5, 1)}
    (practice,) = scores.capabilities.itertuples()
    assert (practice.score, practice.level) == (1.25, 1)


def test_sum_weighs_each_value_by_its_questions_weight():
    """Stream A weighted 2, 1, 0.5 (at most 2·1 + 1 + 0.5 = 3.5 would pass the top 3, so
    A3 weighs 0): A1 0.5 · 2 = 1.0, A2 1 · 1 = 1.0, A3 1 · 0 = 0; sum 2.0, level 2.
    Stream B weighted 0.5 each: 1 + 1 + 0.5 = 2.5 · 0.5 = 1.25, level 1."""
    questions = samm_questions()
    questions["weight"] = questions["question"].map(
        {"A1": 2.0, "A2": 1.0, "A3": 0.0, "B1": 0.5, "B2": 0.5, "B3": 0.5, "C1": 1.0}
    )
    given = {"A1": 0.5, "A2": 1.0, "A3": 1.0, "B1": 1.0, "B2": 1.0, "B3": 0.5}
    frame = scoring.answers_frame([("north", code, "ann", int(v)) for code, v in given.items()])
    frame["value"] = list(given.values())
    scores = scoring.score(frame, questions)
    cells_ = {(r.capability, r.dimension): (r.score, r.level) for r in scores.cells.itertuples()}
    assert cells_ == {("TA", "a"): (2.0, 2), ("TA", "b"): (1.25, 1)}


# --- through the database, the questionnaire and the reports --------------------------------


@pytest.fixture
def samm(db):
    framework, _ = framework_load(spec=parse_framework(SAMM, "samm.yaml"))
    consultant = factories.user("casey")
    org = factories.organisation("acme", consultants=[consultant])
    unit = factories.unit(org, "north")
    assessment = factories.assessment(unit, factories.cycle(org, framework))
    respondent = factories.member(unit, Membership.Role.RESPONDENT, username="ann")
    questions = {q.code: q for q in framework.questions.all()}
    return assessment, respondent, consultant, questions


def stored(assessment) -> dict[tuple[str, str], tuple[float, int]]:
    return {
        (s.capability, s.dimension): (round(s.score, 6), s.level)
        for s in StoredScore.objects.filter(assessment=assessment)
    }


def test_answers_saved_score_the_samm_way_and_a_change_within_a_level_rescores(samm):
    """ann: A1 "most or all" (1), A2 "at least half" (0.5), A3 "some" (0.25): stream A =
    1.75, level 1; B1 1, B2 1, B3 1: stream B = 3, level 3; the practice scores
    (1.75 + 3) / 2 = 2.375, level 1. C1 "as a defined process" → 2 (its mean of one)."""
    assessment, respondent, _, questions = samm
    choices = {"A1": 4, "A2": 3, "A3": 2, "B1": 4, "B2": 4, "B3": 4, "C1": 2}
    answers_save(
        assessment=assessment,
        respondent="ann",
        user=respondent,
        questions=questions,
        answers={code: AnswerInput(choice=n) for code, n in choices.items()},
    )
    assert dict(Answer.objects.values_list("question__code", "option_value")) == {
        "A1": 1.0, "A2": 0.5, "A3": 0.25, "B1": 1.0, "B2": 1.0, "B3": 1.0, "C1": 2.0,
    }  # fmt: skip
    assert dict(Answer.objects.values_list("question__code", "level"))["A1"] == 1
    assert stored(assessment) == {
        ("TA", ""): (2.375, 1),
        ("TA", "a"): (1.75, 1),
        ("TA", "b"): (3.0, 3),
        ("CMM", ""): (2.0, 2),
        ("CMM", "a"): (2.0, 2),
    }
    # A3 from 0.25 to 0.5: its level stays 0, the scores still move (1.75 → 2.0, level 2)
    answers_save(
        assessment=assessment,
        respondent="ann",
        user=respondent,
        questions=questions,
        answers={"A3": AnswerInput(choice=3)},
    )
    assert stored(assessment)[("TA", "a")] == (2.0, 2)
    assert stored(assessment)[("TA", "")] == (2.5, 2)


def test_the_questionnaire_shows_the_options_and_keeps_the_chosen_one(client, samm):
    assessment, respondent, consultant, _ = samm
    client.force_login(respondent)
    url = f"/assessments/{assessment.pk}/capabilities/TA/"
    page = parse(client.get(url))
    radios = the(page, "#q-A1-text").find_parent("fieldset").select("input[type=radio]")
    labels = [text(page.find("label", attrs={"for": radio["id"]})) for radio in radios]
    assert labels == [
        "No",
        "Yes, for some",
        "Yes, for at least half",
        "Yes, for most or all",
        "Not applicable",
        "Don't know",
    ]
    assert [radio["value"] for radio in radios] == ["1", "2", "3", "4", "na", "dk"]

    # A: 0.5 + 0.25 + 0 (don't know) = 0.75 → level 0; B: 1 + 1 + 0.5 = 2.5 → level 2
    answers = {"A1": "3", "A2": "2", "A3": "dk", "B1": "4", "B2": "4", "B3": "3"}
    assert client.post(url, answers).status_code == 302
    page = parse(client.get(url))
    assert the(page, "input[name=A1][value='3']").has_attr("checked")
    assert not the(page, "input[name=A1][value='4']").has_attr("checked")
    assert the(page, "input[name=A3][value='dk']").has_attr("checked")

    client.force_login(consultant)
    report = parse(client.get(f"/reports/assessments/{assessment.pk}/"))
    assert "summed capabilities: the sum of the unit's answer values" in text(
        the(report, "#scoring-rule")
    )
    ta = the(report, "#unit-heatmap tbody").find_all("tr")[0]
    # the practice: (0.75 + 2.5) / 2 = 1.625, level min(0, 2) = 0
    assert cells(ta)[:3] == ["Threat assessment", "0 · 0.75 ▼", "2 · 2.50"]


def test_the_tidy_answers_file_round_trips_an_option_answer(samm, tmp_path):
    """The file says the option's number (2 = "Yes, for some"); importing it back stores
    the same option, value and scores."""
    assessment, respondent, _, questions = samm
    answers_save(
        assessment=assessment,
        respondent="ann",
        user=respondent,
        questions=questions,
        answers={
            "A1": AnswerInput(choice=2),
            "A2": AnswerInput(choice=4),
            "C1": AnswerInput(choice=3),
        },
    )
    before = stored(assessment)
    out = io.StringIO()
    call_command("export_answers", stdout=out, stderr=io.StringIO())
    exported = out.getvalue()
    rows = {r["question_code"]: r["answer"] for r in csv.DictReader(io.StringIO(exported))}
    assert rows == {"A1": "2", "A2": "4", "C1": "3"}

    Answer.objects.all().delete()
    path = tmp_path / "answers.csv"
    path.write_text(exported, encoding="utf-8")
    # the answers were given on the web (deleted here, but the audit log remembers them)
    call_command(
        "import_answers",
        str(path),
        "--replace-web-answers",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert sorted(Answer.objects.values_list("question__code", "choice", "option_value")) == [
        ("A1", 2, 0.25),
        ("A2", 4, 1.0),
        ("C1", 3, 3.0),
    ]
    assert (
        stored(assessment)
        == before
        == {
            ("TA", ""): (1.25, 1),  # only stream A answered: its mean of one
            ("TA", "a"): (1.25, 1),
            ("CMM", ""): (3.0, 3),
            ("CMM", "a"): (3.0, 3),
        }
    )


def test_importing_a_level_instead_of_an_option_number_is_refused(samm, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text(
        "organisation,unit,cycle,respondent,question_code,answer,comment\n"
        "acme,north,2026-Q4,ann,A1,0.25,\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_answers", str(path), stdout=io.StringIO(), stderr=err)
    said = str(refused.value) + err.getvalue()
    assert "answer '0.25' is not an option of question A1 (options 1–4, na, dk)" in said
    assert not Answer.objects.exists()


def test_the_loader_bounds_the_options_and_keeps_numeric_keys_off_them():
    many = "[" + ", ".join(f'{{text: "o{n}", value: 0}}' for n in range(101)) + "]"
    assert factories.framework_problems(with_a1_options(many)) == [
        f"f.yaml: {AT}: at most 100 options, got 101"
    ]
    text_ = SAMM.replace(A1_OPTIONS, A1_OPTIONS[:-1] + ", unit: '%'}")
    assert factories.framework_problems(text_) == [
        "f.yaml: capabilities[0] (TA).questions[0] (A1).unit: "
        "'unit' belongs to numeric questions, not choice"
    ]


def test_the_offline_workbook_lists_the_options_and_reads_an_option_number_back(
    client, samm, tmp_path
):
    assessment, _, consultant, _ = samm
    data = download(client, consultant, assessment)
    sheet = load_workbook(io.BytesIO(data))["Threat assessment"]
    a1 = next(row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] == "A1")
    assert a1[5] == (
        "1: No\n2: Yes, for some\n3: Yes, for at least half\n4: Yes, for most or all\n"
        "na: not applicable · dk: don't know"
    )
    (check,) = sheet.data_validations.dataValidation
    assert check.formula1 == '"1,2,3,4,na,dk"'
    assert check.prompt.startswith("Choose an option 1–4 (column F")

    path = tmp_path / "north.xlsx"
    path.write_bytes(fill(data, "Bob", {"A1": (3, None), "B1": (4, None)}))
    call_command("import_answers", str(path), stdout=io.StringIO())
    assert sorted(Answer.objects.values_list("question__code", "choice", "option_value")) == [
        ("A1", 3, 0.5),
        ("B1", 4, 1.0),
    ]
    assert stored(assessment)[("TA", "")] == (0.75, 0)  # (0.5 + 1) / 2


def test_a_level_answer_is_not_carried_into_an_option_numbered_question(acme):  # noqa: F811
    """Version 4 asks CPL-FID-1 with valued options: ann's level 2 is not option 2 of
    the new list, so it is skipped; bob's "not applicable" still fits."""
    spec = factories.SMALL_FRAMEWORK.replace('version: "1"', 'version: "4"')
    level_keyed = (
        'options: {1: "Paper forms", 2: "Per-site banners", 3: "Central consent store", '
        '4: "Audited consent store", 5: "Self-reconciling consent graph"}'
    )
    assert level_keyed in spec
    spec = spec.replace(
        level_keyed,
        'options: [{text: "Paper forms", value: 1}, {text: "A consent store", value: 3}]',
    )
    v4, _ = framework_load(spec=parse_framework(spec, "small-v4.yaml"))
    q3 = factories.cycle(acme["org"], v4, "2026-Q3")
    results = {r.unit: r for r in carry_forward(cycle=q3, by="carry_forward")}
    target = Assessment.objects.get(cycle=q3, unit__slug="uk")
    assert results["uk"].skipped == ["CPL-FID-1"]
    assert ("ann", "CPL-FID-1") not in carried(target)
    assert carried(target)[("bob", "CPL-FID-1")] == "na"


def test_a_to_do_names_the_least_option_that_reaches_the_next_level():
    """Recommendations' to-do lists say what the next level takes on each question
    (reports/domain/planning.py, next_step): with valued options, the least valued option
    that reaches it; a level no option reaches has no text."""
    samm = Question(
        options={"1": "No", "2": "Some", "3": "Half", "4": "All"},
        option_values={"1": 0, "2": 0.25, "3": 0.5, "4": 1},
    )
    assert samm.level_texts == {0: "No", 1: "All"}
    staged = Question(
        options={"1": "Ad hoc", "2": "Defined", "3": "Measured"},
        option_values={"1": 0, "2": 2, "3": 3},
    )
    assert staged.level_texts == {0: "Ad hoc", 1: "Defined", 2: "Defined", 3: "Measured"}
    plain = Question(options={"1": "a", "2": "b"})
    assert plain.level_texts == {1: "a", 2: "b"}


def test_a_disputed_option_answer_shows_the_option_chosen_and_level_0_as_0(client, samm):
    """C1 chosen "Measured and improved" (3) by ann and "Not at all" (0) by ben: three
    levels apart, disputed. The lead reads each person's level and the option they chose,
    not its number; level 0 reads 0, not "n/a"."""
    assessment, ann, consultant, questions = samm
    ben = factories.member(assessment.unit, Membership.Role.RESPONDENT, username="ben")
    for person, option in ((ann, 3), (ben, 1)):
        answers_save(
            assessment=assessment,
            respondent=person.username,
            user=person,
            questions=questions,
            answers={"C1": AnswerInput(choice=option)},
        )
    client.force_login(consultant)
    report = parse(client.get(f"/reports/assessments/{assessment.pk}/"))
    [row] = the(report, "#disputed tbody").find_all("tr")
    assert [text(span) for span in row.find_all("td")[-1].find_all("span", recursive=False)] == [
        "ann: 3 (Measured and improved)",
        "ben: 0 (Not at all)",
    ]


def test_a_target_above_the_top_level_is_shown_as_the_top(client, samm):
    """An engagement's default target of 4 (the default framework's Optimized) on a SAMM
    scale of 0–3: the unit report's target column and chart say 3, where the plan aims."""
    assessment, _, consultant, _ = samm
    Engagement.objects.create(organisation=assessment.unit.organisation, default_target_level=4)
    client.force_login(consultant)
    page = parse(client.get(f"/reports/assessments/{assessment.pk}/"))
    rows = the(page, "#targets tbody").find_all("tr")
    assert [cells(row)[3] for row in rows] == ["3 Optimised", "3 Optimised"]
