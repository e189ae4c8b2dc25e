"""Chart images: PNG and SVG drawn by kaleido in Chromium, and a clear message — never a
stack trace — where no browser can be started (kaleido pointed at a missing one through
its own BROWSER_PATH setting)."""

from __future__ import annotations

import copy
import io
import struct

import pytest
from django.core.management import CommandError, call_command

from reports.exporters.chart_images import (
    NO_BROWSER,
    ChartImagesUnavailable,
    render_chart,
    stop_renderer,
)
from tests import factories
from tests.export_factories import many_units, scored_organisation
from tests.pages import parse, the


@pytest.fixture(scope="module")
def acme_once(module_db):
    """acme's four scored units (tests/export_factories.py), written once for the module
    (tests/conftest.py, "A world built once"); export_charts below finds it alone."""
    return scored_organisation(factories.small_framework())


@pytest.fixture
def acme(acme_once, db):
    """(organisation, its 2026-Q4 cycle, {(unit slug, cycle): assessment})."""
    return copy.deepcopy(acme_once)


@pytest.fixture
def no_browser(monkeypatch):
    """Kaleido pointed at a browser that does not exist, with no browser left running."""
    stop_renderer()
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    yield
    stop_renderer()


def links(page) -> set[str]:
    return {link["href"] for link in page.select("a[href]")}


def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", content[16:24])


# --- without a browser --------------------------------------------------------------------


def test_without_a_browser_render_chart_says_what_to_install(no_browser):
    with pytest.raises(ChartImagesUnavailable) as refused:
        render_chart({"data": [], "layout": {}}, "png")
    assert str(refused.value) == NO_BROWSER
    assert str(refused.value) == (
        "Chart images need a Chromium browser on the server: install Debian's `chromium` "
        "package (apt-get install chromium), or set BROWSER_PATH to a Chrome or Chromium "
        "executable, then ask again."
    )


def test_without_a_browser_the_chart_download_answers_503_with_the_reason(client, acme, no_browser):
    org, _, _ = acme
    client.force_login(org.consultants.get())
    response = client.get("/reports/portfolio/chart.png?chart=heatmap")
    assert response.status_code == 503
    page = response.content.decode()
    assert (
        "Chart images need a Chromium browser on the server: install Debian&#x27;s `chromium` "
        "package (apt-get install chromium)"
    ) in page
    assert "Traceback" not in page and "/nonexistent" not in page


def test_without_a_browser_export_charts_stops_with_one_line(acme, tmp_path, no_browser):
    with pytest.raises(CommandError) as refused:
        call_command("export_charts", "-o", str(tmp_path), stdout=io.StringIO())
    assert str(refused.value) == (
        NO_BROWSER + " (No browser found at BROWSER_PATH='/nonexistent/chromium'.)"
    )


def test_a_chart_the_page_does_not_have_is_refused_with_the_names_it_has(client, acme):
    org, _, assessments = acme
    client.force_login(org.consultants.get())
    response = client.get("/reports/portfolio/chart.svg?chart=pie")
    assert (response.status_code, response.content.decode()) == (
        400,
        "No chart 'pie' on this page (charts: heatmap).",
    )
    pk = assessments[("east", "2026-Q4")].pk
    response = client.get(f"/reports/assessments/{pk}/chart.png?chart=pie")
    assert response.content.decode() == "No chart 'pie' on this page (charts: heatmap, targets)."
    assert client.get("/reports/portfolio/chart.gif").status_code == 404


def test_pages_link_to_their_chart_images(client, acme):
    org, _, assessments = acme
    client.force_login(org.consultants.get())
    page = parse(client.get("/reports/portfolio/?region=EMEA"))
    assert the(page, "#download-heatmap-png")["href"] == (
        "/reports/portfolio/chart.png?region=EMEA&chart=heatmap"
    )
    assert the(page, "#download-heatmap-svg")["href"] == (
        "/reports/portfolio/chart.svg?region=EMEA&chart=heatmap"
    )
    pk = assessments[("east", "2026-Q4")].pk
    page = parse(client.get(f"/reports/assessments/{pk}/"))
    assert f"/reports/assessments/{pk}/chart.svg?chart=targets" in links(page)
    page = parse(client.get("/reports/compare/?units=east,west"))
    assert "/reports/compare/chart.png?units=east%2Cwest&chart=differences" in links(page)


# --- with Chromium (make test-external) ------------------------------------------------------


@pytest.mark.chromium
def test_portfolio_heatmap_as_png_and_svg(client, acme):
    org, _, _ = acme
    client.force_login(org.consultants.get())
    response = client.get("/reports/portfolio/chart.png?chart=heatmap&region=EMEA")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == ('attachment; filename="acme-2026-Q4-heatmap.png"')
    # 1100 px wide at twice the scale; the figure's own height (320 px for two units) and
    # 60 px for the title
    assert png_size(response.content) == (2200, 760)
    response = client.get("/reports/portfolio/chart.svg?chart=heatmap&region=EMEA")
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg")
    assert ">East<" in svg and ">North<" in svg and ">South<" not in svg
    assert ">3 · 3.00<" in svg  # the levels and scores are written in the cells
    assert ">Portfolio heatmap · Acme · 2026-Q4<" in svg  # the image says what it shows


@pytest.mark.chromium
def test_every_chart_of_the_report_pages_can_be_drawn(client, acme):
    org, _, assessments = acme
    client.force_login(org.consultants.get())
    pk = assessments[("east", "2026-Q4")].pk
    for url, shown in (
        (f"/reports/assessments/{pk}/chart.svg?chart=heatmap", "Recovery (RTO)"),
        (f"/reports/assessments/{pk}/chart.svg?chart=targets", "Target level"),
        ("/reports/compare/chart.svg?chart=side-by-side&units=east,west", ">West<"),
        ("/reports/compare/chart.svg?chart=differences&units=east,west", "West − East"),
        ("/reports/trends/chart.svg?chart=maturity&unit=north", "Portfolio median"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        svg = response.content.decode()
        assert svg.startswith("<svg") and shown in svg, url


@pytest.mark.chromium
def test_unit_members_draw_their_units_charts_but_not_another_units(client, acme):
    org, _, assessments = acme
    east = assessments[("east", "2026-Q4")]
    respondent = factories.member(east.unit)
    client.force_login(respondent)
    response = client.get(f"/reports/assessments/{east.pk}/chart.png?chart=targets")
    assert response.status_code == 200
    west = assessments[("west", "2026-Q4")]
    assert client.get(f"/reports/assessments/{west.pk}/chart.png").status_code == 404
    assert client.get("/reports/portfolio/chart.png?organisation=acme").status_code == 403


@pytest.mark.chromium
def test_export_charts_writes_every_chart_in_each_format(acme, tmp_path):
    out = io.StringIO()
    call_command("export_charts", "--region", "Americas", "--format", "svg", "-o", str(tmp_path), stdout=out)  # fmt: skip
    assert out.getvalue() == (
        f"Wrote 5 images to {tmp_path}: 5 charts (2 units of acme in 2026-Q4) as svg\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "acme-2026-Q4-portfolio-heatmap.svg",
        "acme-2026-Q4-south-heatmap.svg",
        "acme-2026-Q4-south-targets.svg",
        "acme-2026-Q4-west-heatmap.svg",
        "acme-2026-Q4-west-targets.svg",
    ]


# session, user, organisations (1), the filters' choices (3), then per chart:
CHART_QUERIES = {
    "/reports/portfolio/chart.svg?chart=heatmap&tag=retail": 4 + 2 + 5,  # portfolio
    "/reports/compare/chart.svg?chart=differences&units=unit-00,unit-01": 4 + 2 + 5,
    "/reports/trends/chart.svg?unit=unit-01": 4 + 2 + 5,
}


@pytest.mark.chromium
@pytest.mark.parametrize("unit_count", [2, 6])
@pytest.mark.parametrize("url", list(CHART_QUERIES))
def test_chart_query_count_does_not_grow_with_units(
    client, small, unit_count, url, django_assert_num_queries
):
    org, _, _ = scored_organisation(
        small, units=many_units(unit_count), respondents=3, slug=f"units-{unit_count}"
    )
    client.force_login(org.consultants.get())
    with django_assert_num_queries(CHART_QUERIES[url]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.chromium
@pytest.mark.parametrize("unit_count", [2, 6])
def test_unit_report_chart_query_count_does_not_grow_with_units(
    client, small, unit_count, django_assert_num_queries
):
    org, _, assessments = scored_organisation(
        small, units=many_units(unit_count), respondents=3, slug=f"units-{unit_count}"
    )
    client.force_login(org.consultants.get())
    pk = assessments[("unit-00", "2026-Q4")].pk
    # session, user, the assessment, its report (6), consultant? (1), portfolio median (6),
    # targets (2)
    with django_assert_num_queries(17):
        response = client.get(f"/reports/assessments/{pk}/chart.svg?chart=targets")
    assert response.status_code == 200
