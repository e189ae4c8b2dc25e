"""Forms for the engagement's inputs: financial figures, value bases and target levels.

Fields for value bases and targets are built from the organisation's framework
(one per benefit metric, one per capability). Each error says the rule and what
was given.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from assessments.domain import limits
from assessments.forms.fields import PlainAmountField, PlainDecimalField, PlainIntegerField
from reports.domain import money

MAX_FUNDING_CYCLES = int(limits.FUNDING_CYCLES.maximum)


def _usd_field(
    label: str, what: str, limit: limits.AmountLimit, *, help_text: str = ""
) -> PlainAmountField:
    """An amount in USD stored in `limit`'s column: a value the column cannot hold (a
    14-digit budget in a 12-digit column) is refused here, never stored unreadable."""
    return PlainAmountField(
        limit=limit,
        what=what,
        label=label,
        help_text=help_text,
        validators=[
            MinValueValidator(0, message=f"{what} is 0 USD or more; you gave %(show_value)s.")
        ],
        error_messages={"required": f"Give {what.lower()} in USD (0 or more)."},
        widget=forms.NumberInput(attrs={"step": "any", "min": 0}),
    )


def _target_field(label: str, levels: dict[int, str], blank: str) -> forms.TypedChoiceField:
    top = max(levels) if levels else 1
    return forms.TypedChoiceField(
        label=label,
        choices=[("", blank)] + [(str(n), f"{n} {name}") for n, name in sorted(levels.items())],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={
            "invalid_choice": f"A target level is a level from 1 to {top}; you gave %(value)s."
        },
    )


class EngagementForm(forms.Form):
    """The organisation's financial inputs, value bases and organisation-wide targets.

    Value-base fields are `value_base_<n>` (metric names have spaces), target fields
    `target_<CAPABILITY>`.
    """

    discount_rate_percent = PlainDecimalField(
        what="The discount rate",
        label="Discount rate (% a year)",
        max_digits=7,
        decimal_places=4,
        help_text="Discounted monthly: m = (1 + r)^(1/12) − 1. Default 10 %.",
        validators=[
            MinValueValidator(0, message="The discount rate is a percent from 0 to 100; you gave %(show_value)s."),
            MaxValueValidator(100, message="The discount rate is a percent from 0 to 100; you gave %(show_value)s."),
        ],
        error_messages={"required": "Give the discount rate as a percent from 0 to 100."},
    )  # fmt: skip
    budget_per_cycle = _usd_field(
        "Budget per funding cycle (USD)",
        "The budget per funding cycle",
        limits.BUDGET_PER_CYCLE,
        help_text="The roadmap spends each upgrade's mid-band cost against it.",
    )
    funding_cycles = PlainIntegerField(
        label="Number of funding cycles",
        validators=[
            MinValueValidator(1, message=f"Plan 1 to {MAX_FUNDING_CYCLES} funding cycles; you gave %(show_value)s."),
            MaxValueValidator(MAX_FUNDING_CYCLES, message=f"Plan 1 to {MAX_FUNDING_CYCLES} funding cycles; you gave %(show_value)s."),
        ],
        error_messages={"required": f"Give the number of funding cycles (1 to {MAX_FUNDING_CYCLES})."},
    )  # fmt: skip
    local_budget_bound = _usd_field(
        "Local budget bound (USD)",
        "The local budget bound",
        limits.LOCAL_BUDGET_BOUND,
        help_text="A unit funds an upgrade on its own (high autonomy) when its high-end cost fits.",
    )
    impact_threshold = _usd_field(
        "Impact threshold (base NPV, USD)",
        "The impact threshold",
        limits.IMPACT_THRESHOLD,
        help_text="An upgrade has high impact when its base NPV reaches it.",
    )

    def __init__(
        self,
        *args,
        metrics: list[str],
        capabilities: list[tuple[str, str]],
        levels: dict[int, str],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.metrics = metrics
        self.capability_codes = [code for code, _ in capabilities]
        top = max(levels) if levels else None
        self.fields["default_target_level"] = _target_field(
            "Default target level (every capability)", levels, f"Top level ({top})"
        )
        for index, metric in enumerate(metrics):
            self.fields[f"value_base_{index}"] = _usd_field(
                f"Value base: {metric} (USD a year)",
                f"The value base of {metric}",
                limits.VALUE_BASE,
            )
        for code, name in capabilities:
            self.fields[f"target_{code}"] = _target_field(
                f"Target for {name} ({code})", levels, "Default target"
            )

    def value_bases(self) -> dict[str, Decimal]:
        return {m: self.cleaned_data[f"value_base_{i}"] for i, m in enumerate(self.metrics)}

    def targets(self) -> dict[str, int | None]:
        return {code: self.cleaned_data[f"target_{code}"] for code in self.capability_codes}

    def settings(self) -> dict:
        """The Engagement fields, the discount rate as a fraction (10 % → 0.10)."""
        data = self.cleaned_data
        return {
            "discount_rate": float(data["discount_rate_percent"] / 100),
            "budget_per_cycle": data["budget_per_cycle"],
            "funding_cycles": data["funding_cycles"],
            "local_budget_bound": data["local_budget_bound"],
            "impact_threshold": data["impact_threshold"],
            "default_target_level": data["default_target_level"],
        }

    @property
    def value_base_fields(self):
        return [self[f"value_base_{i}"] for i in range(len(self.metrics))]

    @property
    def target_fields(self):
        return [self["default_target_level"]] + [self[f"target_{c}"] for c in self.capability_codes]

    @property
    def financial_fields(self):
        names = ["discount_rate_percent", "budget_per_cycle", "funding_cycles"]
        names += ["local_budget_bound", "impact_threshold"]
        return [self[name] for name in names]


class UnitTargetsForm(forms.Form):
    """One unit's overrides: value bases `value_base_<n>` (blank = the organisation's) and
    targets `target_<CAPABILITY>`, blank = the organisation's target (`inherited`:
    capability → the level the unit has without an override; `organisation_bases`: metric →
    the organisation's value base, for the placeholders)."""

    def __init__(
        self,
        *args,
        capabilities: list[tuple[str, str]],
        levels: dict[int, str],
        inherited: dict[str, int],
        metrics: list[str] = (),
        organisation_bases: dict[str, float] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.capability_codes = [code for code, _ in capabilities]
        self.metrics = list(metrics)
        top = max(levels) if levels else None
        for index, metric in enumerate(self.metrics):
            field = _usd_field(
                f"Value base: {metric} (USD a year)",
                f"The value base of {metric}",
                limits.VALUE_BASE,
                help_text="Blank: the organisation's "
                + (
                    f"({money.usd(organisation_bases[metric])})"
                    if organisation_bases and metric in organisation_bases
                    else "(none set)"
                ),
            )
            field.required = False
            self.fields[f"value_base_{index}"] = field
        for code, name in capabilities:
            self.fields[f"target_{code}"] = _target_field(
                f"{name} ({code})", levels, f"Organisation target ({inherited.get(code, top)})"
            )

    def targets(self) -> dict[str, int | None]:
        return {code: self.cleaned_data[f"target_{code}"] for code in self.capability_codes}

    def value_bases(self) -> dict[str, Decimal | None]:
        """metric → the unit's own value base, None to follow the organisation's."""
        return {m: self.cleaned_data[f"value_base_{i}"] for i, m in enumerate(self.metrics)}

    @property
    def value_base_fields(self):
        return [self[f"value_base_{i}"] for i in range(len(self.metrics))]

    @property
    def target_fields(self):
        return [self[f"target_{c}"] for c in self.capability_codes]
