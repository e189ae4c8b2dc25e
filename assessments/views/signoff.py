"""Signing an assessment off (through its confirmation page), and reopening it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.forms.signoff import ReopenForm, SignOffForm
from assessments.queries.access import get_assessment_for_user, role_in_unit
from assessments.queries.review import carried_waiting
from assessments.queries.signoff import signoff_summary
from assessments.services.errors import AssessmentIncomplete, AssessmentSubmitted, DatabaseBusy
from assessments.services.signoff import assessment_reopen, assessment_submit


def _signoff_page(request, assessment, form, status=200):
    return render(
        request,
        "assessments/signoff.html",
        {"assessment": assessment, "summary": signoff_summary(assessment), "form": form},
        status=status,
    )


@login_required
def signoff(request, pk):
    """The confirmation page: what is unfinished, disputed, unknown, unanswered or sent
    back, and the tick that signs off (posted to `submit`)."""
    assessment = get_assessment_for_user(request.user, pk)
    permissions.require(role_in_unit(request.user, assessment.unit), permissions.SIGN_OFF)
    if not assessment.is_editable:
        messages.info(request, "This assessment is signed off already.")
        return redirect("assessment_overview", pk=assessment.pk)
    return _signoff_page(request, assessment, SignOffForm())


@login_required
@require_POST
def submit(request, pk):
    assessment = get_assessment_for_user(request.user, pk)
    permissions.require(role_in_unit(request.user, assessment.unit), permissions.SIGN_OFF)
    if not assessment.is_editable:
        messages.error(request, AssessmentSubmitted().messages[0])
        return redirect("assessment_overview", pk=assessment.pk)
    form = SignOffForm(request.POST)
    if not form.is_valid():
        # Back to the confirmation page, the form's words beside the tick; nothing changed.
        messages.error(request, "Not signed off: tick the confirmation to sign off.")
        return _signoff_page(request, assessment, form, status=400)
    try:
        assessment_submit(
            assessment=assessment, user=request.user, confirmed=form.cleaned_data["confirm"]
        )
    except AssessmentSubmitted as error:
        messages.error(request, error.messages[0])
        return redirect("assessment_overview", pk=assessment.pk)
    except DatabaseBusy as error:
        messages.error(request, str(error))
        return redirect("assessment_overview", pk=assessment.pk)
    except AssessmentIncomplete as error:
        by_capability: dict = {}
        waiting = carried_waiting(assessment)  # whom to ask: their carried answer waits
        for question in error.missing:
            question.carried_for = waiting.get(question.pk, [])
            by_capability.setdefault(question.capability, []).append(question)
        return render(
            request,
            "assessments/unanswered.html",
            {
                "assessment": assessment,
                "by_capability": by_capability,
                "count": len(error.missing),
            },
            status=400,
        )
    messages.success(request, "Assessment submitted and signed off. It is now read-only.")
    return redirect("assessment_overview", pk=assessment.pk)


@login_required
@require_POST
def reopen(request, pk):
    assessment = get_assessment_for_user(request.user, pk)
    permissions.require(role_in_unit(request.user, assessment.unit), permissions.REOPEN)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            assessment_reopen(
                assessment=assessment, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        except DatabaseBusy as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Assessment reopened; the reason is in the audit log.")
    else:
        # The form's own words: no reason, too long a reason, a control character in it.
        messages.error(request, f"Not reopened: {form.errors['reason'][0]}")
    return redirect("assessment_overview", pk=assessment.pk)
