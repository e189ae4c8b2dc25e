"""The lead reviews every respondent's answers before signing off."""

import pytest

from assessments.domain.answers import AnswerInput
from assessments.models import Membership
from assessments.services.answers import answers_save
from assessments.services.review import capability_mark_reviewed, capability_send_back
from tests import factories
from tests.pages import cells, parse, text, the


@pytest.fixture
def unit_with_answers(small):
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk")
    assessment = factories.assessment(unit, factories.cycle(org, small))
    lead = factories.member(unit, Membership.Role.LEAD, username="lead")
    questions = {q.code: q for q in small.questions.all()}

    def answer(respondent, **answers):
        answers_save(
            assessment=assessment, respondent=respondent, questions=questions, answers=answers
        )

    return assessment, lead, answer


def page(client, user, assessment, status=200):
    client.force_login(user)
    response = client.get(f"/assessments/{assessment.pk}/answers/")
    assert response.status_code == status
    return response.content.decode()


def row(html: str, code: str):
    """The review table's row of question `code` (tests/pages.py)."""
    return the(parse(html), f"tr#q-{code}")


def answers(row) -> list[str]:
    """Each respondent's answer as the row shows it: name, answer, comment."""
    return [text(answer) for answer in row.select(".answer")]


def test_lead_sees_each_respondents_answer_the_unit_level_and_disputes(client, unit_with_answers):
    assessment, lead, answer = unit_with_answers
    answer("ann", **{"IDG-FID-1": AnswerInput(choice=4, comment="<b>matched nightly</b>")})
    answer("bob", **{"IDG-FID-1": AnswerInput(choice=2), "IDG-REC-1": AnswerInput(value=30)})
    answer(
        "cat", **{"IDG-FID-1": AnswerInput(special="na"), "CPL-FID-1": AnswerInput(special="na")}
    )
    html = page(client, lead, assessment)

    fid = row(html, "IDG-FID-1")
    # [4, 2] → lower median 2, two apart → disputed; cat's "na" shown but left out
    question, unit_level, _ = cells(fid)
    assert question.startswith("IDG-FID-1 How are customer identities resolved")
    assert unit_level == "2 disputed"
    assert answers(fid) == ["ann: 4 “<b>matched nightly</b>”", "bob: 2", "cat: na"]
    assert [text(name) for name in fid.select(".answer strong")] == ["ann", "bob", "cat"]
    assert "&lt;b&gt;matched nightly&lt;/b&gt;" in html  # typed text is escaped
    assert "<b>matched" not in html
    # 30 hours RTO → level 2
    assert answers(row(html, "IDG-REC-1")) == ["bob: 30 (level 2)"]
    assert "n/a" in cells(row(html, "CPL-FID-1"))[1]  # everyone said "not applicable"
    assert cells(row(html, "CPL-REC-1"))[1] == "no answer yet"
    # unanswered questions stand out; answered ones do not
    assert row(html, "IDG-FID-2")["class"] == ["table-danger"]
    assert "table-danger" not in row(html, "IDG-FID-1").get("class", [])


def test_respondent_may_not_review_everyone_s_answers(client, unit_with_answers):
    assessment, _, _ = unit_with_answers
    respondent = factories.member(assessment.unit)
    page(client, respondent, assessment, status=403)


@pytest.mark.parametrize("respondents", [2, 6])
def test_review_page_runs_the_same_queries_whatever_the_number_of_respondents(
    client, unit_with_answers, django_assert_num_queries, respondents
):
    assessment, lead, answer = unit_with_answers
    idg = assessment.cycle.framework.capabilities.get(code="IDG")
    for n in range(respondents):
        answer(
            f"r{n}",
            **{"IDG-FID-1": AnswerInput(choice=3), "CPL-REC-1": AnswerInput(choice=n % 5 + 1)},
        )
        person = factories.member(assessment.unit, username=f"r{n}")
        capability_send_back(
            assessment=assessment, capability=idg, user=person, note=f"check {n}", by=lead
        )
    capability_mark_reviewed(
        assessment=assessment,
        capability=assessment.cycle.framework.capabilities.get(code="CPL"),
        by=lead,
    )
    client.force_login(lead)
    # 7 for the answers, and 3 for the review loop: the reviews, the open send-backs, the
    # unit's members (whom a capability can be sent back to).
    with django_assert_num_queries(10):
        html = client.get(f"/assessments/{assessment.pk}/answers/").content.decode()
    assert html.count("Sent back to") == respondents
