"""A consultant's engagement inputs for an organisation: financial figures, value bases and
target levels (see docs/design.md, "Recommendations")."""

from django.db import models
from django.db.models import Q

from .organisations import BusinessUnit, Organisation


class Engagement(models.Model):
    """A consultant's financial inputs for an organisation (see DESIGN.md, Recommendations)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="engagement"
    )
    discount_rate = models.FloatField(default=0.10, help_text="A year, e.g. 0.10 for 10 %.")
    budget_per_cycle = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    funding_cycles = models.PositiveSmallIntegerField(default=3)
    local_budget_bound = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=0,
        help_text="A unit may fund upgrades up to this on its own.",
    )
    impact_threshold = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=0,
        help_text="Base NPV from which an upgrade has high impact.",
    )
    default_target_level = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(discount_rate__gt=-1) & Q(discount_rate__lt=10),
                name="engagement_discount_rate_sane",
            ),
            models.CheckConstraint(
                condition=Q(budget_per_cycle__gte=0), name="engagement_budget_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"Engagement inputs for {self.organisation}"


class ValueBase(models.Model):
    """The annual value (USD) that a benefit metric applies to: the organisation's (unit
    empty), or one unit's own, which overrides it for that unit (units differ in size)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="value_bases"
    )
    unit = models.ForeignKey(
        BusinessUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="value_bases"
    )
    benefit_metric = models.CharField(max_length=100)
    annual_value = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "benefit_metric"],
                condition=Q(unit__isnull=True),
                name="value_base_unique",
            ),
            models.UniqueConstraint(
                fields=["unit", "benefit_metric"],
                condition=Q(unit__isnull=False),
                name="value_base_unit_unique",
            ),
            models.CheckConstraint(condition=Q(annual_value__gte=0), name="value_base_gte_0"),
        ]

    def __str__(self) -> str:
        scope = f" ({self.unit.slug})" if self.unit_id else ""
        return f"{self.benefit_metric}{scope}: {self.annual_value} USD a year"


class TargetLevel(models.Model):
    """A target level for a capability: organisation-wide (unit empty) or for one unit."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="target_levels"
    )
    unit = models.ForeignKey(
        BusinessUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="target_levels"
    )
    capability_code = models.CharField(max_length=32)
    level = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "unit", "capability_code"], name="target_level_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "capability_code"],
                condition=Q(unit__isnull=True),
                name="target_level_org_default_unique",
            ),
            models.CheckConstraint(condition=Q(level__gte=1), name="target_level_gte_1"),
        ]

    def __str__(self) -> str:
        scope = self.unit.slug if self.unit_id else "all units"
        return f"{self.capability_code} target {self.level} ({scope})"
