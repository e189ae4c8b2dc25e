"""Writes for the engagement's inputs. Every change is written to the audit log as
`engagement.change` with its old and new values, in the log's usual shape:
details = {"changes": {"discount_rate": [0.1, 0.12], "value_base: attributable revenue":
["40000000.00", "45000000.00"], "target: CPL": [5, null]}}; a unit's overrides carry the
unit's slug."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from assessments import audit
from assessments.models import BusinessUnit, Engagement, Organisation, TargetLevel, ValueBase
from assessments.services.retry import retried_once

CENT = Decimal("0.01")


def _plain(value):
    """A JSON-friendly value for the audit log (money as a string to the cent)."""
    if isinstance(value, Decimal):
        return str(value.quantize(CENT))
    return value


def _same(old, new) -> bool:
    if old is None or new is None:
        return old is new
    if isinstance(old, float) or isinstance(new, float):
        return abs(float(old) - float(new)) < 1e-12
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return Decimal(old).quantize(CENT) == Decimal(new).quantize(CENT)
    return old == new


def _changed(changes: dict, key: str, old, new) -> bool:
    """Note the change in `changes` and say whether there was one."""
    if _same(old, new):
        return False
    changes[key] = [_plain(old), _plain(new)]
    return True


def _targets_update(organisation, unit, targets: dict[str, int | None], changes: dict) -> None:
    """Set (or clear, with None) the target of each capability for the unit (None: all units)."""
    existing = {
        t.capability_code: t
        for t in TargetLevel.objects.filter(organisation=organisation, unit=unit)
    }
    for code, level in targets.items():
        row = existing.get(code)
        if not _changed(changes, f"target: {code}", row.level if row else None, level):
            continue
        if level is None:
            row.delete()
        elif row is None:
            TargetLevel.objects.create(
                organisation=organisation, unit=unit, capability_code=code, level=level
            )
        else:
            row.level = level
            row.save(update_fields=["level"])


@retried_once
@transaction.atomic
def engagement_update(
    *,
    organisation: Organisation,
    actor,
    settings: dict,
    value_bases: dict[str, Decimal],
    targets: dict[str, int | None],
) -> dict:
    """Store the organisation's inputs, creating its engagement on the first edit. Returns
    the audited changes ({} when nothing changed, and then nothing is logged)."""
    engagement = Engagement.objects.select_for_update().filter(organisation=organisation).first()
    created = engagement is None
    engagement = engagement or Engagement(organisation=organisation)
    changes: dict = {}
    for field, new in settings.items():
        if _changed(changes, field, None if created else getattr(engagement, field), new):
            setattr(engagement, field, new)
    if changes:
        engagement.save()

    stored = {
        v.benefit_metric: v
        for v in ValueBase.objects.filter(organisation=organisation, unit__isnull=True)
    }
    for metric, amount in value_bases.items():
        row = stored.get(metric)
        if _changed(changes, f"value_base: {metric}", row.annual_value if row else None, amount):
            if row is None:
                ValueBase.objects.create(
                    organisation=organisation, benefit_metric=metric, annual_value=amount
                )
            else:
                row.annual_value = amount
                row.save(update_fields=["annual_value"])

    _targets_update(organisation, None, targets, changes)
    if changes:
        details = {"changes": changes, **({"created": "engagement inputs"} if created else {})}
        audit.record(
            "engagement.change", actor=actor, organisation=organisation.slug, details=details
        )
    return changes


def _unit_value_bases_update(unit, value_bases: dict[str, Decimal | None], changes: dict) -> None:
    """Set (or clear, with None) the unit's own value base of each metric."""
    stored = {v.benefit_metric: v for v in ValueBase.objects.filter(unit=unit)}
    for metric, amount in value_bases.items():
        row = stored.get(metric)
        if not _changed(
            changes, f"value_base: {metric}", row.annual_value if row else None, amount
        ):
            continue
        if amount is None:
            row.delete()
        elif row is None:
            ValueBase.objects.create(
                organisation=unit.organisation,
                unit=unit,
                benefit_metric=metric,
                annual_value=amount,
            )
        else:
            row.annual_value = amount
            row.save(update_fields=["annual_value"])


@retried_once
@transaction.atomic
def unit_targets_update(
    *,
    unit: BusinessUnit,
    actor,
    targets: dict[str, int | None],
    value_bases: dict[str, Decimal | None] | None = None,
) -> dict:
    """Store one unit's overrides: target levels and value bases (None clears one, so the
    unit follows the organisation's). Returns the audited changes."""
    changes: dict = {}
    _unit_value_bases_update(unit, value_bases or {}, changes)
    _targets_update(unit.organisation, unit, targets, changes)
    if changes:
        audit.record(
            "engagement.change",
            actor=actor,
            organisation=unit.organisation.slug,
            unit=unit.slug,
            details={"changes": changes},
        )
    return changes
