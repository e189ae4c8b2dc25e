"""The consultants' engagement inputs: financial figures, value bases and target levels, for
the organisation and per unit. Consultants and admins only (403 for a member of one of its
units, 404 for anyone else); every change is audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from assessments.queries.access import get_consulted_organisation, get_unit_of, units_of
from reports.forms.engagement import EngagementForm, UnitTargetsForm
from reports.presenters.planning import engagement_initial
from reports.queries.planning import engagement_data, engagement_form_shape
from reports.services.engagement import engagement_update, unit_targets_update


@login_required
def engagement_inputs(request, organisation):
    found = get_consulted_organisation(request.user, organisation)
    shape = engagement_form_shape(found)
    engagement = engagement_data(found)
    form = EngagementForm(
        request.POST or None,
        initial=engagement_initial(engagement, shape),
        metrics=shape.metrics,
        capabilities=shape.capabilities,
        levels=shape.levels,
    )
    if request.method == "POST":
        if form.is_valid():
            changes = engagement_update(
                organisation=found,
                actor=request.user,
                settings=form.settings(),
                value_bases=form.value_bases(),
                targets=form.targets(),
            )
            messages.success(
                request,
                f"Saved the engagement inputs: {len(changes)} change(s), written to the audit log."
                if changes
                else "Nothing changed.",
            )
            return redirect("engagement_inputs", organisation=found.slug)
        messages.error(request, "Nothing was saved: correct the inputs marked below.")
    units = units_of([found])
    unit_rows = [
        {"unit": unit, "bases": sorted(engagement.inputs.unit_overrides(unit.slug).items())}
        for unit in units
    ]
    return render(
        request,
        "engagement/inputs.html",
        {
            "organisation": found,
            "form": form,
            "engagement": engagement,
            "units": units,
            "unit_rows": unit_rows,
            "shape": shape,
        },
    )


@login_required
def unit_targets(request, organisation, unit):
    found = get_consulted_organisation(request.user, organisation)
    business_unit = get_unit_of(found, unit)
    shape = engagement_form_shape(found)
    engagement = engagement_data(found)
    codes = [code for code, _ in shape.capabilities]
    own_bases = engagement.inputs.unit_overrides(business_unit.slug)
    initial = {
        f"target_{c}": engagement.unit_targets.get(business_unit.pk, {}).get(c) for c in codes
    }
    initial |= {f"value_base_{i}": own_bases.get(m) for i, m in enumerate(shape.metrics)}
    form = UnitTargetsForm(
        request.POST or None,
        initial=initial,
        capabilities=shape.capabilities,
        levels=shape.levels,
        inherited=engagement.targets_for(None, codes),
        metrics=shape.metrics,
        organisation_bases=dict(engagement.inputs.value_bases),
    )  # fmt: skip
    if request.method == "POST":
        if form.is_valid():
            changes = unit_targets_update(
                unit=business_unit,
                actor=request.user,
                targets=form.targets(),
                value_bases=form.value_bases(),
            )
            messages.success(
                request,
                f"Saved {business_unit.name}'s inputs: {len(changes)} change(s), written to the audit log."
                if changes
                else "Nothing changed.",
            )  # fmt: skip
            return redirect("unit_targets", organisation=found.slug, unit=business_unit.slug)
        messages.error(request, "Nothing was saved: correct the inputs marked below.")
    return render(
        request,
        "engagement/unit_targets.html",
        {"organisation": found, "unit": business_unit, "form": form},
    )
