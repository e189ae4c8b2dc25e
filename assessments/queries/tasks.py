"""Who has which capability as a task, and how far each person is with theirs.

A capability without assignments is everyone's task; once it has assignments, only
those people's (docs/cycles.md, "Assigning capabilities"). Every read here costs a fixed
number of queries, whatever the number of assessments, capabilities or people.
"""

from __future__ import annotations

import copy
import datetime
from collections import defaultdict

from django.db.models import Count, Max, Q
from django.utils import timezone

from assessments.domain.answers import progress_percent
from assessments.models import (
    Answer,
    Assignment,
    Capability,
    CarriedAnswer,
    EmailPreference,
    Membership,
    Profile,
    SendBack,
)


def unit_members(assessment) -> list[Membership]:
    """The unit's active respondents and leads, by username, with their users; one query."""
    return list(
        Membership.objects.filter(unit=assessment.unit_id, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )


def assignment_map(assessment) -> dict[int, set[int]]:
    """Capability pk → the user pks it is assigned to; a capability missing from the map is
    everyone's. One query."""
    assigned: dict[int, set[int]] = defaultdict(set)
    for capability_id, user_id in Assignment.objects.filter(assessment=assessment).values_list(
        "capability_id", "user_id"
    ):
        assigned[capability_id].add(user_id)
    return dict(assigned)


def is_task(assigned: dict[int, set[int]], capability_id: int, user_id: int) -> bool:
    return capability_id not in assigned or user_id in assigned[capability_id]


def asks(cycle) -> tuple[int, int | None]:
    """What a cycle asks: its framework, and its profile if it has one."""
    return cycle.framework_id, cycle.profile_id


def capabilities_asked(cycles) -> dict[tuple[int, int | None], list[Capability]]:
    """For what each of the cycles asks (`asks`): the capabilities it asks, in
    questionnaire order, each with `total` questions asked. A profile leaves out the
    capabilities it asks nothing of. One query, two when a cycle has a profile."""
    keys = {asks(cycle) for cycle in cycles}
    by_framework: dict[int, list[Capability]] = defaultdict(list)
    for capability in (
        Capability.objects.filter(framework__in={framework for framework, _ in keys})
        .annotate(total=Count("questions"))
        .order_by("framework_id", "position")
    ):
        by_framework[capability.framework_id].append(capability)
    profiles = {profile for _, profile in keys if profile is not None}
    in_profile = (
        {
            (profile, capability): n
            for profile, capability, n in Profile.questions.through.objects.filter(
                profile__in=profiles
            )
            .values_list("profile_id", "question__capability_id")
            .annotate(n=Count("id"))
            .values_list("profile_id", "question__capability_id", "n")
            .order_by()
        }
        if profiles
        else {}
    )
    asked: dict[tuple[int, int | None], list[Capability]] = {}
    for framework, profile in keys:
        if profile is None:
            asked[framework, profile] = by_framework[framework]
            continue
        asked[framework, profile] = [
            _with_total(capability, in_profile[profile, capability.pk])
            for capability in by_framework[framework]
            if (profile, capability.pk) in in_profile
        ]
    return asked


def _with_total(capability: Capability, total: int) -> Capability:
    asked = copy.copy(capability)
    asked.total = total  # type: ignore[attr-defined]
    return asked


def asked_capabilities(cycle) -> list[Capability]:
    """The capabilities the cycle asks, each with `total` questions asked."""
    return capabilities_asked([cycle])[asks(cycle)]


def tasks_of(user, assessments, today: datetime.date | None = None) -> dict[int, list[dict]]:
    """Assessment pk → the user's tasks there, in questionnaire order: capability, its
    questions (`total`), the user's answers to them (`mine`), `percent`, `done`,
    `deadline` and `overdue` (the deadline has passed and the task is not done). Only
    editable assessments have tasks. Three queries whatever the number of assessments."""
    today = today or timezone.localdate()
    assessments = [a for a in assessments if a.is_editable]
    if not assessments:
        return {}
    asked = capabilities_asked([a.cycle for a in assessments])
    assigned: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for assessment_id, capability_id, user_id in Assignment.objects.filter(
        assessment__in=assessments
    ).values_list("assessment_id", "capability_id", "user_id"):
        assigned[assessment_id][capability_id].add(user_id)
    mine = {
        (assessment_id, capability_id): n
        for assessment_id, capability_id, n in Answer.objects.filter(
            response__assessment__in=assessments, response__respondent=user.username
        )
        .values_list("response__assessment_id", "question__capability_id")
        .annotate(n=Count("id"))
        .values_list("response__assessment_id", "question__capability_id", "n")
    }
    tasks: dict[int, list[dict]] = {}
    for assessment in assessments:
        deadline = assessment.cycle.deadline
        rows = []
        for capability in asked[asks(assessment.cycle)]:
            if not is_task(assigned[assessment.pk], capability.pk, user.pk):
                continue
            answered = mine.get((assessment.pk, capability.pk), 0)
            done = answered >= capability.total
            rows.append(
                {
                    "capability": capability,
                    "total": capability.total,
                    "mine": answered,
                    "percent": progress_percent(answered, capability.total),
                    "done": done,
                    "deadline": deadline,
                    "overdue": deadline is not None and deadline < today and not done,
                }
            )
        tasks[assessment.pk] = rows
    return tasks


def respondents_progress(assessment, assigned: dict[int, set[int]] | None = None) -> dict:
    """Who has finished, for the lead's overview: per member of the unit their tasks
    (`assigned`: a number of capabilities, or None for "all"), the questions of their
    tasks answered (`answered` of `total`), their answers elsewhere (`other`), their
    don't-knows, when they last saved, their open send-backs, their carried answers
    waiting to be confirmed, whether they finished and turned reminders off; and the
    unit's figures (`finished` people of `people`, questions answered by anyone of
    `questions`). Seven queries whatever the number of people and capabilities."""
    members = unit_members(assessment)
    capabilities = asked_capabilities(assessment.cycle)
    assigned = assignment_map(assessment) if assigned is None else assigned
    answers: dict[int, dict[int, int]] = defaultdict(dict)
    dont_knows: dict[int, int] = defaultdict(int)
    last_saved: dict[int, datetime.datetime] = {}
    for user_id, capability_id, n, dk, last in (
        Answer.objects.filter(response__assessment=assessment, response__user__isnull=False)
        .values_list("response__user_id", "question__capability_id")
        .annotate(n=Count("id"), dk=Count("id", filter=Q(special="dk")), last=Max("updated_at"))
        .values_list("response__user_id", "question__capability_id", "n", "dk", "last")
    ):
        answers[user_id][capability_id] = n
        dont_knows[user_id] += dk
        if user_id not in last_saved or last > last_saved[user_id]:
            last_saved[user_id] = last
    sent_back = dict(
        SendBack.objects.filter(assessment=assessment)
        .exclude(state=SendBack.State.CLOSED)
        .values_list("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    carried = dict(
        CarriedAnswer.objects.filter(assessment=assessment)
        .values_list("respondent")
        .annotate(n=Count("id"))
        .values_list("respondent", "n")
    )
    opted_out = set(
        EmailPreference.objects.filter(
            reminders=False, user__in=[m.user_id for m in members]
        ).values_list("user_id", flat=True)
    )
    rows = []
    for membership in members:
        user = membership.user
        theirs = [c for c in capabilities if is_task(assigned, c.pk, user.pk)]
        total = sum(c.total for c in theirs)
        answered = sum(answers[user.pk].get(c.pk, 0) for c in theirs)
        everything = sum(answers[user.pk].values())
        rows.append(
            {
                "user": user,
                "role": membership.get_role_display(),
                "assigned": None if len(theirs) == len(capabilities) else len(theirs),
                "answered": answered,
                "total": total,
                "percent": progress_percent(answered, total),
                "other": everything - answered,
                "dont_knows": dont_knows.get(user.pk, 0),
                "last_saved": last_saved.get(user.pk),
                "sent_back": sent_back.get(user.pk, 0),
                "carried": carried.get(user.username, 0),
                "finished": answered >= total,
                "opted_out": user.pk in opted_out,
            }
        )
    return {
        "rows": rows,
        "finished": sum(1 for row in rows if row["finished"]),
        "people": len(rows),
    }
