"""Ladder's data model, one module per feature.

Frameworks (levels, dimensions, capabilities, questions) come from YAML files and
are immutable once an assessment uses them. Organisations own business units and
assessment cycles; an assessment is one unit in one cycle; each respondent has one
response holding one answer per question.
"""

from .assessments import Answer, Assessment, Response, StoredScore
from .audit import AuditEntry, AuditHead, LoginFailure
from .carried import CarriedAnswer
from .engagement import Engagement, TargetLevel, ValueBase
from .frameworks import Capability, Dimension, Framework, Level, Profile, Question
from .invitations import Invitation
from .organisations import BusinessUnit, Cycle, Membership, Organisation
from .reminders import EmailPreference, Reminder
from .review import Assignment, CapabilityReview, SendBack

__all__ = [
    "Answer",
    "Assessment",
    "Assignment",
    "AuditEntry",
    "AuditHead",
    "BusinessUnit",
    "Capability",
    "CapabilityReview",
    "CarriedAnswer",
    "Cycle",
    "Dimension",
    "EmailPreference",
    "Engagement",
    "Framework",
    "Invitation",
    "Level",
    "LoginFailure",
    "Membership",
    "Organisation",
    "Profile",
    "Question",
    "Reminder",
    "Response",
    "SendBack",
    "StoredScore",
    "TargetLevel",
    "ValueBase",
]
