"""Reads of the audit log, scoped to the user asking."""

from __future__ import annotations

from assessments.models import AuditEntry

from .access import organisations_for_consultant


def entries_for_user(user):
    """Entries the user may read: every entry for an admin; for anyone else, the entries
    of the organisations they are a consultant of (system-wide entries such as
    framework loads and login failures carry no organisation: admins only)."""
    if user.is_superuser:
        return AuditEntry.objects.all()
    return AuditEntry.objects.filter(
        organisation__in=organisations_for_consultant(user).values("slug")
    )
