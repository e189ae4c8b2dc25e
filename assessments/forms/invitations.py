"""The form a consultant invites someone with."""

from __future__ import annotations

from django import forms

from assessments.domain import limits
from assessments.models import Invitation, Organisation
from assessments.validators import TextLimitValidator


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=limits.INVITATION_EMAIL.max_length,
        help_text="They receive a link to choose a password (or, with an account already, are added).",
    )
    role = forms.ChoiceField(choices=Invitation.Role.choices, initial=Invitation.Role.RESPONDENT)
    unit = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label="— (none, for a consultant)",
        help_text="The unit a lead or respondent answers for; none for a consultant.",
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].validators.append(TextLimitValidator(limits.INVITATION_EMAIL))
        self.fields["unit"].queryset = organisation.units.order_by("name")

    def clean(self):
        data = super().clean()
        role, unit = data.get("role"), data.get("unit")
        if role in (Invitation.Role.LEAD, Invitation.Role.RESPONDENT) and unit is None:
            self.add_error("unit", "Choose the unit a lead or respondent answers for.")
        if role == Invitation.Role.CONSULTANT and unit is not None:
            self.add_error("unit", "A consultant advises the whole organisation: choose no unit.")
        return data
