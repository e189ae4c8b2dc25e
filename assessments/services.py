"""Writes: the workflows that change assessments and frameworks, each in one transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import audit
from .frameworks import FrameworkSpec
from .models import (
    Answer,
    Assessment,
    Capability,
    Dimension,
    Framework,
    Level,
    Question,
    Response,
)
from .stored_scores import scores_refresh
from .validators import AnswerInput


class AssessmentLocked(PermissionDenied):
    """A submitted assessment is read-only until a lead or consultant reopens it."""

    def __init__(self, assessment: Assessment):
        super().__init__(
            f"The assessment of {assessment.unit} for {assessment.cycle.name} was submitted "
            "and is read-only; it must be reopened before answers can change."
        )


# --- frameworks -------------------------------------------------------------------------


@transaction.atomic
def framework_load(*, spec: FrameworkSpec, actor=None) -> tuple[Framework, bool]:
    """Store a validated framework. Returns (framework, created).

    Loading the same file again changes nothing. A new version string adds a new
    version beside the old ones. A version already loaded from different content
    is replaced only while no assessment uses it.
    """
    existing = Framework.objects.filter(code=spec.code, version=spec.version).first()
    if existing is not None:
        if existing.source_sha256 == spec.source_sha256:
            return existing, False
        if existing.is_in_use:
            raise ValidationError(
                f"framework {spec.code} version {spec.version} is used by assessments and cannot change; "
                "give the file a new version"
            )
        existing.delete()

    framework = Framework.objects.create(
        code=spec.code, version=spec.version, name=spec.name, source_sha256=spec.source_sha256
    )
    Level.objects.bulk_create(
        Level(
            framework=framework,
            number=level.number,
            name=level.name,
            benefit_factor=level.benefit_factor,
            cost_multiplier=level.cost_multiplier,
        )
        for level in spec.levels
    )
    dimensions = {
        d.code: Dimension.objects.create(framework=framework, code=d.code, name=d.name, position=i)
        for i, d in enumerate(spec.dimensions)
    }
    position = 0
    for index, capability_spec in enumerate(spec.capabilities):
        capability = Capability.objects.create(
            framework=framework,
            code=capability_spec.code,
            name=capability_spec.name,
            position=index,
            cost_low=capability_spec.cost_low,
            cost_high=capability_spec.cost_high,
            cost_is_assumption=capability_spec.cost_is_assumption,
            impact=capability_spec.impact,
            benefit_metric=capability_spec.benefit_metric,
            benefit_percent=capability_spec.benefit_percent,
            time_to_value_months=capability_spec.time_to_value_months,
        )
        questions = []
        for question in capability_spec.questions:
            questions.append(
                Question(
                    framework=framework,
                    capability=capability,
                    dimension=dimensions[question.dimension],
                    code=question.code,
                    position=position,
                    text=question.text,
                    help=question.help,
                    weight=question.weight,
                    type=question.type,
                    options={str(k): v for k, v in question.options.items()},
                    unit=question.unit,
                    higher_is_better=question.higher_is_better,
                    thresholds={str(k): v for k, v in question.thresholds.items()},
                )
            )
            position += 1
        Question.objects.bulk_create(questions)
    audit.record(
        "framework.load",
        actor=actor,
        details={"code": spec.code, "version": spec.version, "sha256": spec.source_sha256},
    )
    return framework, True


# --- answers ------------------------------------------------------------------------------


def _same(answer: Answer, given: AnswerInput) -> bool:
    return (
        answer.choice == given.choice
        and answer.value == given.value
        and answer.special == given.special
        and answer.comment == given.comment
        and answer.evidence_url == given.evidence_url
    )


def _note_changes(current: Answer | None, given: AnswerInput) -> dict:
    old_comment = current.comment if current else ""
    old_evidence = current.evidence_url if current else ""
    note = {}
    if old_comment != given.comment:
        note["comment"] = [old_comment, given.comment]
    if old_evidence != given.evidence_url:
        note["evidence_url"] = [old_evidence, given.evidence_url]
    return note


def _describe(answer: Answer | AnswerInput | None) -> str | None:
    if answer is None:
        return None
    if answer.special:
        return answer.special
    if answer.choice is not None:
        return str(answer.choice)
    return str(answer.value)


@transaction.atomic
def answers_save(
    *,
    assessment: Assessment,
    respondent: str,
    user=None,
    questions: Mapping[str, Question],
    answers: Mapping[str, AnswerInput | None],
    actor=None,
    source: str = "form",
    refresh_scores: bool = True,
) -> int:
    """Store one respondent's answers to the given questions; None clears an answer.

    Runs a fixed number of queries whatever the number of answers. Returns the
    number of answers that changed. Every change is audited (old → new), and the
    assessment's stored scores are recomputed — unless `refresh_scores` is False, for
    a caller saving many respondents that then calls `scores_refresh` once itself.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_editable:
        raise AssessmentLocked(assessment)
    response, _ = Response.objects.get_or_create(
        assessment=assessment, respondent=respondent, defaults={"user": user}
    )
    existing = {
        a.question.code: a
        for a in Answer.objects.filter(
            response=response, question__code__in=list(answers)
        ).select_related("question")
    }
    to_create, to_update, to_delete, changes = [], [], [], {}
    notes: dict[str, dict] = {}  # comment / evidence link changes, old → new
    for code, given in answers.items():
        current = existing.get(code)
        if given is None:
            if current is not None:
                to_delete.append(current.pk)
                changes[code] = [_describe(current), None]
                note = _note_changes(current, AnswerInput())
                if note:
                    notes[code] = note
            continue
        if current is not None and _same(current, given):
            continue
        question = questions[code]
        # Describe the old answer before `current` is overwritten in place below.
        changes[code] = [_describe(current), _describe(given)]
        note = _note_changes(current, given)
        if note:
            notes[code] = note
        target = current or Answer(response=response, question=question)
        target.choice, target.value, target.special = given.choice, given.value, given.special
        target.comment, target.evidence_url = given.comment, given.evidence_url
        target.level = question.level_for(
            choice=given.choice, value=given.value, special=given.special
        )
        (to_update if current is not None else to_create).append(target)
    if to_create:
        Answer.objects.bulk_create(to_create)
    if to_update:
        now = timezone.now()
        for answer in to_update:
            answer.updated_at = now
        Answer.objects.bulk_update(
            to_update,
            ["choice", "value", "special", "level", "comment", "evidence_url", "updated_at"],
        )
    if to_delete:
        Answer.objects.filter(pk__in=to_delete).delete()
    if changes:
        Response.objects.filter(pk=response.pk).update(updated_at=timezone.now())
        if refresh_scores:
            scores_refresh(assessments=Assessment.objects.filter(pk=assessment.pk))
        _record_for(
            assessment,
            "answers.change",
            actor=actor or user,
            details={
                "respondent": respondent,
                "source": source,
                "changes": changes,
                **({"notes": notes} if notes else {}),
            },
        )
    return len(changes)


def unanswered_questions(assessment: Assessment) -> list[Question]:
    """Questions that no respondent has answered ("not applicable" and "don't know" count as answers)."""
    answered = Answer.objects.filter(response__assessment=assessment).values("question_id")
    return list(
        Question.objects.filter(framework=assessment.cycle.framework)
        .exclude(pk__in=answered)
        .select_related("capability")
        .order_by("capability__position", "position")
    )


def answers_sha256(assessment: Assessment) -> str:
    """SHA-256 of the assessment's answers in a stable serialisation.

    The serialisation is JSON (sorted keys, no whitespace, UTF-8) of the list of
    [respondent, question code, answer, comment, evidence URL] sorted by
    respondent then question code, where answer is written as in the tidy file
    (level number, number, `na` or `dk`).
    """
    rows = sorted(
        [a.response.respondent, a.question.code, a.tidy_value, a.comment, a.evidence_url]
        for a in Answer.objects.filter(response__assessment=assessment).select_related(
            "response", "question"
        )
    )
    canonical = json.dumps(rows, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _record_for(assessment: Assessment, action: str, *, actor, details: dict) -> None:
    """An audit entry about one assessment, filed under its organisation and unit."""
    audit.record(
        action,
        actor=actor,
        organisation=assessment.unit.organisation.slug,
        unit=assessment.unit.slug,
        details={"assessment": assessment.pk, "cycle": assessment.cycle.name, **details},
    )


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user) -> Assessment:
    """Sign the assessment off. Raises ValidationError listing unanswered questions."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status == Assessment.Status.SUBMITTED:
        raise ValidationError("This assessment is already submitted.")
    missing = unanswered_questions(assessment)
    if missing:
        raise ValidationError(
            f"{len(missing)} question(s) have no answer yet: " + ", ".join(q.code for q in missing)
        )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_by = user
    assessment.submitted_at = timezone.now()
    assessment.answers_sha256 = answers_sha256(assessment)
    assessment.save(update_fields=["status", "submitted_by", "submitted_at", "answers_sha256"])
    # The signed-off answers' scores, whatever wrote the answers before.
    scores_refresh(assessments=Assessment.objects.filter(pk=assessment.pk))
    _record_for(
        assessment,
        "assessment.submit",
        actor=user,
        details={
            "answers_sha256": assessment.answers_sha256,
        },
    )
    return assessment


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, user, reason: str) -> Assessment:
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give a reason for reopening: it is written to the audit log.")
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be reopened.")
    assessment.status = Assessment.Status.REOPENED
    assessment.save(update_fields=["status"])
    _record_for(
        assessment,
        "assessment.reopen",
        actor=user,
        details={
            "reason": reason,
            "previous_answers_sha256": assessment.answers_sha256,
        },
    )
    return assessment
