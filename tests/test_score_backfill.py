"""Migration 0005 stores the scores of assessments answered before scores were stored, so
that pages have one source of scores: an old assessment (answers, no stored scores), set
up at migration 0004 with the historical models, has exactly its hand-computed scores
stored after migrating, and an assessment without answers is marked with nothing stored."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("assessments", "0004_stored_scores")]
AFTER = [("assessments", "0005_backfill_stored_scores")]


@pytest.fixture
def at_0004(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())


def old_assessment(apps):
    """acme/uk in 2026-Q4 on a two-capability framework, answered by ann and bob."""
    get = apps.get_model
    framework = get("assessments", "Framework").objects.create(
        code="old", version="1", name="Old", source_sha256="0" * 64
    )
    for number in range(1, 6):
        get("assessments", "Level").objects.create(
            framework=framework, number=number, name=f"L{number}"
        )
    dimensions = {
        code: get("assessments", "Dimension").objects.create(
            framework=framework, code=code, name=code, position=i
        )
        for i, code in enumerate(["fidelity", "recovery"])
    }
    Capability = get("assessments", "Capability")
    capabilities = {
        code: Capability.objects.create(
            framework=framework, code=code, name=code, position=i, cost_low=1, cost_high=2,
            impact="x", benefit_metric="m", benefit_percent=1, time_to_value_months=1,
        )
        for i, code in enumerate(["IDG", "CPL"])
    }  # fmt: skip
    Question = get("assessments", "Question")
    questions = {}
    for position, (code, capability, dimension, weight) in enumerate(
        [
            ("IDG-FID-1", "IDG", "fidelity", 2),
            ("IDG-FID-2", "IDG", "fidelity", 1),
            ("IDG-REC-1", "IDG", "recovery", 1),
            ("CPL-FID-1", "CPL", "fidelity", 1),
        ]
    ):
        questions[code] = Question.objects.create(
            framework=framework, capability=capabilities[capability],
            dimension=dimensions[dimension], code=code, position=position, text=code,
            weight=weight, type="choice",
        )  # fmt: skip
    organisation = get("assessments", "Organisation").objects.create(name="Acme", slug="acme")
    cycle = get("assessments", "Cycle").objects.create(
        organisation=organisation, name="2026-Q4", framework=framework
    )
    Unit = get("assessments", "BusinessUnit")
    Assessment = get("assessments", "Assessment")
    answered = Assessment.objects.create(
        unit=Unit.objects.create(organisation=organisation, name="UK", slug="uk"), cycle=cycle
    )
    empty = Assessment.objects.create(
        unit=Unit.objects.create(organisation=organisation, name="DE", slug="de"), cycle=cycle
    )
    Response = get("assessments", "Response")
    Answer = get("assessments", "Answer")
    levels = {
        "ann": {"IDG-FID-1": 3, "IDG-FID-2": 2, "IDG-REC-1": 4, "CPL-FID-1": 2},
        "bob": {"IDG-FID-1": 5, "IDG-FID-2": 2, "IDG-REC-1": None, "CPL-FID-1": 1},
    }
    for respondent, answers in levels.items():
        response = Response.objects.create(assessment=answered, respondent=respondent)
        for code, level in answers.items():
            if level is None:  # not applicable
                Answer.objects.create(response=response, question=questions[code], special="na")
            else:
                Answer.objects.create(
                    response=response, question=questions[code], choice=level, level=level
                )
    return answered.pk, empty.pk


def test_migration_stores_the_scores_of_assessments_answered_before_scores_were_stored(at_0004):
    answered, empty = old_assessment(at_0004)
    assert at_0004.get_model("assessments", "StoredScore").objects.count() == 0
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    StoredScore = apps.get_model("assessments", "StoredScore")
    stored = {
        (row.capability, row.dimension): (pytest.approx(row.score), row.level)
        for row in StoredScore.objects.filter(assessment_id=answered)
    }
    # IDG-FID-1: ann 3, bob 5 → lower median 3; IDG-FID-2: 2; fidelity (2·3 + 1·2) / 3 = 2.67
    # → level 2. IDG-REC-1: ann 4 (bob n/a) → 4. IDG: level min(2, 4) = 2, score the mean of
    # 2.67 and 4 = 3.33. CPL-FID-1: [2, 1] → lower median 1: CPL level 1, score 1.
    assert stored == {
        ("IDG", ""): ((8 / 3 + 4) / 2, 2),
        ("IDG", "fidelity"): (8 / 3, 2),
        ("IDG", "recovery"): (4.0, 4),
        ("CPL", ""): (1.0, 1),
        ("CPL", "fidelity"): (1.0, 1),
    }
    Assessment = apps.get_model("assessments", "Assessment")
    assert StoredScore.objects.filter(assessment_id=empty).count() == 0
    assert Assessment.objects.filter(scores_stored_at__isnull=True).count() == 0
