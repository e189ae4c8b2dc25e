"""Ladder's data model.

Frameworks (levels, dimensions, capabilities, questions) come from YAML files and
are immutable once an assessment uses them. Organisations own business units and
assessment cycles; an assessment is one unit in one cycle; each respondent has one
response holding one answer per question.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .scoring import answer_level


class Framework(models.Model):
    code = models.SlugField(max_length=64)
    version = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    source_sha256 = models.CharField(
        max_length=64, help_text="Hash of the YAML file it was loaded from."
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="framework_code_version_unique"
            )
        ]
        ordering = ["code", "loaded_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code} {self.version})"

    @property
    def is_in_use(self) -> bool:
        return Assessment.objects.filter(cycle__framework=self).exists()


class Level(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=64)
    # Both apply to an upgrade *to* this level.
    benefit_factor = models.FloatField(default=1.0)
    cost_multiplier = models.FloatField(default=1.0)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="level_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="level_number_positive"),
            models.CheckConstraint(
                condition=Q(benefit_factor__gte=0), name="level_benefit_factor_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(cost_multiplier__gte=0), name="level_cost_multiplier_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Dimension(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="dimension_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Capability(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="capabilities")
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    # Cost of one one-level upgrade, in USD.
    cost_low = models.DecimalField(max_digits=14, decimal_places=2)
    cost_high = models.DecimalField(max_digits=14, decimal_places=2)
    cost_is_assumption = models.BooleanField(default=True)
    impact = models.CharField(max_length=300)
    benefit_metric = models.CharField(max_length=100)
    benefit_percent = models.FloatField()
    time_to_value_months = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "position"]
        verbose_name_plural = "capabilities"
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="capability_code_unique"),
            models.CheckConstraint(condition=Q(cost_low__gte=0), name="capability_cost_low_gte_0"),
            models.CheckConstraint(
                condition=Q(cost_high__gte=models.F("cost_low")),
                name="capability_cost_band_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    class Type(models.TextChoices):
        CHOICE = "choice", "Choice"
        NUMERIC = "numeric", "Numeric"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="questions")
    capability = models.ForeignKey(Capability, on_delete=models.CASCADE, related_name="questions")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    help = models.TextField(blank=True)
    weight = models.FloatField(default=1.0)
    type = models.CharField(max_length=16, choices=Type.choices)
    # choice: {"1": "what level 1 looks like", ...}
    options = models.JSONField(default=dict, blank=True)
    # numeric: {"2": 50, "3": 62, ...}, the value that reaches each level
    unit = models.CharField(max_length=32, blank=True)
    higher_is_better = models.BooleanField(default=True)
    thresholds = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="question_code_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="question_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def option_levels(self) -> dict[int, str]:
        return {
            int(number): text
            for number, text in sorted(self.options.items(), key=lambda i: int(i[0]))
        }

    @property
    def threshold_levels(self) -> dict[int, float]:
        return {int(number): float(value) for number, value in self.thresholds.items()}

    def level_for(self, *, choice=None, value=None, special="") -> int | None:
        """The level an answer to this question counts as (scoring rule 1)."""
        return answer_level(
            choice=choice,
            value=value,
            special=special,
            thresholds=self.threshold_levels,
            higher_is_better=self.higher_is_better,
        )


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
    is_open = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="cycle_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.name}"


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        REOPENED = "reopened", "Reopened"

    unit = models.ForeignKey(BusinessUnit, on_delete=models.CASCADE, related_name="assessments")
    # RESTRICT: a cycle with assessments cannot be deleted alone, but goes with its organisation.
    cycle = models.ForeignKey(Cycle, on_delete=models.RESTRICT, related_name="assessments")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    answers_sha256 = models.CharField(max_length=64, blank=True)
    # When the StoredScore rows were last computed from the answers; None: nothing stored,
    # readers score the answers themselves (see assessments/stored_scores.py).
    scores_stored_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["cycle", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "cycle"], name="assessment_unit_cycle_unique"),
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | (Q(submitted_at__isnull=False) & ~Q(answers_sha256="")),
                name="assessment_submitted_has_signoff",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.cycle.name}"

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.SUBMITTED


class Response(models.Model):
    """One respondent's answers to an assessment.

    `respondent` names the person as in the tidy files (a username for web
    respondents); `user` links the account when there is one (imported answers
    collected offline may have none).
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    respondent = models.CharField(max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "respondent"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "respondent"], name="response_respondent_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.respondent} on {self.assessment}"


class Answer(models.Model):
    """One answer: a chosen level, a measured value, "not applicable" or "don't know".

    `level` is derived when the answer is saved (frameworks are immutable once
    used, so it never goes stale): the chosen level, the value mapped through the
    question's thresholds, 1 for "don't know", empty for "not applicable".
    """

    class Special(models.TextChoices):
        NONE = "", "—"
        NOT_APPLICABLE = "na", "Not applicable"
        DONT_KNOW = "dk", "Don't know"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    special = models.CharField(max_length=2, choices=Special.choices, blank=True, default="")
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    evidence_url = models.URLField(blank=True, max_length=500)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="answer_unique_per_question"
            ),
            models.CheckConstraint(
                condition=(
                    Q(choice__isnull=False, value__isnull=True, special="")
                    | Q(choice__isnull=True, value__isnull=False, special="")
                    | Q(choice__isnull=True, value__isnull=True, special__in=["na", "dk"])
                ),
                name="answer_exactly_one_kind",
            ),
            models.CheckConstraint(
                condition=Q(choice__isnull=True) | Q(choice__gte=1), name="answer_choice_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(special="na", level__isnull=True) | Q(~Q(special="na"), level__gte=1),
                name="answer_level_set_unless_na",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.tidy_value}"

    @property
    def tidy_value(self) -> str:
        """The answer as written in the tidy answers file."""
        if self.special:
            return self.special
        if self.choice is not None:
            return str(self.choice)
        return format_number(self.value)


def format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class StoredScore(models.Model):
    """One assessment's score for a capability (dimension "") or for one cell (capability ×
    dimension), as assessments.scoring computes it from the answers. Kept current by the
    services that change answers; see assessments/stored_scores.py."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="stored_scores"
    )
    capability = models.CharField(max_length=32)
    dimension = models.CharField(max_length=64, blank=True)
    score = models.FloatField()
    level = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "dimension", "capability"], name="stored_score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.capability} {self.dimension or 'capability'}: {self.score:.2f}"


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
    """The annual value (USD) that a benefit metric applies to, for one organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="value_bases"
    )
    benefit_metric = models.CharField(max_length=100)
    annual_value = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "benefit_metric"], name="value_base_unique"
            ),
            models.CheckConstraint(condition=Q(annual_value__gte=0), name="value_base_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.benefit_metric}: {self.annual_value} USD a year"


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


class AuditEntry(models.Model):
    """An append-only, hash-chained log entry. See assessments/audit.py."""

    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64)
    # Slugs, not foreign keys: deleting an organisation must not rewrite its history.
    organisation = models.CharField(max_length=64, blank=True, db_index=True)
    unit = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} by {self.actor or 'system'}"


class AuditHead(models.Model):
    """The last entry of the audit log, kept in a row of its own (there is only one).

    Deleting the newest entries leaves a chain that is still consistent; the head
    record remembers how long the log was and the hash it ended with, so
    `verify_audit` notices the truncation too. See assessments/audit.py.
    """

    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="audit_head_single_row")]

    def __str__(self) -> str:
        return f"audit head #{self.sequence}"


class LoginFailure(models.Model):
    """A failed login, kept for the throttling window (see assessments/throttling.py).

    In the database rather than in memory so the limit holds across server workers.
    """

    username = models.CharField(max_length=150)
    ip_address = models.CharField(max_length=45, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "ip_address", "at"], name="login_failure_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.ip_address or 'unknown'} at {self.at:%Y-%m-%d %H:%M:%S}"
