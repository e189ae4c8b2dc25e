"""Writes of answers: one respondent's answers saved, audited and scored in one transaction."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from assessments import audit
from assessments.domain.answers import AnswerInput, answer_text
from assessments.models import Answer, Assessment, Question, Response

from .errors import AssessmentLocked
from .retry import retried_once
from .scores import scores_refresh


def _same(answer: Answer, given: AnswerInput) -> bool:
    return (
        answer.choice == given.choice
        and answer.value == given.value
        and answer.special == given.special
        and answer.comment == given.comment
        and answer.evidence_url == given.evidence_url
    )


def _note_changes(current: Answer | None, given: AnswerInput) -> dict:
    old_comment = current.comment if current else ""
    old_evidence = current.evidence_url if current else ""
    note = {}
    if old_comment != given.comment:
        note["comment"] = [old_comment, given.comment]
    if old_evidence != given.evidence_url:
        note["evidence_url"] = [old_evidence, given.evidence_url]
    return note


def _describe(answer: Answer | AnswerInput | None) -> str | None:
    if answer is None:
        return None
    return answer_text(choice=answer.choice, value=answer.value, special=answer.special)


@retried_once
@transaction.atomic
def answers_save(
    *,
    assessment: Assessment,
    respondent: str,
    user=None,
    questions: Mapping[str, Question],
    answers: Mapping[str, AnswerInput | None],
    actor=None,
    source: str = "form",
    refresh_scores: bool = True,
) -> int:
    """Store one respondent's answers to the given questions; None clears an answer.

    Runs a fixed number of queries whatever the number of answers. Returns the
    number of answers that changed. Every change is audited (old → new), and the
    assessment's stored scores are recomputed — unless `refresh_scores` is False, for
    a caller saving many respondents that then calls `scores_refresh` once itself.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_editable:
        raise AssessmentLocked(assessment)
    response, _ = Response.objects.get_or_create(
        assessment=assessment, respondent=respondent, defaults={"user": user}
    )
    existing = {
        a.question.code: a
        for a in Answer.objects.filter(
            response=response, question__code__in=list(answers)
        ).select_related("question")
    }
    to_create, to_update, to_delete, changes = [], [], [], {}
    notes: dict[str, dict] = {}  # comment / evidence link changes, old → new
    for code, given in answers.items():
        current = existing.get(code)
        if given is None:
            if current is not None:
                to_delete.append(current.pk)
                changes[code] = [_describe(current), None]
                note = _note_changes(current, AnswerInput())
                if note:
                    notes[code] = note
            continue
        if current is not None and _same(current, given):
            continue
        question = questions[code]
        # Describe the old answer before `current` is overwritten in place below.
        changes[code] = [_describe(current), _describe(given)]
        note = _note_changes(current, given)
        if note:
            notes[code] = note
        target = current or Answer(response=response, question=question)
        target.choice, target.value, target.special = given.choice, given.value, given.special
        target.comment, target.evidence_url = given.comment, given.evidence_url
        target.level = question.level_for(
            choice=given.choice, value=given.value, special=given.special
        )
        (to_update if current is not None else to_create).append(target)
    if to_create:
        Answer.objects.bulk_create(to_create)
    if to_update:
        now = timezone.now()
        for answer in to_update:
            answer.updated_at = now
        Answer.objects.bulk_update(
            to_update,
            ["choice", "value", "special", "level", "comment", "evidence_url", "updated_at"],
        )
    if to_delete:
        Answer.objects.filter(pk__in=to_delete).delete()
    if changes:
        Response.objects.filter(pk=response.pk).update(updated_at=timezone.now())
        if refresh_scores:
            scores_refresh(assessments=Assessment.objects.filter(pk=assessment.pk))
        audit.record_for_assessment(
            assessment,
            "answers.change",
            actor=actor or user,
            details={
                "respondent": respondent,
                "source": source,
                "changes": changes,
                **({"notes": notes} if notes else {}),
            },
        )
    return len(changes)
