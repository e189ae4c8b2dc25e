"""What the export commands (export_deck, export_workbook, export_charts) share: the
organisation, cycle and filters named on the command line, and writing the file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from assessments.models import Assessment, Cycle, Organisation

from .recommendation_cli import find_cycle, find_organisation


def add_selection_arguments(parser) -> None:
    parser.add_argument(
        "--organisation", help="the organisation's slug (needed when there are several)"
    )
    parser.add_argument("--cycle", help="the assessment cycle, e.g. 2026-Q4 (default: the latest)")
    parser.add_argument("--region", default="", help="only the units of this region")
    parser.add_argument("--tag", default="", help="only the units carrying this tag")


def selection(organisation: str | None, cycle: str | None) -> tuple[Organisation, Cycle]:
    """The organisation (the only one when not named) and cycle (its latest when not
    named) to export, refusing one line when there is nothing to export."""
    if organisation:
        found = find_organisation(organisation)
    else:
        organisations = list(Organisation.objects.order_by("slug"))
        if not organisations:
            raise CommandError("no organisation yet: nothing to export")
        if len(organisations) > 1:
            known = ", ".join(o.slug for o in organisations)
            raise CommandError(
                f"several organisations: name one with --organisation (known: {known})"
            )
        found = organisations[0]
    if cycle:
        chosen = find_cycle(cycle, found)
    else:
        chosen = (
            Cycle.objects.filter(organisation=found)
            .select_related("framework")
            .order_by("-name")
            .first()
        )
        if chosen is None:
            raise CommandError(f"organisation '{found.slug}' has no cycle yet: nothing to export")
    if not Assessment.objects.filter(cycle=chosen, unit__organisation=found).exists():
        raise CommandError(
            f"organisation '{found.slug}' has no assessment in cycle '{chosen.name}': nothing to export"
        )
    return found, chosen


def no_units(organisation: Organisation, cycle: Cycle, region: str, tag: str) -> CommandError:
    filters = " and ".join(
        f"{name} '{value}'" for name, value in (("region", region), ("tag", tag)) if value
    )
    return CommandError(
        f"no unit of '{organisation.slug}' assessed in cycle '{cycle.name}' has {filters}"
    )


def write(path: str, content: bytes) -> None:
    try:
        Path(path).write_bytes(content)
    except OSError as error:
        raise CommandError(f"{path}: cannot be written ({error.strerror})") from None
