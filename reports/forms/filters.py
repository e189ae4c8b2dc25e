"""Filters of the portfolio, compare and trends pages (GET forms: addresses stay shareable)."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from reports.domain.portfolio import latest_cycle

FIXED_SORTS = ("maturity", "-maturity", "name", "-name")


class ReportFilterForm(forms.Form):
    """`cycle` (default: the latest), `region`, `tag`, `sort`; the organisation is chosen
    by the view's access helper and kept as a hidden field."""

    organisation = forms.CharField(required=False, widget=forms.HiddenInput)
    cycle = forms.ChoiceField(required=False)
    region = forms.ChoiceField(required=False)
    tag = forms.ChoiceField(required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        data,
        *,
        cycles: Sequence[str],
        regions: Sequence[str],
        tags: Sequence[str],
        capability_codes: Sequence[str] = (),
    ):
        super().__init__(data)
        self.cycles = list(cycles)
        self.capability_codes = list(capability_codes)
        self.fields["cycle"].choices = [(name, name) for name in reversed(self.cycles)]
        self.fields["region"].choices = [("", "All regions")] + [(r, r) for r in regions]
        self.fields["tag"].choices = [("", "All tags")] + [(t, t) for t in tags]

    def clean_cycle(self) -> str | None:
        return self.cleaned_data["cycle"] or latest_cycle(self.cycles)

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"] or "-maturity"
        allowed = [*FIXED_SORTS, *self.capability_codes, *(f"-{c}" for c in self.capability_codes)]
        if sort not in allowed:
            codes = ", ".join(self.capability_codes)
            raise forms.ValidationError(
                f"'{sort}' is not a way to sort: use maturity or name, or a capability code "
                f"({codes}), with a leading '-' for highest first."
            )
        return sort


def requested_units(values: Sequence[str]) -> list[str]:
    """`units` as repeated parameters or comma-separated, in order, without repeats."""
    seen: list[str] = []
    for value in values:
        for slug in value.split(","):
            slug = slug.strip()
            if slug and slug not in seen:
                seen.append(slug)
    return seen


def compared_units(query) -> list[str]:
    """The units to compare in the order chosen, the reference first: `reference` (the
    form's select, which keeps the order without JavaScript), then `units` in the order
    sent (static/ladder/compare.js sends them in the order they were ticked)."""
    reference = [query.get("reference", "")] if query.get("reference") else []
    return requested_units(reference + query.getlist("units"))


def unit_choice_errors(requested: Sequence[str], available: Sequence[str]) -> list[str]:
    """Why a compare request cannot be drawn: unknown units, or fewer than two."""
    errors = []
    unknown = [slug for slug in requested if slug not in available]
    if unknown:
        errors.append(
            f"No unit {', '.join(unknown)} was assessed in this cycle "
            f"(units: {', '.join(available) or 'none'})."
        )
    elif len(requested) < 2:
        errors.append(
            f"Choose at least two units to compare (got {len(requested)}"
            f"{': ' + requested[0] if requested else ''})."
        )
    return errors
