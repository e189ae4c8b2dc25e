"""The deck template upload: a .pptx, checked by reports.validators before it is stored."""

from __future__ import annotations

from django import forms

from reports.validators import MAX_TEMPLATE_BYTES, DeckTemplateError, check_deck_template


class DeckTemplateForm(forms.Form):
    template = forms.FileField(
        label="PowerPoint template (.pptx)",
        help_text=f"Its slide master and layouts (logo, fonts, colours) are used; at most {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB. The deck uses the layout named “Title Only” for its titles, else a blank one.",
        error_messages={"required": "Choose a .pptx file to upload."},
    )

    def clean_template(self):
        uploaded = self.cleaned_data["template"]
        if uploaded.size > MAX_TEMPLATE_BYTES:
            raise forms.ValidationError(
                f"'{uploaded.name}' is {uploaded.size / (1024 * 1024):.1f} MB; the largest template accepted is {MAX_TEMPLATE_BYTES / (1024 * 1024):.1f} MB."
            )
        content = uploaded.read()
        try:
            check_deck_template(content, name=uploaded.name)
        except DeckTemplateError as error:
            raise forms.ValidationError(str(error)) from None
        self.content = content
        return uploaded
