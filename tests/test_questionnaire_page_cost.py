"""The capability page's cost: a fixed number of SQL queries, whatever the answers.

Timing (not asserted: the machine is shared) is printed with `-s`:
`.venv/bin/python -m pytest -q -s tests/test_questionnaire_page_cost.py`.
"""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

# The capability page of a respondent: session + user, assessment, role, capability, its
# questions, level names, the respondent's answers, the answers carried to them from the last
# cycle, the progress of every capability and the next unanswered one, the lead's open
# send-back of this capability to the respondent. A change here is a change in the page's
# cost: say why in the commit.
PAGE_QUERIES = (
    12  # 14 before the capability came with its questions and both progress counts in one query
)


@pytest.fixture
def nine_questions(db):
    framework = factories.default_framework()
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk")
    assessment = factories.assessment(unit, factories.cycle(org, framework))
    respondent = factories.member(unit, username="ann")
    return assessment, respondent


def test_capability_page_runs_a_fixed_number_of_queries(client, nine_questions):
    assessment, respondent = nine_questions
    client.force_login(respondent)
    url = f"/assessments/{assessment.pk}/capabilities/RTO/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("data-question=") == 9
    assert len(queries) == PAGE_QUERIES, [q["sql"] for q in queries]


def test_capability_page_time(client, nine_questions):
    assessment, respondent = nine_questions
    client.force_login(respondent)
    url = f"/assessments/{assessment.pk}/capabilities/RTO/"
    client.get(url)
    times = []
    for _ in range(50):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    size = len(client.get(url).content)
    print(
        f"\ncapability page, 9 questions: median {1000 * statistics.median(times):.1f} ms, "
        f"{size} bytes"
    )
