"""The bench's instruments (see reports/bench/run.py): timers, query counts, the floors and
questionnaire POSTs. The table and its verdict are reports/bench/goals.py."""

from __future__ import annotations

import json
import re
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

import pandas as pd
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.domain.answers import number_text
from assessments.models import Assessment, Capability, Question, StoredScore

# --- timers and counters -------------------------------------------------------------------


def alternating_medians(actions: list[Callable[[], object]], repeat: int) -> list[float]:
    """Each action's median wall time over `repeat` rounds that run every action once, in
    turn, after one warm-up round (imports, caches): a machine busy with something else
    slows the actions of a round alike, so their ratio stays fair. An action's `prepare`
    method, if it has one, runs untimed before each of its runs."""
    untimed = [getattr(action, "prepare", lambda: None) for action in actions]
    for action, prepare in zip(actions, untimed, strict=True):
        prepare()
        action()
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for action, prepare, measured in zip(actions, untimed, times, strict=True):
            prepare()
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
#
# A floor is the least a page has to do with the data it shows: one query of what it reads
# (stored scores, as the pages read them) and one pandas pivot of the rows, or, for the
# questionnaire, the very queries the page or save issues, sent raw through the cursor,
# with `json.dumps` of their rows standing in for the rendering.


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def stored_scores_sql(where: str) -> str:
    """Stored scores (assessment, capability, dimension, score) under a WHERE clause."""
    return (
        "SELECT assessment_id, capability, dimension, score "
        f"FROM {StoredScore._meta.db_table} WHERE {where}"
    )


SCORE_COLUMNS = ["assessment", "capability", "dimension", "score"]


def portfolio_floor(cycle) -> pd.DataFrame:
    """One query of the cycle's stored capability scores, pivoted to units × capabilities:
    what the portfolio heatmap and the comparison show."""
    assessment = Assessment._meta.db_table
    sql = stored_scores_sql(
        f"dimension = '' AND assessment_id IN (SELECT id FROM {assessment} WHERE cycle_id = %s)"
    )
    frame = pd.DataFrame(_rows(sql, [cycle.pk]), columns=SCORE_COLUMNS)
    return frame.pivot_table(
        index="assessment", columns="capability", values="score", aggfunc="first"
    )


def unit_report_floor(assessment) -> pd.DataFrame:
    """One query of the assessment's stored cell scores, pivoted to capabilities ×
    dimensions: the unit report's grid."""
    sql = stored_scores_sql("assessment_id = %s AND dimension <> ''")
    frame = pd.DataFrame(_rows(sql, [assessment.pk]), columns=SCORE_COLUMNS)
    return frame.pivot_table(
        index="capability", columns="dimension", values="score", aggfunc="first"
    )


# Transaction control in a captured request: the replay runs in one transaction of its own.
_TRANSACTION = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


class RawReplay:
    """The floor of a request: the SQL it issues, sent again raw through the cursor in one
    transaction, every row fetched and `json.dumps`-ed.

    `prepare` (untimed, before each timed call) captures the SQL of one run of `action`
    inside a transaction that is then rolled back, so the database is as it was; the
    timed call then issues exactly those statements and commits them, as the request
    would have. A save's statements thus write what the next save would have written —
    the same answers, the next audit entry of the chain — and a save that alternates its
    answers (QuestionnaireSave) keeps changing every answer, call after call."""

    def __init__(self, action: Callable[[], object]):
        self.action = action
        self.statements: list[str] = []

    def prepare(self) -> None:
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            self.action()
            transaction.set_rollback(True)
        self.statements = [
            query["sql"]
            for query in captured.captured_queries
            if not _TRANSACTION.match(query["sql"])
        ]

    def __call__(self) -> int:
        size = 0
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in self.statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    size += len(json.dumps(cursor.fetchall(), default=str))
        return size


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


class AutosaveRequest:
    """The questionnaire's autosave of one answer (static/ladder/autosave.js): the
    capability's first question, alternating between two levels, each request built on
    the version the previous one answered, as the page does."""

    def __init__(self, client: Client, assessment: Assessment, capability: Capability):
        self.client = client
        self.url = reverse(
            "capability_autosave",
            kwargs={"pk": assessment.pk, "capability_code": capability.code},
        )
        question = capability.questions.order_by("dimension__position", "position").first()
        self.code = question.code
        self.answers = [
            str(level)
            if question.type == Question.Type.CHOICE
            else number_text(question.threshold_levels[level])
            for level in (2, 3)
        ]
        self.version = 0  # until the first request says which version is stored
        self.turn = 0

    def __call__(self):
        answer = self.answers[self.turn % 2]
        self.turn += 1
        body = {"answers": {self.code: {"answer": answer, "version": self.version}}}
        response = self.client.post(
            self.url, json.dumps(body), content_type="application/json", secure=True
        )
        reply = response.json() if response.status_code == 200 else {}
        if self.code in reply.get("saved", {}):
            self.version = reply["saved"][self.code]["version"]
        elif reply.get("conflicts"):
            # The first request learns the stored version; every later one is built on it.
            self.version = reply["conflicts"][0]["version"]
        else:
            raise RuntimeError(f"bench: POST {self.url} answered {response.status_code}")
        return response


# --- exporters -----------------------------------------------------------------------------
