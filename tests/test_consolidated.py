"""The lead reviews every respondent's answers before signing off."""

import pytest

from assessments.domain.answers import AnswerInput
from assessments.models import Membership
from assessments.services.answers import answers_save
from tests import factories


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


def row(html: str, code: str) -> str:
    start = html.index(f'<tr id="q-{code}"')
    return html[start : html.index("</tr>", start)]


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
    assert '<td>2 <span class="badge text-bg-warning">disputed</span></td>' in fid
    assert "<strong>ann</strong>: 4" in fid and "<strong>bob</strong>: 2" in fid
    assert "<strong>cat</strong>: na" in fid
    assert "&lt;b&gt;matched nightly&lt;/b&gt;" in fid  # typed text is escaped
    # 30 hours RTO → level 2
    assert '<strong>bob</strong>: 30 <span class="text-body-secondary">(level 2)</span>' in row(
        html, "IDG-REC-1"
    )
    assert "n/a" in row(html, "CPL-FID-1")  # everyone said "not applicable"
    assert "no answer yet" in row(html, "CPL-REC-1")
    assert 'class="table-danger"' in row(html, "IDG-FID-2")


def test_respondent_may_not_review_everyone_s_answers(client, unit_with_answers):
    assessment, _, _ = unit_with_answers
    respondent = factories.member(assessment.unit)
    page(client, respondent, assessment, status=403)


@pytest.mark.parametrize("respondents", [2, 6])
def test_review_page_runs_the_same_queries_whatever_the_number_of_respondents(
    client, unit_with_answers, django_assert_num_queries, respondents
):
    assessment, lead, answer = unit_with_answers
    for n in range(respondents):
        answer(
            f"r{n}",
            **{"IDG-FID-1": AnswerInput(choice=3), "CPL-REC-1": AnswerInput(choice=n % 5 + 1)},
        )
    client.force_login(lead)
    with django_assert_num_queries(7):
        client.get(f"/assessments/{assessment.pk}/answers/")
