"""The lead's review before sign-off: every respondent's answers, and per capability
"Mark reviewed" and "Send back to a respondent" (docs/cycles.md, "Reviewing capabilities")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.domain import limits
from assessments.forms.review import SendBackForm
from assessments.queries.access import get_assessment_for_user, role_in_unit
from assessments.queries.questionnaire import get_capability
from assessments.queries.review import consolidated_answers, with_review_states
from assessments.queries.tasks import unit_members
from assessments.services.errors import ReviewRefused
from assessments.services.review import capability_mark_reviewed, capability_send_back


@login_required
def consolidated(request, pk):
    """The lead's review before sign-off: every respondent's answer to every question."""
    assessment = get_assessment_for_user(request.user, pk)
    role = role_in_unit(request.user, assessment.unit)
    permissions.require(role, permissions.REVIEW)
    can_send_back = permissions.can(role, permissions.SEND_BACK) and assessment.is_editable
    return render(
        request,
        "assessments/consolidated.html",
        {
            "assessment": assessment,
            "capabilities": with_review_states(assessment, consolidated_answers(assessment)),
            "can_submit": permissions.can(role, permissions.SIGN_OFF) and assessment.is_editable,
            "can_send_back": can_send_back,
            "members": unit_members(assessment) if can_send_back else [],
            "note_max": limits.SEND_BACK_NOTE.max_length,
        },
    )


def _back_to(assessment, capability):
    return redirect(
        reverse("consolidated_answers", kwargs={"pk": assessment.pk}) + f"#cap-{capability.code}"
    )


@login_required
@require_POST
def send_back(request, pk, capability_code):
    assessment = get_assessment_for_user(request.user, pk)
    permissions.require(role_in_unit(request.user, assessment.unit), permissions.SEND_BACK)
    capability = get_capability(assessment, capability_code)
    form = SendBackForm(request.POST, members=unit_members(assessment))
    if not form.is_valid():
        messages.error(
            request, f"{capability.name} was not sent back: " + " ".join(form.problems())
        )
        return _back_to(assessment, capability)
    person = form.cleaned_data["user"]
    try:
        result = capability_send_back(
            assessment=assessment,
            capability=capability,
            user=person,
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except ReviewRefused as error:
        messages.error(request, f"{capability.name} was not sent back: {error.message}")
        return _back_to(assessment, capability)
    # The email goes when the send-back commits, that is before this line (no request-wide
    # transaction): `emailed` False says the mail server refused it.
    if result.emailed is not False:
        messages.success(
            request,
            f"{capability.name} was sent back to {person.username}, with an email of your note.",
        )
    else:
        messages.warning(
            request,
            f"{capability.name} was sent back to {person.username}, but the email could not "
            "be sent: they see your note on the capability's page and their overview.",
        )
    return _back_to(assessment, capability)


@login_required
@require_POST
def mark_reviewed(request, pk, capability_code):
    assessment = get_assessment_for_user(request.user, pk)
    permissions.require(role_in_unit(request.user, assessment.unit), permissions.SEND_BACK)
    capability = get_capability(assessment, capability_code)
    try:
        closed = capability_mark_reviewed(
            assessment=assessment, capability=capability, by=request.user
        )
    except ReviewRefused as error:
        messages.error(request, f"{capability.name} was not marked reviewed: {error.message}")
    else:
        closed_text = f"; {closed} send-back(s) closed" if closed else ""
        messages.success(request, f"{capability.name} is marked reviewed{closed_text}.")
    return _back_to(assessment, capability)
