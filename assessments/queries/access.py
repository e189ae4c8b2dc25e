"""Reads, scoped to the user asking, in a fixed number of queries.

Views never fetch an assessment directly: `get_assessment_for_user` answers 404
to anyone who may not see it, so outsiders cannot even learn that it exists.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from assessments.models import Assessment, BusinessUnit, Cycle, Membership, Organisation


def organisations_for_consultant(user) -> QuerySet[Organisation]:
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(consultants=user)


def get_consulted_organisation(user, slug: str) -> Organisation:
    """The organisation when the user advises it (or is an admin).

    A member of one of its units gets 403 (they know it exists, but its pages are
    the consultants'); anyone else 404, so an outsider cannot learn that it exists.
    """
    organisation = organisations_for_consultant(user).filter(slug=slug).first()
    if organisation is not None:
        return organisation
    if Membership.objects.filter(user=user, unit__organisation__slug=slug).exists():
        raise PermissionDenied("Only the organisation's consultants see this page.")
    raise Http404("No such organisation.")


def get_organisation_for_consultant(
    user, slug: str | None
) -> tuple[Organisation | None, list[Organisation]]:
    """(the organisation, every organisation the user advises).

    With a slug: that organisation, refused as `get_consulted_organisation` refuses.
    Without one: the first by name, or None when the user advises no organisation.
    """
    organisations = list(organisations_for_consultant(user).order_by("name"))
    if slug:
        chosen = next((o for o in organisations if o.slug == slug), None)
        return chosen or get_consulted_organisation(user, slug), organisations
    return (organisations[0] if organisations else None), organisations


def is_consultant_for(user, organisation: Organisation) -> bool:
    return user.is_superuser or organisation.consultants.filter(pk=user.pk).exists()


def units_for_user(user) -> QuerySet[BusinessUnit]:
    if user.is_superuser:
        return BusinessUnit.objects.all()
    return BusinessUnit.objects.filter(
        Q(memberships__user=user) | Q(organisation__consultants=user)
    ).distinct()


def assessments_for_user(user) -> QuerySet[Assessment]:
    """Assessments the user may see: their units', and their organisations' if a consultant."""
    visible = Assessment.objects.select_related(
        "unit__organisation", "cycle__framework", "cycle__profile"
    )
    if user.is_superuser:
        return visible
    return visible.filter(
        Q(unit__memberships__user=user) | Q(unit__organisation__consultants=user)
    ).distinct()


def open_assessments_of_member(user) -> QuerySet[Assessment]:
    """The open-cycle assessments of the units the user is a member of, newest cycle first."""
    return (
        assessments_for_user(user)
        .filter(unit__memberships__user=user, cycle__is_open=True)
        .order_by("-cycle__name", "unit__name")
    )


def get_assessment_for_user(user, pk: int) -> Assessment:
    # One row at most, so no ORDER BY: Assessment's ordering (cycle, unit) joins four
    # tables, and compiling it was a third of this query's cost on every assessment page.
    found = list(assessments_for_user(user).filter(pk=pk).order_by()[:1])
    if not found:
        raise Http404("No such assessment.")
    return found[0]


def role_in_unit(user, unit: BusinessUnit) -> str | None:
    """'lead', 'respondent', 'consultant', 'admin', or None for an outsider."""
    if user.is_superuser:
        return "admin"
    membership = (
        Membership.objects.filter(user=user, unit=unit).values_list("role", flat=True).first()
    )
    if membership:
        return membership
    if unit.organisation.consultants.filter(pk=user.pk).exists():
        return "consultant"
    return None


def units_of(organisations) -> QuerySet[BusinessUnit]:
    """The units of the given organisations, by organisation and name."""
    return (
        BusinessUnit.objects.filter(organisation__in=[o.pk for o in organisations])
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def get_unit_for_user(user, organisation_slug: str, unit_slug: str) -> BusinessUnit:
    """A unit its members, its organisation's consultants and admins may see; 404 otherwise."""
    unit = (
        units_for_user(user)
        .filter(organisation__slug=organisation_slug, slug=unit_slug)
        .select_related("organisation")
        .first()
    )
    if unit is None:
        raise Http404("No such unit.")
    return unit


def get_unit_of(organisation: Organisation, slug: str) -> BusinessUnit:
    """A unit of an organisation the caller already may read; 404 when there is none."""
    unit = BusinessUnit.objects.filter(organisation=organisation, slug=slug).first()
    if unit is None:
        raise Http404("No such unit.")
    return unit


def cycle_names(organisation: Organisation) -> list[str]:
    """The organisation's cycle names, latest first."""
    return list(
        Cycle.objects.filter(organisation=organisation)
        .order_by("-name")
        .values_list("name", flat=True)
    )


def latest_cycle(organisation: Organisation) -> Cycle | None:
    """The organisation's latest cycle: cycles sort by name (2026-Q2 before 2026-Q4), the
    one rule wherever "the latest cycle" is meant (reports.domain.portfolio.latest_cycle
    applies it to names already loaded)."""
    return (
        Cycle.objects.filter(organisation=organisation)
        .select_related("framework")
        .order_by("-name")
        .first()
    )


def get_cycle(organisation: Organisation, name: str | None) -> Cycle:
    """The named cycle of the organisation, or its latest when no name is given; 404 if none."""
    if name:
        cycle = (
            Cycle.objects.filter(organisation=organisation, name=name)
            .select_related("framework")
            .first()
        )
    else:
        cycle = latest_cycle(organisation)
    if cycle is None:
        raise Http404("No such cycle.")
    return cycle
