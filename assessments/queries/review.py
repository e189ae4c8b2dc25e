"""Reads of the lead's review before sign-off: every respondent's answer to every question."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from assessments.domain.answers import answer_text
from assessments.domain.limits import is_web_link
from assessments.domain.scoring import question_levels
from assessments.models import (
    Answer,
    Assessment,
    CapabilityReview,
    CarriedAnswer,
    Question,
    SendBack,
)

from .frameworks import framework_questions


def consolidated_answers(assessment) -> list[dict]:
    """Every question of the assessment, by capability, with each respondent's answer and
    the unit's level (scoring rule 2), and when an answer of the capability was last
    saved (`last_change`); two queries whatever the number of respondents."""
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
            "updated_at",
        )
    )
    by_question: dict[int, list[dict]] = {}
    last_change: dict[int, datetime] = {}  # question pk → its latest answer's save
    for question_id, respondent, choice, value, special, level, comment, evidence, at in answers:
        if question_id not in last_change or at > last_change[question_id]:
            last_change[question_id] = at
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
            question.capability_id,
            {"capability": question.capability, "questions": [], "last_change": None},
        )
        at = last_change.get(question.pk)
        if at is not None and (group["last_change"] is None or at > group["last_change"]):
            group["last_change"] = at
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
        Question.objects.asked_in(assessment.cycle)
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


def with_review_states(assessment: Assessment, groups: list[dict]) -> list[dict]:
    """`consolidated_answers`' groups, each with its review state (docs/cycles.md,
    "Reviewing capabilities"): `review` (the CapabilityReview or None), `changed_since_review` (an
    answer of it saved after the review) and `send_backs` (the open ones, newest first);
    two queries."""
    reviews = {
        r.capability_id: r
        for r in CapabilityReview.objects.filter(assessment=assessment).select_related(
            "reviewed_by"
        )
    }
    open_send_backs: dict[int, list[SendBack]] = {}
    for send_back in (
        SendBack.objects.filter(assessment=assessment)
        .exclude(state=SendBack.State.CLOSED)
        .select_related("user", "sent_by")
        .order_by("-sent_at", "user__username")
    ):
        open_send_backs.setdefault(send_back.capability_id, []).append(send_back)
    for group in groups:
        pk = group["capability"].pk
        review = reviews.get(pk)
        group["review"] = review
        group["changed_since_review"] = bool(
            review and group["last_change"] and group["last_change"] > review.reviewed_at
        )
        group["send_backs"] = open_send_backs.get(pk, [])
    return groups


def my_send_backs(assessment: Assessment, user, capability=None) -> list[SendBack]:
    """The open send-backs to `user` in the assessment (of one capability when given),
    in questionnaire order, with their capability and sender; one query."""
    send_backs = SendBack.objects.filter(assessment_id=assessment.pk, user_id=user.pk).exclude(
        state=SendBack.State.CLOSED
    )
    if capability is None:
        return list(
            send_backs.select_related("capability", "sent_by").order_by("capability__position")
        )
    # One capability's page: it is already read, so no JOIN to it (nor ordering by it).
    found = list(
        send_backs.filter(capability_id=capability.pk).select_related("sent_by").order_by("sent_at")
    )
    for send_back in found:
        send_back.capability = capability
    return found
