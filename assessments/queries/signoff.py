"""Reads of the sign-off page: what a lead should know before signing an assessment off."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from assessments.domain.answers import DONT_KNOW
from assessments.models import Answer, Assessment, Membership, Question, SendBack

from .review import carried_waiting, consolidated_answers, unanswered_questions


@dataclass(frozen=True)
class Unfinished:
    name: str
    answered: int
    total: int


@dataclass(frozen=True)
class DontKnow:
    question: Question
    respondent: str


@dataclass(frozen=True)
class Unanswered:
    question: Question
    carried_for: list[str]  # whose carried answer waits to be confirmed


@dataclass(frozen=True)
class SignoffSummary:
    questions: int
    unfinished: list[Unfinished]  # unit members with fewer answers than questions
    disputed: list[Question]  # respondents' levels two or more apart (the review page's rule)
    dont_know: list[DontKnow]
    unanswered: list[Unanswered]  # while any is left, sign-off is refused
    send_backs: list[SendBack]  # sent back and not closed

    @property
    def can_sign_off(self) -> bool:
        return not self.unanswered


def _answered_by_user(assessment: Assessment) -> dict[int, int]:
    return dict(
        Answer.objects.filter(response__assessment=assessment, response__user__isnull=False)
        .values_list("response__user_id")
        .annotate(n=Count("id"))
        .values_list("response__user_id", "n")
    )


def signoff_summary(assessment: Assessment) -> SignoffSummary:
    """Who has not finished, disputed questions, don't-knows, unanswered questions and open
    send-backs of the assessment; seven queries whatever its size (the assessment's unit and
    cycle loaded)."""
    groups = consolidated_answers(assessment)  # two queries
    rows = [row for group in groups for row in group["questions"]]
    total = len(rows)
    counts = _answered_by_user(assessment)
    unfinished = [
        Unfinished(m.user.username, counts.get(m.user_id, 0), total)
        for m in Membership.objects.filter(unit=assessment.unit, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
        if counts.get(m.user_id, 0) < total
    ]
    waiting = carried_waiting(assessment)
    return SignoffSummary(
        questions=total,
        unfinished=unfinished,
        disputed=[row["question"] for row in rows if row["disputed"]],
        dont_know=[
            DontKnow(row["question"], answer["respondent"])
            for row in rows
            for answer in row["answers"]
            if answer["special"] == DONT_KNOW
        ],
        unanswered=[
            Unanswered(question, waiting.get(question.pk, []))
            for question in unanswered_questions(assessment)
        ],
        send_backs=list(
            SendBack.objects.filter(assessment=assessment)
            .exclude(state=SendBack.State.CLOSED)
            .select_related("capability", "user")
            .order_by("capability__position", "user__username")
        ),
    )
