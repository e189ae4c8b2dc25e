"""The bench's instruments (see reports/bench/run.py): timers, query counts, the floors and
questionnaire POSTs. The table and its verdict are reports/bench/goals.py."""

from __future__ import annotations

import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

import pandas as pd
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Answer, Assessment, Capability, Question, Response

# --- timers and counters -------------------------------------------------------------------


def alternating_medians(actions: list[Callable[[], object]], repeat: int) -> list[float]:
    """Each action's median wall time over `repeat` rounds that run every action once, in
    turn, after one warm-up round (imports, caches): a machine busy with something else
    slows the actions of a round alike, so their ratio stays fair."""
    for action in actions:
        action()
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for action, measured in zip(actions, times, strict=True):
            start = time.perf_counter()
            action()
            measured.append(time.perf_counter() - start)
    return [statistics.median(measured) for measured in times]


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    return alternating_medians([action], repeat)[0]


def query_count(action: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def get(client: Client, url: str) -> Callable[[], object]:
    """A GET of `url` that must answer 200."""

    def request():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"bench: GET {url} answered {response.status_code}")
        return response

    return request


def traced_peak_mib(action: Callable[[], object]) -> float:
    """The peak of Python memory allocated while `action` runs (tracemalloc)."""
    tracemalloc.start()
    try:
        action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / (1024 * 1024)


def peak_memory_mib() -> float:
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


# --- floors --------------------------------------------------------------------------------


def answer_levels_sql(where: str) -> str:
    """Every scorable answer level with its assessment, capability and dimension."""
    answer, response = Answer._meta.db_table, Response._meta.db_table
    assessment, question = Assessment._meta.db_table, Question._meta.db_table
    return (
        "SELECT r.assessment_id, q.capability_id, q.dimension_id, a.level "
        f"FROM {answer} a JOIN {response} r ON r.id = a.response_id "
        f"JOIN {assessment} s ON s.id = r.assessment_id "
        f"JOIN {question} q ON q.id = a.question_id "
        f"WHERE {where} AND a.level IS NOT NULL"
    )


def _fetch(sql: str, params: list) -> pd.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pd.DataFrame(rows, columns=["assessment", "capability", "dimension", "level"])


def portfolio_floor(cycle) -> pd.DataFrame:
    """One raw fetch of the cycle's answer levels, pivoted to units × capabilities."""
    frame = _fetch(answer_levels_sql("s.cycle_id = %s"), [cycle.pk])
    return frame.pivot_table(
        index="assessment", columns="capability", values="level", aggfunc="mean"
    )


def unit_report_floor(assessment) -> pd.DataFrame:
    """One raw fetch of the assessment's answer levels, pivoted to capabilities × dimensions."""
    frame = _fetch(answer_levels_sql("r.assessment_id = %s"), [assessment.pk])
    return frame.pivot_table(
        index="capability", columns="dimension", values="level", aggfunc="mean"
    )


# --- the questionnaire ---------------------------------------------------------------------


def capability_post(questions: list[Question], levels: list[int]) -> dict[str, str]:
    """The questionnaire POST answering each question at its level (for a measured
    question, the threshold value that reaches it)."""
    data: dict[str, str] = {}
    for question, level in zip(questions, levels, strict=True):
        code = question.code
        if question.type == Question.Type.CHOICE:
            data[code] = str(level)
        else:
            data[code] = str(question.threshold_levels[level])
            data[f"{code}-special"] = ""
        data[f"{code}-comment"] = ""
        data[f"{code}-evidence"] = ""
    return data


class QuestionnaireSave:
    """A respondent's save of every question of a capability in one POST, alternating
    between two sets of answers that differ in every answer (`changing="all"`) or in the
    first one only (`changing="one"`), so that each call changes that many answers."""

    def __init__(
        self, client: Client, assessment: Assessment, capability: Capability, changing="all"
    ):
        self.client = client
        self.url = reverse(
            "capability_answers", kwargs={"pk": assessment.pk, "capability_code": capability.code}
        )
        questions = list(capability.questions.all())
        self.questions = len(questions)
        self.changed = self.questions if changing == "all" else 1
        first = [2] * len(questions)
        second = [3] * self.changed + [2] * (len(questions) - self.changed)
        self.posts = [capability_post(questions, first), capability_post(questions, second)]
        self.turn = 0

    def __call__(self):
        data = self.posts[self.turn % 2]
        self.turn += 1
        response = self.client.post(self.url, data, secure=True)
        if response.status_code != 302:
            raise RuntimeError(f"bench: POST {self.url} answered {response.status_code}")
        return response


# --- exporters -----------------------------------------------------------------------------
