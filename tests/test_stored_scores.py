"""Stored scores (assessments/services/scores.py) are the one source of every page's
scores, and they never go stale: after every way answers change — the questionnaire,
imports, sign-off, reopening — the stored rows equal the scores of the answers,
hand-computed here on the small framework of tests/factories.py. Migration 0005 stores
those of assessments answered before scores were stored."""

from __future__ import annotations

import io
import random

import pytest
from django.core.management import call_command

from assessments.domain import scoring
from assessments.domain.answers import AnswerInput
from assessments.models import Answer, Assessment, Question, StoredScore
from assessments.services.answers import answers_save
from assessments.services.scores import scores_refresh
from assessments.services.signoff import assessment_reopen, assessment_submit
from reports.domain import portfolio as pf
from reports.queries.portfolio import capability_medians, portfolio_scores
from tests import factories
from tests.recommendation_factories import UK_ANSWERS
from tests.report_factories import answer as factory_answer

from .test_tidy_io import MIX, write


def stored(assessment) -> dict:
    """(capability, dimension or "") → (score, level) as stored."""
    return {
        (row.capability, row.dimension): (pytest.approx(row.score), row.level)
        for row in StoredScore.objects.filter(assessment=assessment)
    }


def scored_from_answers(assessment) -> dict:
    """The same, scored from the answers now by the pure rules of assessments/domain."""
    answers = scoring.answers_frame(
        (assessment.pk, a.question.code, a.response.respondent, a.level, a.special == "dk")
        for a in Answer.objects.filter(response__assessment=assessment).select_related(
            "question", "response"
        )
    )
    questions = scoring.questions_frame(
        (q.code, q.capability.code, q.dimension.code, q.weight)
        for q in Question.objects.filter(framework=assessment.cycle.framework).select_related(
            "capability", "dimension"
        )
    )
    scores = scoring.score(answers, questions)
    result = {
        (row.capability, ""): (pytest.approx(row.score), int(row.level))
        for row in scores.capabilities.itertuples()
    }
    result.update(
        {
            (row.capability, row.dimension): (pytest.approx(row.score), int(row.level))
            for row in scores.cells.itertuples()
        }
    )
    return result


@pytest.fixture
def draft(small):
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk")
    return factories.assessment(unit, factories.cycle(org, small))


def questions_of(assessment) -> dict:
    return {q.code: q for q in Question.objects.filter(framework=assessment.cycle.framework)}


def save(assessment, answers, respondent="ann", **options):
    return answers_save(
        assessment=assessment,
        respondent=respondent,
        questions=questions_of(assessment),
        answers=answers,
        **options,
    )


# Scores of UK_ANSWERS (tests/recommendation_factories.py):
# IDG fidelity (2·2 + 1·2) / 3 = 2.0 → 2; IDG recovery 12 hours → 3; IDG: level 2, score 2.5.
# CPL fidelity 3, recovery 3: level 3, score 3.0.
UK_SCORES = {
    ("IDG", ""): (2.5, 2),
    ("IDG", "fidelity"): (2.0, 2),
    ("IDG", "recovery"): (3.0, 3),
    ("CPL", ""): (3.0, 3),
    ("CPL", "fidelity"): (3.0, 3),
    ("CPL", "recovery"): (3.0, 3),
}


def test_questionnaire_save_stores_the_scores(draft):
    assert draft.scores_stored_at is None
    save(draft, UK_ANSWERS)
    draft.refresh_from_db()
    assert draft.scores_stored_at is not None
    assert stored(draft) == UK_SCORES


def test_changing_and_clearing_answers_updates_the_stored_scores(draft):
    save(draft, UK_ANSWERS)
    # CPL recovery 3 → 5: CPL cells 3 and 5, level min 3, score 4.0
    save(draft, {"CPL-REC-1": AnswerInput(choice=5)})
    assert stored(draft)[("CPL", "")] == (4.0, 3)
    assert stored(draft)[("CPL", "recovery")] == (5.0, 5)
    # Clearing every IDG answer leaves IDG without a score: no row at all, never 0.
    save(draft, {"IDG-FID-1": None, "IDG-FID-2": None, "IDG-REC-1": None})
    assert stored(draft) == {
        ("CPL", ""): (4.0, 3),
        ("CPL", "fidelity"): (3.0, 3),
        ("CPL", "recovery"): (5.0, 5),
    }
    assert stored(draft) == scored_from_answers(draft)


def test_another_respondent_changes_the_stored_scores_by_the_lower_median(draft):
    save(draft, UK_ANSWERS)
    # bob answers CPL-FID-1 at 1: [1, 3] → lower median 1; CPL level 1, score (1 + 3) / 2
    save(draft, {"CPL-FID-1": AnswerInput(choice=1)}, respondent="bob")
    assert stored(draft)[("CPL", "")] == (2.0, 1)
    # "not applicable" and "don't know": bob's na leaves ann's 3; dk counts as level 1
    save(draft, {"CPL-FID-1": AnswerInput(special="na")}, respondent="bob")
    assert stored(draft)[("CPL", "fidelity")] == (3.0, 3)
    save(draft, {"CPL-REC-1": AnswerInput(special="dk")}, respondent="bob")
    assert stored(draft)[("CPL", "recovery")] == (1.0, 1)
    assert stored(draft) == scored_from_answers(draft)


def test_a_save_that_changes_nothing_keeps_them(draft):
    save(draft, UK_ANSWERS)
    draft.refresh_from_db()
    before = draft.scores_stored_at
    assert save(draft, UK_ANSWERS) == 0
    draft.refresh_from_db()
    assert draft.scores_stored_at == before
    assert stored(draft) == UK_SCORES


def test_import_stores_the_scores_of_every_assessment_it_touches(small, tmp_path):
    org = factories.organisation("acme")
    factories.unit(org, "uk")
    factories.unit(org, "de")
    factories.cycle(org, small)
    call_command("import_answers", str(write(tmp_path, MIX)), stdout=io.StringIO())
    uk = Assessment.objects.get(unit__slug="uk")
    de = Assessment.objects.get(unit__slug="de")
    # MIX (tests/test_tidy_io.py): uk IDG fidelity (2·2 + 1·3) / 3 = 2.3333 → 2, recovery
    # 2.0; IDG score (2.3333 + 2) / 2 = 2.1667; CPL fidelity all na, recovery [5, 4] → 4.
    assert stored(uk) == {
        ("IDG", ""): ((7 / 3 + 2) / 2, 2),
        ("IDG", "fidelity"): (7 / 3, 2),
        ("IDG", "recovery"): (2.0, 2),
        ("CPL", ""): (4.0, 4),
        ("CPL", "recovery"): (4.0, 4),
    }
    # de: IDG-FID-2 at 50 % → 2, the only scorable answer
    assert stored(de) == {("IDG", ""): (2.0, 2), ("IDG", "fidelity"): (2.0, 2)}
    # Importing a change again refreshes them.
    path = write(tmp_path, MIX.splitlines()[0] + "\nacme,de,2026-Q4,dan,IDG-FID-2,90,\n")
    call_command("import_answers", str(path), stdout=io.StringIO())
    assert stored(de) == {("IDG", ""): (5.0, 5), ("IDG", "fidelity"): (5.0, 5)}


def test_submit_stores_the_signed_off_scores_and_reopen_keeps_them_true(draft):
    lead = factories.member(draft.unit, role="lead")
    factory_answer(draft, "ann", {"IDG": 4, "CPL": 2})
    # Scores wiped behind the services' back are stored again by sign-off, from the
    # answers signed.
    StoredScore.objects.filter(assessment=draft).delete()
    assessment_submit(assessment=draft, user=lead, confirmed=True)
    assert stored(draft) == scored_from_answers(draft)
    assert stored(draft)[("IDG", "")] == (4.0, 4)
    assessment_reopen(assessment=draft, user=lead, reason="typo")
    assert stored(draft) == scored_from_answers(draft)
    save(draft, {"IDG-FID-1": AnswerInput(choice=1)})
    # IDG fidelity (2·1 + 1·4) / 3 = 2.0 → 2; recovery 4: IDG level 2, score 3.0
    assert stored(draft)[("IDG", "")] == (3.0, 2)
    assert stored(draft) == scored_from_answers(draft)


def test_random_saves_never_leave_stale_scores(draft):
    rng = random.Random(8)
    questions = questions_of(draft)
    kinds = [None, AnswerInput(special="na"), AnswerInput(special="dk")]
    for _ in range(25):
        answers = {}
        for code in rng.sample(sorted(questions), rng.randint(1, len(questions))):
            if questions[code].type == Question.Type.CHOICE:
                given = rng.choice([*kinds, AnswerInput(choice=rng.randint(1, 5))])
            else:
                given = rng.choice([*kinds, AnswerInput(value=rng.choice([0.5, 3, 30, 60, 90]))])
            answers[code] = given
        save(draft, answers, respondent=rng.choice(["ann", "bob", "cat"]))
        assert stored(draft) == scored_from_answers(draft)


def test_portfolio_reads_the_stored_scores(small):
    org = factories.organisation("acme")
    cycle = factories.cycle(org, small)
    saved = factories.assessment(factories.unit(org, "saved"), cycle)
    save(saved, UK_ANSWERS)
    other = factories.assessment(factories.unit(org, "other"), cycle)
    factory_answer(other, "ann", {"IDG": 4, "CPL": 2})
    data = portfolio_scores(organisation=org, cycles=[cycle])
    assert sorted(data.capability_scores.itertuples(index=False)) == [
        ("2026-Q4", "other", "CPL", 2.0, 2),
        ("2026-Q4", "other", "IDG", 4.0, 4),
        ("2026-Q4", "saved", "CPL", 3.0, 3),
        ("2026-Q4", "saved", "IDG", 2.5, 2),
    ]
    assert sorted(data.maturity.itertuples(index=False)) == [
        ("2026-Q4", "other", 3.0),  # (4 + 2) / 2
        ("2026-Q4", "saved", 2.75),  # (2.5 + 3) / 2
    ]
    assert len(data.cells) == 8  # 2 units × 2 capabilities × 2 dimensions
    # A stored row is what the page reads: a hand-made change shows (no scoring of answers).
    StoredScore.objects.filter(assessment=saved, capability="IDG", dimension="").update(score=1.5)
    data = portfolio_scores(organisation=org, cycles=[cycle], cells=False)
    assert ("2026-Q4", "saved", "IDG", 1.5, 2) in set(
        data.capability_scores.itertuples(index=False)
    )
    assert data.cells.empty


@pytest.mark.parametrize("units", [1, 4])
def test_scores_refresh_runs_six_queries_whatever_the_number_of_assessments(
    small, units, django_assert_num_queries
):
    org = factories.organisation("acme")
    cycle = factories.cycle(org, small)
    for n in range(units):
        factory_answer(factories.assessment(factories.unit(org, f"u{n}"), cycle), "ann", {"IDG": 3})
    # assessments, answers, questions, delete, insert, mark as stored
    with django_assert_num_queries(6):
        assert scores_refresh(assessments=Assessment.objects.filter(cycle=cycle)) == units
    for assessment in Assessment.objects.filter(cycle=cycle):
        assert stored(assessment) == scored_from_answers(assessment)


def test_capability_medians_are_the_portfolio_pages_medians(small):
    org = factories.organisation("acme")
    cycle = factories.cycle(org, small)
    # IDG 2.5, 4 and 1: median 2.5;
    # CPL 3.0 (saved) and 2 (one unit; the third has no CPL score): median (3 + 2) / 2
    save(factories.assessment(factories.unit(org, "saved"), cycle), UK_ANSWERS)
    factory_answer(factories.assessment(factories.unit(org, "b"), cycle), "x", {"IDG": 4, "CPL": 2})
    factory_answer(factories.assessment(factories.unit(org, "c"), cycle), "x", {"IDG": 1})
    # another cycle's and another organisation's scores are not the portfolio's
    later = factories.cycle(org, small, "2027-Q2")
    factory_answer(factories.assessment(factories.unit(org, "d"), later), "x", {"IDG": 5})
    other = factories.organisation("other")
    factory_answer(
        factories.assessment(factories.unit(other, "e"), factories.cycle(other, small)),
        "x",
        {"IDG": 5, "CPL": 5},
    )
    medians = capability_medians(organisation=org, cycle=cycle)
    assert medians == {"IDG": 2.5, "CPL": 2.5}
    data = portfolio_scores(organisation=org, cycles=[cycle], cells=False)
    scores, _ = pf.capability_matrix(data.capability_scores, ["saved", "b", "c"], ["IDG", "CPL"])
    assert pf.capability_statistics(scores)["median"].to_dict() == medians
    assert capability_medians(organisation=factories.organisation("empty"), cycle=cycle) == {}
