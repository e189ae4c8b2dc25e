"""Signing an assessment off, and reopening it: who, when, and a hash of its answers."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments import audit
from assessments.domain import limits
from assessments.models import Answer, Assessment
from assessments.queries.review import unanswered_questions

from .errors import AssessmentIncomplete, AssessmentNotSubmitted, AssessmentSubmitted
from .retry import retried_once
from .scores import scores_refresh


def answers_sha256(assessment: Assessment) -> str:
    """SHA-256 of the assessment's answers in a stable serialisation.

    The serialisation is JSON (sorted keys, no whitespace, UTF-8) of the list of
    [respondent, question code, answer, comment, evidence URL] sorted by
    respondent then question code, where answer is written as in the tidy file
    (level number, number, `na` or `dk`).
    """
    rows = sorted(
        [a.response.respondent, a.question.code, a.tidy_value, a.comment, a.evidence_url]
        for a in Answer.objects.filter(response__assessment=assessment).select_related(
            "response", "question"
        )
    )
    canonical = json.dumps(rows, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@retried_once
@transaction.atomic
def assessment_submit(*, assessment: Assessment, user) -> Assessment:
    """Sign the assessment off. Raises AssessmentSubmitted when it already is, and
    AssessmentIncomplete (carrying the questions) while any question has no answer."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status == Assessment.Status.SUBMITTED:
        raise AssessmentSubmitted()
    missing = unanswered_questions(assessment)
    if missing:
        raise AssessmentIncomplete(missing)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_by = user
    assessment.submitted_at = timezone.now()
    assessment.answers_sha256 = answers_sha256(assessment)
    assessment.save(update_fields=["status", "submitted_by", "submitted_at", "answers_sha256"])
    # The signed-off answers' scores, whatever wrote the answers before.
    scores_refresh(assessments=Assessment.objects.filter(pk=assessment.pk))
    audit.record_for_assessment(
        assessment,
        "assessment.submit",
        actor=user,
        details={
            "answers_sha256": assessment.answers_sha256,
        },
    )
    return assessment


@retried_once
@transaction.atomic
def assessment_reopen(*, assessment: Assessment, user, reason: str) -> Assessment:
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give a reason for reopening: it is written to the audit log.")
    problem = limits.text_problem(reason, limits.REOPEN_REASON)
    if problem:
        raise ValidationError(f"The reason {problem}: it is written to the audit log as typed.")
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise AssessmentNotSubmitted()
    assessment.status = Assessment.Status.REOPENED
    assessment.save(update_fields=["status"])
    audit.record_for_assessment(
        assessment,
        "assessment.reopen",
        actor=user,
        details={
            "reason": reason,
            "previous_answers_sha256": assessment.answers_sha256,
        },
    )
    return assessment
