"""The lead's review of each capability before sign-off: send it back to one respondent
with a note, or mark it reviewed (docs/cycles.md, "Reviewing capabilities").

A send-back goes sent back → revised (the respondent saved an answer of that capability
since: `answers_save_checked` flips it) → closed (the lead marked the capability reviewed,
or sent it back to that person again). The respondent gets an email with the note — the
lead's words, never answers — and a link to the capability's page, after the transaction
commits; a mail server that refuses it does not undo the send-back.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from assessments import audit
from assessments.domain import limits
from assessments.models import Assessment, Capability, CapabilityReview, Membership, SendBack

from .errors import ReviewRefused
from .invitations import send_text_email
from .reminders import absolute_url


@dataclass
class SendBackResult:
    send_back: SendBack
    # Whether the mail server took the email; None until the transaction commits (or
    # when the respondent has no email address: then False too).
    emailed: bool | None = None


def _member(assessment: Assessment, user) -> Membership:
    membership = (
        Membership.objects.filter(unit=assessment.unit, user=user, user__is_active=True)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise ReviewRefused(
            f"{getattr(user, 'username', user)} is not a member of {assessment.unit.name}: "
            "only the unit's respondents and lead answer, so only they can be sent a capability back."
        )
    return membership


def _email(result: SendBackResult, assessment: Assessment, by) -> None:
    send_back = result.send_back
    person = send_back.user
    if not person.email:
        result.emailed = False
        _audit_not_emailed(assessment, send_back, by, "no email address")
        return
    link = absolute_url(
        "capability_answers", pk=assessment.pk, capability_code=send_back.capability.code
    )
    try:
        send_text_email(
            "review/email_sent_back.txt",
            f"{send_back.capability.name} was sent back to you: "
            f"{assessment.unit.name} {assessment.cycle.name}",
            {
                "assessment": assessment,
                "send_back": send_back,
                "sent_by": by,
                "link": link,
            },
            person.email,
        )
    except (OSError, smtplib.SMTPException) as error:
        result.emailed = False
        _audit_not_emailed(assessment, send_back, by, type(error).__name__)
    else:
        result.emailed = True


def _audit_not_emailed(assessment, send_back: SendBack, by, error: str) -> None:
    audit.record_for_assessment(
        assessment,
        "capability.sent_back_not_emailed",
        actor=by,
        details={
            "capability": send_back.capability.code,
            "respondent": send_back.user.username,
            "error": error,
        },
    )


@transaction.atomic
def capability_send_back(
    *, assessment: Assessment, capability: Capability, user, note: str, by
) -> SendBackResult:
    """Send `capability` back to `user` (a member of the unit) with `note`.

    An open send-back to that person for that capability is closed and replaced; the
    capability's "reviewed" mark goes (it is under review again). ReviewRefused when the
    person is not a member, the note is empty or too long, or the assessment is signed off.
    """
    if not assessment.is_editable:
        raise ReviewRefused(
            "This assessment is signed off: reopen it before sending a capability back."
        )
    membership = _member(assessment, user)
    note = (note or "").strip()
    if not note:
        raise ReviewRefused("Write a note saying what to revisit: the respondent reads it.")
    problem = limits.text_problem(note, limits.SEND_BACK_NOTE)
    if problem:
        raise ReviewRefused(f"The {limits.SEND_BACK_NOTE.label} {problem}.")
    now = timezone.now()
    replaced = SendBack.objects.filter(
        assessment=assessment, capability=capability, user=membership.user
    ).exclude(state=SendBack.State.CLOSED)
    replaced_count = replaced.update(state=SendBack.State.CLOSED, closed_at=now)
    send_back = SendBack.objects.create(
        assessment=assessment, capability=capability, user=membership.user, note=note, sent_by=by
    )
    CapabilityReview.objects.filter(assessment=assessment, capability=capability).delete()
    audit.record_for_assessment(
        assessment,
        "capability.sent_back",
        actor=by,
        details={
            "capability": capability.code,
            "respondent": membership.user.username,
            "note": note,
            **({"replaces": replaced_count} if replaced_count else {}),
        },
    )
    result = SendBackResult(send_back)
    transaction.on_commit(lambda: _email(result, assessment, by))
    return result


@transaction.atomic
def capability_mark_reviewed(*, assessment: Assessment, capability: Capability, by) -> int:
    """Mark `capability` reviewed now and close its open send-backs (how many it closed).
    ReviewRefused on a signed-off assessment."""
    if not assessment.is_editable:
        raise ReviewRefused("This assessment is signed off: reopen it before reviewing again.")
    now = timezone.now()
    CapabilityReview.objects.update_or_create(
        assessment=assessment,
        capability=capability,
        defaults={"reviewed_by": by, "reviewed_at": now},
    )
    closed = (
        SendBack.objects.filter(assessment=assessment, capability=capability)
        .exclude(state=SendBack.State.CLOSED)
        .update(state=SendBack.State.CLOSED, closed_at=now)
    )
    audit.record_for_assessment(
        assessment,
        "capability.reviewed",
        actor=by,
        details={"capability": capability.code, "send_backs_closed": closed},
    )
    return closed
