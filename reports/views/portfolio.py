"""The portfolio pages of an organisation: the heatmap of its units, two or more units side
by side, and the trends since the previous cycle. For the organisation's consultants and
admins: 403 for a member of one of its units, 404 for anyone else."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments.queries.access import get_organisation_for_consultant
from reports.domain.portfolio import previous_cycle
from reports.forms.filters import ReportFilterForm, compared_units, unit_choice_errors
from reports.presenters.compare import compare_page, unit_choices_html
from reports.presenters.portfolio import portfolio_page
from reports.presenters.trends import trends_page
from reports.queries.portfolio import portfolio_scores, report_choices


def report_filters(request):
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
    found = report_filters(request)
    if found is None:
        return render(request, "reports/portfolio.html", {"organisation": None})
    context, form, choices = found
    if not form.is_valid():
        return render(request, "reports/portfolio.html", context, status=400)
    cycle = choices.cycle(form.cleaned_data["cycle"])
    if cycle is not None:
        data = portfolio_scores(organisation=context["organisation"], cycles=[cycle], cells=False)
        context["page"] = portfolio_page(
            data,
            cycle=cycle.name,
            region=form.cleaned_data["region"],
            tag=form.cleaned_data["tag"],
            sort=form.cleaned_data["sort"],
        )
    return render(request, "reports/portfolio.html", context)


@login_required
def compare(request):
    found = report_filters(request)
    if found is None:
        return render(request, "reports/compare.html", {"organisation": None})
    context, form, choices = found
    if not form.is_valid():
        return render(request, "reports/compare.html", context, status=400)
    cycle = choices.cycle(form.cleaned_data["cycle"])
    if cycle is None:
        return render(request, "reports/compare.html", context)
    requested = compared_units(request.GET)
    data = portfolio_scores(
        organisation=context["organisation"],
        cycles=[cycle],
        cells=False,
        scored_units=requested,
    )
    units = data.units.sort_values("unit_name")
    context["unit_choices"] = list(
        zip(units["unit"].tolist(), units["unit_name"].tolist(), strict=True)
    )
    context["requested"] = requested
    context["unit_choices_html"] = unit_choices_html(context["unit_choices"], requested)
    if not requested:
        return render(request, "reports/compare.html", context)
    context["unit_errors"] = unit_choice_errors(requested, units["unit"].tolist())
    if context["unit_errors"]:
        return render(request, "reports/compare.html", context, status=400)
    context["page"] = compare_page(data, cycle=cycle.name, units=requested)
    return render(request, "reports/compare.html", context)


@login_required
def trends(request):
    found = report_filters(request)
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
    context["page"] = trends_page(
        data,
        cycle=cycle.name,
        previous=previous_cycle(choices.cycle_names, cycle.name),
        cycle_names=choices.cycle_names,
        region=form.cleaned_data["region"],
        tag=form.cleaned_data["tag"],
        unit=request.GET.get("unit"),
    )
    return render(request, "reports/trends.html", context)
