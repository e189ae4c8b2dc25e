"""The questionnaire: one form per capability, one group of fields per question."""

from __future__ import annotations

from django import forms
from django.utils.html import escape

from assessments.domain import limits
from assessments.domain.answers import AnswerInput
from assessments.models import Answer, Question
from assessments.validators import validate_measurement

from .fields import EvidenceLinkField, PlainNumberField, limited_text

NOT_APPLICABLE = ("na", "Not applicable")
DONT_KNOW = ("dk", "Don't know")


class CapabilityAnswersForm(forms.Form):
    """Fields per question: `<code>` (choice: level / na / dk; numeric: value), `<code>-special`
    (numeric only: na / dk), `<code>-comment`, `<code>-evidence`."""

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
        for question in questions:
            current = answers.get(question.code)
            code = question.code
            if question.type == Question.Type.CHOICE:
                choices = [
                    (str(number), f"{number} {levels.get(number, '')} — {text}")
                    for number, text in question.option_levels.items()
                ] + [NOT_APPLICABLE, DONT_KNOW]
                self.fields[code] = forms.ChoiceField(
                    label=question.text,
                    # crispy-forms renders help texts as HTML (|safe): the framework's text
                    # is third-party content, so it is escaped here and shows as typed.
                    help_text=escape(question.help),
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
                    help_text=escape(question.help),
                    required=False,
                    min_value=0,
                    max_value=100 if question.unit == "%" else None,
                    widget=forms.NumberInput(attrs={"step": "any"}),
                )
                self.fields[f"{code}-special"] = forms.ChoiceField(
                    label="or",
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

    def groups(self):
        """(question, bound fields) pairs, for the template."""
        for question in self.questions:
            code = question.code
            names = [code] + ([f"{code}-special"] if question.type == Question.Type.NUMERIC else [])
            yield (
                question,
                [self[name] for name in names],
                self[f"{code}-comment"],
                self[f"{code}-evidence"],
            )

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
            if question.type == Question.Type.CHOICE:
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
