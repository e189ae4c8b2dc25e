from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments.queries import (
    get_assessment_for_user,
    get_organisation_for_consultant,
    is_consultant_for,
)

from . import pages
from .forms import ReportFilterForm, requested_units, unit_choice_errors
from .portfolio import (
    capability_medians,
    portfolio_scores,
    previous_cycle,
    report_choices,
    target_levels,
)
from .recommendation_views import report_recommendations
from .unit_report import unit_report as build_unit_report


@login_required
def unit_report(request, pk):
    assessment = get_assessment_for_user(request.user, pk)
    report = build_unit_report(assessment)
    codes = [row.code for row in report.capabilities]
    # The portfolio median is for consultants only: with few units it would let a
    # respondent work out another unit's scores.
    medians = None
    if is_consultant_for(request.user, assessment.unit.organisation):
        medians = capability_medians(
            organisation=assessment.unit.organisation, cycle=assessment.cycle
        )
    charts = pages.unit_report_charts(
        report, targets=target_levels(assessment.unit, codes), medians=medians
    )
    recommendations = report_recommendations(request.user, assessment, report.scores)
    return render(
        request,
        "reports/unit_report.html",
        {"report": report, "charts": charts, "recommendations": recommendations},
    )


def _filters(request):
    """Access and filters shared by the portfolio pages: (context, form, choices), or None
    for a user who advises no organisation (they get the page's empty state). 404 for an
    organisation the user does not advise."""
    organisation, organisations = get_organisation_for_consultant(
        request.user, request.GET.get("organisation")
    )
    if organisation is None:
        return None
    choices = report_choices(organisation)
    form = ReportFilterForm(
        request.GET,
        cycles=choices.cycle_names,
        regions=choices.regions,
        tags=choices.tags,
        capability_codes=choices.capability_codes,
    )
    context = {
        "organisation": organisation,
        "organisations": organisations,
        "form": form,
        "cycle_names": choices.cycle_names,
    }
    return context, form, choices


@login_required
def portfolio(request):
    found = _filters(request)
    if found is None:
        return render(request, "reports/portfolio.html", {"organisation": None})
    context, form, choices = found
    if not form.is_valid():
        return render(request, "reports/portfolio.html", context, status=400)
    cycle = choices.cycle(form.cleaned_data["cycle"])
    if cycle is not None:
        data = portfolio_scores(organisation=context["organisation"], cycles=[cycle], cells=False)
        context["page"] = pages.portfolio_page(
            data,
            cycle=cycle.name,
            region=form.cleaned_data["region"],
            tag=form.cleaned_data["tag"],
            sort=form.cleaned_data["sort"],
        )
    return render(request, "reports/portfolio.html", context)


@login_required
def compare(request):
    found = _filters(request)
    if found is None:
        return render(request, "reports/compare.html", {"organisation": None})
    context, form, choices = found
    if not form.is_valid():
        return render(request, "reports/compare.html", context, status=400)
    cycle = choices.cycle(form.cleaned_data["cycle"])
    if cycle is None:
        return render(request, "reports/compare.html", context)
    data = portfolio_scores(organisation=context["organisation"], cycles=[cycle], cells=False)
    units = data.units.sort_values("unit_name")
    context["unit_choices"] = list(zip(units["unit"], units["unit_name"], strict=True))
    requested = requested_units(request.GET.getlist("units"))
    context["requested"] = requested
    if not requested:
        return render(request, "reports/compare.html", context)
    context["unit_errors"] = unit_choice_errors(requested, list(units["unit"]))
    if context["unit_errors"]:
        return render(request, "reports/compare.html", context, status=400)
    context["page"] = pages.compare_page(data, cycle=cycle.name, units=requested)
    return render(request, "reports/compare.html", context)


@login_required
def trends(request):
    found = _filters(request)
    if found is None:
        return render(request, "reports/trends.html", {"organisation": None})
    context, form, choices = found
    if not form.is_valid():
        return render(request, "reports/trends.html", context, status=400)
    cycle = choices.cycle(form.cleaned_data["cycle"])
    if cycle is None:
        return render(request, "reports/trends.html", context)
    shown = [c for c in choices.cycles if c.name <= cycle.name]
    data = portfolio_scores(organisation=context["organisation"], cycles=shown, cells=False)
    context["page"] = pages.trends_page(
        data,
        cycle=cycle.name,
        previous=previous_cycle(choices.cycle_names, cycle.name),
        cycle_names=choices.cycle_names,
        region=form.cleaned_data["region"],
        tag=form.cleaned_data["tag"],
        unit=request.GET.get("unit"),
    )
    return render(request, "reports/trends.html", context)
