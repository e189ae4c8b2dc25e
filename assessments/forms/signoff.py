"""The form of reopening a signed-off assessment."""

from __future__ import annotations

from django import forms

from assessments.domain import limits

from .fields import limited_text


class ReopenForm(forms.Form):
    reason = limited_text(
        limits.REOPEN_REASON,
        help_text="Why the assessment must change; written to the audit log.",
        error_messages={"required": "Give a reason for reopening: it is written to the audit log."},
    )


class SignOffForm(forms.Form):
    """The explicit confirmation of the sign-off page: a required tick."""

    confirm = forms.BooleanField(
        label="I have reviewed this summary and sign the assessment off in my name",
        error_messages={"required": "Tick the confirmation to sign off."},
    )
