"""Reads of the lead's review before sign-off: every respondent's answer to every question."""

from __future__ import annotations

import pandas as pd

from assessments.domain.answers import answer_text
from assessments.domain.limits import is_web_link
from assessments.domain.scoring import question_levels
from assessments.models import Answer, Assessment, CarriedAnswer, Question

from .frameworks import framework_questions


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
                "answer": answer_text(choice=choice, value=value, special=special),
                "special": special,
                "level": level,
                "comment": comment,
                "evidence_url": evidence,
                "evidence_link": evidence if is_web_link(evidence) else "",
            }
        )
    frame = pd.DataFrame(
        [(0, qid, a["respondent"], a["level"]) for qid, rows in by_question.items() for a in rows],
        columns=["unit", "question", "respondent", "level"],
    )
    frame["level"] = frame["level"].astype(float)
    unit_levels = question_levels(frame).set_index("question")
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


def unanswered_questions(assessment: Assessment) -> list[Question]:
    """Questions that no respondent has answered ("not applicable" and "don't know" count as answers)."""
    answered = Answer.objects.filter(response__assessment=assessment).values("question_id")
    return list(
        Question.objects.filter(framework=assessment.cycle.framework)
        .exclude(pk__in=answered)
        .select_related("capability")
        .order_by("capability__position", "position")
    )


def carried_waiting(assessment: Assessment) -> dict[int, list[str]]:
    """Question pk → the respondents whose answer carried from the last cycle waits to be
    confirmed (docs/cycles.md, "Carrying answers forward"): the people a lead asks, when a
    question is unanswered; one query."""
    waiting: dict[int, list[str]] = {}
    for question, respondent in (
        CarriedAnswer.objects.filter(assessment=assessment)
        .order_by("respondent")
        .values_list("question_id", "respondent")
    ):
        waiting.setdefault(question, []).append(respondent)
    return waiting
