"""Organisations with engagement inputs and answered assessments, for recommendation tests.

On the small framework (tests/factories.py), `answer_unit(..., UK_ANSWERS)` gives:
- IDG: fidelity (2·2 + 1·2) / 3 = 2.00 → level 2, recovery 12 hours → level 3: IDG is at
  level 2, binding fidelity; both fidelity questions are at 2 and hold it there.
- CPL: fidelity 3, recovery 3: CPL is at level 3, binding both.
With the seed's inputs and a default target of 4 the unit gets IDG 2 → 3 (base NPV
3,971,023.44) and CPL 3 → 4 (414,238.02), hand-computed in tests/test_recommendations.py.
"""

from __future__ import annotations

from assessments.domain.answers import AnswerInput
from assessments.models import Assessment, Engagement, Membership, Question, ValueBase
from assessments.services.answers import answers_save
from assessments.services.scores import scores_refresh
from tests import factories

UK_ANSWERS = {
    "IDG-FID-1": AnswerInput(choice=2),
    "IDG-FID-2": AnswerInput(value=55),
    "IDG-REC-1": AnswerInput(value=12),
    "CPL-FID-1": AnswerInput(choice=3),
    "CPL-REC-1": AnswerInput(choice=3),
}


def seed_engagement(org, default_target: int | None = 4) -> Engagement:
    """The seed's inputs: 10 %, budget 2,000,000 × 3, local bound 1,000,000, threshold 250,000."""
    ValueBase.objects.create(
        organisation=org, benefit_metric="attributable revenue", annual_value=40_000_000
    )
    ValueBase.objects.create(
        organisation=org, benefit_metric="compliance incident cost", annual_value=3_000_000
    )
    return Engagement.objects.create(
        organisation=org,
        discount_rate=0.10,
        budget_per_cycle=2_000_000,
        funding_cycles=3,
        local_budget_bound=1_000_000,
        impact_threshold=250_000,
        default_target_level=default_target,
    )


def answer_unit(assessment, answers=None, respondent: str = "r1", refresh_scores=True):
    questions = {q.code: q for q in Question.objects.filter(framework=assessment.cycle.framework)}
    answers_save(
        assessment=assessment,
        respondent=respondent,
        questions=questions,
        answers=answers or UK_ANSWERS,
        refresh_scores=refresh_scores,
    )
    return assessment


def organisation_with_units(framework, count: int, slug: str = "acme"):
    """An organisation with a consultant, `count` answered units (the first 'uk') with a lead
    (`lead-<org>-<unit>`) and a respondent (`respondent-<org>-<unit>`) each, in cycle 2026-Q4.
    Returns (org, consultant, assessments)."""
    consultant = factories.user(f"consultant-{slug}")
    org = factories.organisation(slug, consultants=[consultant])
    seed_engagement(org)
    cycle = factories.cycle(org, framework)
    assessments = []
    for n in range(count):
        unit = factories.unit(org, "uk" if n == 0 else f"unit-{n}")
        factories.member(unit, Membership.Role.LEAD, username=f"lead-{slug}-{unit.slug}")
        factories.member(unit, username=f"respondent-{slug}-{unit.slug}")
        assessments.append(answer_unit(factories.assessment(unit, cycle), refresh_scores=False))
    # The services' way of saving many units: their scores stored once at the end.
    scores_refresh(assessments=Assessment.objects.filter(cycle=cycle))
    return org, consultant, assessments
