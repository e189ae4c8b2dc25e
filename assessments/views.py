from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .forms import CapabilityAnswersForm, ReopenForm
from .models import Capability, Level
from .queries import (
    assessments_for_user,
    capability_progress,
    consolidated_answers,
    get_assessment_for_user,
    my_answers,
    organisations_for_consultant,
    role_in_unit,
)
from .services import (
    AssessmentLocked,
    answers_save,
    assessment_reopen,
    assessment_submit,
    unanswered_questions,
)

ANSWERING_ROLES = {"respondent", "lead"}
SIGNING_ROLES = {"lead", "admin"}
REOPENING_ROLES = {"lead", "consultant", "admin"}
REVIEWING_ROLES = {"lead", "consultant", "admin"}


def _require_role(role: str | None, allowed: set[str], action: str) -> None:
    if role not in allowed:
        raise PermissionDenied(f"Your role does not allow you to {action}.")


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


@login_required
def assessment_overview(request, pk):
    assessment = get_assessment_for_user(request.user, pk)
    role = role_in_unit(request.user, assessment.unit)
    progress = capability_progress(assessment, request.user.username)
    total = sum(p["total"] for p in progress)
    return render(
        request,
        "assessments/overview.html",
        {
            "assessment": assessment,
            "role": role,
            "progress": progress,
            "mine_percent": round(100 * sum(p["mine"] for p in progress) / total) if total else 0,
            "unit_percent": round(100 * sum(p["unit"] for p in progress) / total) if total else 0,
            "can_answer": role in ANSWERING_ROLES and assessment.is_editable,
            "can_submit": role in SIGNING_ROLES and assessment.is_editable,
            "can_reopen": role in REOPENING_ROLES and not assessment.is_editable,
            "reopen_form": ReopenForm(),
        },
    )


@login_required
def capability_answers(request, pk, capability_code):
    assessment = get_assessment_for_user(request.user, pk)
    role = role_in_unit(request.user, assessment.unit)
    capability = get_object_or_404(
        Capability, framework=assessment.cycle.framework, code=capability_code
    )
    questions = list(
        capability.questions.select_related("dimension").order_by("dimension__position", "position")
    )
    levels = dict(
        Level.objects.filter(framework=assessment.cycle.framework).values_list("number", "name")
    )
    respondent = request.user.username
    can_answer = role in ANSWERING_ROLES and assessment.is_editable
    current = my_answers(assessment, respondent, questions)
    form_kwargs = {
        "questions": questions,
        "levels": levels,
        "answers": current,
        "disabled": not can_answer,
    }
    if request.method == "POST":
        _require_role(role, ANSWERING_ROLES, "answer this questionnaire")
        form = CapabilityAnswersForm(request.POST, **form_kwargs)
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
            messages.success(
                request,
                f"Saved {capability.name}: {changed} answer(s) changed. Your draft is kept.",
            )
            next_code = request.POST.get("next")
            # Only a capability of this framework: anything else would break the redirect.
            if (
                next_code
                and Capability.objects.filter(
                    framework=assessment.cycle.framework, code=next_code
                ).exists()
            ):
                return redirect("capability_answers", pk=assessment.pk, capability_code=next_code)
            return redirect("capability_answers", pk=assessment.pk, capability_code=capability.code)
        messages.error(request, "Nothing was saved: correct the answers marked below.")
    else:
        form = CapabilityAnswersForm(**form_kwargs)
    progress = capability_progress(assessment, respondent)
    codes = [p["capability"].code for p in progress]
    index = codes.index(capability.code)
    return render(
        request,
        "assessments/capability.html",
        {
            "assessment": assessment,
            "capability": capability,
            "form": form,
            "progress": progress,
            "current": next(p for p in progress if p["capability"].code == capability.code),
            "can_answer": can_answer,
            "next_code": codes[index + 1] if index + 1 < len(codes) else "",
            "previous_code": codes[index - 1] if index > 0 else "",
        },
    )


@login_required
def consolidated(request, pk):
    """The lead's review before sign-off: every respondent's answer to every question."""
    assessment = get_assessment_for_user(request.user, pk)
    role = role_in_unit(request.user, assessment.unit)
    _require_role(role, REVIEWING_ROLES, "review every respondent's answers")
    return render(
        request,
        "assessments/consolidated.html",
        {
            "assessment": assessment,
            "capabilities": consolidated_answers(assessment),
            "can_submit": role in SIGNING_ROLES and assessment.is_editable,
        },
    )


@login_required
@require_POST
def submit(request, pk):
    assessment = get_assessment_for_user(request.user, pk)
    _require_role(
        role_in_unit(request.user, assessment.unit), SIGNING_ROLES, "submit this assessment"
    )
    try:
        assessment_submit(assessment=assessment, user=request.user)
    except ValidationError:
        missing = unanswered_questions(assessment)
        if not missing:
            messages.error(request, "This assessment is already submitted.")
            return redirect("assessment_overview", pk=assessment.pk)
        by_capability: dict = {}
        for question in missing:
            by_capability.setdefault(question.capability, []).append(question)
        return render(
            request,
            "assessments/unanswered.html",
            {"assessment": assessment, "by_capability": by_capability, "count": len(missing)},
            status=400,
        )
    messages.success(request, "Assessment submitted and signed off. It is now read-only.")
    return redirect("assessment_overview", pk=assessment.pk)


@login_required
@require_POST
def reopen(request, pk):
    assessment = get_assessment_for_user(request.user, pk)
    _require_role(
        role_in_unit(request.user, assessment.unit), REOPENING_ROLES, "reopen this assessment"
    )
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            assessment_reopen(
                assessment=assessment, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Assessment reopened; the reason is in the audit log.")
    else:
        messages.error(request, "Give a reason for reopening: it is written to the audit log.")
    return redirect("assessment_overview", pk=assessment.pk)
