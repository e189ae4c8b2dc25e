"""An organisation's deck template: consultants upload a .pptx whose master and layouts the
deck uses, or go back to the default (403 for members of its units, 404 for anyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from assessments.queries.access import get_consulted_organisation
from reports.forms.templates import DeckTemplateForm
from reports.queries.templates import organisation_template
from reports.services.templates import deck_template_delete, deck_template_save


@login_required
def deck_template(request, organisation):
    found = get_consulted_organisation(request.user, organisation)
    form = DeckTemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and "delete" in request.POST:
        if deck_template_delete(organisation=found, actor=request.user):
            messages.success(request, "Removed the template: decks use the default one again.")
        return redirect("deck_template", organisation=found.slug)
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["template"]
            deck_template_save(
                organisation=found, actor=request.user, name=upload.name, content=form.content
            )
            messages.success(
                request, f"Saved '{upload.name}': the next decks use its slide master."
            )
            return redirect("deck_template", organisation=found.slug)
        messages.error(request, "Nothing was saved: see the message below the field.")
    return render(
        request,
        "reports/deck_template.html",
        {"organisation": found, "form": form, "template": organisation_template(found)},
        status=400 if request.method == "POST" else 200,
    )
