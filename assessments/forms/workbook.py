"""Forms of the offline workbook page: who the workbook is for, and the upload."""

from __future__ import annotations

from django import forms

from assessments.offline_workbook.layout import RESPONDENT_MAX_LENGTH
from assessments.validators import validate_answers_upload


class WorkbookDownloadForm(forms.Form):
    respondent = forms.CharField(
        label="Respondent's name (optional)",
        required=False,
        max_length=RESPONDENT_MAX_LENGTH,
        help_text="Written into the workbook's name cell; leave blank for the respondent to type.",
    )


class AnswersUploadForm(forms.Form):
    file = forms.FileField(
        label="Filled workbook or tidy answers file",
        help_text="The questionnaire workbook (.xlsx) or a tidy answers file (.csv or .xlsx).",
        validators=[validate_answers_upload],
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
