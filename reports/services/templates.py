"""Writes of an organisation's deck template; each is written to the audit log."""

from __future__ import annotations

from django.db import transaction

from assessments import audit
from assessments.models import Organisation
from reports.models import DeckTemplate


@transaction.atomic
def deck_template_save(
    *, organisation: Organisation, actor, name: str, content: bytes
) -> DeckTemplate:
    """Store (or replace) the organisation's template: the next decks use its master."""
    template, _ = DeckTemplate.objects.update_or_create(
        organisation=organisation,
        defaults={"name": name, "content": content, "size": len(content), "uploaded_by": actor},
    )
    audit.record(
        "deck_template.upload", actor=actor, organisation=organisation.slug,
        details={"name": name, "size": len(content)},
    )  # fmt: skip
    return template


@transaction.atomic
def deck_template_delete(*, organisation: Organisation, actor) -> bool:
    """Go back to the default template; False when there was none."""
    deleted, _ = DeckTemplate.objects.filter(organisation=organisation).delete()
    if deleted:
        audit.record(
            "deck_template.delete", actor=actor, organisation=organisation.slug, details={}
        )
    return bool(deleted)
