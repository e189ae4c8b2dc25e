"""Set-up in the app: a new organisation (whoever may add one), and an organisation's
set-up page (its consultants'): cycles and units."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.forms.setup import CycleForm, OrganisationForm, UnitForm, UnitsCsvForm
from assessments.models import CarriedAnswer, Cycle
from assessments.queries.access import get_consulted_organisation
from assessments.services.carry import carry_forward
from assessments.services.errors import DatabaseBusy, SetupRefused
from assessments.services.setup import (
    cycle_create,
    organisation_create,
    unit_create,
    units_import,
)


def _page(request, organisation, status=200, **forms):
    context = {
        "organisation": organisation,
        "cycles": organisation.cycles.select_related("framework", "profile").order_by("-name"),
        "units": organisation.units.order_by("name"),
        "cycle_form": forms.get("cycle_form") or CycleForm(),
        "unit_form": forms.get("unit_form") or UnitForm(),
        "csv_form": forms.get("csv_form") or UnitsCsvForm(),
        "csv_problems": forms.get("csv_problems", []),
    }
    return render(request, "setup/setup.html", context, status=status)


def _back(organisation):
    return redirect("organisation_setup", organisation=organisation.slug)


@login_required
def organisation_new(request):
    if not permissions.may_add_organisation(request.user):
        raise PermissionDenied(permissions.ADD_ORGANISATION_REFUSAL)
    posted = request.method == "POST"
    form = OrganisationForm(request.POST) if posted else OrganisationForm()
    if posted and form.is_valid():
        try:
            organisation = organisation_create(by=request.user, **form.cleaned_data)
        except SetupRefused as error:
            form.add_error(error.field, error.problems)
        else:
            messages.success(
                request,
                f"Organisation {organisation.name} created, with you as its consultant: "
                "add its cycles and units here, then invite its people.",
            )
            return _back(organisation)
    return render(
        request, "setup/organisation_new.html", {"form": form}, status=400 if posted else 200
    )


@login_required
def setup(request, organisation):
    return _page(request, get_consulted_organisation(request.user, organisation))


@login_required
@require_POST
def cycle_new(request, organisation):
    organisation = get_consulted_organisation(request.user, organisation)
    form = CycleForm(request.POST)
    if form.is_valid():
        try:
            cycle = cycle_create(organisation=organisation, by=request.user, **form.cleaned_data)
        except SetupRefused as error:
            form.add_error(error.field, error.problems)
        else:
            text = (
                f"Cycle {cycle.name} created, with an assessment for each of "
                f"{organisation.units.count()} unit(s)."
            )
            if form.cleaned_data["carry"]:
                carried = CarriedAnswer.objects.filter(assessment__cycle=cycle).count()
                text += f" {carried} answer(s) carried from the units' last signed-off cycles."
            messages.success(request, text)
            return _back(organisation)
    return _page(request, organisation, status=400, cycle_form=form)


@login_required
@require_POST
def cycle_carry(request, organisation, pk):
    """Start each unit of an existing cycle from its last signed-off answers."""
    organisation = get_consulted_organisation(request.user, organisation)
    cycle = Cycle.objects.filter(organisation=organisation, pk=pk).select_related("framework")
    cycle = cycle.first()
    if cycle is None:
        raise Http404("No such cycle.")
    try:
        results = carry_forward(cycle=cycle, by=request.user)
    except DatabaseBusy as error:
        messages.error(request, str(error))
        return _back(organisation)
    carried = sum(r.carried for r in results)
    messages.success(
        request,
        f"{carried} answer(s) carried into {cycle.name}. " + "; ".join(str(r) for r in results),
    )
    return _back(organisation)


@login_required
@require_POST
def unit_new(request, organisation):
    organisation = get_consulted_organisation(request.user, organisation)
    form = UnitForm(request.POST)
    if form.is_valid():
        try:
            unit = unit_create(organisation=organisation, by=request.user, **form.cleaned_data)
        except SetupRefused as error:
            form.add_error(error.field, error.problems)
        else:
            messages.success(request, f"Unit {unit.name} added.")
            return _back(organisation)
    return _page(request, organisation, status=400, unit_form=form)


@login_required
@require_POST
def units_upload(request, organisation):
    organisation = get_consulted_organisation(request.user, organisation)
    form = UnitsCsvForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            units = units_import(
                organisation=organisation, data=upload.read(), filename=upload.name, by=request.user
            )
        except SetupRefused as error:
            return _page(request, organisation, status=400, csv_problems=error.problems)
        messages.success(request, f"{len(units)} unit(s) added from {upload.name}.")
        return _back(organisation)
    return _page(request, organisation, status=400, csv_form=form)
