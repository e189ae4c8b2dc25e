"""The assign page's grid, read from its POST: one checkbox per capability and member."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def field_name(capability_pk: int) -> str:
    return f"assign-{capability_pk}"


def grid_from_post(data, capability_pks) -> dict[int, set[int]]:
    """Capability pk → the user pks ticked for it, for every capability of the page (an
    unticked row posts nothing: nobody). ValidationError for a value that is no user."""
    grid: dict[int, set[int]] = {}
    for pk in capability_pks:
        values = data.getlist(field_name(pk))
        if not all(value.isdigit() for value in values):
            raise ValidationError("The grid was not sent as the page makes it: reload the page.")
        grid[pk] = {int(value) for value in values}
    return grid
