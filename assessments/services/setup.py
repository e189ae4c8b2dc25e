"""Setting an organisation up in the app: the organisation itself, its cycles and units.

A new organisation has its creator as its first consultant. A new cycle gets one assessment
for every unit of the organisation; a new unit one for every open cycle, so nobody has to
create assessments by hand. A units CSV is read whole
(assessments/domain/unit_rows.py) and written all or nothing. Every write is audited in
the organisation's chain.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from assessments.audit import record
from assessments.domain.unit_rows import UnitRow, clean_tags, read_unit_rows
from assessments.models import Assessment, BusinessUnit, Cycle, Framework, Organisation, Profile

from .carry import carry_forward
from .errors import SetupRefused


def _organisation_taken(name: str, slug: str) -> SetupRefused | None:
    """Why the name or slug may not be used; names compare ignoring case."""
    twin = Organisation.objects.filter(name__iexact=name).values_list("name", flat=True)
    if twin:
        return SetupRefused("name", f"An organisation named {twin[0]} exists already.")
    if Organisation.objects.filter(slug=slug).exists():
        return SetupRefused("slug", f"An organisation with the slug {slug} exists already.")
    return None


@transaction.atomic
def organisation_create(*, name: str, slug: str, by) -> Organisation:
    """A new organisation, with `by` as its first consultant; audited in its own chain."""
    refused = _organisation_taken(name, slug)
    if refused:
        raise refused
    try:
        with transaction.atomic():  # one of that name or slug may be created meanwhile
            organisation = Organisation.objects.create(name=name, slug=slug)
    except IntegrityError:
        raise (
            _organisation_taken(name, slug)
            or SetupRefused("name", f"An organisation named {name} exists already.")
        ) from None
    organisation.consultants.add(by)
    record(
        "organisation.created",
        actor=by,
        organisation=slug,
        details={"name": name, "consultants": [by.username]},
    )
    return organisation


@transaction.atomic
def cycle_create(
    *,
    organisation: Organisation,
    name: str,
    framework: Framework,
    opens_on: datetime.date | None,
    deadline: datetime.date | None,
    by,
    carry: bool = False,
    profile: Profile | None = None,
) -> Cycle:
    """The cycle, with an assessment for every unit; `carry`: each unit starts from its
    last signed-off answers (services/carry.py), in the same transaction; `profile`: one
    of the framework's profiles, whose questions alone the cycle asks."""
    if profile is not None and profile.framework_id != framework.pk:
        raise SetupRefused(
            "profile",
            f"The profile {profile.name} is not one of {framework.code} {framework.version}'s.",
        )
    if opens_on and deadline and deadline < opens_on:
        raise SetupRefused(
            "deadline", f"The deadline ({deadline}) is before the opening day ({opens_on})."
        )
    if Cycle.objects.filter(organisation=organisation, name=name).exists():
        raise SetupRefused("name", f"{organisation.name} has a cycle named {name} already.")
    try:
        with transaction.atomic():  # a cycle of that name may be created meanwhile
            cycle = Cycle.objects.create(
                organisation=organisation,
                name=name,
                framework=framework,
                profile=profile,
                opens_on=opens_on,
                deadline=deadline,
            )
    except IntegrityError:
        raise SetupRefused(
            "name", f"{organisation.name} has a cycle named {name} already."
        ) from None
    units = list(organisation.units.values_list("pk", "slug"))
    Assessment.objects.bulk_create([Assessment(unit_id=pk, cycle=cycle) for pk, _ in units])
    record(
        "cycle.created",
        actor=by,
        organisation=organisation.slug,
        details={
            "cycle": name,
            "framework": f"{framework.code} {framework.version}",
            **({"profile": profile.code} if profile else {}),
            "opens_on": opens_on,
            "deadline": deadline,
            "units": [slug for _, slug in units],
            "carry": carry,
        },
    )
    if carry:
        carry_forward(cycle=cycle, by=by)
    return cycle


def _create_units(organisation: Organisation, rows: list[UnitRow]) -> list[BusinessUnit]:
    units = BusinessUnit.objects.bulk_create(
        [
            BusinessUnit(
                organisation=organisation,
                name=row.name,
                slug=row.slug,
                region=row.region,
                tags=row.tags,
            )
            for row in rows
        ]
    )
    if not units[0].pk:  # databases that do not return bulk-created keys
        units = list(organisation.units.filter(slug__in=[row.slug for row in rows]))
    open_cycles = list(organisation.cycles.filter(is_open=True))
    Assessment.objects.bulk_create(
        [Assessment(unit=unit, cycle=cycle) for unit in units for cycle in open_cycles]
    )
    return units


@transaction.atomic
def unit_create(
    *, organisation: Organisation, name: str, slug: str, region: str, tags: str, by
) -> BusinessUnit:
    if organisation.units.filter(slug=slug).exists():
        raise SetupRefused("slug", f"{organisation.name} has a unit {slug} already.")
    row = UnitRow(0, name, slug, region, clean_tags(tags))
    try:
        with transaction.atomic():
            [unit] = _create_units(organisation, [row])
    except IntegrityError:  # a unit of that slug was added meanwhile
        raise SetupRefused("slug", f"{organisation.name} has a unit {slug} already.") from None
    record(
        "unit.created",
        actor=by,
        organisation=organisation.slug,
        unit=slug,
        details={"name": name, "region": region, "tags": unit.tags},
    )
    return unit


@transaction.atomic
def units_import(
    *, organisation: Organisation, data: bytes, filename: str, by
) -> list[BusinessUnit]:
    """Every unit of the CSV, or none: SetupRefused lists every problem by line."""
    existing = set(organisation.units.values_list("slug", flat=True))
    rows, problems = read_unit_rows(data, existing)
    if problems:
        raise SetupRefused("file", *problems)
    try:
        with transaction.atomic():
            units = _create_units(organisation, rows)
    except IntegrityError:
        raise SetupRefused(
            "file", "a unit of the file was added meanwhile: upload it again"
        ) from None
    record(
        "units.imported",
        actor=by,
        organisation=organisation.slug,
        details={"file": filename, "units": [row.slug for row in rows]},
    )
    return units
