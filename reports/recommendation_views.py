"""Roadmap and DEOM pages, and the consultants' engagement inputs.

A unit's roadmap: its members, its organisation's consultants and admins (404 for anyone
else). Organisation pages and every input: consultants and admins (403 for a member of
one of its units, 404 for anyone else). The cycle is chosen with `?cycle=`; the latest
cycle by default.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from assessments.models import BusinessUnit, Cycle
from assessments.queries import get_consulted_organisation, is_consultant_for

from .engagement_forms import EngagementForm, UnitTargetsForm
from .engagement_services import engagement_update, unit_targets_update
from .recommendation_data import (
    engagement_data,
    get_cycle,
    get_unit_for_user,
    plan_for_assessment,
    plan_for_cycle,
)
from .recommendation_pages import (
    deom_grid,
    engagement_form_shape,
    engagement_initial,
    funding_cycles,
)


def report_recommendations(user, assessment, scores) -> dict:
    """The unit report's recommendations section (its view passes the scores it has)."""
    plan = plan_for_assessment(assessment, scores=scores)
    return {
        "plan": plan,
        "deom": deom_grid(plan.recommendations),
        "can_edit": is_consultant_for(user, assessment.unit.organisation),
    }


def _cycles(organisation) -> list[str]:
    return list(
        Cycle.objects.filter(organisation=organisation)
        .order_by("-name")
        .values_list("name", flat=True)
    )


@login_required
def unit_roadmap(request, organisation, unit):
    business_unit = get_unit_for_user(request.user, organisation, unit)
    cycle = get_cycle(business_unit.organisation, request.GET.get("cycle"))
    plan = plan_for_cycle(business_unit.organisation, cycle, unit=business_unit)
    return render(
        request,
        "reports/roadmap.html",
        {
            "plan": plan,
            "unit": business_unit,
            "funding_cycles": funding_cycles(plan),
            "cycles": _cycles(business_unit.organisation),
            "can_edit": is_consultant_for(request.user, business_unit.organisation),
        },
    )


@login_required
def organisation_roadmap(request, organisation):
    found = get_consulted_organisation(request.user, organisation)
    cycle = get_cycle(found, request.GET.get("cycle"))
    plan = plan_for_cycle(found, cycle)
    return render(
        request,
        "reports/roadmap.html",
        {
            "plan": plan,
            "unit": None,
            "funding_cycles": funding_cycles(plan),
            "cycles": _cycles(found),
            "can_edit": True,
        },
    )


@login_required
def organisation_deom(request, organisation):
    found = get_consulted_organisation(request.user, organisation)
    cycle = get_cycle(found, request.GET.get("cycle"))
    plan = plan_for_cycle(found, cycle)
    return render(
        request,
        "reports/deom.html",
        {"plan": plan, "deom": deom_grid(plan.recommendations), "cycles": _cycles(found)},
    )


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
    units = BusinessUnit.objects.filter(organisation=found).order_by("name")
    return render(
        request,
        "engagement/inputs.html",
        {"organisation": found, "form": form, "engagement": engagement, "units": units},
    )


@login_required
def unit_targets(request, organisation, unit):
    found = get_consulted_organisation(request.user, organisation)
    business_unit = BusinessUnit.objects.filter(organisation=found, slug=unit).first()
    if business_unit is None:
        raise Http404("No such unit.")
    shape = engagement_form_shape(found)
    engagement = engagement_data(found)
    codes = [code for code, _ in shape.capabilities]
    form = UnitTargetsForm(
        request.POST or None,
        initial={f"target_{c}": engagement.unit_targets.get(business_unit.pk, {}).get(c) for c in codes},
        capabilities=shape.capabilities,
        levels=shape.levels,
        inherited=engagement.targets_for(None, codes),
    )  # fmt: skip
    if request.method == "POST":
        if form.is_valid():
            changes = unit_targets_update(
                unit=business_unit, actor=request.user, targets=form.targets()
            )
            messages.success(
                request,
                f"Saved {business_unit.name}'s targets: {len(changes)} change(s), written to the audit log."
                if changes
                else "Nothing changed.",
            )  # fmt: skip
            return redirect("unit_targets", organisation=found.slug, unit=business_unit.slug)
        messages.error(request, "Nothing was saved: correct the targets marked below.")
    return render(
        request,
        "engagement/unit_targets.html",
        {"organisation": found, "unit": business_unit, "form": form},
    )
