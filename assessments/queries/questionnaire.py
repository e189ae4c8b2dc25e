"""Reads of the questionnaire: a respondent's progress and answers."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404

from assessments.domain.answers import progress_percent
from assessments.models import Answer, Capability, CarriedAnswer, Level, Question
from assessments.queries.tasks import asked_capabilities


def capability_progress(assessment, respondent: str) -> list[dict]:
    """Per capability: questions, how many this respondent answered, how many the unit answered.

    Two queries whatever the size of the framework.
    """
    capabilities = asked_capabilities(assessment.cycle)
    mine, unit = {}, {}
    for capability, by_respondent, by_unit in (
        Answer.objects.filter(response__assessment=assessment)
        .values_list("question__capability_id")
        .annotate(
            mine=Count("id", filter=Q(response__respondent=respondent)),
            unit=Count("question_id", distinct=True),
        )
        .values_list("question__capability_id", "mine", "unit")
    ):
        mine[capability], unit[capability] = by_respondent, by_unit
    return [
        {
            "capability": c,
            "total": c.total,
            "mine": mine.get(c.pk, 0),
            "unit": unit.get(c.pk, 0),
            "mine_percent": progress_percent(mine.get(c.pk, 0), c.total),
            "unit_percent": progress_percent(unit.get(c.pk, 0), c.total),
        }
        for c in capabilities
    ]


def my_answers(assessment, respondent: str, questions) -> dict[str, Answer]:
    """The respondent's answers to these questions, by question code; one query."""
    by_pk = {q.pk: q for q in questions}
    return _by_question_code(
        Answer.objects.filter(
            response__assessment_id=assessment.pk,
            response__respondent=respondent,
            question_id__in=list(by_pk),
        ),
        by_pk,
    )


def my_carried(assessment, respondent: str, questions) -> dict[str, CarriedAnswer]:
    """The respondent's answers carried from the last cycle to these questions, waiting to
    be confirmed (docs/cycles.md, "Carrying answers forward"), by question code, with the
    cycle they came from; one query."""
    by_pk = {q.pk: q for q in questions}
    return _by_question_code(
        CarriedAnswer.objects.filter(
            assessment_id=assessment.pk, respondent=respondent, question_id__in=list(by_pk)
        ).select_related("from_cycle"),
        by_pk,
    )


def _by_question_code(rows, by_pk: dict) -> dict:
    """Rows of the given questions by question code, each with its question attached: the
    page already holds them, and joining them again would add their columns for Django to
    compile (most of such a read's cost)."""
    keyed = {}
    for row in rows:
        row.question = by_pk[row.question_id]
        keyed[row.question.code] = row
    return keyed


def carried_counts(assessment, respondent: str) -> tuple[dict[int, int], list[str]]:
    """(capability pk → how many of the respondent's carried answers wait there, the
    cycles they came from); one query."""
    counts: dict[int, int] = {}
    cycles: set[str] = set()
    for capability, cycle, n in (
        CarriedAnswer.objects.filter(assessment=assessment, respondent=respondent)
        .values_list("question__capability_id", "from_cycle__name")
        .annotate(n=Count("id"))
        .values_list("question__capability_id", "from_cycle__name", "n")
    ):
        counts[capability] = counts.get(capability, 0) + n
        cycles.add(cycle)
    return counts, sorted(cycles)


def get_capability(assessment, code: str):
    """The capability of the assessment's framework with this code; 404 when there is none."""
    capability = Capability.objects.filter(framework=assessment.cycle.framework, code=code).first()
    if capability is None:
        raise Http404("No such capability in this assessment's framework.")
    return capability


def capability_and_questions(assessment, code: str) -> tuple[Capability, list[Question]]:
    """The capability of the assessment's framework with this code, and the questions the
    cycle asks of it in questionnaire order (by dimension), with their dimensions: one
    query. 404 when there is no such capability, or when its profile asks nothing of it."""
    questions = list(
        Question.objects.asked_in(assessment.cycle)
        .filter(capability__code=code)
        .select_related("capability", "dimension")
        .order_by("dimension__position", "position")
    )
    if not questions:
        get_capability(assessment, code)  # 404 when there is no such capability
        raise Http404("This cycle's profile asks nothing of this capability.")
    return questions[0].capability, questions


def level_names(framework) -> dict[int, str]:
    return dict(Level.objects.filter(framework=framework).values_list("number", "name"))
