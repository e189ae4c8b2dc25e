"""Roadmap and DEOM pages.

A unit's roadmap: its members, its organisation's consultants and admins (404 for anyone
else). Organisation pages: consultants and admins (403 for a member of one of its units,
404 for anyone else). The cycle is chosen with `?cycle=`; the latest cycle by default.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from assessments.queries.access import (
    cycle_names,
    get_consulted_organisation,
    get_cycle,
    get_unit_for_user,
    is_consultant_for,
)
from reports.domain.planning import deom_grid, deom_quadrant, deom_shown
from reports.presenters.planning import funding_cycles
from reports.queries.planning import plan_for_cycle

DEOM_SHOWN = 10  # upgrades listed in each quadrant of the organisation's grid
DEOM_PER_PAGE = 50  # upgrades a page of one quadrant's full list


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
    grid = deom_grid(plan.recommendations)
    # Every quadrant lists its largest upgrades; `?quadrant=<mode>` lists all of one, paged.
    quadrant = deom_quadrant(grid, request.GET.get("quadrant", ""))
    listed = None
    if quadrant is not None:
        listed = Paginator(quadrant.recommendations, DEOM_PER_PAGE).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "reports/deom.html",
        {
            "plan": plan,
            "deom": deom_shown(grid, DEOM_SHOWN),
            "quadrant": quadrant,
            "listed": listed,
            "cycles": cycle_names(found),
        },
    )
