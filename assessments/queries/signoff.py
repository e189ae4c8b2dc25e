"""Reads of the sign-off page: what a lead should know before signing an assessment off."""

from __future__ import annotations

from dataclasses import dataclass

from assessments.domain.answers import DONT_KNOW
from assessments.models import Assessment, Question, SendBack

from .review import carried_waiting, consolidated_answers, unanswered_questions
from .tasks import respondents_progress


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
    unfinished: list[Unfinished]  # unit members who have not answered all of their tasks
    disputed: list[Question]  # respondents' levels two or more apart (the review page's rule)
    dont_know: list[DontKnow]
    unanswered: list[Unanswered]  # while any is left, sign-off is refused
    send_backs: list[SendBack]  # sent back and not closed

    @property
    def can_sign_off(self) -> bool:
        return not self.unanswered


def signoff_summary(assessment: Assessment) -> SignoffSummary:
    """Who has not finished, disputed questions, don't-knows, unanswered questions and open
    send-backs of the assessment; twelve queries whatever its size (the assessment's unit and
    cycle loaded)."""
    groups = consolidated_answers(assessment)  # two queries
    rows = [row for group in groups for row in group["questions"]]
    total = len(rows)
    # The overview's "who has finished": the questions of each person's tasks.
    unfinished = [
        Unfinished(row["user"].username, row["answered"], row["total"])
        for row in respondents_progress(assessment)["rows"]
        if not row["finished"]
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
