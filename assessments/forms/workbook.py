"""Forms of the offline workbook page: who the workbook is for, and the upload."""

from __future__ import annotations

from django import forms

from assessments.domain import limits
from assessments.validators import validate_answers_upload

from .fields import limited_text


class WorkbookDownloadForm(forms.Form):
    respondent = limited_text(
        limits.RESPONDENT,
        label="Respondent's name (optional)",
        required=False,
        help_text="Written into the workbook's name cell; leave blank for the respondent to type.",
    )


class AnswersUploadForm(forms.Form):
    file = forms.FileField(
        label="Filled workbook or tidy answers file",
        help_text="The questionnaire workbook (.xlsx) or a tidy answers file (.csv or .xlsx).",
        validators=[validate_answers_upload],
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    # Shown once a file turned out to change answers people gave on the web: ticking it and
    # choosing the same file again (its SHA-256 must match) confirms replacing them.
    replace_web_answers = forms.BooleanField(
        label="Replace the answers these people gave on the web with the file's",
        required=False,
    )
    confirmed_sha256 = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def confirms(self, sha256: str) -> bool:
        """Whether the person confirmed replacing web answers, for this very file."""
        data = self.cleaned_data
        return bool(data.get("replace_web_answers")) and data.get("confirmed_sha256") == sha256
