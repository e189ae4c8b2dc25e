"""The hostile corpus as a suite: bad input from an attacker or an unlucky user, at every
door. Each case asserts the exact message and that nothing changed: the answers (with
comments and evidence), the number of audit entries, and the audit chain verifying.

`world` is one organisation with a unit whose respondent Ann answered on the web, a lead
and a consultant; `unchanged` snapshots the state and checks it at the end of the test.
"""

from __future__ import annotations

import pytest
from django.test import Client

from assessments import audit
from assessments.domain.answers import AnswerInput
from assessments.models import Answer, AuditEntry, Framework, Membership
from assessments.services.answers import answers_save
from tests import factories


def state() -> dict:
    """What a hostile input must not change, read through public behaviour."""
    return {
        "answers": sorted(
            (a.response.respondent, a.question.code, a.tidy_value, a.comment, a.evidence_url)
            for a in Answer.objects.select_related("response", "question")
        ),
        "audit_entries": AuditEntry.objects.count(),
        "frameworks": Framework.objects.count(),
    }


@pytest.fixture
def world(small):
    consultant = factories.user("consultant")
    org = factories.organisation("acme", consultants=[consultant])
    uk = factories.unit(org, "uk", tags="retail")
    cycle = factories.cycle(org, small)
    assessment = factories.assessment(uk, cycle)
    ann = factories.member(uk, username="ann")
    lead = factories.member(uk, Membership.Role.LEAD, username="lead")
    questions = {q.code: q for q in small.questions.all()}
    answers_save(
        assessment=assessment,
        respondent="ann",
        user=ann,
        questions=questions,
        answers={
            "IDG-FID-1": AnswerInput(choice=3, comment="matched weekly"),
            "IDG-FID-2": AnswerInput(value=64, evidence_url="https://wiki.example/match"),
        },
    )
    return {
        "org": org,
        "unit": uk,
        "cycle": cycle,
        "assessment": assessment,
        "framework": small,
        "questions": questions,
        "ann": ann,
        "lead": lead,
        "consultant": consultant,
    }


@pytest.fixture
def unchanged(world):
    """Asserts, after the test, that answers and the audit log are as they were."""
    before = state()
    yield before
    assert state() == before
    assert audit.verify_log().problems() == []


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
