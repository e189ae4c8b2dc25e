"""A unit's report: its heatmap, capabilities against target, disputed questions and
recommendations. For the unit's members, its organisation's consultants and admins."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments.queries.access import get_assessment_for_user, is_consultant_for, role_in_unit
from reports.domain.planning import deom_grid
from reports.presenters.unit_report import unit_report_charts
from reports.queries.planning import plan_for_assessment
from reports.queries.portfolio import capability_medians, target_levels
from reports.queries.unit_report import unit_report as build_unit_report


@login_required
def unit_report(request, pk):
    assessment = get_assessment_for_user(request.user, pk)
    report = build_unit_report(assessment)
    codes = [row.code for row in report.capabilities]
    # The portfolio median is for consultants only: with few units it would let a
    # respondent work out another unit's scores.
    medians = None
    consultant = is_consultant_for(request.user, assessment.unit.organisation)
    if consultant:
        medians = capability_medians(
            organisation=assessment.unit.organisation, cycle=assessment.cycle
        )
    charts = unit_report_charts(
        report, targets=target_levels(assessment.unit, codes), medians=medians
    )
    recommendations = report_recommendations(
        request.user, assessment, report.scores, consultant=consultant
    )
    return render(
        request,
        "reports/unit_report.html",
        {
            "report": report,
            "charts": charts,
            "recommendations": recommendations,
            # Respondents see a dispute as an anonymous spread of levels: people answer less
            # candidly when peers can read their scores by name (docs/questionnaire.md).
            "names_visible": consultant or role_in_unit(request.user, assessment.unit) == "lead",
        },
    )


def report_recommendations(user, assessment, scores, consultant: bool | None = None) -> dict:
    """The unit report's recommendations section (its view passes the scores it has, and
    whether the user is a consultant of the organisation, which it already asked)."""
    plan = plan_for_assessment(assessment, scores=scores)
    if consultant is None:
        consultant = is_consultant_for(user, assessment.unit.organisation)
    return {
        "plan": plan,
        "deom": deom_grid(plan.recommendations),
        "can_edit": consultant,
    }
