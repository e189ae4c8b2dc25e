"""Answers carried forward from a unit's last signed-off cycle, waiting to be confirmed.

A carried answer is not an `Answer`: scores, progress, exports, the sign-off check and the
sign-off hash read answers only, so a carried answer counts as unanswered and unscored
until its respondent confirms it (which creates the answer through the normal save) or
answers the question (which drops it). See docs/cycles.md, "Carrying answers forward".
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.domain.answers import answer_text

from .assessments import Assessment
from .frameworks import Question
from .organisations import Cycle


class CarriedAnswer(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="carried_answers"
    )
    # The same name as Response.respondent (a username for web respondents).
    respondent = models.CharField(max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The question of the new cycle's framework (matched by capability and question code).
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    special = models.CharField(max_length=2, blank=True, default="")
    comment = models.TextField(blank=True)
    evidence_url = models.URLField(blank=True, max_length=500)
    # A cycle with assessments cannot be deleted (Assessment.cycle is RESTRICT) but with its
    # organisation, which takes these rows along.
    from_cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    carried_at = models.DateTimeField()

    class Meta:
        ordering = ["assessment_id", "respondent", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "respondent", "question"], name="carried_answer_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(choice__isnull=False, value__isnull=True, special="")
                    | Q(choice__isnull=True, value__isnull=False, special="")
                    | Q(choice__isnull=True, value__isnull=True, special__in=["na", "dk"])
                ),
                name="carried_answer_exactly_one_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} {self.question.code}: {self.tidy_value} (carried)"

    @property
    def tidy_value(self) -> str:
        return answer_text(choice=self.choice, value=self.value, special=self.special)
