"""Portfolio, compare, trends and unit report pages: who sees them, what they answer, and
how many queries they cost (the same for 2 units as for 6)."""

import copy
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders

from assessments.models import Membership, TargetLevel
from reports.queries.portfolio import portfolio_scores
from tests import factories
from tests.pages import cells, parse, rows, text, the
from tests.report_factories import portfolio as build_portfolio

# Q2 → Q4: North climbs on IDG and is the weakest on CPL; South stays put; East declines.
UNITS = {
    "north": {
        "region": "EMEA",
        "tags": "retail, stores",
        "2026-Q2": {"IDG": 2, "CPL": 2},
        "2026-Q4": {"IDG": 3, "CPL": 2},
    },
    "south": {
        "region": "Americas",
        "tags": "ecommerce",
        "2026-Q2": {"IDG": 2, "CPL": 4},
        "2026-Q4": {"IDG": 2, "CPL": 4},
    },
    "east": {
        "region": "EMEA",
        "tags": "retail",
        "2026-Q2": {"IDG": 4, "CPL": 4},
        "2026-Q4": {"IDG": 3, "CPL": 3},
    },
}


@pytest.fixture(scope="module")
def acme_once(module_db):
    """Casey, acme's consultant, and acme's units of UNITS, written once for the module
    (tests/conftest.py, "A world built once")."""
    consultant = factories.user("casey")
    return consultant, build_portfolio(
        factories.small_framework(), units=UNITS, consultant=consultant
    )


@pytest.fixture
def casey_and_acme(acme_once, db):
    return copy.deepcopy(acme_once)


@pytest.fixture
def consultant(casey_and_acme):
    return casey_and_acme[0]


@pytest.fixture
def acme(casey_and_acme):
    """(organisation, {slug: unit}, {(slug, cycle): assessment})."""
    return casey_and_acme[1]


def get(client, user, url, status=200) -> str:
    """The page's HTML, as `user` asks for it."""
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def read(client, user, url, status=200):
    """The page, parsed (tests/pages.py)."""
    return parse(get(client, user, url, status))


def row_order(page, table_id: str) -> list[str]:
    return [row["data-unit"] for row in page.select(f"#{table_id} tr[data-unit]")]


def chart_data(page, chart_id: str) -> dict:
    """The plotly figure a page hands its chart script (json_script), with its placeholder."""
    assert the(page, f'[data-chart="{chart_id}"]')
    script = the(page, f"script#{chart_id}")
    assert script["type"] == "application/json"
    return json.loads(script.string)


# --- the three questions a consultant asks ----------------------------------------


def test_weakest_unit_on_consent_and_privacy_layer(client, consultant, acme):
    page = read(client, consultant, "/reports/portfolio/")
    cpl = cells(the(page, '#capability-statistics tr[data-capability="CPL"]'))
    # CPL scores: North 2.00, East 3.00, South 4.00 → median 3.00, Q1 2.50, Q3 3.50
    assert cpl == [
        "Consent and Privacy Layer", "3", "2.50", "3.00", "3.50", "North (2.00)", "South (4.00)",
    ]  # fmt: skip
    # …and sorting by the capability puts the weakest first
    page = read(client, consultant, "/reports/portfolio/?sort=CPL")
    assert row_order(page, "portfolio-heatmap") == ["north", "east", "south"]


def test_units_that_improved_since_the_previous_cycle(client, consultant, acme):
    page = read(client, consultant, "/reports/trends/")
    # maturity index Q2 → Q4: North 2.00 → 2.50, South 3.00 → 3.00, East 4.00 → 3.00
    assert text(the(page, "#improved")) == "Improved since 2026-Q2: North."
    assert text(the(page, "#declined")) == "Declined since 2026-Q2: East."
    north = the(page, '#changes tr[data-unit="north"]')
    assert north["data-direction"] == "up"
    # each capability cell: its level in 2026-Q4 (its colour), then the change
    assert cells(north) == ["North", "2.00", "2.50", "▲ up +0.50", "1 / 0", "3 · ▲ up +1.00", "2 · = same +0.00"]  # fmt: skip
    east = the(page, '#changes tr[data-unit="east"]')
    assert cells(east) == ["East", "4.00", "3.00", "▼ down -1.00", "0 / 2", "3 · ▼ down -1.00", "3 · ▼ down -1.00"]  # fmt: skip


def test_compare_keeps_the_chosen_reference_first_whatever_the_page_order(client, consultant, acme):
    # the form's reference select (no JavaScript needed), then the ticked units: South first
    page = read(
        client, consultant, "/reports/compare/?reference=south&units=east&units=north&units=south"
    )
    assert rows(the(page, "#side-by-side"))[0] == ["Capability", "South", "East", "North"]
    assert "Difference to South" in text(page)
    reference = the(page, "select[name=reference] option[selected]")
    assert (reference["value"], text(reference)) == ("south", "South")
    # the order the script sends (comma-separated, in the order ticked) is kept too
    page = read(client, consultant, "/reports/compare/?units=north,east")
    assert rows(the(page, "#side-by-side"))[0] == ["Capability", "North", "East"]


def test_how_unit_a_compares_with_unit_b(client, consultant, acme):
    page = read(client, consultant, "/reports/compare/?units=north&units=south")
    assert rows(the(page, "#side-by-side"))[1:] == [
        ["Identity Graph Enhancements", "3 · 3.00", "2 · 2.00"],
        ["Consent and Privacy Layer", "2 · 2.00", "4 · 4.00"],
        ["Maturity index", "2.50", "3.00"],
    ]
    assert cells(the(page, "#maturity-row")) == ["Maturity index", "2.50", "3.00"]
    # South − North: IDG 2 − 3 = −1.00, CPL 4 − 2 = +2.00
    assert rows(the(page, "#differences")) == [
        ["Capability", "South − North"],
        ["Identity Graph Enhancements", "-1.00"],
        ["Consent and Privacy Layer", "+2.00"],
    ]
    assert chart_data(page, "chart-differences")["data"][0]["type"] == "heatmap"


# --- portfolio page ---------------------------------------------------------------


def test_portfolio_heatmap_ranks_by_maturity_with_levels_scores_and_gaps(client, consultant, acme):
    page = read(client, consultant, "/reports/portfolio/?cycle=2026-Q4")
    assert row_order(page, "portfolio-heatmap") == ["east", "south", "north"]
    east = the(page, '#portfolio-heatmap tr[data-unit="east"]')
    # maturity (3 + 3) / 2 = 3.00; the median of 3.00, 3.00, 2.50 is 3.00: gap +0.00
    assert cells(east) == ["1", "East draft", "EMEA", "3.00", "+0.00", "3 · 3.00", "3 · 3.00"]
    # each capability's cell is coloured by its level
    assert [(text(td), td["class"]) for td in east.select("td[class]")] == [
        ("3 · 3.00", ["level-3-of-5"]),
        ("3 · 3.00", ["level-3-of-5"]),
    ]
    # IDG median of 3, 2, 3 = 3: North's gap 0, CPL median 3: North 2 − 3 = −1
    assert cells(the(page, '#gaps tr[data-unit="north"]')) == ["North", "+0.00", "-1.00"]
    heatmap = chart_data(page, "chart-portfolio-heatmap")["data"][0]
    assert (heatmap["type"], heatmap["y"]) == ("heatmap", ["East", "South", "North"])


def test_portfolio_sorts_by_maturity_either_way_and_by_name(client, consultant, acme):
    order = lambda sort: row_order(  # noqa: E731
        read(client, consultant, f"/reports/portfolio/?sort={sort}"), "portfolio-heatmap"
    )
    assert order("maturity") == ["north", "east", "south"]  # lowest first; ties by name
    assert order("-maturity") == ["east", "south", "north"]
    assert order("name") == ["east", "north", "south"]
    assert order("-CPL") == ["south", "east", "north"]


def test_portfolio_filters_by_region_and_tag(client, consultant, acme):
    page = read(client, consultant, "/reports/portfolio/?region=EMEA")
    assert row_order(page, "portfolio-heatmap") == ["east", "north"]
    page = read(client, consultant, "/reports/portfolio/?tag=stores")
    assert row_order(page, "portfolio-heatmap") == ["north"]
    page = read(client, consultant, "/reports/portfolio/?region=Americas&tag=retail")
    assert the(page, "#no-units")
    assert not page.select("#portfolio-heatmap")


def test_portfolio_earlier_cycle(client, consultant, acme):
    page = read(client, consultant, "/reports/portfolio/?cycle=2026-Q2")
    assert row_order(page, "portfolio-heatmap") == ["east", "south", "north"]
    assert text(the(page, "h1")) == "Acme — portfolio 2026-Q2"


def test_portfolio_bad_parameters_are_refused_with_the_reason(client, consultant, acme):
    page = read(client, consultant, "/reports/portfolio/?sort=XYZ", status=400)
    assert text(the(page, "#sort-error")) == (
        "'XYZ' is not a way to sort: use maturity or name, or a capability code "
        "(CPL, IDG), with a leading '-' for highest first."
    )
    page = read(client, consultant, "/reports/portfolio/?cycle=2030-Q1", status=400)
    assert "Select a valid choice. 2030-Q1 is not one of the available choices." in text(page)


def test_portfolio_links_each_unit_to_its_report(client, consultant, acme):
    _, _, assessments = acme
    page = read(client, consultant, "/reports/portfolio/")
    for slug in ("north", "south", "east"):
        link = the(page, f'#portfolio-heatmap tr[data-unit="{slug}"] a')
        assert link["href"] == f"/reports/assessments/{assessments[(slug, '2026-Q4')].pk}/"
        assert text(link) == slug.title()


def test_consultant_of_two_organisations_picks_one(client, consultant, acme, small):
    other = factories.organisation("zeta", consultants=[consultant])
    factories.cycle(other, small)
    page = read(client, consultant, "/reports/portfolio/")
    assert text(the(page, "h1")) == "Acme — portfolio 2026-Q4"
    page = read(client, consultant, "/reports/portfolio/?organisation=zeta")
    assert text(the(page, "h1")).startswith("Zeta — portfolio")
    assert the(page, "select[name=organisation] option[selected]")["value"] == "zeta"


def test_no_cycle_yet(client, db):
    consultant = factories.user()
    factories.organisation("empty", consultants=[consultant])
    for url in ("/reports/portfolio/", "/reports/compare/", "/reports/trends/"):
        page = read(client, consultant, url)
        assert "This organisation has no assessment cycle yet." in text(page)


# --- compare and trends -----------------------------------------------------------


def test_compare_accepts_comma_separated_units_and_more_than_two(client, consultant, acme):
    page = read(client, consultant, "/reports/compare/?units=east,north,south")
    assert rows(the(page, "#differences"))[0] == ["Capability", "North − East", "South − East"]


def test_compare_refuses_unknown_or_single_units(client, consultant, acme):
    page = read(client, consultant, "/reports/compare/?units=north&units=nowhere", status=400)
    assert "No unit nowhere was assessed in this cycle (units: east, north, south)." in text(page)
    page = read(client, consultant, "/reports/compare/?units=north", status=400)
    assert "Choose at least two units to compare (got 1: north)." in text(page)
    page = read(client, consultant, "/reports/compare/")
    assert "Choose two or more units, then Show." in text(page)


def test_trends_on_the_first_cycle_has_nothing_to_compare(client, consultant, acme):
    page = read(client, consultant, "/reports/trends/?cycle=2026-Q2")
    assert "2026-Q2 is the organisation's first cycle" in text(page)


def test_trends_maturity_index_over_cycles(client, consultant, acme):
    page = read(client, consultant, "/reports/trends/?unit=east&region=EMEA")
    assert rows(the(page, "#maturity-over-cycles")) == [
        ["Unit", "2026-Q2", "2026-Q4"],
        ["East", "4.00", "3.00"],
        ["North", "2.00", "2.50"],
    ]
    assert the(page, "select[name=unit] option[selected]")["value"] == "east"
    assert chart_data(page, "chart-maturity-trend")["data"]


# --- unit report --------------------------------------------------------------------


def test_unit_report_charts_and_target_table_for_a_consultant(client, consultant, acme):
    org, units, assessments = acme
    page = read(client, consultant, f"/reports/assessments/{assessments[('north', '2026-Q4')].pk}/")
    assert chart_data(page, "chart-unit-heatmap")["data"]
    assert chart_data(page, "chart-unit-targets")["data"]
    # no target set anywhere; CPL: North 2.00, the median of 2, 4, 3 is 3.00: gap −1.00
    assert rows(the(page, "#targets"))[2] == [
        "Consent and Privacy Layer", "2 Repeatable", "2.00", "none set", "", "3.00", "-1.00",
    ]  # fmt: skip


def test_unit_report_for_a_respondent_shows_targets_but_no_portfolio_median(client, acme, small):
    org, units, assessments = acme
    TargetLevel.objects.create(organisation=org, capability_code="CPL", level=4)
    respondent = factories.member(units["north"])
    html = get(client, respondent, f"/reports/assessments/{assessments[('north', '2026-Q4')].pk}/")
    assert rows(the(parse(html), "#targets"))[2] == [
        "Consent and Privacy Layer", "2 Repeatable", "2.00", "4 Optimized", "2",
    ]  # fmt: skip
    assert "Portfolio median" not in html  # neither in the table nor in the chart's data


# --- access ---------------------------------------------------------------------------


def test_outsiders_get_404_and_unit_members_403_for_an_organisation_they_do_not_advise(
    client, acme
):
    org, units, assessments = acme
    other_consultant = factories.user()
    factories.organisation("other", consultants=[other_consultant])
    respondent = factories.member(units["north"])
    for url in ("/reports/portfolio/", "/reports/compare/", "/reports/trends/"):
        get(client, other_consultant, f"{url}?organisation=acme", status=404)
        get(client, respondent, f"{url}?organisation=acme", status=403)


def test_member_without_consulted_organisation_gets_an_empty_page(client, acme):
    org, units, assessments = acme
    lead = factories.member(units["north"], Membership.Role.LEAD)
    for url in ("/reports/portfolio/", "/reports/compare/", "/reports/trends/"):
        html = get(client, lead, url)
        assert the(parse(html), "#no-organisation")
        assert "North" not in html and "South" not in html


def test_respondent_sees_only_their_units_report(client, acme):
    org, units, assessments = acme
    respondent = factories.member(units["north"])
    get(client, respondent, f"/reports/assessments/{assessments[('north', '2026-Q4')].pk}/")
    get(client, respondent, f"/reports/assessments/{assessments[('south', '2026-Q4')].pk}/", 404)


def test_admin_sees_every_organisation(client, acme):
    admin = factories.user(is_superuser=True, is_staff=True)
    page = read(client, admin, "/reports/portfolio/?organisation=acme")
    assert row_order(page, "portfolio-heatmap") == ["east", "south", "north"]


def test_anonymous_is_sent_to_log_in(client, acme):
    for url in ("/reports/portfolio/", "/reports/compare/", "/reports/trends/"):
        assert client.get(url).status_code == 302


def test_unit_names_are_escaped_in_tables_and_chart_data(client, consultant, acme):
    org, units, _ = acme
    units["north"].name = "<script>alert(1)</script>"
    units["north"].save()
    page = get(client, consultant, "/reports/portfolio/")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the table
    # the chart data: escaped for plotly (which reads tags in labels), then by json_script
    assert "\\u0026lt;script\\u0026gt;alert(1)" in page


# --- no outside scripts or styles -------------------------------------------------------


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if attrs.get("src"):
                self.urls.append(attrs["src"])
            elif attrs.get("type") != "application/json":
                self.inline_scripts += 1
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


def test_no_page_loads_a_script_or_style_from_outside_the_app(client, consultant, acme):
    _, _, assessments = acme
    urls = [
        "/reports/portfolio/",
        "/reports/compare/?units=north,south",
        "/reports/trends/",
        f"/reports/assessments/{assessments[('north', '2026-Q4')].pk}/",
    ]
    for url in urls:
        assets = Assets()
        assets.feed(get(client, consultant, url))
        assert assets.inline_scripts == 0, url
        assert "/static/vendor/plotly/plotly.min.js" in assets.urls, url
        assert "/static/ladder/charts.js" in assets.urls, url
        for asset in assets.urls:
            assert not re.match(r"^(https?:)?//", asset), (url, asset)
            assert asset.startswith("/static/"), (url, asset)
            assert finders.find(asset.removeprefix("/static/")), (url, asset)


# --- query counts: the same for 2 units as for 6 ---------------------------------------


def sized(framework, unit_count: int):
    """An organisation of `unit_count` units with three respondents each, and its consultant."""
    units = {
        f"unit-{n}": {
            "region": "EMEA" if n % 2 else "Americas",
            "tags": "retail",
            "2026-Q2": {"IDG": 1 + n % 5, "CPL": 2},
            "2026-Q4": {"IDG": 2, "CPL": 1 + n % 5},
        }
        for n in range(unit_count)
    }
    consultant = factories.user(f"consultant-of-{unit_count}")
    built = build_portfolio(
        framework, units=units, consultant=consultant, respondents=3, slug=f"units-{unit_count}"
    )
    return consultant, built


@pytest.fixture(scope="module")
def sized_once(module_db):
    """{2: (consultant, portfolio), 6: …}: two organisations, written once for the module."""
    framework = factories.small_framework()
    return {count: sized(framework, count) for count in (2, 6)}


@pytest.fixture
def by_size(sized_once, db):
    return copy.deepcopy(sized_once)


# session + user + the navigation's "advises anyone?" = 3, then per page:
QUERIES = {
    # organisations (1) + cycles, regions/tags, capability codes (3) + portfolio (5)
    "/reports/portfolio/?region=EMEA&tag=retail&sort=CPL": 12,
    "/reports/compare/?units=unit-0,unit-1": 12,
    "/reports/trends/?unit=unit-1": 12,
}


@pytest.mark.parametrize("unit_count", [2, 6])
@pytest.mark.parametrize("url", list(QUERIES))
def test_portfolio_pages_query_count_does_not_grow_with_units(
    client, by_size, unit_count, url, django_assert_num_queries
):
    consultant, _ = by_size[unit_count]
    client.force_login(consultant)
    with django_assert_num_queries(QUERIES[url]):
        response = client.get(url)
    assert response.status_code == 200


def test_compare_reads_the_scores_of_the_compared_units_only(by_size):
    """The comparison's form lists every unit of the cycle; its tables need only the
    compared units' scores, which are those of the whole portfolio's read."""
    _, (organisation, _, assessments) = by_size[6]
    cycle = assessments[("unit-0", "2026-Q4")].cycle
    every = portfolio_scores(organisation=organisation, cycles=[cycle], cells=False)
    compared = portfolio_scores(
        organisation=organisation, cycles=[cycle], cells=False, scored_units=["unit-4", "unit-1"]
    )
    assert compared.units["unit"].tolist() == every.units["unit"].tolist()
    assert len(compared.units) == 6
    assert sorted(set(compared.capability_scores["unit"])) == ["unit-1", "unit-4"]

    def rows_of(data):
        scores = data.capability_scores
        chosen = scores[scores["unit"].isin(["unit-1", "unit-4"])]
        return sorted(chosen.itertuples(index=False))

    assert rows_of(compared) == rows_of(every)
    assert sorted(compared.maturity.itertuples(index=False)) == sorted(
        every.maturity[every.maturity["unit"].isin(["unit-1", "unit-4"])].itertuples(index=False)
    )


@pytest.mark.parametrize("unit_count", [2, 6])
# session, user, the assessment, its report (6), access check for the median and the
# recommendations' editing (1), the portfolio median (1: stored scores), targets (2),
# recommendations (7), navigation (1); a respondent's role in the unit instead of the median
# (1: whether colleagues' names are shown, tests/test_unit_privacy.py)
@pytest.mark.parametrize("role, queries", [("consultant", 21), ("respondent", 21)])
def test_unit_report_query_count_does_not_grow_with_units(
    client, by_size, unit_count, role, queries, django_assert_num_queries
):
    consultant, (_, units, assessments) = by_size[unit_count]
    user = consultant if role == "consultant" else factories.member(units["unit-0"])
    client.force_login(user)
    url = f"/reports/assessments/{assessments[('unit-0', '2026-Q4')].pk}/"
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_portfolio_links_to_the_organisations_roadmap_deom_and_inputs(client, acme):
    org, units, assessments = acme
    consultant = org.consultants.first()
    page = read(client, consultant, "/reports/portfolio/?organisation=acme&cycle=2026-Q4")
    links = {link["href"] for link in page.select("a[href]")}
    assert {
        "/reports/organisations/acme/roadmap/?cycle=2026-Q4",
        "/reports/organisations/acme/deom/?cycle=2026-Q4",
        "/reports/organisations/acme/engagement/",
    } <= links
