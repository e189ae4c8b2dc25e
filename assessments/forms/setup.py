"""The set-up forms: a new organisation; the set-up page's new cycle, new unit, units CSV."""

from __future__ import annotations

from django import forms
from django.conf import settings

from assessments.domain import limits
from assessments.domain.unit_rows import SLUG_PATTERN, SLUG_RULE, UNIT_COLUMNS, unit_problems
from assessments.models import Framework, Profile

from .fields import limited_text


class DateInput(forms.DateInput):
    input_type = "date"


class OrganisationForm(forms.Form):
    prefix = "organisation"
    name = limited_text(limits.ORGANISATION_NAME, help_text="e.g. Northwind Retail Group.")
    slug = limited_text(
        limits.ORGANISATION_SLUG, help_text="Short name in addresses, e.g. northwind."
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if not SLUG_PATTERN.fullmatch(slug):
            raise forms.ValidationError(f"The slug {slug!r} is not a slug ({SLUG_RULE}).")
        return slug


class CycleForm(forms.Form):
    prefix = "cycle"  # the page holds three forms: each field's id is its own
    name = limited_text(limits.CYCLE_NAME, help_text="e.g. 2026-Q4; cycles sort by name.")
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.order_by("code", "-loaded_at"),
        label="Framework version",
        empty_label=None,
    )
    profile = forms.ModelChoiceField(
        queryset=Profile.objects.select_related("framework").order_by(
            "framework__code", "-framework__loaded_at", "position"
        ),
        label="Profile",
        required=False,
        empty_label="None: ask every question",
        help_text="Only the profile's questions are asked (e.g. one implementation group). "
        "It must be one of the chosen framework version's profiles.",
    )
    opens_on = forms.DateField(label="Opens on", required=False, widget=DateInput)
    deadline = forms.DateField(label="Deadline", required=False, widget=DateInput)
    carry = forms.BooleanField(
        label="Start each unit from its last signed-off answers",
        required=False,
        help_text="Respondents see last cycle's answers to confirm or change; until then "
        "they count as unanswered and are not scored.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        profiles = self.fields["profile"]
        profiles.label_from_instance = lambda profile: (  # type: ignore[attr-defined]
            f"{profile.framework.code} {profile.framework.version}: {profile.name}"
        )
        if not Profile.objects.exists():  # no framework has profiles: nothing to choose
            del self.fields["profile"]

    def clean(self):
        data = super().clean()
        framework, profile = data.get("framework"), data.get("profile")
        if framework and profile and profile.framework_id != framework.pk:
            self.add_error(
                "profile",
                f"The profile {profile.name} is one of {profile.framework.code} "
                f"{profile.framework.version}'s, not of {framework.code} {framework.version}'s.",
            )
        opens_on, deadline = data.get("opens_on"), data.get("deadline")
        if opens_on and deadline and deadline < opens_on:
            self.add_error(
                "deadline", f"The deadline ({deadline}) is before the opening day ({opens_on})."
            )
        return data


class UnitForm(forms.Form):
    prefix = "unit"
    name = limited_text(limits.UNIT_NAME)
    slug = limited_text(limits.UNIT_SLUG, help_text="Short name in addresses, e.g. uk-retail.")
    region = limited_text(limits.UNIT_REGION, required=False)
    tags = limited_text(limits.UNIT_TAGS, required=False, help_text="Comma-separated.")

    def clean(self):
        data = super().clean()
        if not self.errors:
            for column, problem in unit_problems({c: data.get(c) or "" for c in UNIT_COLUMNS}):
                self.add_error(column, f"The {column} {problem}.")
        return data


class UnitsCsvForm(forms.Form):
    prefix = "units"
    file = forms.FileField(
        label="Units CSV",
        help_text="UTF-8, first line: name,slug,region,tags (region and tags may be left out).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.LADDER_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file has {upload.size:,} bytes (at most {settings.LADDER_MAX_UPLOAD_BYTES:,})."
            )
        return upload
