from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments import permissions
from assessments.queries.access import get_assessment_for_user, role_in_unit
from assessments.queries.review import consolidated_answers


@login_required
def consolidated(request, pk):
    """The lead's review before sign-off: every respondent's answer to every question."""
    assessment = get_assessment_for_user(request.user, pk)
    role = role_in_unit(request.user, assessment.unit)
    permissions.require(role, permissions.REVIEW)
    return render(
        request,
        "assessments/consolidated.html",
        {
            "assessment": assessment,
            "capabilities": consolidated_answers(assessment),
            "can_submit": permissions.can(role, permissions.SIGN_OFF) and assessment.is_editable,
        },
    )
