"""Reads, scoped to the user asking, in a fixed number of queries.

Views never fetch an assessment directly: `get_assessment_for_user` answers 404
to anyone who may not see it, so outsiders cannot even learn that it exists.
"""

from __future__ import annotations

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from . import scoring
from .models import (
    Answer,
    Assessment,
    BusinessUnit,
    Membership,
    Organisation,
    Question,
    format_number,
)


def organisations_for_consultant(user) -> QuerySet[Organisation]:
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(consultants=user)


def get_consulted_organisation(user, slug: str) -> Organisation:
    """The organisation when the user advises it (or is an admin).

    A member of one of its units gets 403 (they know it exists, but its pages are
    the consultants'); anyone else 404, so an outsider cannot learn that it exists.
    """
    organisation = organisations_for_consultant(user).filter(slug=slug).first()
    if organisation is not None:
        return organisation
    if Membership.objects.filter(user=user, unit__organisation__slug=slug).exists():
        raise PermissionDenied("Only the organisation's consultants see this page.")
    raise Http404("No such organisation.")


def get_organisation_for_consultant(
    user, slug: str | None
) -> tuple[Organisation | None, list[Organisation]]:
    """(the organisation, every organisation the user advises).

    With a slug: that organisation, refused as `get_consulted_organisation` refuses.
    Without one: the first by name, or None when the user advises no organisation.
    """
    organisations = list(organisations_for_consultant(user).order_by("name"))
    if slug:
        chosen = next((o for o in organisations if o.slug == slug), None)
        return chosen or get_consulted_organisation(user, slug), organisations
    return (organisations[0] if organisations else None), organisations


def is_consultant_for(user, organisation: Organisation) -> bool:
    return user.is_superuser or organisation.consultants.filter(pk=user.pk).exists()


def units_for_user(user) -> QuerySet[BusinessUnit]:
    if user.is_superuser:
        return BusinessUnit.objects.all()
    return BusinessUnit.objects.filter(
        Q(memberships__user=user) | Q(organisation__consultants=user)
    ).distinct()


def assessments_for_user(user) -> QuerySet[Assessment]:
    """Assessments the user may see: their units', and their organisations' if a consultant."""
    visible = Assessment.objects.select_related("unit__organisation", "cycle__framework")
    if user.is_superuser:
        return visible
    return visible.filter(
        Q(unit__memberships__user=user) | Q(unit__organisation__consultants=user)
    ).distinct()


def get_assessment_for_user(user, pk: int) -> Assessment:
    assessment = assessments_for_user(user).filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such assessment.")
    return assessment


def role_in_unit(user, unit: BusinessUnit) -> str | None:
    """'lead', 'respondent', 'consultant', 'admin', or None for an outsider."""
    if user.is_superuser:
        return "admin"
    membership = (
        Membership.objects.filter(user=user, unit=unit).values_list("role", flat=True).first()
    )
    if membership:
        return membership
    if unit.organisation.consultants.filter(pk=user.pk).exists():
        return "consultant"
    return None


def framework_questions(framework) -> list[Question]:
    return list(
        Question.objects.filter(framework=framework)
        .select_related("capability", "dimension")
        .order_by("capability__position", "position")
    )


def questions_frame(framework) -> pd.DataFrame:
    """The framework's questions as the `questions` frame of assessments.scoring."""
    rows = Question.objects.filter(framework=framework).values_list(
        "code", "capability__code", "dimension__code", "weight"
    )
    return pd.DataFrame(list(rows), columns=["question", "capability", "dimension", "weight"])


def capability_progress(assessment, respondent: str) -> list[dict]:
    """Per capability: questions, how many this respondent answered, how many the unit answered.

    Three queries whatever the size of the framework.
    """
    from django.db.models import Count

    from .models import Capability

    framework = assessment.cycle.framework
    capabilities = list(
        Capability.objects.filter(framework=framework)
        .annotate(total=Count("questions"))
        .order_by("position")
    )
    answers = Answer.objects.filter(response__assessment=assessment)
    mine = dict(
        answers.filter(response__respondent=respondent)
        .values_list("question__capability_id")
        .annotate(n=Count("id"))
        .values_list("question__capability_id", "n")
    )
    unit = dict(
        answers.values_list("question__capability_id")
        .annotate(n=Count("question_id", distinct=True))
        .values_list("question__capability_id", "n")
    )
    return [
        {
            "capability": c,
            "total": c.total,
            "mine": mine.get(c.pk, 0),
            "unit": unit.get(c.pk, 0),
            "mine_percent": round(100 * mine.get(c.pk, 0) / c.total) if c.total else 0,
            "unit_percent": round(100 * unit.get(c.pk, 0) / c.total) if c.total else 0,
        }
        for c in capabilities
    ]


def my_answers(assessment, respondent: str, questions) -> dict[str, Answer]:
    return {
        a.question.code: a
        for a in Answer.objects.filter(
            response__assessment=assessment, response__respondent=respondent, question__in=questions
        ).select_related("question")
    }


def consolidated_answers(assessment) -> list[dict]:
    """Every question of the assessment, by capability, with each respondent's answer and
    the unit's level (scoring rule 2); two queries whatever the number of respondents."""
    questions = framework_questions(assessment.cycle.framework)
    answers = list(
        Answer.objects.filter(response__assessment=assessment)
        .select_related("response")
        .order_by("response__respondent")
        .values_list(
            "question_id",
            "response__respondent",
            "choice",
            "value",
            "special",
            "level",
            "comment",
            "evidence_url",
        )
    )
    by_question: dict[int, list[dict]] = {}
    for question_id, respondent, choice, value, special, level, comment, evidence in answers:
        by_question.setdefault(question_id, []).append(
            {
                "respondent": respondent,
                "answer": special or (str(choice) if choice is not None else format_number(value)),
                "level": level,
                "comment": comment,
                "evidence_url": evidence,
            }
        )
    frame = pd.DataFrame(
        [(0, qid, a["respondent"], a["level"]) for qid, rows in by_question.items() for a in rows],
        columns=["unit", "question", "respondent", "level"],
    )
    frame["level"] = frame["level"].astype(float)
    unit_levels = scoring.question_levels(frame).set_index("question")
    capabilities: dict[int, dict] = {}
    for question in questions:
        group = capabilities.setdefault(
            question.capability_id, {"capability": question.capability, "questions": []}
        )
        scored = question.pk in unit_levels.index
        group["questions"].append(
            {
                "question": question,
                "answers": by_question.get(question.pk, []),
                "level": int(unit_levels.at[question.pk, "level"]) if scored else None,
                "disputed": bool(unit_levels.at[question.pk, "disputed"]) if scored else False,
            }
        )
    return list(capabilities.values())
