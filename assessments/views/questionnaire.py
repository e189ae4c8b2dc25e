"""The questionnaire: an assessment's overview, one page per capability, and its autosave."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.domain import limits
from assessments.domain.answers import number_text, progress_percent
from assessments.domain.guidance import dont_know_text, minutes_estimate
from assessments.forms.questionnaire import CapabilityAnswersForm, versions_text
from assessments.forms.signoff import ReopenForm
from assessments.models import Answer, Capability, Question
from assessments.queries.access import get_assessment_for_user, role_in_unit
from assessments.queries.questionnaire import (
    capability_and_questions,
    capability_progress,
    carried_counts,
    get_capability,
    level_names,
    my_answers,
    my_carried,
)
from assessments.queries.review import my_send_backs
from assessments.queries.tasks import assignment_map, is_task, respondents_progress
from assessments.services.answers import answers_save_checked, time_text
from assessments.services.carry import carried_confirm
from assessments.services.errors import AssessmentLocked, DatabaseBusy

SHOW_CODES = frozenset({"consultant", "admin"})


@login_required
def assessment_overview(request, pk):
    assessment = get_assessment_for_user(request.user, pk)
    role = role_in_unit(request.user, assessment.unit)
    progress = capability_progress(assessment, request.user.username)
    # Answers carried from the last cycle: unanswered until confirmed, so counted apart.
    carried, carried_from = carried_counts(assessment, request.user.username)
    # The guidance, the estimate and "Your answers" count the viewer's tasks, as home
    # does; the table still lists every capability, since anyone may answer any.
    assigned = assignment_map(assessment)
    for row in progress:
        row["carried"] = carried.get(row["capability"].pk, 0)
        row["task"] = is_task(assigned, row["capability"].pk, request.user.pk)
    tasks = [p for p in progress if p["task"]]
    total = sum(p["total"] for p in tasks)
    mine = sum(p["mine"] for p in tasks)
    # "Continue where you left off": the first task this respondent has not finished.
    resume = next((p for p in tasks if p["mine"] < p["total"]), None)
    return render(
        request,
        "assessments/overview.html",
        {
            "assessment": assessment,
            "role": role,
            "progress": progress,
            "mine_percent": progress_percent(mine, total),
            "questions": total,
            "left": total - mine,
            "minutes_left": minutes_estimate(total - mine),
            "minutes_total": minutes_estimate(total),
            "resume": resume,
            "carried": sum(carried.values()),
            "carried_from": carried_from,
            "has_tasks": bool(tasks),
            "all_tasks": len(tasks) == len(progress),
            "unit_percent": progress_percent(
                sum(p["unit"] for p in progress), sum(p["total"] for p in progress)
            ),
            "can_answer": permissions.can(role, permissions.ANSWER) and assessment.is_editable,
            "can_submit": permissions.can(role, permissions.SIGN_OFF) and assessment.is_editable,
            "can_reopen": permissions.can(role, permissions.REOPEN) and not assessment.is_editable,
            "reopen_form": ReopenForm(),
            # Who has finished: the lead's, consultants' and admins' headline.
            "team": respondents_progress(assessment, assigned)
            if permissions.can(role, permissions.REMIND)
            else None,
            "can_assign": permissions.can(role, permissions.ASSIGN),
            "can_remind": permissions.can(role, permissions.REMIND) and assessment.is_editable,
            "send_backs": my_send_backs(assessment, request.user)
            if permissions.can(role, permissions.ANSWER) and assessment.is_editable
            else [],
        },
    )


@login_required
def capability_answers(request, pk, capability_code):
    assessment = get_assessment_for_user(request.user, pk)
    role = role_in_unit(request.user, assessment.unit)
    capability, questions = capability_and_questions(assessment, capability_code)
    respondent = request.user.username
    if request.method != "POST":
        return _capability_page(request, assessment, capability, questions, role)
    permissions.require(role, permissions.ANSWER)
    # Never a disabled form on a save: disabled fields keep their stored values, so a
    # save posted while the assessment was being reopened would be "saved" unchanged and
    # acknowledged. Whether it may change is decided under the lock in answers_save.
    # Level names only label the radios: a save that is redirected never shows them.
    form = CapabilityAnswersForm(request.POST, questions=questions, levels={}, answers={})
    if not form.is_valid():
        messages.error(request, "Nothing was saved: correct the answers marked below.")
        return _capability_page(request, assessment, capability, questions, role, data=request.POST)
    try:
        result = answers_save_checked(
            assessment=assessment,
            respondent=respondent,
            user=request.user,
            questions={q.code: q for q in questions},
            answers=form.answers(),
            versions=form.versions(),
        )
    except AssessmentLocked as error:
        messages.error(request, str(error))
        return redirect("assessment_overview", pk=assessment.pk)
    except DatabaseBusy as error:
        # The page again with everything the respondent typed, nothing lost.
        messages.error(request, str(error))
        return _capability_page(
            request, assessment, capability, questions, role, data=request.POST, status=503
        )
    if result.conflicts:
        # The rest is saved; the questions in conflict show what the respondent typed,
        # the newer answer beside it, and the versions now stored: saving again keeps
        # theirs, reloading the page takes the newer ones.
        messages.warning(
            request,
            f"Saved {capability.name}: {result.changed} answer(s) changed. "
            f"{len(result.conflicts)} answer(s) were not saved because they changed "
            "elsewhere after this page was opened: choose below.",
        )
        data = request.POST.copy()
        data["versions"] = versions_text(result.versions)
        return _capability_page(
            request,
            assessment,
            capability,
            questions,
            role,
            data=data,
            conflicts={c.code: c for c in result.conflicts},
            status=409,
        )
    messages.success(
        request,
        f"Saved {capability.name}: {result.changed} answer(s) changed. Your draft is kept.",
    )
    # Only a capability of this framework: anything else would break the redirect.
    next_code = request.POST.get("next")
    go_to = capability.code
    if next_code and (
        Capability.objects.filter(framework=capability.framework_id, code=next_code).exists()
    ):
        go_to = next_code
    return redirect("capability_answers", pk=assessment.pk, capability_code=go_to)


def _capability_page(
    request, assessment, capability, questions, role, data=None, conflicts=None, status=200
):
    can_answer = permissions.can(role, permissions.ANSWER) and assessment.is_editable
    respondent = request.user.username
    progress = capability_progress(assessment, respondent)
    answers = my_answers(assessment, respondent, questions)
    form_kwargs = {
        "questions": questions,
        "levels": level_names(assessment.cycle.framework),
        "answers": answers,
    }
    # The respondent's answers carried from the last cycle, to confirm or change. The
    # inputs are not filled with them: a Save never confirms one by accident.
    carried = {
        code: {
            "from_cycle": row.from_cycle.name,
            "label": carried_label(row, form_kwargs["levels"]),
            "comment": row.comment,
            "evidence_url": row.evidence_url,
            "evidence_link": row.evidence_url if limits.is_web_link(row.evidence_url) else "",
        }
        for code, row in my_carried(assessment, respondent, questions).items()
        if code not in answers
    }
    if data is None:
        form = CapabilityAnswersForm(**form_kwargs, disabled=not can_answer)
    else:
        form = CapabilityAnswersForm(data, **form_kwargs)
        form.is_valid()
    codes = [p["capability"].code for p in progress]
    index = codes.index(capability.code)
    rows = form.rows()
    for row in rows:
        row["carried"] = carried.get(row["code"])
    return render(
        request,
        "assessments/capability.html",
        {
            "assessment": assessment,
            "capability": capability,
            "form": form,
            "rows": rows,
            "carried": len(carried),
            "carried_from": sorted({c["from_cycle"] for c in carried.values()}),
            "versions": form.versions_shown(),
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
            # The lead's notes to this person about this capability (at most one open).
            "send_backs": my_send_backs(assessment, request.user, capability)
            if permissions.can(role, permissions.ANSWER)
            else [],
            "conflicts": [
                {
                    "code": q.code,
                    "text": q.text,
                    "answer_label": _answer_label(conflicts[q.code].answer),
                    "who": conflicts[q.code].who,
                    "at_text": time_text(conflicts[q.code].at),
                }
                for q in questions
                if q.code in (conflicts or {})
            ],
            "next_code": codes[index + 1] if index + 1 < len(codes) else "",
            "previous_code": codes[index - 1] if index > 0 else "",
        },
        status=status,
    )


def carried_label(carried, levels: dict[int, str]) -> str:
    """A carried answer as the respondent reads it: "3 — Managed", "64 %", "Don't know"."""
    if carried.special:
        return {"na": "Not applicable", "dk": "Don't know"}[carried.special]
    if carried.choice is not None:
        name = levels.get(carried.choice, "")
        return f"{carried.choice} — {name}" if name else str(carried.choice)
    unit = carried.question.unit
    return f"{number_text(carried.value)} {unit}".strip()


@login_required
@require_POST
def carried_confirm_view(request, pk, capability_code):
    """Keep answers carried from the last cycle: the capability's all, or the one named by
    the `question` field. Who may answer may confirm; the assessment must be editable."""
    assessment = get_assessment_for_user(request.user, pk)
    permissions.require(role_in_unit(request.user, assessment.unit), permissions.ANSWER)
    capability = get_capability(assessment, capability_code)
    code = request.POST.get("question", "").strip()
    try:
        result = carried_confirm(
            assessment=assessment,
            respondent=request.user.username,
            user=request.user,
            capability=capability,
            codes=[code] if code else None,
        )
    except AssessmentLocked as error:
        messages.error(request, str(error))
        return redirect("assessment_overview", pk=assessment.pk)
    except DatabaseBusy as error:
        messages.error(request, str(error))
        return redirect("capability_answers", pk=assessment.pk, capability_code=capability.code)
    if result.confirmed:
        messages.success(
            request,
            f"Kept {len(result.confirmed)} answer(s) from the last cycle in {capability.name}.",
        )
    if result.superseded:
        messages.warning(
            request,
            f"{len(result.superseded)} carried answer(s) were not kept: you had answered "
            "those questions meanwhile, and your newer answer stays.",
        )
    if not result.confirmed and not result.superseded:
        messages.info(request, "No carried answer left to keep here.")
    back = redirect("capability_answers", pk=assessment.pk, capability_code=capability.code)
    if code and result.confirmed:
        back["Location"] += f"#q-{result.confirmed[0]}"  # back at the question kept
    return back


def _answer_label(answer: str | None) -> str:
    return {None: "no answer", "na": "not applicable", "dk": "don't know"}.get(answer, answer)


def _refused(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@login_required
@require_POST
def capability_autosave(request, pk, capability_code):
    """Save some answers of one capability page, sent as JSON by static/ladder/autosave.js:

        {"answers": {"IDG-FID-1": {"answer": "3", "comment": "", "evidence": "",
                                   "version": 2}, …}}

    `answer` is a level, a measured value, "na", "dk" or "" (cleared); `version` the
    version the page last saw (0: no answer). Answers 200 with `saved` (code → version,
    at) and `conflicts` (the newer answers, who and when: docs/autosave.md), `errors`
    (code → messages) for answers refused as the form would refuse them; 400 for a
    malformed request, 409 when the assessment is read-only, 503 when the database was
    busy. The same permissions as the form post.
    """
    assessment = get_assessment_for_user(request.user, pk)
    permissions.require(role_in_unit(request.user, assessment.unit), permissions.ANSWER)
    if len(request.body) > limits.MAX_AUTOSAVE_BYTES:
        return _refused("Too much at once: save the page with its Save button.", 400)
    try:
        posted = json.loads(request.body or b"{}")["answers"]
        if not isinstance(posted, dict) or not all(isinstance(v, dict) for v in posted.values()):
            raise ValueError
        versions = {code: int(item["version"]) for code, item in posted.items()}
    except (ValueError, KeyError, TypeError):
        return _refused("Not an autosave request.", 400)
    # The capability's questions that were sent, in one query (its capability checked).
    questions = list(
        Question.objects.asked_in(assessment.cycle).filter(
            capability__code=capability_code,
            code__in=list(posted),
        )
    )
    if not questions or len(questions) != len(posted):
        if not Capability.objects.filter(
            framework_id=assessment.cycle.framework_id, code=capability_code
        ).exists():
            raise Http404("No such capability in this assessment's framework.")
        return _refused("Some of these questions are not on this page.", 400)
    form = CapabilityAnswersForm(
        _form_data(questions, posted), questions=questions, levels={}, answers={}
    )
    form.is_valid()
    errors: dict[str, list[str]] = {}
    for name, messages_ in form.errors.items():
        code = form.code_of(name)
        if code:
            errors.setdefault(code, []).extend(messages_)
    answers = {code: a for code, a in form.answers().items() if code not in errors}
    if not answers:
        return JsonResponse({"saved": {}, "conflicts": [], "errors": errors})
    try:
        result = answers_save_checked(
            assessment=assessment,
            respondent=request.user.username,
            user=request.user,
            questions={q.code: q for q in questions},
            answers=answers,
            versions={code: versions[code] for code in answers},
            source="autosave",
            via=Answer.Via.AUTOSAVE,
        )
    except AssessmentLocked as error:
        return _refused(str(error), 409)
    except DatabaseBusy as error:
        return _refused(str(error), 503)
    in_conflict = {c.code for c in result.conflicts}
    return JsonResponse(
        {
            "saved": {
                code: {"version": version, "at_text": time_text(result.saved_at)}
                for code, version in result.versions.items()
                if code not in in_conflict
            },
            "conflicts": [c.as_json() for c in result.conflicts],
            "errors": errors,
        }
    )


def _form_data(questions, posted) -> dict[str, str]:
    """The autosave's answers as the capability form's fields."""
    data = {}
    for question in questions:
        item = posted[question.code]
        answer = str(item.get("answer") or "").strip()
        code = question.code
        if question.type == Question.Type.NUMERIC:
            special = answer if answer in ("na", "dk") else ""
            data[code], data[f"{code}-special"] = ("" if special else answer), special
        else:
            data[code] = answer
        data[f"{code}-comment"] = str(item.get("comment") or "")
        data[f"{code}-evidence"] = str(item.get("evidence") or "")
    return data
