"""Organisations own business units (whose members have roles) and assessment cycles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from .frameworks import Framework


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=64, unique=True)
    consultants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="consulted_organisations", blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BusinessUnit(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=64)
    region = models.CharField(max_length=100, blank=True)
    tags = models.CharField(max_length=300, blank=True, help_text="Comma-separated.")

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="unit_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


class Membership(models.Model):
    """A user's role in a business unit."""

    class Role(models.TextChoices):
        RESPONDENT = "respondent", "Respondent"
        LEAD = "lead", "Unit lead"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(BusinessUnit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.RESPONDENT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.unit}"


class Cycle(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(max_length=32, help_text="e.g. 2026-Q4; cycles sort by name.")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="cycles")
    # The profile of the framework it asks (only that profile's questions); none: every
    # question. Fixed with the cycle, as its framework is.
    profile = models.ForeignKey(
        "Profile", on_delete=models.PROTECT, null=True, blank=True, related_name="cycles"
    )
    is_open = models.BooleanField(default=True)
    opens_on = models.DateField(
        null=True, blank=True, help_text="The day respondents may start; shown to them."
    )
    deadline = models.DateField(
        null=True, blank=True, help_text="The day answers are due; shown to respondents."
    )

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="cycle_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.name}"

    def clean(self) -> None:
        if self.profile_id is None or self.framework_id is None:
            return
        if self.profile.framework_id != self.framework_id:
            raise ValidationError(
                {
                    "profile": f"The profile {self.profile} is not one of the framework "
                    f"{self.framework}'s profiles."
                }
            )
