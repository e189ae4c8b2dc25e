"""The typed errors of the services: each says what was refused and why, for people."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class AssessmentLocked(PermissionDenied):
    """A submitted assessment is read-only until a lead or consultant reopens it."""

    def __init__(self, assessment):
        super().__init__(
            f"The assessment of {assessment.unit} for {assessment.cycle.name} was submitted "
            "and is read-only; it must be reopened before answers can change."
        )


class AssessmentSubmitted(ValidationError):
    """Signing off an assessment that is signed off already."""

    def __init__(self):
        super().__init__("This assessment is already submitted.", code="submitted")


class SignOffNotConfirmed(ValidationError):
    """Signing off without the signer's explicit confirmation (the sign-off page's tick)."""

    def __init__(self):
        super().__init__(
            "Tick the confirmation to sign off: the assessment is signed off in your name.",
            code="not_confirmed",
        )


class AssessmentNotSubmitted(ValidationError):
    """Reopening an assessment that is not signed off."""

    def __init__(self):
        super().__init__("Only a submitted assessment can be reopened.", code="not_submitted")


class AssessmentIncomplete(ValidationError):
    """Signing off while questions have no answer: `missing` lists them in questionnaire
    order, with their capability loaded."""

    def __init__(self, missing):
        self.missing = list(missing)
        super().__init__(
            f"{len(self.missing)} question(s) have no answer yet: "
            + ", ".join(q.code for q in self.missing),
            code="incomplete",
        )


class DatabaseBusy(Exception):
    """A write lost a race with another twice over (see services/retry.py): nothing was
    written, and the person should try again."""

    message = (
        "The database was busy with other saves and this change was not saved; nothing "
        "changed. Try again in a moment."
    )

    def __init__(self):
        super().__init__(self.message)


class InvitationInvalid(ValidationError):
    """An invitation link that was used, has expired, or names no pending invitation."""

    def __init__(self, message: str):
        super().__init__(message, code="invitation_invalid")


class InvitationNotSent(Exception):
    """The mail server did not take an invitation's email; the invitation is kept."""

    def __init__(self, email: str):
        self.email = email
        super().__init__(
            f"The invitation to {email} is saved, but the mail server did not take the email: "
            "send it again later from the list of invitations."
        )


class SetupRefused(ValidationError):
    """A cycle or unit that cannot be created as asked: `field` names the form field the
    problems belong to, `problems` says each (a CSV's by line)."""

    def __init__(self, field: str, *problems: str):
        self.field = field
        self.problems = list(problems)
        super().__init__(self.problems, code="setup_refused")


class ReminderNotSent(ValidationError):
    """A reminder the lead asked for that was not sent; the message says why."""

    def __init__(self, message: str):
        super().__init__(message, code="reminder_not_sent")


class AssignmentsRefused(ValidationError):
    """Assignments that cannot be saved as asked; the message says why."""

    def __init__(self, message: str):
        super().__init__(message, code="assignments_refused")


class ReviewRefused(ValidationError):
    """A send-back or "reviewed" the lead asked for that was not done; the message says why."""

    def __init__(self, message: str):
        super().__init__(message, code="review_refused")
