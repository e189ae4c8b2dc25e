"""Reads of a framework version's questions."""

from __future__ import annotations

import pandas as pd

from assessments.models import Question


def framework_questions(framework) -> list[Question]:
    return list(
        Question.objects.filter(framework=framework)
        .select_related("capability", "dimension")
        .order_by("capability__position", "position")
    )


def questions_frame(framework) -> pd.DataFrame:
    """The framework's questions as the `questions` frame of assessments.scoring."""
    rows = Question.objects.filter(framework=framework).values_list(
        "code", "capability__code", "dimension__code", "weight"
    )
    return pd.DataFrame(list(rows), columns=["question", "capability", "dimension", "weight"])


def questionnaire_questions(cycle) -> list[Question]:
    """The questions the cycle asks in the order of the web questionnaire; one query."""
    return list(
        Question.objects.asked_in(cycle)
        .select_related("capability", "dimension")
        .order_by("capability__position", "dimension__position", "position")
    )
