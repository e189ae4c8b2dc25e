"""Signing an assessment off, and reopening it: who, when, and a hash of its answers.

Signing off needs the signer's explicit confirmation (the sign-off page's tick) and tells
the unit's other members by email once it is committed; no email carries answers.
"""

from __future__ import annotations

import hashlib
import json
import smtplib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments import audit
from assessments.domain import limits
from assessments.models import Answer, Assessment, Membership
from assessments.queries.review import unanswered_questions

from .errors import (
    AssessmentIncomplete,
    AssessmentNotSubmitted,
    AssessmentSubmitted,
    SignOffNotConfirmed,
)
from .invitations import send_text_email
from .reminders import absolute_url
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
def assessment_submit(
    *, assessment: Assessment, user, confirmed: bool, notify: bool = True
) -> Assessment:
    """Sign the assessment off in `user`'s name. Raises SignOffNotConfirmed unless the
    signer `confirmed` it, AssessmentSubmitted when it is signed off already, and
    AssessmentIncomplete (carrying the questions) while any question has no answer.

    With `notify` (the default) every other member of the unit with an email address is
    told once the transaction commits (`signed_off_notify`); the demo seeding signs off
    without telling anyone."""
    if not confirmed:
        raise SignOffNotConfirmed()
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
    if notify:
        # After the commit only: a sign-off rolled back (or retried) tells nobody, and a
        # refused email cannot undo the sign-off.
        signed_off = assessment
        transaction.on_commit(lambda: signed_off_notify(assessment=signed_off), robust=True)
    return assessment


def signed_off_notify(*, assessment: Assessment) -> list[str]:
    """Email every active member of the unit with an address, but the signer, that the
    assessment was signed off: unit, cycle, who and when, links; never answers. A send the
    mail server refuses is written to the audit log (`assessment.signed_off_not_emailed`)
    and the others still go out. The usernames told."""
    members = (
        Membership.objects.filter(unit=assessment.unit, user__is_active=True)
        .exclude(user__email="")
        .exclude(user=assessment.submitted_by_id)
        .select_related("user")
        .order_by("user__username")
    )
    context = {
        "assessment": assessment,
        "signed_off_by": assessment.submitted_by,
        "report": absolute_url("unit_report", pk=assessment.pk),
        "overview": absolute_url("assessment_overview", pk=assessment.pk),
    }
    subject = f"{assessment.unit.name} {assessment.cycle.name} was signed off"
    told = []
    for membership in members:
        person = membership.user
        try:
            send_text_email(
                "assessments/email_signed_off.txt",
                subject,
                {**context, "person": person},
                person.email,
            )
        except (OSError, smtplib.SMTPException) as error:
            audit.record_for_assessment(
                assessment,
                "assessment.signed_off_not_emailed",
                actor=assessment.submitted_by,
                details={"to": person.username, "error": type(error).__name__},
            )
        else:
            told.append(person.username)
    if told:
        audit.record_for_assessment(
            assessment,
            "assessment.signed_off_emailed",
            actor=assessment.submitted_by,
            details={"to": told},
        )
    return told


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
