"""The form of reopening a signed-off assessment."""

from __future__ import annotations

from django import forms


class ReopenForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the assessment must change; written to the audit log.",
    )
