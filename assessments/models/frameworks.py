"""Frameworks: levels, dimensions, capabilities and questions, loaded from YAML files
(assessments/domain/framework_file.py) and immutable once an assessment uses them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from assessments.domain.aggregation import AGGREGATIONS, WEIGHTED_MEAN
from assessments.domain.scoring import DONT_KNOW_LEVEL, answer_level, level_of

AGGREGATION_CHOICES = [(name, name.replace("_", " ")) for name in AGGREGATIONS]


class Framework(models.Model):
    code = models.SlugField(max_length=64)
    version = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    introduction = models.TextField(
        blank=True, help_text="What the assessment is for, shown to respondents (plain text)."
    )
    description = models.TextField(blank=True)
    # How a capability's answers make its score unless it says otherwise (docs/frameworks.md).
    aggregation = models.CharField(
        max_length=16, choices=AGGREGATION_CHOICES, default=WEIGHTED_MEAN
    )
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
        return self.cycles.filter(assessments__isnull=False).exists()


class Level(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    # Numbered as the model publishes them: consecutive, from 0, 1 or any whole number.
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=64)
    description = models.TextField(blank=True)
    # Both apply to an upgrade *to* this level.
    benefit_factor = models.FloatField(default=1.0)
    cost_multiplier = models.FloatField(default=1.0)

    class Meta:
        ordering = ["framework_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="level_number_unique"),
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
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="dimension_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CapabilityQuerySet(models.QuerySet):
    def asked_in(self, cycle) -> CapabilityQuerySet:
        """The capabilities a cycle asks: its framework's, or only those its profile asks
        a question of (docs/frameworks.md, "Profiles")."""
        capabilities = self.filter(framework_id=cycle.framework_id)
        if cycle.profile_id is None:
            return capabilities
        return capabilities.filter(
            pk__in=Question.objects.filter(profiles=cycle.profile_id).values("capability_id")
        )


class Capability(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="capabilities")
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()
    # The economics, all given or all null (no cost data: maturity-only recommendations).
    # Cost of one one-level upgrade, in USD.
    cost_low = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    cost_high = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    cost_is_assumption = models.BooleanField(default=True)
    impact = models.CharField(max_length=300, blank=True)
    benefit_metric = models.CharField(max_length=100, blank=True)
    benefit_percent = models.FloatField(null=True, blank=True)
    time_to_value_months = models.PositiveSmallIntegerField(null=True, blank=True)
    # How its answers make its score: its own `aggregation:` or the framework's.
    aggregation = models.CharField(
        max_length=16, choices=AGGREGATION_CHOICES, default=WEIGHTED_MEAN
    )
    # The groups it sits in, outermost first (["Design"]; ["GOVERN", "Risk"]); [] for none.
    groups = models.JSONField(default=list, blank=True)

    objects = CapabilityQuerySet.as_manager()

    class Meta:
        ordering = ["framework_id", "position"]
        verbose_name_plural = "capabilities"
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="capability_code_unique"),
            models.CheckConstraint(condition=Q(cost_low__gte=0), name="capability_cost_low_gte_0"),
            models.CheckConstraint(
                condition=Q(cost_high__gte=models.F("cost_low")),
                name="capability_cost_band_ordered",
            ),
            models.CheckConstraint(
                condition=Q(
                    cost_low__isnull=False,
                    cost_high__isnull=False,
                    benefit_percent__isnull=False,
                    time_to_value_months__isnull=False,
                )
                | Q(
                    cost_low__isnull=True,
                    cost_high__isnull=True,
                    benefit_percent__isnull=True,
                    time_to_value_months__isnull=True,
                    benefit_metric="",
                ),
                name="capability_economics_all_or_none",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_economics(self) -> bool:
        return self.cost_low is not None


class QuestionQuerySet(models.QuerySet):
    def asked_in(self, cycle) -> QuestionQuerySet:
        """The questions a cycle asks: its framework's, or only its profile's when it has
        one (docs/frameworks.md, "Profiles")."""
        questions = self.filter(framework_id=cycle.framework_id)
        if cycle.profile_id is None:
            return questions
        return questions.filter(profiles=cycle.profile_id)


class Question(models.Model):
    class Type(models.TextChoices):
        CHOICE = "choice", "Choice"
        NUMERIC = "numeric", "Numeric"
        YES_NO = "yes_no", "Yes / no"

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
    # yes_no: the level whose activity the question is; "yes" counts as this level, "no"
    # as the framework's lowest (options are stored as {level: "Yes", lowest: "No"}).
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    # choice with valued options (SAMM): {"1": 0.0, "2": 0.25, ...}, each option's value by
    # option number (1 for the first as listed); `options` is then keyed by option number,
    # and an answer's `choice` is the option number. Empty: options are keyed by level.
    option_values = models.JSONField(default=dict, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["framework_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="question_code_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="question_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def has_options(self) -> bool:
        """Answered by choosing an option (choice and yes/no questions), not by a value."""
        return self.type != self.Type.NUMERIC

    @property
    def option_levels(self) -> dict[int, str]:
        return {
            int(number): text
            for number, text in sorted(self.options.items(), key=lambda i: int(i[0]))
        }

    @property
    def has_option_values(self) -> bool:
        """Whether its options carry values (and are numbered, not keyed by level)."""
        return bool(self.option_values)

    def option_value(self, choice: int | None) -> float | None:
        """The value of the chosen option of a question whose options carry values; None
        for any other answer (its value is its level)."""
        if choice is None or not self.option_values:
            return None
        value = self.option_values.get(str(choice))
        return None if value is None else float(value)

    @property
    def level_texts(self) -> dict[int, str]:
        """What each level looks like on this question, for to-do lists: the option of that
        level; with valued options, the least valued option that reaches the level."""
        if not self.option_values:
            return self.option_levels
        texts = self.option_levels
        by_value = sorted((float(v), int(n)) for n, v in self.option_values.items())
        result: dict[int, str] = {}
        for value, number in reversed(by_value):
            for level in range(level_of(by_value[0][0]), level_of(value) + 1):
                result[level] = texts.get(number, "")
        return dict(sorted(result.items()))

    @property
    def threshold_levels(self) -> dict[int, float]:
        return {int(number): float(value) for number, value in self.thresholds.items()}

    def level_for(
        self, *, choice=None, value=None, special="", lowest: int | None = None
    ) -> int | None:
        """The level an answer to this question counts as (scoring rule 1). `lowest` is the
        framework's lowest level (looked up when not given: pass it when scoring many)."""
        if lowest is None and special == "dk":
            lowest = lowest_level(self.framework_id)
        elif lowest is None:
            # Thresholds are given for every level above the lowest: no query needed.
            thresholds = self.threshold_levels
            lowest = min(thresholds) - 1 if thresholds else DONT_KNOW_LEVEL
        worth = self.option_value(choice)
        if worth is not None:
            choice = level_of(worth)  # a valued option reaches the level it rounds down to
        return answer_level(
            choice=choice,
            value=value,
            special=special,
            thresholds=self.threshold_levels,
            higher_is_better=self.higher_is_better,
            lowest=lowest,
        )


def lowest_level(framework_id: int) -> int:
    """The framework's lowest level number: 1 for Ladder's own frameworks, 0 for SAMM."""
    first = (
        Level.objects.filter(framework_id=framework_id)
        .order_by("number")
        .values_list("number", flat=True)
        .first()
    )
    return DONT_KNOW_LEVEL if first is None else first


class Profile(models.Model):
    """A selection of a framework's questions that a cycle may ask instead of all of them
    (CIS implementation groups, TISAX protection levels, ANSSI's strategic and operational
    scopes). `questions` holds every question it asks: a question whose file names no
    profile is in each of them."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="profiles")
    code = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()
    questions = models.ManyToManyField(Question, related_name="profiles")

    class Meta:
        ordering = ["framework_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="profile_code_unique")
        ]

    def __str__(self) -> str:
        return self.name
