"""Carrying answers forward: a new cycle starts each unit from its last signed-off answers.

`carry_forward` copies, for every unit of the cycle's organisation, the answers of the
unit's latest signed-off assessment in an earlier cycle (cycles sort by name) into the new
cycle's assessment as `CarriedAnswer` rows, matching questions by capability code and
question code (the framework version may differ). A carried answer is not an answer: it
counts as unanswered and unscored until its respondent confirms it (`carried_confirm`,
which saves it through `answers_save_checked`: versions, stored scores, audit) or answers
the question (any save that creates the answer drops the carried row). Rules in
docs/cycles.md, "Carrying answers forward".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from assessments import audit
from assessments.domain.answers import AnswerInput
from assessments.models import (
    Answer,
    Assessment,
    BusinessUnit,
    Capability,
    CarriedAnswer,
    Cycle,
    Question,
)

from .answers import answers_save_checked
from .errors import AssessmentLocked
from .retry import retried_once


@dataclass
class UnitCarry:
    """What one unit's assessment got from its last signed-off one."""

    unit: str
    from_cycle: str = ""  # "": the unit has no signed-off assessment in an earlier cycle
    carried: int = 0
    already: int = 0  # answered or carried in the new cycle already: left as they are
    skipped: list[str] = field(default_factory=list)  # question codes the framework lost
    locked: bool = False  # the new cycle's assessment is signed off: nothing carried

    def __str__(self) -> str:
        if self.locked:
            return f"{self.unit}: signed off in this cycle already, nothing carried"
        if not self.from_cycle:
            return f"{self.unit}: no signed-off assessment in an earlier cycle"
        text = f"{self.unit}: {self.carried} answer(s) carried from {self.from_cycle}"
        if self.already:
            text += f", {self.already} already answered or carried"
        if self.skipped:
            text += f", {len(self.skipped)} skipped (not in this framework version)"
        return text


def _fits(question: Question, answer: Answer) -> bool:
    """Whether the old answer is a possible answer to the new cycle's question."""
    if answer.special:
        return True
    if question.has_options:
        old = answer.question
        if (old.option_values or question.option_values) and (
            old.option_values != question.option_values or old.options != question.options
        ):
            return False  # valued options are numbered: only the same options keep a number
        return answer.choice is not None and answer.choice in question.option_levels
    return answer.value is not None


@retried_once
@transaction.atomic
def carry_forward(*, cycle: Cycle, by) -> list[UnitCarry]:
    """Carry every unit's last signed-off answers into `cycle`; one `UnitCarry` per unit.

    Idempotent: a question the respondent has answered or has a carried answer to in this
    cycle is left alone, so a second run carries nothing. A unit without an assessment in
    the cycle gets one (as set-up gives every unit one); a signed-off one gets nothing.
    Questions the cycle's framework no longer has (by capability and question code), and
    answers that no longer fit them (an option that is gone, a choice become a measure),
    are skipped and counted. One `answers.carry` audit entry per unit that got answers.
    """
    organisation = cycle.organisation
    units = list(BusinessUnit.objects.filter(organisation=organisation).order_by("slug"))
    have = set(Assessment.objects.filter(cycle=cycle).values_list("unit_id", flat=True))
    Assessment.objects.bulk_create(
        [Assessment(unit=unit, cycle=cycle) for unit in units if unit.pk not in have]
    )
    # Locked: nobody answers while the rows are being written.
    targets = {
        a.unit_id: a
        for a in Assessment.objects.select_for_update(of=("self",))
        .select_related("unit__organisation", "cycle")
        .filter(cycle=cycle)
    }
    sources: dict[int, Assessment] = {}
    for source in (
        Assessment.objects.filter(
            unit__organisation=organisation,
            status=Assessment.Status.SUBMITTED,
            cycle__name__lt=cycle.name,
        )
        .select_related("cycle")
        .order_by("unit_id", "-cycle__name")
    ):
        sources.setdefault(source.unit_id, source)  # the latest earlier cycle's
    old_answers = (
        Answer.objects.filter(response__assessment__in=list(sources.values()))
        .select_related("response", "question__capability")
        .order_by("response__respondent", "question__capability__position", "question__position")
    )
    by_source: dict[int, list[Answer]] = {}
    for answer in old_answers:
        by_source.setdefault(answer.response.assessment_id, []).append(answer)
    new_questions = {
        (q.capability.code, q.code): q
        for q in Question.objects.asked_in(cycle).select_related("capability")
    }
    answered = set(
        Answer.objects.filter(response__assessment__cycle=cycle).values_list(
            "response__assessment_id", "response__respondent", "question_id"
        )
    )
    carried = set(
        CarriedAnswer.objects.filter(assessment__cycle=cycle).values_list(
            "assessment_id", "respondent", "question_id"
        )
    )
    now = timezone.now()
    rows: list[CarriedAnswer] = []
    results: list[UnitCarry] = []
    for unit in units:
        result = UnitCarry(unit.slug)
        results.append(result)
        target, source = targets.get(unit.pk), sources.get(unit.pk)
        if source is None or target is None:
            continue
        result.from_cycle = source.cycle.name
        if not target.is_editable:
            result.locked = True
            continue
        for answer in by_source.get(source.pk, []):
            question = new_questions.get((answer.question.capability.code, answer.question.code))
            if question is None or not _fits(question, answer):
                if answer.question.code not in result.skipped:
                    result.skipped.append(answer.question.code)
                continue
            key = (target.pk, answer.response.respondent, question.pk)
            if key in answered or key in carried:
                result.already += 1
                continue
            carried.add(key)
            result.carried += 1
            rows.append(
                CarriedAnswer(
                    assessment=target,
                    respondent=answer.response.respondent,
                    user_id=answer.response.user_id,
                    question=question,
                    choice=answer.choice,
                    value=answer.value,
                    special=answer.special,
                    comment=answer.comment,
                    evidence_url=answer.evidence_url,
                    from_cycle=source.cycle,
                    carried_at=now,
                )
            )
    CarriedAnswer.objects.bulk_create(rows)
    for unit in units:
        result = next(r for r in results if r.unit == unit.slug)
        if result.carried:
            audit.record_for_assessment(
                targets[unit.pk],
                "answers.carry",
                actor=by,
                details={
                    "from_cycle": result.from_cycle,
                    "carried": result.carried,
                    "already": result.already,
                    "skipped": result.skipped,
                },
            )
    return results


@dataclass
class ConfirmResult:
    confirmed: list[str] = field(default_factory=list)  # question codes now answered
    # Answered elsewhere meanwhile: the newer answer stays, the carried one is dropped.
    superseded: list[str] = field(default_factory=list)


@retried_once
@transaction.atomic
def carried_confirm(
    *,
    assessment: Assessment,
    respondent: str,
    user,
    capability: Capability,
    codes: list[str] | None = None,
) -> ConfirmResult:
    """Confirm the respondent's carried answers of one capability (all, or the given
    question codes): each becomes the respondent's answer, saved as a change of the page
    would be (a new version, stored scores refreshed, `answers.change` audited), and its
    carried row goes, in one transaction. A question answered meanwhile keeps its answer
    (its version is no longer 0) and loses its carried row. One `answers.confirm` audit
    entry with the question codes and the cycle they came from."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("unit__organisation", "cycle")
        .get(pk=assessment.pk)
    )
    if not assessment.is_editable:
        raise AssessmentLocked(assessment)
    rows = CarriedAnswer.objects.filter(
        assessment=assessment, respondent=respondent, question__capability=capability
    ).select_related("question", "from_cycle")
    if codes is not None:
        rows = rows.filter(question__code__in=codes)
    rows = list(rows)
    result = ConfirmResult()
    if not rows:
        return result
    saved = answers_save_checked(
        assessment=assessment,
        respondent=respondent,
        user=user,
        questions={row.question.code: row.question for row in rows},
        answers={
            row.question.code: AnswerInput(
                choice=row.choice,
                value=row.value,
                special=row.special,
                comment=row.comment,
                evidence_url=row.evidence_url,
            )
            for row in rows
        },
        versions={row.question.code: 0 for row in rows},
        actor=user,
        source="carried",
        via=Answer.Via.FORM,
    )
    CarriedAnswer.objects.filter(pk__in=[row.pk for row in rows]).delete()
    superseded = {conflict.code for conflict in saved.conflicts}
    result.confirmed = [row.question.code for row in rows if row.question.code not in superseded]
    result.superseded = [row.question.code for row in rows if row.question.code in superseded]
    audit.record_for_assessment(
        assessment,
        "answers.confirm",
        actor=user,
        details={
            "respondent": respondent,
            "capability": capability.code,
            "from_cycle": sorted({row.from_cycle.name for row in rows}),
            "questions": result.confirmed,
            **({"superseded": result.superseded} if result.superseded else {}),
        },
    )
    return result
