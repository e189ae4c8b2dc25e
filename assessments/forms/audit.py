"""The audit log page's filter: organisation, unit and a date range."""

from __future__ import annotations

import datetime

from django import forms


class AuditFilterForm(forms.Form):
    organisation = forms.ChoiceField(required=False, label="Organisation")
    unit = forms.ChoiceField(required=False, label="Business unit")
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, organisations, units, **kwargs):
        """`organisations` and `units`: those the user may read, in display order."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "All organisations")] + [
            (o.slug, o.name) for o in organisations
        ]
        self.fields["unit"].choices = [("", "All units")] + [
            (f"{u.organisation.slug}/{u.slug}", f"{u.organisation.name} — {u.name}") for u in units
        ]

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error(
                "date_to",
                f"The end date ({date_to:%Y-%m-%d}) is before the start date "
                f"({date_from:%Y-%m-%d}).",
            )
        organisation, unit = cleaned.get("organisation"), cleaned.get("unit")
        if organisation and unit and not unit.startswith(organisation + "/"):
            self.add_error("unit", "This unit is not in the chosen organisation.")
        return cleaned

    def filter(self, entries):
        """The entries narrowed by the (valid) filter; days are whole UTC days."""
        data = self.cleaned_data
        if data.get("organisation"):
            entries = entries.filter(organisation=data["organisation"])
        if data.get("unit"):
            organisation, unit = data["unit"].split("/", 1)
            entries = entries.filter(organisation=organisation, unit=unit)
        if data.get("date_from"):
            entries = entries.filter(at__gte=_start_of(data["date_from"]))
        if data.get("date_to"):
            entries = entries.filter(at__lt=_start_of(data["date_to"] + datetime.timedelta(days=1)))
        return entries


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
