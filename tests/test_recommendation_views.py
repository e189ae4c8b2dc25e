"""Recommendation pages and the engagement inputs: who may see and change what, what they
show, and how many queries they run."""

import copy

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import AuditEntry, Engagement, Membership, TargetLevel, ValueBase
from reports.queries.unit_report import unit_report
from reports.views.unit_report import report_recommendations
from tests import factories
from tests.pages import cells, parse, rows, text, the
from tests.recommendation_factories import organisation_with_units


@pytest.fixture(scope="module")
def acme_once(module_db):
    """acme: units uk and unit-1 answered alike, each with a lead and a respondent, written
    once for the module (tests/conftest.py, "A world built once")."""
    return organisation_with_units(factories.small_framework(), 2)


@pytest.fixture
def acme(acme_once, db):
    """(organisation, its consultant, [assessment of uk, assessment of unit-1])."""
    return copy.deepcopy(acme_once)


@pytest.fixture(scope="module")
def big_once(module_db):
    """big: the same with six units, for the query counts."""
    return organisation_with_units(factories.small_framework(), 6, slug="big")


@pytest.fixture
def big(big_once, db):
    return copy.deepcopy(big_once)


def page(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


def lead(unit="uk"):
    return User.objects.get(username=f"lead-acme-{unit}")


def respondent(unit="uk"):
    return User.objects.get(username=f"respondent-acme-{unit}")


def outsider(framework):
    """A lead in another organisation."""
    org = factories.organisation("other")
    unit = factories.unit(org, "elsewhere")
    return factories.member(unit, Membership.Role.LEAD, username="lead-elsewhere")


def upgrades(page) -> list[str]:
    """The ids of the recommended upgrades on a unit report, in the order shown."""
    return [body["id"] for body in page.select("#recommendation-table > tbody")]


def upgrade_cells(page, code: str) -> list[str]:
    """The cells of upgrade `code`'s row: priority, upgrade, …, NPVs, DEOM mode."""
    return cells(the(page, f"#recommendation-{code} tr:not(.todo)"))


ROADMAP = "/reports/organisations/acme/roadmap/"
DEOM = "/reports/organisations/acme/deom/"
INPUTS = "/reports/organisations/acme/engagement/"
UNIT_ROADMAP = "/reports/organisations/acme/units/uk/roadmap/"
UNIT_TARGETS = "/reports/organisations/acme/units/uk/targets/"


# --- the unit report ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["respondent", "lead", "consultant", "admin"])
def test_unit_report_shows_recommendations_with_todo_list_to_members_and_consultants(
    client, acme, who
):
    _, consultant, (uk, _) = acme
    user = {
        "respondent": respondent,
        "lead": lead,
        "consultant": lambda: consultant,
        "admin": lambda: factories.user("root", is_superuser=True, is_staff=True),
    }[who]()
    report = parse(page(client, user, f"/reports/assessments/{uk.pk}/"))
    section = the(report, "section#recommendations")
    # IDG 2 → 3 first (3,971,023.44 base NPV), CPL 3 → 4 second (414,238.02).
    assert upgrades(section) == ["recommendation-IDG", "recommendation-CPL"]
    idg, cpl = (upgrade_cells(section, code) for code in ("IDG", "CPL"))
    assert (idg[0], idg[1], idg[-4:]) == (
        "1", "Identity Graph Enhancements 2 Repeatable → 3 Managed (target 4)",
        ["$5,896,390", "$3,971,023 pays back in month 8", "$1,408,515", "Centralized Scale"],
    )  # fmt: skip
    assert (cpl[0], cpl[-3].split()[0], cpl[-1]) == ("2", "$414,238", "Guardrailed Innovation")
    # The to-do list under fidelity: both questions at level 2, with what level 3 takes.
    assert [text(item) for item in section.select("#recommendation-IDG tr.todo li")] == [
        "IDG-FID-1 How are customer identities resolved across channels? (now level 2) → Managed matching service",
        "IDG-FID-2 Persistent identity match rate (now level 2) → reach ≥ 62 %",
    ]  # fmt: skip
    links = [text(link) for link in report.select("a")]
    assert ("Engagement inputs" in links) == (who in ("consultant", "admin"))


def test_unit_report_of_another_organisation_is_404_for_an_outsider(client, acme, small):
    _, _, (uk, _) = acme
    assert page(client, outsider(small), f"/reports/assessments/{uk.pk}/").status_code == 404


def test_negative_npv_is_flagged_on_the_unit_report(client, acme):
    org, consultant, (uk, _) = acme
    ValueBase.objects.filter(organisation=org, benefit_metric="attributable revenue").update(
        annual_value=0
    )
    section = the(
        parse(page(client, consultant, f"/reports/assessments/{uk.pk}/")), "#recommendations"
    )
    badges = {code: [text(b) for b in section.select(f"#recommendation-{code} .badge")] for code in ("IDG", "CPL")}  # fmt: skip
    assert "negative NPV" in badges["IDG"]
    assert "negative NPV" not in badges["CPL"]  # its value base is untouched


# --- roadmap and DEOM pages ---------------------------------------------------------------


def test_unit_roadmap_is_visible_to_the_unit_and_consultants_only(client, acme, small):
    _, consultant, _ = acme
    assert page(client, respondent(), UNIT_ROADMAP).status_code == 200
    assert page(client, consultant, UNIT_ROADMAP).status_code == 200
    assert page(client, respondent("unit-1"), UNIT_ROADMAP).status_code == 404
    assert page(client, outsider(small), UNIT_ROADMAP).status_code == 404


def test_unit_roadmap_spends_each_cycle_on_the_best_set(client, acme):
    """Budget 2,000,000: cycle 1 funds IDG 2 → 3 (850,000) and CPL 3 → 4 (550,000); cycle 2
    IDG 3 → 4; both are then at the default target 4."""
    _, consultant, _ = acme
    roadmap = parse(page(client, consultant, UNIT_ROADMAP))
    assert [table["id"] for table in roadmap.select("table.roadmap")] == [
        "funding-cycle-1",
        "funding-cycle-2",
    ]
    assert rows(the(roadmap, "#funding-cycle-1"))[1:] == [
        ["Identity Graph Enhancements", "2 Repeatable → 3 Managed", "$850,000", "$3,971,023"],
        ["Consent and Privacy Layer", "3 Managed → 4 Optimized", "$550,000", "$414,238"],
        ["Total (budget left $600,000)", "$1,400,000", "$4,385,261"],
    ]
    assert rows(the(roadmap, "#funding-cycle-2"))[1][:2] == [
        "Identity Graph Enhancements", "3 Managed → 4 Optimized",
    ]  # fmt: skip


@pytest.mark.parametrize("url", [ROADMAP, DEOM, INPUTS, UNIT_TARGETS])
def test_organisation_pages_are_for_consultants(client, acme, small, url):
    _, consultant, _ = acme
    admin = factories.user("root", is_superuser=True)
    assert page(client, consultant, url).status_code == 200
    assert page(client, admin, url).status_code == 200
    assert page(client, lead(), url).status_code == 403
    assert page(client, respondent(), url).status_code == 403
    assert page(client, outsider(small), url).status_code == 404


def test_unknown_cycle_or_unit_is_404(client, acme):
    _, consultant, _ = acme
    assert page(client, consultant, ROADMAP, data={"cycle": "1999-Q1"}).status_code == 404
    bad_unit = "/reports/organisations/acme/units/nowhere/targets/"
    assert page(client, consultant, bad_unit).status_code == 404


def test_deom_grid_places_each_upgrade_in_its_quadrant(client, acme):
    _, consultant, _ = acme
    grid = parse(page(client, consultant, DEOM))

    def quadrant(mode):
        return [text(item) for item in the(grid, f'td[data-mode="{mode}"]').select("li")]

    # IDG: high end 1,200,000 > 1,000,000, NPV ≥ 250,000. CPL: 800,000 fits, NPV ≥ 250,000.
    assert quadrant("Centralized Scale") == [
        "Uk · Identity Graph Enhancements 2 → 3 (base NPV $3,971,023)",
        "Unit-1 · Identity Graph Enhancements 2 → 3 (base NPV $3,971,023)",
    ]
    assert quadrant("Guardrailed Innovation") == [
        "Uk · Consent and Privacy Layer 3 → 4 (base NPV $414,238)",
        "Unit-1 · Consent and Privacy Layer 3 → 4 (base NPV $414,238)",
    ]
    assert quadrant("Strategic Hold") == quadrant("Tactical Optimization") == ["none"]


@pytest.mark.parametrize("url", [ROADMAP, DEOM, INPUTS, UNIT_ROADMAP])
def test_pages_run_the_same_queries_for_two_and_six_units(
    client, acme, big, django_assert_num_queries, url
):
    counts = []
    for slug, (_, consultant, _) in (("acme", acme), ("big", big)):
        client.force_login(consultant)
        target = url.replace("/acme/", f"/{slug}/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # Session and user, access, cycle, units, scoring (3), framework (4), engagement (3),
    # the cycle list, the navigation bar.
    expected = {ROADMAP: 17, DEOM: 17, INPUTS: 11, UNIT_ROADMAP: 18}[url]
    with django_assert_num_queries(expected):
        client.get(url.replace("/acme/", "/big/"))


# --- engagement inputs --------------------------------------------------------------------

VALID = {
    "discount_rate_percent": "12.5",
    "budget_per_cycle": "1500000",
    "funding_cycles": "4",
    "local_budget_bound": "900000",
    "impact_threshold": "300000",
    "default_target_level": "4",
    "value_base_0": "45000000",  # attributable revenue
    "value_base_1": "3000000",  # compliance incident cost
    "target_IDG": "",
    "target_CPL": "5",
}


def test_consultant_saves_inputs_and_each_change_is_audited(client, acme):
    org, consultant, _ = acme
    client.force_login(consultant)
    response = client.post(INPUTS, VALID)
    assert response.status_code == 302
    engagement = Engagement.objects.get(organisation=org)
    assert (engagement.discount_rate, engagement.funding_cycles) == (0.125, 4)
    assert TargetLevel.objects.get(organisation=org, unit=None).level == 5
    entry = AuditEntry.objects.filter(action="engagement.change").get()
    assert (entry.actor, entry.organisation, entry.unit) == (consultant.username, "acme", "")
    assert entry.details == {
        "changes": {
            "discount_rate": [0.1, 0.125],
            "budget_per_cycle": ["2000000.00", "1500000.00"],
            "funding_cycles": [3, 4],
            "local_budget_bound": ["1000000.00", "900000.00"],
            "impact_threshold": ["250000.00", "300000.00"],
            "value_base: attributable revenue": ["40000000.00", "45000000.00"],
            "target: CPL": [None, 5],
        }
    }
    # Saving the same values again changes nothing and logs nothing.
    client.post(INPUTS, VALID)
    assert AuditEntry.objects.filter(action="engagement.change").count() == 1


def test_invalid_inputs_are_refused_beside_each_field_and_nothing_is_saved(client, acme):
    org, consultant, _ = acme
    client.force_login(consultant)
    bad = dict(
        VALID,
        discount_rate_percent="150",
        value_base_0="-5",
        funding_cycles="0",
        budget_per_cycle="",
        target_CPL="7",
    )
    response = client.post(INPUTS, bad)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors == {
        "discount_rate_percent": ["The discount rate is a percent from 0 to 100; you gave 150."],
        "value_base_0": ["The value base of attributable revenue is 0 USD or more; you gave -5."],
        "funding_cycles": ["Plan 1 to 10 funding cycles; you gave 0."],
        "budget_per_cycle": ["Give the budget per funding cycle in USD (0 or more)."],
        "target_CPL": ["A target level is a level from 1 to 5; you gave 7."],
    }
    assert "Nothing was saved" in response.content.decode()
    assert Engagement.objects.get(organisation=org).discount_rate == 0.10
    assert not AuditEntry.objects.filter(action="engagement.change").exists()


def test_first_edit_creates_the_engagement(client, small):
    consultant = factories.user("casey")
    org = factories.organisation("fresh", consultants=[consultant])
    factories.cycle(org, small)
    client.force_login(consultant)
    page_ = client.get("/reports/organisations/fresh/engagement/").content.decode()
    assert "No inputs stored yet" in page_
    response = client.post("/reports/organisations/fresh/engagement/", VALID)
    assert response.status_code == 302
    assert Engagement.objects.get(organisation=org).budget_per_cycle == 1_500_000
    entry = AuditEntry.objects.get(action="engagement.change")
    assert entry.details["created"] == "engagement inputs"
    assert entry.details["changes"]["discount_rate"] == [None, 0.125]


def test_unit_target_override_stops_the_recommendation_and_is_audited(client, acme):
    org, consultant, (uk, _) = acme
    client.force_login(consultant)
    response = client.post(UNIT_TARGETS, {"target_IDG": "", "target_CPL": "3"})
    assert response.status_code == 302
    assert TargetLevel.objects.get(unit__slug="uk").level == 3
    entry = AuditEntry.objects.get(action="engagement.change")
    assert (entry.unit, entry.details) == ("uk", {"changes": {"target: CPL": [None, 3]}})
    report = parse(client.get(f"/reports/assessments/{uk.pk}/"))
    assert upgrades(report) == ["recommendation-IDG"]


def test_respondent_cannot_post_targets(client, acme):
    client.force_login(respondent())
    response = client.post(UNIT_TARGETS, {"target_CPL": "3"})
    assert response.status_code == 403
    assert not TargetLevel.objects.filter(unit__slug="uk").exists()


def test_unit_report_section_runs_the_same_queries_for_two_and_six_units(
    acme, big, django_assert_num_queries
):
    """Framework (4), engagement (3) and whether the viewer is a consultant (1); the scores
    come from the unit report."""
    for _, consultant, assessments in (acme, big):
        report = unit_report(assessments[-1])
        with django_assert_num_queries(8):
            section = report_recommendations(consultant, assessments[-1], report.scores)
        assert [r.capability for r in section["plan"].recommendations] == ["IDG", "CPL"]


def test_organisation_deom_lists_the_largest_upgrades_and_pages_each_quadrant(
    client, big, monkeypatch
):
    """Six units: six upgrades in each of two quadrants. Two are listed in the grid, the
    rest behind a link to the quadrant's full list, paged two by two at the same cost."""
    from reports.views import planning

    monkeypatch.setattr(planning, "DEOM_SHOWN", 2)
    monkeypatch.setattr(planning, "DEOM_PER_PAGE", 2)
    _, consultant, _ = big
    url = DEOM.replace("/acme/", "/big/")
    grid = parse(page(client, consultant, url))
    scale = the(grid, 'td[data-mode="Centralized Scale"]')
    assert len(scale.select("li")) == 2
    more = the(scale, "a.deom-more")
    assert text(more) == "and 4 more: list all 6"
    assert more["href"] == "?quadrant=Centralized+Scale#deom-list"
    assert grid.select("#deom-list") == []
    counts, listed = [], []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            shown = parse(client.get(url, {"quadrant": "Centralized Scale", "page": number}))
        counts.append(len(queries))
        listed += [text(row) for row in shown.select("#deom-quadrant-list tbody tr")]
        assert f"Page {number} of 3 · 6 upgrades" in text(the(shown, "#deom-list nav"))
    assert len(counts) == 3 and len(set(counts)) == 1
    assert len(listed) == len(set(listed)) == 6
    # an unknown quadrant lists nothing beyond the grid
    assert parse(client.get(url, {"quadrant": "Nowhere"})).select("#deom-list") == []
