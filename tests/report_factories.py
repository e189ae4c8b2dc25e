"""Scored portfolios for the report tests: units whose answers put each capability at a
chosen level, on the small framework of tests/factories.py (IDG, CPL × fidelity, recovery)."""

from __future__ import annotations

from assessments.domain.answers import AnswerInput
from assessments.models import Question
from assessments.services.answers import answers_save
from tests import factories

# A measured value that reaches each level, per numeric question of the small framework.
VALUES = {
    "IDG-FID-2": {1: 40, 2: 55, 3: 70, 4: 80, 5: 90},  # match rate %, higher is better
    "IDG-REC-1": {1: 100, 2: 48, 3: 12, 4: 2, 5: 0.5},  # RTO hours, lower is better
}


def answer(assessment, respondent: str, levels: dict[str, int], questions=None) -> None:
    """One respondent answers every question of each capability in `levels` at that level,
    through the questionnaire's service (answers audited, scores stored)."""
    questions = questions or list(
        Question.objects.filter(framework=assessment.cycle.framework).select_related("capability")
    )
    answers = {}
    for question in questions:
        level = levels.get(question.capability.code)
        if level is None:
            continue
        if question.type == Question.Type.CHOICE:
            answers[question.code] = AnswerInput(choice=level)
        else:
            answers[question.code] = AnswerInput(value=VALUES[question.code][level])
    answers_save(
        assessment=assessment,
        respondent=respondent,
        questions={q.code: q for q in questions},
        answers=answers,
    )


def portfolio(small, *, units: dict, consultant=None, respondents: int = 1):
    """An organisation `acme` with cycles 2026-Q2 and 2026-Q4 and the given units:
    {slug: {"region": ..., "tags": ..., "2026-Q2": {"IDG": 2, ...}, "2026-Q4": {...}}}.
    Returns (organisation, {slug: unit}, {(slug, cycle): assessment})."""
    org = factories.organisation("acme", consultants=[consultant] if consultant else [])
    cycles = {name: factories.cycle(org, small, name) for name in ("2026-Q2", "2026-Q4")}
    questions = list(Question.objects.filter(framework=small).select_related("capability"))
    unit_objects, assessments = {}, {}
    for slug, spec in units.items():
        unit = factories.unit(
            org, slug, region=spec.get("region", "EMEA"), tags=spec.get("tags", "")
        )
        unit_objects[slug] = unit
        for name, cycle in cycles.items():
            if name not in spec:
                continue
            assessment = factories.assessment(unit, cycle)
            assessments[(slug, name)] = assessment
            for n in range(1, respondents + 1):
                answer(assessment, f"{slug}-respondent-{n}", spec[name], questions)
    return org, unit_objects, assessments
