from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments.queries.access import assessments_for_user, organisations_for_consultant


@login_required
def home(request):
    open_assessments = (
        assessments_for_user(request.user)
        .filter(unit__memberships__user=request.user, cycle__is_open=True)
        .order_by("-cycle__name", "unit__name")
    )
    return render(
        request,
        "assessments/home.html",
        {
            "assessments": open_assessments,
            "organisations": organisations_for_consultant(request.user),
        },
    )
