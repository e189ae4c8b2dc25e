"""Scored portfolios for the report tests: units whose answers put each capability at a
chosen level, on the small framework of tests/factories.py (IDG, CPL × fidelity, recovery)."""

from __future__ import annotations

from assessments.domain.answers import AnswerInput
from assessments.models import Assessment, Question
from assessments.services.answers import answers_save
from assessments.services.scores import scores_refresh
from tests import factories

# A measured value that reaches each level, per numeric question of the small framework.
VALUES = {
    "IDG-FID-2": {1: 40, 2: 55, 3: 70, 4: 80, 5: 90},  # match rate %, higher is better
    "IDG-REC-1": {1: 100, 2: 48, 3: 12, 4: 2, 5: 0.5},  # RTO hours, lower is better
}


def answer(
    assessment, respondent: str, levels: dict[str, int], questions=None, refresh_scores=True
) -> None:
    """One respondent answers every question of each capability in `levels` at that level,
    through the questionnaire's service (answers audited, scores stored unless
    `refresh_scores` is False, for a caller that stores them once at the end)."""
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
        refresh_scores=refresh_scores,
    )


def portfolio(small, *, units: dict, consultant=None, respondents: int = 1, slug: str = "acme"):
    """An organisation `slug` with cycles 2026-Q2 and 2026-Q4 and the given units:
    {unit slug: {"region": ..., "tags": ..., "2026-Q2": {"IDG": 2, ...}, "2026-Q4": {...}}}.
    Returns (organisation, {unit slug: unit}, {(unit slug, cycle): assessment})."""
    org = factories.organisation(slug, consultants=[consultant] if consultant else [])
    cycles = {name: factories.cycle(org, small, name) for name in ("2026-Q2", "2026-Q4")}
    questions = list(Question.objects.filter(framework=small).select_related("capability"))
    unit_objects, assessments = {}, {}
    for unit_slug, spec in units.items():
        unit = factories.unit(
            org, unit_slug, region=spec.get("region", "EMEA"), tags=spec.get("tags", "")
        )
        unit_objects[unit_slug] = unit
        for name, cycle in cycles.items():
            if name not in spec:
                continue
            assessment = factories.assessment(unit, cycle)
            assessments[(unit_slug, name)] = assessment
            for n in range(1, respondents + 1):
                answer(assessment, f"{unit_slug}-respondent-{n}", spec[name], questions, False)
    # The services' way of saving many respondents: their scores stored once at the end.
    scores_refresh(assessments=Assessment.objects.filter(unit__organisation=org))
    return org, unit_objects, assessments
