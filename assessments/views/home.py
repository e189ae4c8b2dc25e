from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments import permissions
from assessments.queries.access import open_assessments_of_member, organisations_for_consultant


@login_required
def home(request):
    return render(
        request,
        "assessments/home.html",
        {
            "assessments": open_assessments_of_member(request.user),
            "organisations": organisations_for_consultant(request.user),
            "may_add_organisation": permissions.may_add_organisation(request.user),
        },
    )
