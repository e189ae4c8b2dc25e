from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments import permissions
from assessments.queries.access import open_assessments_of_member, organisations_for_consultant
from assessments.queries.tasks import tasks_of


@login_required
def home(request):
    assessments = list(open_assessments_of_member(request.user))
    tasks = tasks_of(request.user, assessments)
    return render(
        request,
        "assessments/home.html",
        {
            "assessments": assessments,
            "tasks": [(a, tasks[a.pk]) for a in assessments if tasks.get(a.pk)],
            "organisations": organisations_for_consultant(request.user),
            "may_add_organisation": permissions.may_add_organisation(request.user),
        },
    )
