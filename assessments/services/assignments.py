"""Assigning an assessment's capabilities to members of its unit (docs/cycles.md,
"Assigning capabilities").

The lead's grid is saved whole: for each capability the members ticked. A capability
ticked for every member is stored as no rows, which means everyone (so someone who joins
the unit later has it too); a capability ticked for nobody is refused — no rows would
mean everyone, the opposite of what was asked. Whoever gained capabilities gets one
email once the save is committed; a send the mail server refuses is written to the audit
log and never undoes the save. Assignment emails are not reminders: turning reminders off
does not stop them.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass

from django.db import transaction

from assessments import audit
from assessments.models import Assessment, Assignment, Capability
from assessments.queries.tasks import assignment_map, unit_members

from .errors import AssignmentsRefused
from .invitations import send_text_email
from .reminders import absolute_url
from .retry import retried_once


@dataclass(frozen=True)
class AssignmentChanges:
    """What a save changed: (username, capability code) pairs, and who is emailed."""

    added: list[tuple[str, str]]
    removed: list[tuple[str, str]]
    emailed: list[str]


@retried_once
@transaction.atomic
def assignments_set(
    *, assessment: Assessment, assignments: dict[int, set[int]], by
) -> AssignmentChanges:
    """Store who has which capability as a task: capability pk → the user pks ticked.
    Capabilities left out keep their assignments. AssignmentsRefused when the assessment
    is signed off, a capability is not of its framework, someone is not a member of its
    unit, or a capability is ticked for nobody."""
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("unit__organisation", "cycle")
        .get(pk=assessment.pk)
    )
    if not assessment.is_editable:
        raise AssignmentsRefused(
            "This assessment is signed off: reopen it before changing who answers what."
        )
    members = {m.user_id: m.user for m in unit_members(assessment)}
    capabilities = {
        c.pk: c for c in Capability.objects.filter(framework=assessment.cycle.framework_id)
    }
    for capability_id, user_ids in assignments.items():
        if capability_id not in capabilities:
            raise AssignmentsRefused("That capability is not part of this assessment.")
        strangers = set(user_ids) - set(members)
        if strangers:
            raise AssignmentsRefused(
                "Only members of the unit can be given capabilities; "
                "someone ticked is not (any more)."
            )
        if not user_ids:
            raise AssignmentsRefused(
                f"Nobody is ticked for {capabilities[capability_id].name}: tick at least "
                "one person (everyone, if it is everyone's task)."
            )
    before = assignment_map(assessment)
    everyone = set(members)
    added: list[tuple[int, int]] = []
    removed: list[tuple[int, int]] = []
    for capability_id in sorted(assignments, key=lambda pk: capabilities[pk].position):
        old = before.get(capability_id, everyone) & everyone
        new = set(assignments[capability_id])
        added += [(user_id, capability_id) for user_id in sorted(new - old)]
        removed += [(user_id, capability_id) for user_id in sorted(old - new)]
        stored = set() if new == everyone else new
        if stored == before.get(capability_id, set()):
            continue
        Assignment.objects.filter(assessment=assessment, capability_id=capability_id).delete()
        Assignment.objects.bulk_create(
            Assignment(
                assessment=assessment, capability_id=capability_id, user_id=user_id, assigned_by=by
            )
            for user_id in sorted(stored)
        )

    def named(pairs):
        return [(members[u].username, capabilities[c].code) for u, c in pairs]

    gained: dict[int, list[Capability]] = {}
    for user_id, capability_id in added:
        gained.setdefault(user_id, []).append(capabilities[capability_id])
    if added or removed:
        audit.record_for_assessment(
            assessment,
            "assignments.changed",
            actor=by,
            details={
                "added": [f"{name} {code}" for name, code in named(added)],
                "removed": [f"{name} {code}" for name, code in named(removed)],
            },
        )
    for user_id, gained_capabilities in gained.items():
        user = members[user_id]
        transaction.on_commit(
            lambda user=user, gained_capabilities=gained_capabilities: _email(
                assessment, user, gained_capabilities, by
            )
        )
    return AssignmentChanges(
        added=named(added),
        removed=named(removed),
        emailed=sorted(members[u].username for u in gained),
    )


def _email(assessment: Assessment, user, capabilities: list[Capability], by) -> None:
    """One email to a person who gained capabilities; a refusal is audited, never raised:
    the save is committed already."""
    if not user.email:
        _not_emailed(assessment, user, by, "no email address")
        return
    try:
        send_text_email(
            "assignments/email_assigned.txt",
            f"Your part of {assessment.unit.name} {assessment.cycle.name}",
            {
                "user": user,
                "assessment": assessment,
                "capabilities": capabilities,
                "by": by,
                "link": absolute_url("assessment_overview", pk=assessment.pk),
            },
            user.email,
        )
    except (OSError, smtplib.SMTPException) as error:
        _not_emailed(assessment, user, by, type(error).__name__)


def _not_emailed(assessment: Assessment, user, by, why: str) -> None:
    audit.record_for_assessment(
        assessment, "assignments.not_emailed", actor=by, details={"to": user.username, "why": why}
    )
