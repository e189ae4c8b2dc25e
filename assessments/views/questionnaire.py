"""The questionnaire: an assessment's overview, and one page per capability."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from assessments import permissions
from assessments.domain import limits
from assessments.domain.guidance import dont_know_text, minutes_estimate
from assessments.forms.questionnaire import CapabilityAnswersForm
from assessments.forms.signoff import ReopenForm
from assessments.queries.access import get_assessment_for_user, role_in_unit
from assessments.queries.questionnaire import (
    capability_progress,
    capability_questions,
    get_capability,
    level_names,
    my_answers,
)
from assessments.services.answers import answers_save
from assessments.services.errors import AssessmentLocked, DatabaseBusy

SHOW_CODES = frozenset({"consultant", "admin"})


@login_required
def assessment_overview(request, pk):
    assessment = get_assessment_for_user(request.user, pk)
    role = role_in_unit(request.user, assessment.unit)
    progress = capability_progress(assessment, request.user.username)
    total = sum(p["total"] for p in progress)
    mine = sum(p["mine"] for p in progress)
    # "Continue where you left off": the first capability this respondent has not finished.
    resume = next((p for p in progress if p["mine"] < p["total"]), None)
    return render(
        request,
        "assessments/overview.html",
        {
            "assessment": assessment,
            "role": role,
            "progress": progress,
            "mine_percent": round(100 * mine / total) if total else 0,
            "questions": total,
            "left": total - mine,
            "minutes_left": minutes_estimate(total - mine),
            "minutes_total": minutes_estimate(total),
            "resume": resume,
            "unit_percent": round(100 * sum(p["unit"] for p in progress) / total) if total else 0,
            "can_answer": permissions.can(role, permissions.ANSWER) and assessment.is_editable,
            "can_submit": permissions.can(role, permissions.SIGN_OFF) and assessment.is_editable,
            "can_reopen": permissions.can(role, permissions.REOPEN) and not assessment.is_editable,
            "reopen_form": ReopenForm(),
        },
    )


@login_required
def capability_answers(request, pk, capability_code):
    assessment = get_assessment_for_user(request.user, pk)
    role = role_in_unit(request.user, assessment.unit)
    capability = get_capability(assessment, capability_code)
    questions = capability_questions(capability)
    respondent = request.user.username
    can_answer = permissions.can(role, permissions.ANSWER) and assessment.is_editable
    progress = capability_progress(assessment, respondent)
    codes = [p["capability"].code for p in progress]
    form_kwargs = {
        "questions": questions,
        "levels": level_names(assessment.cycle.framework),
        "answers": my_answers(assessment, respondent, questions),
        "disabled": not can_answer,
    }
    if request.method == "POST":
        permissions.require(role, permissions.ANSWER)
        # Never a disabled form on a save: disabled fields keep their stored values, so a
        # save posted while the assessment was being reopened would be "saved" unchanged and
        # acknowledged. Whether it may change is decided under the lock in answers_save.
        form = CapabilityAnswersForm(request.POST, **{**form_kwargs, "disabled": False})
        if form.is_valid():
            try:
                changed = answers_save(
                    assessment=assessment,
                    respondent=respondent,
                    user=request.user,
                    questions={q.code: q for q in questions},
                    answers=form.answers(),
                )
            except AssessmentLocked as error:
                messages.error(request, str(error))
                return redirect("assessment_overview", pk=assessment.pk)
            except DatabaseBusy as error:
                # The page again with everything the respondent typed, nothing lost.
                messages.error(request, str(error))
                return _capability_page(
                    request, assessment, capability, form, progress, role, status=503
                )
            messages.success(
                request,
                f"Saved {capability.name}: {changed} answer(s) changed. Your draft is kept.",
            )
            # Only a capability of this framework: anything else would break the redirect.
            next_code = request.POST.get("next")
            go_to = next_code if next_code in codes else capability.code
            return redirect("capability_answers", pk=assessment.pk, capability_code=go_to)
        messages.error(request, "Nothing was saved: correct the answers marked below.")
    else:
        form = CapabilityAnswersForm(**form_kwargs)
    return _capability_page(request, assessment, capability, form, progress, role)


def _capability_page(request, assessment, capability, form, progress, role, status=200):
    codes = [p["capability"].code for p in progress]
    can_answer = permissions.can(role, permissions.ANSWER) and assessment.is_editable
    index = codes.index(capability.code)
    return render(
        request,
        "assessments/capability.html",
        {
            "assessment": assessment,
            "capability": capability,
            "form": form,
            "rows": form.rows(),
            "disabled": form.disabled,
            "dont_know": dont_know_text(form.levels),
            "comment_max": limits.COMMENT.max_length,
            "evidence_max": limits.EVIDENCE_URL.max_length,
            # Codes and weights are for the people who maintain the framework, not respondents.
            "show_codes": role in SHOW_CODES,
            "progress": progress,
            "current": progress[index],
            "can_answer": can_answer,
            "can_reopen": permissions.can(role, permissions.REOPEN),
            "next_code": codes[index + 1] if index + 1 < len(codes) else "",
            "previous_code": codes[index - 1] if index > 0 else "",
        },
        status=status,
    )
