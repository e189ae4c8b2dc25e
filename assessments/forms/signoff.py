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
