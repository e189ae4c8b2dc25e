"""Autosave and the no-lost-update rule: every answer carries a version, and a save built
on an older version is not written but reported (docs/autosave.md)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.domain.answers import AnswerInput
from assessments.models import Answer, Assessment, Capability
from assessments.services.answers import answers_save, answers_save_checked
from tests import factories
from tests.pages import parse, the

IDG = "/assessments/{}/capabilities/IDG/"


@pytest.fixture
def setup(small):
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk")
    assessment = factories.assessment(unit, factories.cycle(org, small))
    return assessment, factories.member(unit, username="ann")


def page_fields(client, url) -> dict[str, str]:
    """What the page's form would post as it stands (the hidden versions included)."""
    page = parse(client.get(url))
    data = {}
    for field in page.select("form[data-questionnaire] [name]"):
        name = field["name"]
        if field.name == "textarea":
            data[name] = field.get_text().strip()
        elif field.get("type") == "radio":
            if field.has_attr("checked"):
                data[name] = field["value"]
        elif field.name == "select":
            chosen = field.select_one("option[selected]")
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") != "submit":
            data[name] = field.get("value", "")
    data.pop("csrfmiddlewaretoken", None)
    return data


def autosave(client, assessment, answers, capability="IDG"):
    return client.post(
        f"/assessments/{assessment.pk}/capabilities/{capability}/autosave/",
        json.dumps({"answers": answers}),
        content_type="application/json",
    )


def stored(code):
    return Answer.objects.get(question__code=code)


def test_an_answer_starts_at_version_1_and_counts_its_changes(setup, small):
    assessment, _ = setup
    questions = {q.code: q for q in small.questions.all()}
    for choice in (2, 3, 3):
        answers_save(
            assessment=assessment,
            respondent="ann",
            questions=questions,
            answers={"IDG-FID-1": AnswerInput(choice=choice)},
        )
    assert stored("IDG-FID-1").version == 2  # the third save changed nothing


def test_a_stale_tab_does_not_put_back_an_older_answer(client, setup):
    """Issue 12: tab 1 changes IDG-FID-1 and saves; tab 2, opened earlier, changes
    another question and saves — IDG-FID-1 keeps tab 1's answer."""
    assessment, ann = setup
    client.force_login(ann)
    url = IDG.format(assessment.pk)
    client.post(url, {**page_fields(client, url), "IDG-FID-1": "2"})
    tab1, tab2 = page_fields(client, url), page_fields(client, url)
    assert client.post(url, {**tab1, "IDG-FID-1": "5"}).status_code == 302
    response = client.post(url, {**tab2, "IDG-REC-1": "4"})
    assert response.status_code == 409
    assert stored("IDG-FID-1").choice == 5
    assert stored("IDG-REC-1").value == 4  # the rest of tab 2's save is kept
    page = parse(response)
    conflict = the(page, "[data-conflict=IDG-FID-1]")
    assert "the newer answer is 5, set by you, in another tab or device at" in conflict.text
    # Keeping theirs: the page now carries the stored versions, so saving again wins.
    assert the(page, "input[name=versions]")["value"].split() == [
        "IDG-FID-1:2",
        "IDG-FID-2:0",
        "IDG-REC-1:1",
    ]
    assert the(page, "input[name=IDG-FID-1][value='2']").has_attr("checked")
    again = {**page_fields(client, url), "versions": the(page, "input[name=versions]")["value"]}
    again["IDG-FID-1"] = "2"
    assert client.post(url, again).status_code == 302
    assert stored("IDG-FID-1").choice == 2 and stored("IDG-FID-1").version == 3


def test_a_post_without_versions_is_not_checked(client, setup):
    assessment, ann = setup
    client.force_login(ann)
    url = IDG.format(assessment.pk)
    client.post(url, {"IDG-FID-1": "2"})
    assert client.post(url, {"IDG-FID-1": "4"}).status_code == 302
    assert stored("IDG-FID-1").choice == 4


def test_autosave_saves_what_was_sent_and_answers_the_new_versions(client, setup):
    assessment, ann = setup
    client.force_login(ann)
    response = autosave(
        client,
        assessment,
        {
            "IDG-FID-1": {"answer": "3", "comment": "nightly", "evidence": "", "version": 0},
            "IDG-FID-2": {"answer": "dk", "version": 0},
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["conflicts"] == [] and body["errors"] == {}
    assert {code: item["version"] for code, item in body["saved"].items()} == {
        "IDG-FID-1": 1,
        "IDG-FID-2": 1,
    }
    assert stored("IDG-FID-1").comment == "nightly"
    assert stored("IDG-FID-1").updated_via == Answer.Via.AUTOSAVE
    assert stored("IDG-FID-2").special == "dk"
    # Cleared, and back to version 0 (no answer).
    body = autosave(client, assessment, {"IDG-FID-1": {"answer": "", "version": 1}}).json()
    assert body["saved"]["IDG-FID-1"]["version"] == 0
    assert not Answer.objects.filter(question__code="IDG-FID-1").exists()


def test_autosave_on_an_older_version_reports_the_newer_answer(client, setup):
    assessment, ann = setup
    client.force_login(ann)
    autosave(client, assessment, {"IDG-FID-1": {"answer": "3", "version": 0}})
    autosave(client, assessment, {"IDG-FID-1": {"answer": "5", "version": 1}})
    body = autosave(client, assessment, {"IDG-FID-1": {"answer": "2", "version": 1}}).json()
    assert body["saved"] == {}
    [conflict] = body["conflicts"]
    assert conflict["code"] == "IDG-FID-1" and conflict["answer"] == "5"
    assert conflict["version"] == 2 and conflict["who"] == "you, in another tab or device"
    assert conflict["at_text"]
    assert stored("IDG-FID-1").choice == 5
    # The same answer as stored is no conflict, whatever version it was built on.
    body = autosave(client, assessment, {"IDG-FID-1": {"answer": "5", "version": 1}}).json()
    assert body["conflicts"] == [] and body["saved"]["IDG-FID-1"]["version"] == 2


def test_autosave_refuses_as_the_form_refuses(client, setup):
    assessment, ann = setup
    client.force_login(ann)
    body = autosave(
        client,
        assessment,
        {
            "IDG-FID-1": {"answer": "9", "version": 0},
            "IDG-FID-2": {"answer": "64.5", "version": 0},
            "IDG-REC-1": {"answer": "", "comment": "no answer", "version": 0},
        },
    ).json()
    assert set(body["errors"]) == {"IDG-FID-1", "IDG-REC-1"}
    assert list(body["saved"]) == ["IDG-FID-2"]
    assert stored("IDG-FID-2").value == 64.5
    for bad in (b"", b"[]", b'{"answers": {"IDG-FID-1": {"answer": "3"}}}'):
        response = client.post(
            f"/assessments/{assessment.pk}/capabilities/IDG/autosave/",
            bad,
            content_type="application/json",
        )
        assert response.status_code == 400
    response = autosave(client, assessment, {"NOPE": {"answer": "3", "version": 0}})
    assert response.status_code == 400
    assert autosave(client, assessment, {}, capability="NOPE").status_code == 404


def test_autosave_on_a_submitted_assessment_is_refused(client, setup):
    assessment, ann = setup
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.SUBMITTED, submitted_at="2026-12-01T10:00Z", answers_sha256="x"
    )
    client.force_login(ann)
    response = autosave(client, assessment, {"IDG-FID-1": {"answer": "3", "version": 0}})
    assert response.status_code == 409 and "read-only" in response.json()["error"]
    assert not Answer.objects.exists()


# --- queries -------------------------------------------------------------------------------
# A save costs the same number of queries whatever the number of answers it changes: the
# request's session and user, the assessment and the role, the page's capability and
# questions, then answers_save_checked's fixed handful (lock, response, stored answers,
# one upsert, the stored-score refresh, the audit append, the UPDATE marking capabilities
# sent back to the respondent revised).

FORM_SAVE_QUERIES = 20  # 32 before the upsert (issue 17); +1 the send-back UPDATE; -1 the capability read with its questions
AUTOSAVE_QUERIES = 20
AUTOSAVE_COMMENT_QUERIES = 15  # no level changes: no stored-score refresh


@pytest.fixture
def nine(db):
    """A capability of nine questions (RTO of the default framework) and its respondent."""
    framework = factories.default_framework()
    capability = Capability.objects.get(framework=framework, code="RTO")
    questions = list(capability.questions.order_by("dimension__position", "position"))
    assert len(questions) == 9
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk")
    assessment = factories.assessment(unit, factories.cycle(org, framework))
    return assessment, questions, factories.member(unit, username="ann")


def _answers(questions, level: int, changed: int) -> dict[str, str]:
    data = {}
    for i, question in enumerate(questions):
        level_here = level if i < changed else 1
        if question.type == "numeric":
            data[question.code], data[f"{question.code}-special"] = str(10 * level_here), ""
        else:
            data[question.code] = str(level_here)
    return data


@pytest.mark.parametrize("changed", [2, 9])
def test_the_form_save_runs_a_fixed_number_of_queries(client, nine, changed):
    assessment, questions, ann = nine
    client.force_login(ann)
    url = f"/assessments/{assessment.pk}/capabilities/RTO/"
    client.post(url, _answers(questions, 1, 9))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, _answers(questions, 2, changed))
    assert response.status_code == 302
    assert Answer.objects.filter(choice=2).count() + Answer.objects.filter(value=20).count() == (
        changed
    )
    assert len(queries) == FORM_SAVE_QUERIES, "\n".join(q["sql"][:100] for q in queries)


@pytest.mark.parametrize("changed", [1, 9])
def test_autosave_runs_no_more_queries_than_the_form_whatever_it_sends(client, nine, changed):
    assessment, questions, ann = nine
    client.force_login(ann)
    url = f"/assessments/{assessment.pk}/capabilities/RTO/"
    client.post(url, _answers(questions, 1, 9))
    sent = {
        q.code: {"answer": "20" if q.type == "numeric" else "2", "version": 1}
        for q in questions[:changed]
    }
    with CaptureQueriesContext(connection) as queries:
        body = autosave(client, assessment, sent, capability="RTO").json()
    assert len(body["saved"]) == changed
    # The same statements as the form's save since the form reads its capability with its
    # questions in one query, as the autosave does; the autosave skips the form and redirect.
    assert len(queries) == AUTOSAVE_QUERIES <= FORM_SAVE_QUERIES, "\n".join(
        q["sql"][:100] for q in queries
    )


def test_autosave_of_a_comment_skips_the_score_refresh(client, nine):
    assessment, questions, ann = nine
    client.force_login(ann)
    client.post(f"/assessments/{assessment.pk}/capabilities/RTO/", _answers(questions, 1, 9))
    code = next(q.code for q in questions if q.type == "choice")
    sent = {code: {"answer": "1", "comment": "as we do it today", "version": 1}}
    with CaptureQueriesContext(connection) as queries:
        body = autosave(client, assessment, sent, capability="RTO").json()
    assert body["saved"][code]["version"] == 2
    assert len(queries) == AUTOSAVE_COMMENT_QUERIES, "\n".join(q["sql"][:100] for q in queries)
    # A measured value moved within its level: the level, and so every score, stays.
    measured = next(q for q in questions if q.type == "numeric")
    low, high = sorted(measured.threshold_levels.values())[:2]
    inside = [low + (high - low) / 3, low + 2 * (high - low) / 3]  # one band, either way
    sent = {measured.code: {"answer": str(inside[0]), "version": 1}}
    assert measured.code in autosave(client, assessment, sent, capability="RTO").json()["saved"]
    stored_at = Assessment.objects.get(pk=assessment.pk).scores_stored_at
    sent = {measured.code: {"answer": str(inside[1]), "version": 2}}
    with CaptureQueriesContext(connection) as queries:
        body = autosave(client, assessment, sent, capability="RTO").json()
    assert body["saved"][measured.code]["version"] == 3
    assert len(queries) == AUTOSAVE_COMMENT_QUERIES
    assert Assessment.objects.get(pk=assessment.pk).scores_stored_at == stored_at


def test_the_service_runs_twelve_queries_whatever_the_number_of_answers(nine):
    assessment, questions, _ = nine
    by_code = {q.code: q for q in questions}
    answers_save(  # the response, the audit chain's head: created once, before counting
        assessment=assessment,
        respondent="ann",
        questions=by_code,
        answers={questions[0].code: AnswerInput(special="dk")},
    )
    stored_versions = {questions[0].code: 1}
    # The first run answers 8 questions for the first time: one more query, the DELETE of
    # the answers carried from the last cycle that they replace (none here).
    for level, changed, expected in ((1, 9, 15), (2, 2, 14), (3, 9, 14)):
        answers = {
            q.code: AnswerInput(value=10.0 * level)
            if q.type == "numeric"
            else AnswerInput(choice=level)
            for q in questions[:changed]
        }
        # 12, and the SAVEPOINT / RELEASE of a transaction inside the test's
        with CaptureQueriesContext(connection) as queries:
            result = answers_save_checked(
                assessment=assessment,
                respondent="ann",
                questions=by_code,
                answers=answers,
                versions={code: stored_versions.get(code, 0) for code in answers},
            )
        assert len(queries) == expected, "\n".join(q["sql"][:100] for q in queries)
        assert result.changed == changed and not result.conflicts
        stored_versions.update(result.versions)


def test_a_conflict_names_where_the_newer_answer_came_from(setup, small):
    assessment, _ = setup
    questions = {q.code: q for q in small.questions.all()}

    def save(choice, via, versions):
        return answers_save_checked(
            assessment=assessment,
            respondent="ann",
            questions=questions,
            answers={"IDG-FID-1": AnswerInput(choice=choice)},
            versions=versions,
            via=via,
        )

    save(2, Answer.Via.FORM, {"IDG-FID-1": 0})
    save(4, Answer.Via.WORKBOOK, None)  # an upload: not checked against versions
    result = save(3, Answer.Via.AUTOSAVE, {"IDG-FID-1": 1})
    [conflict] = result.conflicts
    assert (conflict.answer, conflict.version, conflict.who) == (
        "4",
        2,
        "an offline workbook upload",
    )
    assert result.changed == 0 and stored("IDG-FID-1").choice == 4
