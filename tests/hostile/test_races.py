"""Writes that lose a race: retried once, then a clear "try again" with nothing lost, never
a 500. The database's refusal is simulated through Django's own hook for wrapping queries
(connection.execute_wrapper): the n first writes to a table answer "database is locked",
as SQLite does after its busy timeout (PostgreSQL's deadlock and serialisation failures
take the same path, tests/load/teamtest.py races them for real)."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection

from assessments import audit
from assessments.models import Answer, AuditEntry, LoginFailure
from tests import factories

from .conftest import logged_in, state

BUSY = (
    "The database was busy with other saves and this change was not saved; nothing changed. "
    "Try again in a moment."
)


class LockedWrites:
    """The first `times` INSERT/UPDATE statements on `table` fail as a locked database."""

    def __init__(self, table: str, times: int):
        self.table, self.left, self.refused = table, times, 0

    def __call__(self, execute, sql, params, many, context):
        if (
            self.left
            and sql.lstrip().upper().startswith(("INSERT", "UPDATE"))
            and self.table in sql
        ):
            self.left -= 1
            self.refused += 1
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)


SAVE = {"IDG-FID-1": "5", "IDG-FID-1-comment": "after the race", "IDG-FID-2": "64"}


@pytest.mark.django_db(transaction=True)
def test_a_save_that_loses_one_race_is_retried_and_saved(world):
    client = logged_in(world["ann"])
    before = AuditEntry.objects.count()
    locked = LockedWrites("assessments_answer", times=1)
    with connection.execute_wrapper(locked):
        response = client.post(f"/assessments/{world['assessment'].pk}/capabilities/IDG/", SAVE)
    assert (response.status_code, locked.refused) == (302, 1)
    answer = Answer.objects.get(response__respondent="ann", question__code="IDG-FID-1")
    assert (answer.choice, answer.comment) == (5, "after the race")
    assert AuditEntry.objects.count() == before + 1  # one save, one entry: the first rolled back
    assert audit.verify_log().problems() == []


@pytest.mark.django_db(transaction=True)
def test_a_save_that_loses_twice_says_try_again_and_keeps_what_was_typed(world):
    client = logged_in(world["ann"])
    before = state()
    locked = LockedWrites("assessments_answer", times=2)
    with connection.execute_wrapper(locked):
        response = client.post(f"/assessments/{world['assessment'].pk}/capabilities/IDG/", SAVE)
    assert response.status_code == 503
    assert [str(m) for m in response.context["messages"]] == [BUSY]
    html = response.content.decode()
    assert "after the race" in html  # the comment is still in the form
    assert state() == before
    assert audit.verify_log().problems() == []


@pytest.mark.django_db(transaction=True)
def test_a_submit_that_loses_twice_says_try_again(world):
    from assessments.domain.answers import AnswerInput
    from assessments.services.answers import answers_save

    answers_save(
        assessment=world["assessment"],
        respondent="lead",
        user=world["lead"],
        questions=world["questions"],
        answers={code: AnswerInput(special="dk") for code in world["questions"]},
    )
    before = state()
    with connection.execute_wrapper(LockedWrites("assessments_assessment", times=2)):
        response = logged_in(world["lead"]).post(
            f"/assessments/{world['assessment'].pk}/submit/", {"confirm": "on"}, follow=True
        )
    assert [str(m) for m in response.context["messages"]] == [BUSY]
    world["assessment"].refresh_from_db()
    assert world["assessment"].status == "draft"
    assert state() == before


@pytest.mark.django_db(transaction=True)
def test_a_login_failure_that_cannot_be_recorded_answers_503_not_500(db):
    factories.user("ann")
    from django.test import Client

    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(LockedWrites("assessments_loginfailure", times=5)):
        response = client.post("/login/", {"username": "ann", "password": "wrong"})
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert BUSY in response.content.decode()
    assert LoginFailure.objects.count() == 0


def test_a_race_outside_the_services_is_a_503_page(world, rf):
    """The middleware's net, for anything that writes without the retry."""
    from config.middleware import DatabaseBusyMiddleware

    request = rf.get("/")
    request.user = world["ann"]
    middleware = DatabaseBusyMiddleware(lambda r: None)
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert (response.status_code, response["Retry-After"]) == (503, "2")
    assert middleware.process_exception(request, OperationalError("no such table")) is None


class ReopenedMeanwhile:
    """The lead reopens the assessment between the page's read and the save's lock."""

    def __init__(self, pk: int):
        self.pk, self.done = pk, False

    def __call__(self, execute, sql, params, many, context):
        # The save's first read of the assessment, inside its transaction (the page's reads
        # before it run outside one in this test).
        reads_assessment = sql.startswith("SELECT") and 'FROM "assessments_assessment"' in sql
        if not self.done and connection.in_atomic_block and reads_assessment:
            self.done = True
            execute(
                'UPDATE "assessments_assessment" SET "status" = %s WHERE "id" = %s',
                ["reopened", self.pk],
                False,
                context,
            )
        return execute(sql, params, many, context)


@pytest.mark.django_db(transaction=True)
def test_a_save_posted_while_the_assessment_is_reopened_keeps_what_was_posted(world):
    """Found by tests/load/teamtest.py on PostgreSQL: the page read the assessment as
    submitted, so its form was disabled and kept the stored answers; the lead reopened it
    before the save, which then "saved" the old values and acknowledged the new ones."""
    from assessments.domain.answers import AnswerInput
    from assessments.services.answers import answers_save
    from assessments.services.signoff import assessment_submit

    answers_save(
        assessment=world["assessment"],
        respondent="lead",
        user=world["lead"],
        questions=world["questions"],
        answers={code: AnswerInput(special="dk") for code in world["questions"]},
    )
    assessment_submit(assessment=world["assessment"], user=world["lead"], confirmed=True)
    reopen = ReopenedMeanwhile(world["assessment"].pk)
    with connection.execute_wrapper(reopen):
        response = logged_in(world["ann"]).post(
            f"/assessments/{world['assessment'].pk}/capabilities/IDG/", SAVE
        )
    assert (reopen.done, response.status_code) == (True, 302)
    answer = Answer.objects.get(response__respondent="ann", question__code="IDG-FID-1")
    assert (answer.choice, answer.comment) == (5, "after the race")
