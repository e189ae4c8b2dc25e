from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments.queries import get_assessment_for_user, organisations_for_consultant

from .unit_report import unit_report as build_unit_report


@login_required
def unit_report(request, pk):
    assessment = get_assessment_for_user(request.user, pk)
    return render(request, "reports/unit_report.html", {"report": build_unit_report(assessment)})


@login_required
def portfolio(request):
    organisations = organisations_for_consultant(request.user)
    return render(request, "reports/portfolio.html", {"organisations": organisations})
