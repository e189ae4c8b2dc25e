"""Who may do what to an assessment, by their role in its unit.

A role comes from `assessments.queries.access.role_in_unit`: `respondent` and `lead`
(members of the unit), `consultant` (of its organisation), `admin` (a superuser), or
None for an outsider — who never gets this far: the access helpers answer 404 first.
Every view asks `require(role, ACTION)` before acting, so a rule lives here once.

Creating an organisation is no role's: it belongs to no organisation yet. Superusers may,
and users an administrator gave Django's permission "Can add organisation"
(`may_add_organisation`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Action:
    roles: frozenset[str]
    refusal: str  # "Your role does not allow you to …"


ANSWER = Action(frozenset({"respondent", "lead"}), "answer this questionnaire")
SIGN_OFF = Action(frozenset({"lead", "admin"}), "submit this assessment")
REOPEN = Action(frozenset({"lead", "consultant", "admin"}), "reopen this assessment")
REVIEW = Action(frozenset({"lead", "consultant", "admin"}), "review every respondent's answers")
SEND_BACK = Action(
    frozenset({"lead", "consultant", "admin"}),
    "send capabilities back or mark them reviewed (only the unit's lead or a consultant may)",
)
REMIND = Action(
    frozenset({"lead", "consultant", "admin"}),
    "remind respondents (only the unit's lead or a consultant may)",
)
ASSIGN = Action(
    frozenset({"lead", "consultant", "admin"}),
    "assign capabilities (only the unit's lead or a consultant may)",
)
USE_WORKBOOK = Action(
    frozenset({"lead", "consultant", "admin"}),
    "download or upload offline workbooks (only the unit's lead or a consultant may)",
)


def can(role: str | None, action: Action) -> bool:
    return role in action.roles


def require(role: str | None, action: Action) -> None:
    """Raise PermissionDenied (403) saying what the role may not do."""
    if not can(role, action):
        raise PermissionDenied(f"Your role does not allow you to {action.refusal}.")


ADD_ORGANISATION = "assessments.add_organisation"
ADD_ORGANISATION_REFUSAL = (
    "Only an administrator, or someone an administrator has given the permission "
    "“Can add organisation”, may create an organisation."
)


def may_add_organisation(user) -> bool:
    """Superusers, and active users granted "Can add organisation"."""
    return user.has_perm(ADD_ORGANISATION)
