"""Writes of answers: one respondent's answers saved, audited and scored in one transaction.

Every answer carries a version (1 when first stored, +1 on every change). A save may say,
per question, which version it was built on (`versions`, 0 for "there was no answer"):
a question whose stored answer has moved on since is not overwritten, and is reported
back as an `AnswerConflict` with the newer answer, where it came from and when
(docs/autosave.md). Saves without `versions` (seed_demo, the factories) are not checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from assessments import audit
from assessments.domain.answers import AnswerInput, answer_text
from assessments.models import Answer, Assessment, CarriedAnswer, Question, Response, SendBack
from assessments.models.frameworks import lowest_level

from .errors import AssessmentLocked
from .retry import retried_once
from .scores import scores_refresh

_STORED = ["choice", "value", "special", "level", "option_value", "comment", "evidence_url"]
_UPSERTED = [*_STORED, "updated_at", "version", "updated_via"]


@dataclass(frozen=True)
class AnswerConflict:
    """A question not saved because its stored answer changed after the save's version."""

    code: str
    answer: str | None  # the newer answer as text ("3", "64.5", "na", "dk"); None: cleared
    comment: str
    evidence_url: str
    version: int  # 0: the answer was cleared
    via: str  # Answer.Via of the newer change ("" when cleared)
    at: datetime | None

    @property
    def who(self) -> str:
        """Who made the newer change, for the respondent whose answer it is."""
        if self.via in ("", Answer.Via.FORM, Answer.Via.AUTOSAVE):
            return "you, in another tab or device"
        return Answer.Via(self.via).label

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "answer": self.answer,
            "comment": self.comment,
            "evidence": self.evidence_url,
            "version": self.version,
            "who": self.who,
            "at": self.at.isoformat() if self.at else None,
            "at_text": time_text(self.at),
        }


@dataclass
class SaveResult:
    changed: int = 0
    versions: dict[str, int] = field(default_factory=dict)  # every given question's version now
    conflicts: list[AnswerConflict] = field(default_factory=list)
    saved_at: datetime | None = None


def time_text(at: datetime | None) -> str:
    """10:42 today; 2 Dec 10:42 on another day (the installation's time zone)."""
    if at is None:
        return ""
    local = timezone.localtime(at)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return f"{local.day} {local.strftime('%b %H:%M')}"


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
    return answer_text(choice=answer.choice, value=answer.value, special=answer.special)


def _conflict(code: str, current: Answer | None) -> AnswerConflict:
    if current is None:
        return AnswerConflict(code, None, "", "", 0, "", None)
    return AnswerConflict(
        code,
        _describe(current),
        current.comment,
        current.evidence_url,
        current.version,
        current.updated_via,
        current.updated_at,
    )


def answers_save(**kwargs) -> int:
    """`answers_save_checked`, returning only the number of answers that changed."""
    return answers_save_checked(**kwargs).changed


@retried_once
@transaction.atomic
def answers_save_checked(
    *,
    assessment: Assessment,
    respondent: str,
    user=None,
    questions: Mapping[str, Question],
    answers: Mapping[str, AnswerInput | None],
    versions: Mapping[str, int] | None = None,
    actor=None,
    source: str = "form",
    via: str = Answer.Via.FORM,
    refresh_scores: bool = True,
) -> SaveResult:
    """Store one respondent's answers to the given questions; None clears an answer.

    `versions` (question code → the version the person last saw; 0: no answer) turns on
    the no-lost-update rule: a question whose stored version differs, and whose answer
    would change, is left as stored and listed in the result's conflicts. Questions
    missing from `versions` are not checked.

    Runs a fixed number of queries whatever the number of answers (12 when answers
    change: the lock, the response, the stored answers, one upsert, the stored-score
    refresh (5), the audit append (3); one more when a question is answered for the first
    time: the DELETE of the answer carried from the last cycle that it replaces; 7 when no
    answer's level changes — only comments, evidence links, or a measured value within its
    level — as stored scores read levels; one more, for a respondent with an account, to
    mark the capabilities sent back to them revised, and when that revises one, a read of
    which and an audit append each). Every change is audited (old → new), and the
    assessment's stored scores are recomputed — unless `refresh_scores` is False, for a
    caller saving many respondents that then calls `scores_refresh` once itself.
    """
    # The unit, organisation and cycle come with the lock: the audit entry names them.
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("unit__organisation", "cycle")
        .get(pk=assessment.pk)
    )
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
    now = timezone.now()
    result = SaveResult(saved_at=now)
    to_upsert, to_delete, changes = [], [], {}
    rescore = False  # whether any answer's level changed: stored scores read levels only
    first_answers = []  # questions answered for the first time: their carried answers go
    notes: dict[str, dict] = {}  # comment / evidence link changes, old → new
    lowest: int | None = None  # the framework's lowest level, looked up once
    for code, given in answers.items():
        current = existing.get(code)
        stored_version = current.version if current is not None else 0
        result.versions[code] = stored_version
        if given is None and current is None:
            continue
        if given is not None and current is not None and _same(current, given):
            continue
        seen = versions.get(code) if versions is not None else None
        if seen is not None and seen != stored_version:
            result.conflicts.append(_conflict(code, current))
            continue
        if given is None:
            to_delete.append(current.pk)
            rescore = True
            result.versions[code] = 0
            changes[code] = [_describe(current), None]
            note = _note_changes(current, AnswerInput())
            if note:
                notes[code] = note
            continue
        question = questions[code]
        # Describe the old answer before `current` is overwritten in place below.
        changes[code] = [_describe(current), _describe(given)]
        note = _note_changes(current, given)
        if note:
            notes[code] = note
        if lowest is None and given.special == "dk":
            lowest = lowest_level(question.framework_id)  # only "don't know" needs it
        # Never with a primary key, stored or not: bulk_create sends rows with and rows
        # without one in two statements. The upsert finds the stored row by its question.
        target = Answer(
            response=response,
            question=question,
            choice=given.choice,
            value=given.value,
            special=given.special,
            comment=given.comment,
            evidence_url=given.evidence_url,
            level=question.level_for(
                choice=given.choice, value=given.value, special=given.special, lowest=lowest
            ),
            option_value=question.option_value(given.choice),
            version=stored_version + 1,
            updated_via=via,
            updated_at=now,
        )
        result.versions[code] = target.version
        to_upsert.append(target)
        rescore = (
            rescore
            or current is None
            or current.level != target.level
            or current.option_value != target.option_value  # 0.25 → 0.5: same level
        )
        if current is None:
            first_answers.append(question.pk)
    if to_upsert:
        # One statement for new and changed answers alike (INSERT … ON CONFLICT DO UPDATE,
        # on SQLite and PostgreSQL). The assessment's lock makes the versions safe.
        Answer.objects.bulk_create(
            to_upsert,
            update_conflicts=True,
            unique_fields=["response", "question"],
            update_fields=_UPSERTED,
        )
    if to_delete:
        Answer.objects.filter(pk__in=to_delete).delete()
    if first_answers:
        # Answering a question replaces the answer carried from the last cycle, whatever
        # the answer (docs/cycles.md, "Carrying answers forward"); one DELETE.
        CarriedAnswer.objects.filter(
            assessment=assessment, respondent=respondent, question_id__in=first_answers
        ).delete()
    result.changed = len(changes)
    if changes:
        # Stored scores read levels only: a change of comments or evidence links (most of
        # what autosave sends while someone types), or of a measured value within the same
        # level, leaves them as they are.
        if refresh_scores and rescore:
            scores_refresh(
                assessments=Assessment.objects.filter(pk=assessment.pk),
                known=[(assessment.pk, assessment.cycle.framework_id)],
            )
        audit.record_for_assessment(
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
        account = response.user_id or getattr(user, "pk", None)
        if account is not None:
            capabilities = {
                questions[code].capability_id
                if code in questions
                else existing[code].question.capability_id
                for code in changes
            }
            _mark_revised(assessment, account, capabilities, now, actor=actor or user)
    return result


def _mark_revised(assessment: Assessment, account: int, capabilities: set[int], now, *, actor):
    """A capability sent back to this person and saved by them is revised
    (docs/cycles.md, "Reviewing capabilities"): one UPDATE; when it revised any, one read of
    which and their audit entries."""
    revised = SendBack.objects.filter(
        assessment=assessment,
        user_id=account,
        capability_id__in=capabilities,
        state=SendBack.State.SENT_BACK,
    ).update(state=SendBack.State.REVISED, revised_at=now)
    if not revised:
        return
    for code, username in SendBack.objects.filter(
        assessment=assessment, user_id=account, state=SendBack.State.REVISED, revised_at=now
    ).values_list("capability__code", "user__username"):
        audit.record_for_assessment(
            assessment,
            "capability.revised",
            actor=actor,
            details={"capability": code, "respondent": username},
        )
