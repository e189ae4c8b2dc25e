"""The lead's send-back of a capability to one respondent, with a note."""

from __future__ import annotations

from django import forms

from assessments.domain import limits

from .fields import limited_text

NOTE_REQUIRED = "Write a note saying what to revisit: the respondent reads it."


class SendBackForm(forms.Form):
    """`members`: the unit's memberships (queries.tasks.unit_members); the respondent is
    one of them, by user id. `cleaned_data["user"]` is that member's user."""

    respondent = forms.TypedChoiceField(
        coerce=int,
        error_messages={
            "required": "Choose whom to send the capability back to.",
            "invalid_choice": "Choose a member of the unit to send the capability back to.",
        },
    )
    note = limited_text(limits.SEND_BACK_NOTE, error_messages={"required": NOTE_REQUIRED})

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {m.user.pk: m.user for m in members}
        self.fields["respondent"].choices = [
            (m.user.pk, f"{m.user.username} ({m.get_role_display().lower()})") for m in members
        ]

    def clean(self):
        cleaned = super().clean()
        if "respondent" in cleaned:
            cleaned["user"] = self.users[cleaned["respondent"]]
        return cleaned

    def problems(self) -> list[str]:
        """Every error of the form, in field order, as sentences for a message."""
        return [str(error) for field in self.errors.values() for error in field]
