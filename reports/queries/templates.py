"""Reads of an organisation's deck template."""

from __future__ import annotations

from assessments.models import Organisation
from reports.models import DeckTemplate


def organisation_template(organisation: Organisation) -> DeckTemplate | None:
    """The organisation's uploaded template, or None for the default one (1 query)."""
    return DeckTemplate.objects.filter(organisation=organisation).first()
