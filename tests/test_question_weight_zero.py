"""A question of weight 0 (issue 15, item 4): asked for information, shown as such, and
counted in no score — a cell of such questions alone has none — nor in any to-do list
(docs/frameworks.md, "Weights")."""

from __future__ import annotations

import pandas as pd
import pytest

from assessments.domain import scoring
from assessments.domain.framework_file import FrameworkError, parse_framework
from assessments.models import StoredScore
from assessments.services.frameworks import framework_load
from reports.queries.planning import framework_data
from tests import factories
from tests.pages import parse, text, the

INFORMATION_ONLY = factories.SMALL_FRAMEWORK.replace("weight: 2", "weight: 0").replace(
    "      - code: CPL-REC-1\n        dimension: recovery\n",
    "      - code: CPL-REC-1\n        dimension: recovery\n        weight: 0\n",
)


def test_the_loader_takes_weight_0_and_still_refuses_a_negative_weight():
    spec = parse_framework(INFORMATION_ONLY, "f.yaml")
    weights = {q.code: q.weight for q in spec.questions}
    assert weights["IDG-FID-1"] == 0 and weights["CPL-REC-1"] == 0 and weights["IDG-FID-2"] == 1
    with pytest.raises(FrameworkError) as refused:
        parse_framework(
            INFORMATION_ONLY.replace("weight: 0", "weight: -1", 1),
            "f.yaml",
        )
    assert refused.value.problems == [
        "f.yaml: capabilities[0] (IDG).questions[0] (IDG-FID-1).weight: must be from 0 to "
        "1000, got -1"
    ]


def test_a_weight_0_question_counts_in_no_cell():
    """Fidelity holds a weight-0 question at level 5 and a weight-1 one at level 2: the
    cell is 2.0 (with weight 1 it would be (5 + 2) / 2 = 3.5). Recovery holds only a weight-0
    question: no score."""
    questions = scoring.questions_frame(
        [
            ("Q1", "CAP", "fidelity", 0.0),
            ("Q2", "CAP", "fidelity", 1.0),
            ("Q3", "CAP", "recovery", 0.0),
        ]
    )
    levels = pd.DataFrame({"unit": ["u"] * 3, "question": ["Q1", "Q2", "Q3"], "level": [5, 2, 4]})
    cells = scoring.cell_scores(levels, questions)
    assert cells[["dimension", "score", "level"]].to_dict("records") == [
        {"dimension": "fidelity", "score": 2.0, "level": 2}
    ]


@pytest.fixture
def informational(db):
    framework, _ = framework_load(spec=parse_framework(INFORMATION_ONLY, "small.yaml"))
    return (*factories.unit_assessment(framework), framework)


def stored(assessment, capability: str) -> dict[str, tuple[float, int]]:
    return {
        row.dimension: (row.score, row.level)
        for row in StoredScore.objects.filter(assessment=assessment, capability=capability)
    }


def test_respondents_are_told_and_its_answer_changes_no_score(client, informational):
    assessment, ann, framework = informational
    client.force_login(ann)
    url = f"/assessments/{assessment.pk}/capabilities/IDG/"
    page = parse(client.get(url))
    assert text(the(page, "#q-IDG-FID-1-not-scored")) == (
        "For information: this question is not scored."
    )
    assert page.select("#q-IDG-FID-2-not-scored") == []
    # Identity resolution "continuous" (5) beside a 55 % match rate (2) and a 30-hour RTO (2).
    assert (
        client.post(url, {"IDG-FID-1": "5", "IDG-FID-2": "55", "IDG-REC-1": "30"}).status_code
        == 302
    )
    assert stored(assessment, "IDG") == {"fidelity": (2.0, 2), "recovery": (2.0, 2), "": (2.0, 2)}
    cpl = f"/assessments/{assessment.pk}/capabilities/CPL/"
    assert client.post(cpl, {"CPL-FID-1": "3", "CPL-REC-1": "1"}).status_code == 302
    assert stored(assessment, "CPL") == {"fidelity": (3.0, 3), "": (3.0, 3)}  # no recovery cell
    # Nor is it ever a step to the next level.
    steps = {question.code for question in framework_data(assessment.cycle).questions}
    assert steps == {"IDG-FID-2", "IDG-REC-1", "CPL-FID-1"}
