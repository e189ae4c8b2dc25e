"""The questionnaire: one form per capability, one group of fields per question.

The form validates; it does not render. `CapabilityAnswersForm.rows()` gives the template
plain values per question and templates/assessments/questions/ writes the inputs itself:
Django's widget templates (several per radio, through crispy-forms) cost most of the page's
server time (issue 17).
"""

from __future__ import annotations

from django import forms

from assessments.domain import limits
from assessments.domain.answers import AnswerInput, number_text
from assessments.domain.guidance import threshold_lines
from assessments.models import Answer, Question
from assessments.validators import validate_measurement

from .fields import EvidenceLinkField, PlainNumberField, limited_text

NOT_APPLICABLE = ("na", "Not applicable")
DONT_KNOW = ("dk", "Don't know")
FIELD_SUFFIXES = ("", "-special", "-comment", "-evidence")


def versions_text(versions: dict[str, int]) -> str:
    """The `versions` field's value: "IDG-FID-1:3 IDG-FID-2:0" (0: no answer yet)."""
    return " ".join(f"{code}:{version}" for code, version in versions.items())


def parse_versions(text: str) -> dict[str, int] | None:
    """The `versions` field read back; None when absent or malformed (nothing is checked)."""
    result = {}
    for item in text.split()[: limits.MAX_IMPORT_ROWS]:
        code, _, number = item.rpartition(":")
        if not code or not number.isdigit():
            return None
        result[code] = int(number)
    return result or None


QUESTION_TEMPLATES = {
    Question.Type.CHOICE: "assessments/questions/choice.html",
    Question.Type.NUMERIC: "assessments/questions/numeric.html",
    Question.Type.YES_NO: "assessments/questions/yes_no.html",
}


def option_choices(question: Question, levels: dict[int, str]) -> list[tuple[str, str]]:
    """(value, label) of each option: "3 Defined — what level 3 looks like" for a choice
    question; "Yes" then "No" for a yes/no question (its options are its level and the
    framework's lowest); a choice question whose options carry values (SAMM) shows each
    option's text as the framework wrote it, in its order, its value being the option's
    number."""
    if question.has_option_values:
        return [(str(number), text) for number, text in question.option_levels.items()]
    if question.type == Question.Type.YES_NO:
        return [(str(question.level), "Yes")] + [
            (str(number), "No") for number in question.option_levels if number != question.level
        ]
    return [
        (str(number), f"{number} {levels.get(number, '')} — {text}")
        for number, text in question.option_levels.items()
    ]


class CapabilityAnswersForm(forms.Form):
    """Fields per question: `<code>` (choice: level / na / dk; numeric: value), `<code>-special`
    (numeric only: na / dk), `<code>-comment`, `<code>-evidence`; and one hidden `versions`
    field: the version of every answer the page was built on (see `versions_text`)."""

    def __init__(
        self,
        *args,
        questions: list[Question],
        levels: dict[int, str],
        answers: dict[str, Answer],
        disabled: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.levels = levels
        self.disabled = disabled
        self.fields["versions"] = forms.CharField(
            required=False, widget=forms.HiddenInput, max_length=64 * (len(questions) + 1)
        )
        self.initial["versions"] = versions_text(
            {q.code: answers[q.code].version if q.code in answers else 0 for q in questions}
        )
        for question in questions:
            current = answers.get(question.code)
            code = question.code
            if question.has_options:
                choices = option_choices(question, levels) + [NOT_APPLICABLE, DONT_KNOW]
                self.fields[code] = forms.ChoiceField(
                    label=question.text,
                    choices=choices,
                    required=False,
                    widget=forms.RadioSelect,
                )
                if current is not None:
                    self.initial[code] = current.special or str(current.choice)
            else:
                unit = f" ({question.unit})" if question.unit else ""
                self.fields[code] = PlainNumberField(
                    label=f"{question.text}{unit}",
                    required=False,
                    min_value=0,
                    max_value=100 if question.unit == "%" else None,
                    widget=forms.NumberInput(attrs={"step": "any"}),
                )
                self.fields[f"{code}-special"] = forms.ChoiceField(
                    label="No measured value",
                    choices=[("", "I have a measured value")] + [NOT_APPLICABLE, DONT_KNOW],
                    required=False,
                )
                if current is not None:
                    self.initial[code] = current.value
                    self.initial[f"{code}-special"] = current.special
            self.fields[f"{code}-comment"] = limited_text(
                limits.COMMENT, label="Comment", required=False
            )
            self.fields[f"{code}-evidence"] = EvidenceLinkField(
                label="Evidence link", required=False
            )
            if current is not None:
                self.initial[f"{code}-comment"] = current.comment
                self.initial[f"{code}-evidence"] = current.evidence_url
        if disabled:
            for field in self.fields.values():
                field.disabled = True

    def versions(self) -> dict[str, int] | None:
        """The versions the submitted page was built on; None: not given (not checked)."""
        return parse_versions(self.cleaned_data.get("versions") or "")

    def versions_shown(self) -> str:
        """The `versions` field's value as the page writes it."""
        return self._raw("versions")

    def code_of(self, field_name: str) -> str | None:
        """The question a field (or an error key) belongs to."""
        for question in self.questions:
            for suffix in FIELD_SUFFIXES:
                if field_name == question.code + suffix:
                    return question.code
        return None

    def _raw(self, name: str) -> str:
        """What an input shows: the posted text after a failed save, the stored answer else."""
        if self.is_bound:
            return str(self.data.get(name, "") or "")
        value = self.initial.get(name)
        if value is None:
            return ""
        if isinstance(value, float):
            return number_text(value)
        return str(value)

    def rows(self) -> list[dict]:
        """One dict per question, in page order, with everything its template writes."""
        errors = self.errors if self.is_bound else {}
        rows = []
        for question in self.questions:
            code = question.code
            row = {
                "question": question,
                "code": code,
                "numeric": question.type == Question.Type.NUMERIC,
                "template": QUESTION_TEMPLATES[question.type],
                "errors": list(errors.get(code, ())),
                "comment": self._raw(f"{code}-comment"),
                "comment_errors": list(errors.get(f"{code}-comment", ())),
                "evidence": self._raw(f"{code}-evidence"),
                "evidence_errors": list(errors.get(f"{code}-evidence", ())),
            }
            if row["numeric"]:
                row["value"] = self._raw(code)
                row["special"] = self._raw(f"{code}-special")
                row["unit"] = question.unit
                row["max"] = 100 if question.unit == "%" else None
                row["thresholds"] = threshold_lines(
                    question.threshold_levels, question.higher_is_better, self.levels, question.unit
                )
            else:
                row["options"] = option_choices(question, self.levels)
                row["chosen"] = self._raw(code)
            row["filled"] = bool(row["comment"] or row["evidence"])
            row["notes_open"] = bool(
                row["filled"] or row["comment_errors"] or row["evidence_errors"]
            )
            rows.append(row)
        return rows

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            code = question.code
            answered = cleaned.get(code) not in (None, "") or cleaned.get(f"{code}-special")
            if not answered and (cleaned.get(f"{code}-comment") or cleaned.get(f"{code}-evidence")):
                self.add_error(
                    code,
                    "Choose an answer (or “don't know”) to keep this comment and evidence link.",
                )
            if question.type == Question.Type.NUMERIC:
                value, special = cleaned.get(code), cleaned.get(f"{code}-special")
                if value is not None and special:
                    self.add_error(
                        code,
                        "Give a measured value or choose “not applicable” / “don't know”, not both.",
                    )
                elif value is not None:
                    try:
                        validate_measurement(question, value)
                    except forms.ValidationError as error:
                        self.add_error(code, error)
        return cleaned

    def answers(self) -> dict[str, AnswerInput | None]:
        """The submitted answers; None where a question was left blank (clearing any draft answer)."""
        result: dict[str, AnswerInput | None] = {}
        for question in self.questions:
            code = question.code
            comment = self.cleaned_data.get(f"{code}-comment", "")
            evidence = self.cleaned_data.get(f"{code}-evidence", "")
            if question.has_options:
                raw = self.cleaned_data.get(code)
                if not raw:
                    result[code] = None
                elif raw in ("na", "dk"):
                    result[code] = AnswerInput(special=raw, comment=comment, evidence_url=evidence)
                else:
                    result[code] = AnswerInput(
                        choice=int(raw), comment=comment, evidence_url=evidence
                    )
            else:
                value, special = (
                    self.cleaned_data.get(code),
                    self.cleaned_data.get(f"{code}-special"),
                )
                if special:
                    result[code] = AnswerInput(
                        special=special, comment=comment, evidence_url=evidence
                    )
                elif value is not None:
                    result[code] = AnswerInput(
                        value=float(value), comment=comment, evidence_url=evidence
                    )
                else:
                    result[code] = None
        return result
