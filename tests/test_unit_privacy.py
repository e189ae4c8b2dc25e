"""Inside a unit, respondents see disputes as anonymous spreads; the lead, consultants and
admins see who answered what (issue 12 item 4, docs/questionnaire.md)."""

import pytest

from assessments.models import Membership
from tests import factories
from tests.pages import parse, text, the


@pytest.fixture
def world(small):
    consultant = factories.user("cora-consultant")
    admin = factories.user("ada-admin", is_superuser=True, is_staff=True)
    org = factories.organisation("acme", consultants=[consultant])
    unit = factories.unit(org, "uk")
    assessment = factories.assessment(unit, factories.cycle(org, small))
    people = {
        "ann": factories.member(unit, username="ann-respondent"),
        "bob": factories.member(unit, username="bob-respondent"),
        "lee": factories.member(unit, Membership.Role.LEAD, username="lee-lead"),
    }
    answers = {"ann": "1", "bob": "4", "lee": "4"}  # IDG-FID-1: levels 1, 4, 4 → disputed
    from django.test import Client

    for who, level in answers.items():
        client = Client()
        client.force_login(people[who])
        client.post(f"/assessments/{assessment.pk}/capabilities/IDG/", {"IDG-FID-1": level})
    return assessment, people, consultant, admin


def report(client, user, assessment):
    client.force_login(user)
    response = client.get(f"/reports/assessments/{assessment.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_respondent_sees_an_anonymous_spread_and_no_colleague_name(client, world):
    assessment, people, _, _ = world
    html = report(client, people["ann"], assessment)
    for colleague in ("bob-respondent", "lee-lead"):
        assert colleague not in html
    row = the(parse(html), "#disputed tbody tr")
    assert text(the(row, ".spread")) == "levels 1, 4, 4"
    assert "without names" in html


@pytest.mark.parametrize("who", ["lee", "consultant", "admin"])
def test_lead_consultant_and_admin_see_names(client, world, who):
    assessment, people, consultant, admin = world
    user = {"consultant": consultant, "admin": admin}.get(who) or people[who]
    page = parse(report(client, user, assessment))
    row = the(page, "#disputed tbody tr")
    assert [text(span) for span in row.select("span.d-block")] == [
        "ann-respondent: 1",
        "bob-respondent: 4",
        "lee-lead: 4",
    ]
    assert row.select_one(".spread") is None
