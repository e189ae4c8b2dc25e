"""Roadmap and DEOM pages.

A unit's roadmap: its members, its organisation's consultants and admins (404 for anyone
else). Organisation pages: consultants and admins (403 for a member of one of its units,
404 for anyone else). The cycle is chosen with `?cycle=`; the latest cycle by default.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments.queries.access import (
    cycle_names,
    get_consulted_organisation,
    get_cycle,
    get_unit_for_user,
    is_consultant_for,
)
from reports.domain.planning import deom_grid
from reports.presenters.planning import funding_cycles
from reports.queries.planning import plan_for_cycle


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
            "cycles": cycle_names(business_unit.organisation),
            "can_edit": is_consultant_for(request.user, business_unit.organisation),
            "has_assumed": any(r.cost_is_assumption for r in plan.recommendations),
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
            "cycles": cycle_names(found),
            "can_edit": True,
            "has_assumed": any(r.cost_is_assumption for r in plan.recommendations),
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
        {"plan": plan, "deom": deom_grid(plan.recommendations), "cycles": cycle_names(found)},
    )
