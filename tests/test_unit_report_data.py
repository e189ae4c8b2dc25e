"""The unit report's data (reports/unit_report.py): disputed questions come from the
one query that loads the answers, so the report runs the same queries whether or not
a question is disputed."""

from __future__ import annotations

import pytest

from assessments.domain.answers import AnswerInput
from assessments.models import Question
from assessments.services.answers import answers_save
from reports.queries.unit_report import DisputedQuestion, unit_report
from tests import factories


@pytest.fixture
def draft(small):
    org = factories.organisation("acme")
    return factories.assessment(factories.unit(org, "uk"), factories.cycle(org, small))


def save(assessment, respondent, answers):
    questions = {q.code: q for q in Question.objects.filter(framework=assessment.cycle.framework)}
    answers_save(assessment=assessment, respondent=respondent, questions=questions, answers=answers)


def test_disputed_questions_list_every_respondents_level_and_raw_answer(draft):
    save(draft, "bob", {"IDG-FID-1": AnswerInput(choice=1), "IDG-FID-2": AnswerInput(value=90)})
    save(draft, "ann", {"IDG-FID-1": AnswerInput(choice=3), "IDG-FID-2": AnswerInput(value=55)})
    save(draft, "cat", {"IDG-FID-1": AnswerInput(special="na"), "CPL-FID-1": AnswerInput(choice=2)})
    report = unit_report(draft)
    # IDG-FID-1: [1, 3] → lower median 1, spread 2: disputed (cat's na left out, but shown)
    # IDG-FID-2: 90 % → 5 and 55 % → 2: [2, 5] → 2, disputed; CPL-FID-1: one answer
    assert report.disputed == [
        DisputedQuestion(
            code="IDG-FID-1",
            text="How are customer identities resolved across channels?",
            capability="Identity Graph Enhancements",
            dimension="Data fidelity",
            level=1,
            respondent_levels=[("ann", 3, "3"), ("bob", 1, "1"), ("cat", None, "na")],
        ),
        DisputedQuestion(
            code="IDG-FID-2",
            text="Persistent identity match rate",
            capability="Identity Graph Enhancements",
            dimension="Data fidelity",
            level=2,
            respondent_levels=[("ann", 2, "55"), ("bob", 5, "90")],
        ),
    ]


def test_unit_report_runs_six_queries_with_or_without_disputes(draft, django_assert_num_queries):
    save(draft, "ann", {"IDG-FID-1": AnswerInput(choice=3)})
    # answers, questions, dimensions, capabilities, level names
    with django_assert_num_queries(6):
        assert unit_report(draft).disputed == []
    save(draft, "bob", {"IDG-FID-1": AnswerInput(choice=1)})
    with django_assert_num_queries(6):
        assert [d.code for d in unit_report(draft).disputed] == ["IDG-FID-1"]
