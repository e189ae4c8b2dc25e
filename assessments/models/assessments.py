"""Assessments (one unit in one cycle), responses (one per respondent), answers (one per
question) and the scores stored for each assessment."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.domain.answers import answer_text

from .frameworks import Question
from .organisations import BusinessUnit, Cycle


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
        ordering = ["assessment_id", "respondent"]
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
    question's thresholds, the framework's lowest level for "don't know", empty for "not applicable".
    """

    class Special(models.TextChoices):
        NONE = "", "—"
        NOT_APPLICABLE = "na", "Not applicable"
        DONT_KNOW = "dk", "Don't know"

    class Via(models.TextChoices):
        FORM = "form", "the questionnaire"
        AUTOSAVE = "autosave", "the questionnaire"
        WORKBOOK = "workbook", "an offline workbook upload"
        IMPORT = "import", "an import"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    special = models.CharField(max_length=2, choices=Special.choices, blank=True, default="")
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    # What the answer counts as when its question's options carry values (SAMM's 0.25);
    # derived on save like `level` (which is it rounded down). Empty: it counts as `level`.
    option_value = models.FloatField(null=True, blank=True)
    comment = models.TextField(blank=True)
    evidence_url = models.URLField(blank=True, max_length=500)
    updated_at = models.DateTimeField(auto_now=True)
    # Counts the answer's changes from 1: a save says which version it was built on, and
    # one built on an older version is refused for that question (docs/autosave.md).
    version = models.PositiveIntegerField(default=1)
    # Where the latest change came from, to say who made it when a save is refused.
    updated_via = models.CharField(max_length=16, choices=Via.choices, default=Via.FORM)

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
                condition=Q(choice__isnull=True) | Q(choice__gte=0), name="answer_choice_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(special="na", level__isnull=True)
                | Q(~Q(special="na"), level__isnull=False),
                name="answer_level_set_unless_na",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.tidy_value}"

    @property
    def tidy_value(self) -> str:
        """The answer as written in the tidy answers file."""
        return answer_text(choice=self.choice, value=self.value, special=self.special)


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
