"""The lead's or consultant's page assigning an assessment's capabilities to its unit's members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from assessments import permissions
from assessments.forms.assignments import field_name, grid_from_post
from assessments.queries.access import get_assessment_for_user, role_in_unit
from assessments.queries.tasks import asked_capabilities, assignment_map, is_task, unit_members
from assessments.services.assignments import assignments_set
from assessments.services.errors import AssignmentsRefused, DatabaseBusy


@login_required
def assessment_assignments(request, pk):
    assessment = get_assessment_for_user(request.user, pk)
    permissions.require(role_in_unit(request.user, assessment.unit), permissions.ASSIGN)
    capabilities = asked_capabilities(assessment.cycle)
    if request.method == "POST":
        try:
            changes = assignments_set(
                assessment=assessment,
                assignments=grid_from_post(request.POST, [c.pk for c in capabilities]),
                by=request.user,
            )
        except (AssignmentsRefused, ValidationError) as error:
            messages.error(request, " ".join(error.messages))
        except DatabaseBusy as error:
            messages.error(request, str(error))
        else:
            if changes.added or changes.removed:
                said = f"Saved: {len(changes.added)} given, {len(changes.removed)} taken away."
                if changes.emailed:
                    said += " An email goes to " + ", ".join(changes.emailed) + "."
                messages.success(request, said)
            else:
                messages.info(request, "Nothing changed.")
            return redirect("assessment_overview", pk=assessment.pk)
        return redirect("assessment_assignments", pk=assessment.pk)
    members = unit_members(assessment)
    assigned = assignment_map(assessment)
    rows = [
        {
            "capability": c,
            "field": field_name(c.pk),
            "everyone": c.pk not in assigned,
            "cells": [
                {"user": m.user, "ticked": is_task(assigned, c.pk, m.user_id)} for m in members
            ],
        }
        for c in capabilities
    ]
    return render(
        request,
        "assignments/assign.html",
        {
            "assessment": assessment,
            "members": members,
            "rows": rows,
            "editable": assessment.is_editable,
        },
    )
