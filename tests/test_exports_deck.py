"""The PowerPoint deck: opened with python-pptx and read back — the heatmap table's unit
names, scores and fills, continuation slides, unit slides with their recommendations,
roadmap and DEOM slides, speaker notes, the layout (no title over a table) — and the
download view, the export_deck command and a real reader (LibreOffice) converting it."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from pptx import Presentation
from pptx.util import Inches

from assessments.models import BusinessUnit, Membership
from reports.domain import portfolio as pf
from reports.domain.levels import format_score, level_fill
from reports.domain.report_data import RoadmapRow
from reports.exporters.deck import deck_pptx, slide_count
from reports.queries.exports import report_data
from reports.queries.portfolio import portfolio_scores
from tests import factories
from tests.export_factories import demo_like, many_units, scored_organisation
from tests.recommendation_factories import organisation_with_units


def deck_bytes(organisation, cycle, **filters) -> bytes:
    """The export as a consultant downloads it: the report data, then the exporter."""
    return deck_pptx(report_data(organisation, cycle, **filters))


def fill(cell) -> str:
    return "#" + str(cell.fill.fore_color.rgb).lower()


def open_deck(content: bytes):
    return Presentation(io.BytesIO(content))


def title(slide) -> str:
    return next(shape.text_frame.text for shape in slide.shapes if shape.name == "Title")


def tables(slide):
    return [shape.table for shape in slide.shapes if shape.has_table]


def texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture
def acme(small):
    return scored_organisation(small)


# --- the portfolio heatmap ------------------------------------------------------------------


def test_heatmap_table_holds_unit_names_scores_and_level_fills(acme):
    org, cycle, _ = acme
    deck = open_deck(deck_bytes(org, cycle))
    heatmap = deck.slides[1]
    assert title(heatmap) == "Portfolio heatmap"
    (table,) = tables(heatmap)
    # Every score is the level its answers were given at: IDG (2·3 + 1·3)/3 = 3.00 and so
    # on. Maturity = the mean of the capability scores: East (3 + 3)/2 = 3.00, South
    # (2 + 4)/2 = 3.00 (ties in name order), North (3 + 2)/2 = 2.50, West 1.00 (CPL blank).
    assert texts(table) == [
        ["Unit", "Maturity index", "Identity Graph Enhancements", "Consent and Privacy Layer"],
        ["East (draft)", "3.00", "3.00", "3.00"],
        ["South (draft)", "3.00", "2.00", "4.00"],
        ["North (draft)", "2.50", "3.00", "2.00"],
        ["West (draft)", "1.00", "1.00", ""],
    ]
    fills = [[fill(table.cell(r, c)) for c in (2, 3)] for r in range(1, 5)]
    assert fills == [
        ["#fee090", "#fee090"],  # 3 Managed, 3 Managed
        ["#f46d43", "#74add1"],  # 2 Repeatable, 4 Optimized
        ["#fee090", "#f46d43"],
        ["#a50026", "#f0f0f0"],  # 1 Initial, no score: grey and blank
    ]


def test_heatmap_cells_agree_with_the_portfolio_selector_and_level_colours(acme):
    org, cycle, _ = acme
    data = portfolio_scores(organisation=org, cycles=[cycle])
    slugs = ["east", "south", "north", "west"]
    scores, levels = pf.capability_matrix(
        pf.in_cycle(data.capability_scores, cycle.name), slugs, data.capability_codes
    )
    (table,) = tables(open_deck(deck_bytes(org, cycle)).slides[1])
    for row, slug in enumerate(slugs, start=1):
        for column, code in enumerate(data.capability_codes, start=2):
            cell = table.cell(row, column)
            assert cell.text == format_score(scores.at[slug, code])
            assert fill(cell) == level_fill(levels.at[slug, code])


def test_heatmap_legend_shows_every_level_in_its_colour(acme):
    org, cycle, _ = acme
    heatmap = open_deck(deck_bytes(org, cycle)).slides[1]
    legend = {
        shape.text_frame.text: fill(shape)
        for shape in heatmap.shapes
        if shape.name.startswith("Legend ")
    }
    assert legend == {
        "1 Initial": "#a50026",
        "2 Repeatable": "#f46d43",
        "3 Managed": "#fee090",
        "4 Optimized": "#74add1",
        "5 Autonomous": "#313695",
        "no score": "#f0f0f0",
    }


def test_filters_and_sort_of_the_page_choose_the_units_and_their_order(acme):
    org, cycle, _ = acme
    deck = open_deck(deck_bytes(org, cycle, region="EMEA", sort="CPL"))
    (table,) = tables(deck.slides[1])
    # EMEA: North and East; by CPL, weakest first: North 2.00, East 3.00
    assert [row[0] for row in texts(table)[1:]] == ["North (draft)", "East (draft)"]
    assert [title(slide) for slide in list(deck.slides)[2:4]] == ["North", "East"]


def test_more_units_than_fit_continue_on_further_heatmap_slides(small):
    org, cycle, _ = scored_organisation(small, units=many_units(16))
    data = report_data(org, cycle)
    deck = open_deck(deck_pptx(data))
    # title, 2 heatmap slides (14 + 2 units), 16 unit slides, 1 roadmap, 1 DEOM grid
    assert len(deck.slides) == slide_count(data) == 1 + 2 + 16 + 1 + 1
    assert [title(s) for s in list(deck.slides)[1:3]] == [
        "Portfolio heatmap",
        "Portfolio heatmap (continued)",
    ]
    first, second = (tables(s)[0] for s in list(deck.slides)[1:3])
    assert (len(first.rows), len(second.rows)) == (1 + 14, 1 + 2)
    names = [row[0] for row in texts(first)[1:] + texts(second)[1:]]
    assert names == [f"{unit.name} (draft)" for unit in data.units]


def test_long_roadmap_continues_on_further_slides(acme):
    org, cycle, _ = acme
    data = report_data(org, cycle)
    rows = [RoadmapRow(1 + n // 10, "East", "Identity Graph Enhancements", 1, 2, 850_000, 3_971_023.44) for n in range(30)]  # fmt: skip
    deck = open_deck(deck_pptx(dataclasses.replace(data, roadmap=rows)))
    roadmap = [s for s in deck.slides if title(s).startswith("Roadmap")]
    assert [title(s) for s in roadmap] == ["Roadmap", "Roadmap (continued)", "Roadmap (continued)"]
    assert [len(tables(s)[0].rows) - 1 for s in roadmap] == [14, 14, 2]
    assert texts(tables(roadmap[2])[0])[-1] == [
        "3", "East", "Identity Graph Enhancements", "1 → 2 Repeatable", "$0.85M", "$3.97M",
    ]  # fmt: skip


# --- unit, roadmap and DEOM slides --------------------------------------------------------


@pytest.fixture
def uk(small):
    """One unit 'Uk' whose answers give IDG 2 → 3 and CPL 3 → 4 (tests/test_recommendations.py)."""
    org, consultant, assessments = organisation_with_units(small, 1)
    return org, assessments[0].cycle, consultant


def test_unit_slide_shows_its_table_with_binding_dimensions_and_top_recommendations(uk):
    org, cycle, _ = uk
    deck = open_deck(deck_bytes(org, cycle))
    slide = deck.slides[2]
    assert title(slide) == "Uk"
    scores, recommendations = tables(slide)
    # IDG fidelity (2·2 + 1·2)/3 = 2.00, level 2, binding (▼); recovery 12 h → 3.00. The
    # capability's level is its lowest, 2; its score the mean (2.00 + 3.00)/2 = 2.50.
    assert texts(scores) == [
        ["Capability", "Data fidelity", "Recovery (RTO)", "Level", "Score"],
        ["Identity Graph Enhancements", "2.00 ▼", "3.00", "2 Repeatable", "2.50"],
        ["Consent and Privacy Layer", "3.00 ▼", "3.00 ▼", "3 Managed", "3.00"],
    ]
    assert [fill(scores.cell(1, c)) for c in (1, 2, 3)] == ["#f46d43", "#fee090", "#f46d43"]
    # Base NPVs hand-computed in tests/test_recommendations.py: 3,971,023.44 and 414,238.02.
    assert texts(recommendations) == [
        ["Upgrade", "Cost band", "Base NPV"],
        ["Identity Graph Enhancements\n2 → 3 Managed\nheld by Data fidelity", "$0.5M–$1.2M", "$3.97M"],
        ["Consent and Privacy Layer\n3 → 4 Optimized\nheld by Data fidelity, Recovery (RTO)", "$0.3M–$0.8M", "$0.41M"],
    ]  # fmt: skip


def test_roadmap_slide_lists_the_plan_of_the_roadmap_page(uk):
    org, cycle, _ = uk
    from reports.domain.roadmap import plan_roadmap
    from reports.queries.planning import plan_for_cycle

    steps = plan_roadmap(plan_for_cycle(org, cycle))
    roadmap = open_deck(deck_bytes(org, cycle)).slides[3]
    assert title(roadmap) == "Roadmap"
    names = {"IDG": "Identity Graph Enhancements", "CPL": "Consent and Privacy Layer"}
    levels = {3: "3 Managed", 4: "4 Optimized", 5: "5 Autonomous"}
    (table,) = tables(roadmap)
    assert texts(table)[1:] == [
        [str(s.funding_cycle), "Uk", names[s.capability], f"{s.from_level} → {levels[s.to_level]}",
         f"${s.cost_mid / 1e6:.2f}".rstrip("0").rstrip(".") + "M",
         f"${s.npv_base / 1e6:.2f}".rstrip("0").rstrip(".") + "M"]
        for s in steps
    ]  # fmt: skip
    # Funding cycle 1 (budget 2,000,000): both upgrades fit (850,000 + 550,000 mid-band).
    assert texts(table)[1][:4] == ["1", "Uk", "Identity Graph Enhancements", "2 → 3 Managed"]


def test_deom_slide_counts_the_upgrades_of_each_quadrant(uk):
    org, cycle, _ = uk
    deom = open_deck(deck_bytes(org, cycle)).slides[-1]
    assert title(deom) == "DEOM grid"
    (table,) = tables(deom)
    # IDG 2 → 3: high-end cost 1,200,000 > local bound 1,000,000 (low autonomy), base NPV
    # 3,971,023 ≥ 250,000 (high impact). CPL 3 → 4: 800,000 ≤ 1,000,000, 414,238 ≥ 250,000.
    assert texts(table) == [
        ["", "Low autonomy: high-end cost above $1M", "High autonomy: high-end cost within $1M"],
        [
            "High impact: base NPV ≥ $0.25M",
            "Centralized Scale\n1 upgrade\nUk — Identity Graph Enhancements 2 → 3 ($3.97M)",
            "Guardrailed Innovation\n1 upgrade\nUk — Consent and Privacy Layer 3 → 4 ($0.41M)",
        ],
        ["Low impact: below $0.25M", "Strategic Hold\n0 upgrades", "Tactical Optimization\n0 upgrades"],
    ]  # fmt: skip


def test_every_slide_has_speaker_notes_and_the_heatmap_explains_the_scoring(acme):
    org, cycle, _ = acme
    deck = open_deck(deck_bytes(org, cycle))
    notes = [slide.notes_slide.notes_text_frame.text for slide in deck.slides]
    assert all(len(text) > 100 for text in notes), notes
    assert "A capability's level is its lowest dimension level" in notes[1]
    assert "weighted mean of its question levels" in notes[1]
    assert "never 0 or 1" in notes[1]
    assert "largest total base NPV" in notes[-2]  # roadmap
    assert "local budget bound ($1M)" in notes[-1]  # DEOM


def test_titles_never_overlap_tables_and_everything_stays_on_the_16_9_slide(small):
    org, cycle, _ = scored_organisation(small, units=many_units(16))
    deck = open_deck(deck_bytes(org, cycle))
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    for number, slide in enumerate(deck.slides, start=1):
        headings = [s for s in slide.shapes if s.name in ("Title", "Subtitle")]
        assert headings, f"slide {number} has no title"
        lowest_heading = max(s.top + s.height for s in headings)
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= deck.slide_width, (number, shape.name)
            assert shape.top + shape.height <= deck.slide_height, (number, shape.name)
            if shape.has_table:
                assert shape.top >= lowest_heading, (number, shape.name)
                legend = [s.top for s in slide.shapes if s.name.startswith("Legend")]
                assert shape.top + shape.height <= min(legend, default=deck.slide_height)


def test_unit_names_go_in_as_plain_text(acme):
    org, cycle, _ = acme
    BusinessUnit.objects.filter(slug="east").update(name='=HYPERLINK("http://x") <b>East</b>')
    deck = open_deck(deck_bytes(org, cycle))
    (table,) = tables(deck.slides[1])
    assert table.cell(1, 0).text == '=HYPERLINK("http://x") <b>East</b> (draft)'
    assert title(deck.slides[2]) == '=HYPERLINK("http://x") <b>East</b>'


# --- the download and the command ----------------------------------------------------------


def test_consultant_downloads_the_deck_of_the_units_the_page_shows(client, acme):
    org, cycle, _ = acme
    client.force_login(org.consultants.get())
    response = client.get("/reports/portfolio/?region=Americas")
    assert 'href="/reports/portfolio/deck.pptx?region=Americas"' in response.content.decode()
    response = client.get("/reports/portfolio/deck.pptx?region=Americas")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    )
    assert response["Content-Disposition"] == 'attachment; filename="acme-2026-Q4-portfolio.pptx"'
    (table,) = tables(open_deck(response.content).slides[1])
    assert [row[0] for row in texts(table)[1:]] == ["South (draft)", "West (draft)"]


def test_deck_download_is_refused_to_members_and_outsiders(client, acme):
    org, _, _ = acme
    member = factories.member(org.units.get(slug="east"), Membership.Role.LEAD)
    outsider = factories.user("globex-consultant")
    factories.organisation("globex", consultants=[outsider])
    for user, status in ((member, 403), (outsider, 404)):
        client.force_login(user)
        assert client.get("/reports/portfolio/deck.pptx?organisation=acme").status_code == status


@pytest.mark.parametrize("unit_count", [2, 6])
def test_deck_download_query_count_does_not_grow_with_units(
    client, small, unit_count, django_assert_num_queries
):
    org, _, _ = scored_organisation(small, units=many_units(unit_count), respondents=3)
    client.force_login(org.consultants.get())
    # session, user, the organisations (1), the filters' choices (3), then the deck's data:
    # the portfolio selector and the recommendations plan (17)
    with django_assert_num_queries(22):
        response = client.get("/reports/portfolio/deck.pptx?tag=retail")
    assert response.status_code == 200


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_export_deck_writes_the_deck_and_prints_what_it_holds(acme, tmp_path):
    path = tmp_path / "deck.pptx"
    out = run("export_deck", "--cycle", "2026-Q4", "-o", str(path))
    assert out == (
        f"Wrote {path}: 8 slides (title, 1 heatmap, 4 for the units, 1 roadmap, DEOM grid): "
        "4 units of acme in 2026-Q4, 6 recommended upgrades, 6 on the roadmap\n"
    )
    assert len(open_deck(path.read_bytes()).slides) == 8


@pytest.mark.parametrize(
    "args, message",
    [
        (["--cycle", "2027-Q1"], "organisation 'acme' has no cycle '2027-Q1' (known: 2026-Q2, 2026-Q4)"),
        (["--organisation", "initech"], "no organisation 'initech' (known: acme)"),
        (["--cycle", "2026-Q2"], "organisation 'acme' has no assessment in cycle '2026-Q2': nothing to export"),
        (["--region", "APAC"], "no unit of 'acme' assessed in cycle '2026-Q4' has region 'APAC'"),
    ],
)  # fmt: skip
def test_export_deck_refuses_bad_input_in_one_line(acme, tmp_path, args, message):
    with pytest.raises(CommandError) as refused:
        run("export_deck", *args, "-o", str(tmp_path / "deck.pptx"))
    assert str(refused.value) == message


def test_export_deck_says_when_the_file_cannot_be_written(acme, tmp_path):
    path = tmp_path / "missing" / "deck.pptx"
    with pytest.raises(CommandError) as refused:
        run("export_deck", "-o", str(path))
    assert str(refused.value) == f"{path}: cannot be written (No such file or directory)"


def test_export_deck_asks_which_organisation_when_there_are_several(acme, tmp_path):
    factories.organisation("globex")
    with pytest.raises(CommandError) as refused:
        run("export_deck", "-o", str(tmp_path / "deck.pptx"))
    assert str(refused.value) == (
        "several organisations: name one with --organisation (known: acme, globex)"
    )


# --- a real reader -------------------------------------------------------------------------

SOFFICE = shutil.which("soffice")
REQUIRED = os.environ.get("LADDER_REQUIRE_LIBREOFFICE") == "1"  # set by .ci/run


@pytest.mark.libreoffice
@pytest.mark.skipif(
    SOFFICE is None and not REQUIRED,
    reason="LibreOffice (soffice) is not installed: .ci/run installs libreoffice-impress",
)
def test_libreoffice_converts_the_deck_to_one_pdf_page_per_slide(db, tmp_path):
    assert SOFFICE, "soffice is required here (LADDER_REQUIRE_LIBREOFFICE=1) but not installed"
    assert shutil.which("pdfinfo"), "pdfinfo is required (Debian's poppler-utils)"
    org, cycle = demo_like(factories.default_framework(), 16)
    data = report_data(org, cycle)
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(deck_pptx(data))
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "deck.pdf")], check=True, capture_output=True, text=True
    ).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    # title, 2 heatmap slides (16 units), 16 unit slides, the roadmap, the DEOM grid
    assert pages == len(open_deck(deck.read_bytes()).slides) == slide_count(data) == 21
