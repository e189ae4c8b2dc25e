"""Assumed cost bands disclosed: the framework marks a band `cost_is_assumption`, and every
page that shows it, or an NPV built on it, says "assumed" and where to change it; the
engagement inputs page lists them. (Slides and sheets: tests/test_exports_deck.py and
tests/test_exports_xlsx.py.)"""

from __future__ import annotations

import re

from assessments.models import Capability
from tests.recommendation_factories import organisation_with_units


def html_text(html: str) -> str:
    """The words of the HTML: inline tags (code, strong, span) vanish, others separate."""
    html = re.sub(r"</?(code|strong|span|a)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def assumed_cpl(small):
    org, consultant, assessments = organisation_with_units(small, 1)
    Capability.objects.filter(framework=small, code="CPL").update(cost_is_assumption=True)
    return org, consultant, assessments[0]


def test_unit_report_marks_the_assumed_band_and_its_npv(client, small):
    org, consultant, assessment = assumed_cpl(small)
    client.force_login(consultant)
    page = client.get(f"/reports/assessments/{assessment.pk}/").content.decode()
    cpl = html_text(
        page[
            page.index('id="recommendation-CPL"') : page.index(
                "</tbody>", page.index('id="recommendation-CPL"')
            )
        ]
    )
    assert "$300,000–$800,000 assumed" in cpl
    assert "on an assumed cost" in cpl
    idg = page[page.index('id="recommendation-IDG"') : page.index('id="recommendation-CPL"')]
    assert "assumed" not in idg  # IDG's band is a published figure
    assert "load it as a new version (manage.py load_framework)" in html_text(page)


def test_roadmap_and_deom_pages_mark_the_assumed_cost(client, small):
    org, consultant, _ = assumed_cpl(small)
    client.force_login(consultant)
    roadmap = html_text(client.get(f"/reports/organisations/{org.slug}/roadmap/").content.decode())
    assert "$550,000 assumed" in roadmap  # CPL's mid-band cost
    assert "change cost_low/cost_high in the framework file and load it as a new version" in roadmap
    deom = html_text(client.get(f"/reports/organisations/{org.slug}/deom/").content.decode())
    assert "Consent and Privacy Layer 3 → 4 (base NPV $414,238, assumed cost)" in deom


def test_engagement_inputs_page_lists_the_assumed_bands(client, small):
    org, consultant, _ = assumed_cpl(small)
    client.force_login(consultant)
    page = client.get(f"/reports/organisations/{org.slug}/engagement/").content.decode()
    start = page.index("<table", page.index('id="assumed-cost-table"') - 40)
    table = html_text(page[start:].split("</table>")[0])
    assert table == (
        "Capability Cost band (one level) Consent and Privacy Layer (CPL) $300,000–$800,000 assumed"
    )
