"""Downloads: the portfolio page's deck, workbook and CSV files, and chart images of the
portfolio, compare, trends and unit report pages.

Each download answers to the same people as its page and reads the same filters
(`organisation`, `cycle`, `region`, `tag`, `sort`, `units`, `unit`): consultants of
the organisation and admins for the portfolio pages (403 for members of its units, 404
for anyone else), the unit report's readers for its files. The views only check access, call a selector and an
exporter, and send the bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from assessments.domain.tidy import SCORE_COLUMNS, csv_bytes
from assessments.models import Cycle, Organisation
from assessments.queries.access import get_assessment_for_user, is_consultant_for
from reports.domain.portfolio import previous_cycle
from reports.exporters.chart_images import FORMATS, ChartImagesUnavailable, render_chart
from reports.exporters.deck import deck_pptx
from reports.exporters.workbook import report_workbook
from reports.forms.filters import compared_units, unit_choice_errors
from reports.presenters.charts import heatmap_spec, with_title
from reports.presenters.compare import compare_page
from reports.presenters.portfolio import portfolio_page
from reports.presenters.trends import trends_page
from reports.presenters.unit_report import unit_report_charts
from reports.queries.exports import (
    answers_table,
    assessment_score_rows,
    report_data,
    score_rows,
    shown_units,
)
from reports.queries.portfolio import ReportChoices, portfolio_scores, target_levels
from reports.queries.templates import organisation_template
from reports.queries.unit_report import unit_report as build_unit_report

from .portfolio import report_filters

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def download(content: bytes, content_type: str, *parts: str) -> HttpResponse:
    """The bytes as an attachment named from `parts` (slugs, cycle, what), made safe."""
    name = "-".join(re.sub(r"[^A-Za-z0-9._]+", "-", part).strip("-") for part in parts)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@dataclass(frozen=True)
class Selection:
    organisation: Organisation
    cycle: Cycle
    region: str
    tag: str
    sort: str
    choices: ReportChoices

    @property
    def filters(self) -> dict:
        return {"region": self.region, "tag": self.tag}


def _selection(request) -> Selection | HttpResponse:
    """What a portfolio download is about, from the page's parameters, or the response
    refusing it: 404 for an organisation the user does not advise (as the pages), 400 for
    a parameter the page would refuse."""
    found = report_filters(request)
    if found is None:
        raise Http404("You advise no organisation.")
    context, form, choices = found
    if not form.is_valid():
        errors = " ".join(error for errors in form.errors.values() for error in errors)
        return HttpResponseBadRequest(errors, content_type="text/plain")
    cycle = choices.cycle(form.cleaned_data["cycle"])
    if cycle is None:
        raise Http404("This organisation has no assessment cycle yet.")
    cleaned = form.cleaned_data
    return Selection(
        organisation=context["organisation"],
        cycle=cycle,
        region=cleaned["region"],
        tag=cleaned["tag"],
        sort=cleaned["sort"],
        choices=choices,
    )


def _report(selection: Selection):
    return report_data(
        selection.organisation, selection.cycle, **selection.filters, sort=selection.sort
    )


def _name(selection: Selection, what: str) -> tuple[str, str, str]:
    return selection.organisation.slug, selection.cycle.name, what


@login_required
def portfolio_deck(request):
    """The deck on the organisation's template (or the default); `confidential` puts a
    label in every slide's footer."""
    selection = _selection(request)
    if isinstance(selection, HttpResponse):
        return selection
    template = organisation_template(selection.organisation)
    label = " ".join(request.GET.get("confidential", "").split())[:60]
    content = deck_pptx(
        _report(selection),
        template=bytes(template.content) if template is not None else None,
        confidentiality=label,
    )
    return download(content, PPTX, *_name(selection, "portfolio.pptx"))


@login_required
def portfolio_workbook(request):
    selection = _selection(request)
    if isinstance(selection, HttpResponse):
        return selection
    content = report_workbook(_report(selection))
    return download(content, XLSX, *_name(selection, "report.xlsx"))


@login_required
def portfolio_scores_csv(request):
    selection = _selection(request)
    if isinstance(selection, HttpResponse):
        return selection
    rows = score_rows(selection.organisation, selection.cycle, **selection.filters)
    return download(csv_bytes(SCORE_COLUMNS, rows), CSV, *_name(selection, "scores.csv"))


@login_required
def portfolio_answers_csv(request):
    selection = _selection(request)
    if isinstance(selection, HttpResponse):
        return selection
    units = shown_units(selection.organisation, selection.cycle, **selection.filters)
    columns, rows = answers_table(selection.cycle.name, selection.organisation.slug, units=units)
    return download(csv_bytes(columns, rows), CSV, *_name(selection, "answers.csv"))


@login_required
def unit_scores_csv(request, pk):
    assessment = get_assessment_for_user(request.user, pk)
    rows = assessment_score_rows(assessment)
    unit = assessment.unit
    return download(
        csv_bytes(SCORE_COLUMNS, rows),
        CSV,
        unit.organisation.slug,
        assessment.cycle.name,
        unit.slug,
        "scores.csv",
    )


# --- chart images ---------------------------------------------------------------------------


def _chart_name(request, charts: tuple[str, ...]):
    name = request.GET.get("chart") or charts[0]
    if name not in charts:
        return None, HttpResponseBadRequest(
            f"No chart '{name}' on this page (charts: {', '.join(charts)}).",
            content_type="text/plain",
        )
    return name, None


def image(request, figure, image_format: str, *parts: str, title: str) -> HttpResponse:
    """The figure drawn as an attachment, titled (chart, organisation or unit, cycle: an
    image travels without the page's headings); 503 with the reason when it cannot be drawn."""
    try:
        content = render_chart(with_title(figure, title), image_format)
    except ChartImagesUnavailable as error:
        return render(
            request, "reports/chart_unavailable.html", {"message": str(error)}, status=503
        )
    return download(content, FORMATS[image_format], *parts[:-1], f"{parts[-1]}.{image_format}")


@login_required
def portfolio_chart(request, image_format):
    selection = _selection(request)
    if isinstance(selection, HttpResponse):
        return selection
    name, refused = _chart_name(request, ("heatmap",))
    if refused:
        return refused
    data = portfolio_scores(organisation=selection.organisation, cycles=[selection.cycle])
    page = portfolio_page(
        data, cycle=selection.cycle.name, sort=selection.sort, **selection.filters
    )
    if page["heatmap_figure"] is None:
        raise Http404("No unit was assessed in this cycle with these filters.")
    title = f"Portfolio heatmap · {selection.organisation.name} · {selection.cycle.name}"
    figure = heatmap_spec(page["heatmap_matrix"], data.levels)
    return image(request, figure, image_format, *_name(selection, name), title=title)


@login_required
def compare_chart(request, image_format):
    selection = _selection(request)
    if isinstance(selection, HttpResponse):
        return selection
    name, refused = _chart_name(request, ("side-by-side", "differences"))
    if refused:
        return refused
    requested = compared_units(request.GET)
    data = portfolio_scores(
        organisation=selection.organisation,
        cycles=[selection.cycle],
        cells=False,
        scored_units=requested,
    )
    errors = unit_choice_errors(requested, list(data.units["unit"]))
    if errors:
        return HttpResponseBadRequest(" ".join(errors), content_type="text/plain")
    page = compare_page(data, cycle=selection.cycle.name, units=requested)
    figure = page["side_by_side_figure" if name == "side-by-side" else "difference_figure"]
    what = (
        "Units side by side"
        if name == "side-by-side"
        else f"Difference to {page['columns'][0]['name']}"
    )
    title = f"{what} · {selection.organisation.name} · {selection.cycle.name}"
    return image(request, figure, image_format, *_name(selection, f"compare-{name}"), title=title)


@login_required
def trends_chart(request, image_format):
    selection = _selection(request)
    if isinstance(selection, HttpResponse):
        return selection
    name, refused = _chart_name(request, ("maturity",))  # the page's one chart
    if refused:
        return refused
    choices, cycle = selection.choices, selection.cycle
    shown = [c for c in choices.cycles if c.name <= cycle.name]
    data = portfolio_scores(organisation=selection.organisation, cycles=shown)
    page = trends_page(
        data,
        cycle=cycle.name,
        previous=previous_cycle(choices.cycle_names, cycle.name),
        cycle_names=choices.cycle_names,
        unit=request.GET.get("unit"),
        **selection.filters,
    )
    if page["trend_figure"] is None:
        raise Http404("No unit was assessed in this cycle with these filters.")
    what = f"{page['chosen_unit']}-{name}"
    unit_name = dict(page["unit_choices"]).get(page["chosen_unit"], page["chosen_unit"])
    title = f"Maturity index over cycles · {unit_name} ({selection.organisation.name}) · to {cycle.name}"
    return image(request, page["trend_figure"], image_format, *_name(selection, what), title=title)


@login_required
def unit_report_chart(request, pk, image_format):
    assessment = get_assessment_for_user(request.user, pk)
    name, refused = _chart_name(request, ("heatmap", "targets"))
    if refused:
        return refused
    report = build_unit_report(assessment)
    codes = [row.code for row in report.capabilities]
    portfolio = None
    if is_consultant_for(request.user, assessment.unit.organisation):
        # as on the page: the portfolio median for consultants only
        portfolio = portfolio_scores(
            organisation=assessment.unit.organisation, cycles=[assessment.cycle]
        )
    charts = unit_report_charts(
        report, targets=target_levels(assessment.unit, codes), portfolio=portfolio
    )
    figure = charts["heatmap_figure" if name == "heatmap" else "target_figure"]
    what = "Capability × dimension" if name == "heatmap" else "Capabilities against target"
    title = f"{what} · {assessment.unit.name} · {assessment.cycle.name}"
    return image(
        request,
        figure,
        image_format,
        assessment.unit.slug,
        assessment.cycle.name,
        name,
        title=title,
    )
