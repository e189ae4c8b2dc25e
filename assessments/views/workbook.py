"""The offline workbook: download a unit's questionnaire as XLSX, upload it filled in.

Consultants of the unit's organisation, the unit's lead and admins may use both;
respondents get 403 (they answer on the web), outsiders 404. A file that would replace
answers a colleague gave on the web, or answers changed after the workbook was made, is
refused with the list of them until the uploader ticks the confirmation and uploads the
same file again.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from assessments import permissions
from assessments.forms.workbook import AnswersUploadForm, WorkbookDownloadForm
from assessments.imports import (
    ImportFailed,
    WebAnswersNotConfirmed,
    answers_import,
    file_made_at,
    read_rows,
)
from assessments.models import Answer
from assessments.offline_workbook.writer import questionnaire_workbook
from assessments.queries.access import get_assessment_for_user, role_in_unit
from assessments.queries.frameworks import questionnaire_questions
from assessments.queries.questionnaire import level_names
from assessments.services.errors import AssessmentLocked, DatabaseBusy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOCKED = "This assessment is submitted and read-only: reopen it before uploading answers."


def _assessment_for_workbook(user, pk):
    assessment = get_assessment_for_user(user, pk)
    permissions.require(role_in_unit(user, assessment.unit), permissions.USE_WORKBOOK)
    return assessment


@login_required
def workbook_download(request, pk):
    assessment = _assessment_for_workbook(request.user, pk)
    form = WorkbookDownloadForm(request.GET)
    if not form.is_valid():
        return _upload_page(request, assessment, download_form=form, status=400)
    framework = assessment.cycle.framework
    data = questionnaire_workbook(
        assessment,
        questionnaire_questions(assessment.cycle),
        level_names(framework),
        respondent_name=form.cleaned_data["respondent"],
    )
    parts = [assessment.unit.organisation.slug, assessment.unit.slug, assessment.cycle.name]
    filename = "-".join(slugify(part) for part in parts) + "-questionnaire.xlsx"
    return HttpResponse(
        data,
        content_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@login_required
def workbook_upload(request, pk):
    assessment = _assessment_for_workbook(request.user, pk)
    if request.method != "POST":
        return _upload_page(request, assessment)
    if not assessment.is_editable:
        return _upload_page(request, assessment, problems=[LOCKED], status=409)
    form = AnswersUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, assessment, upload_form=form, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        result = answers_import(
            rows=read_rows(upload.name, data),
            source_name=upload.name,
            source_bytes=data,
            actor=request.user,
            only_unit=assessment.unit,
            only_cycle=assessment.cycle,
            replace_web_answers=form.confirms(sha256),
            made_at=file_made_at(upload.name, data),
            via=Answer.Via.WORKBOOK,
        )
    except WebAnswersNotConfirmed as error:
        confirm = AnswersUploadForm(initial={"confirmed_sha256": sha256})
        return _upload_page(
            request,
            assessment,
            upload_form=confirm,
            replaced=error.problems,
            confirming=upload.name,
            status=409,
        )
    except ImportFailed as error:
        return _upload_page(request, assessment, problems=error.problems, status=400)
    except AssessmentLocked:
        return _upload_page(request, assessment, problems=[LOCKED], status=409)
    except DatabaseBusy as error:
        return _upload_page(request, assessment, problems=[str(error)], status=503)
    messages.success(
        request,
        f"Imported {result.rows} answer row(s) from {upload.name}: "
        f"{result.answers_changed} answer(s) changed.",
    )
    return redirect("assessment_overview", pk=assessment.pk)


def _upload_page(
    request,
    assessment,
    *,
    download_form=None,
    upload_form=None,
    problems=(),
    replaced=(),
    confirming="",
    status=200,
):
    return render(
        request,
        "assessments/workbook_upload.html",
        {
            "assessment": assessment,
            "download_form": download_form or WorkbookDownloadForm(),
            "upload_form": upload_form or AnswersUploadForm(),
            "problems": problems,
            "replaced": replaced,
            "confirming": confirming,
            "can_upload": assessment.is_editable,
        },
        status=status,
    )
