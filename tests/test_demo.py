import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from assessments.models import Assessment, BusinessUnit, Cycle, Membership
from tests import factories
from tests.pages import parse, the


def test_seed_demo_refuses_without_debug(db):
    factories.default_framework()
    with pytest.raises(CommandError, match="runs only with DJANGO_DEBUG=1"):
        call_command("seed_demo")
    assert not BusinessUnit.objects.exists()


@override_settings(DEBUG=True)
def test_seed_demo_needs_the_default_framework(db):
    with pytest.raises(CommandError, match="the default framework is not loaded"):
        call_command("seed_demo")


@override_settings(DEBUG=True)
def test_seed_demo_builds_an_answered_organisation_and_prints_logins(db, client):
    factories.default_framework()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    units = BusinessUnit.objects.all()
    assert len({u.region for u in units}) == 2 and units.count() == 6
    assert list(Cycle.objects.values_list("name", flat=True)) == ["2026-Q2", "2026-Q4"]
    for unit in units:
        assert f"lead-{unit.slug}" in text
        assert f"respondent-{unit.slug}-3" in text
        assert Membership.objects.filter(unit=unit, role="respondent").count() == 3
    for assessment in Assessment.objects.all():
        assert assessment.responses.count() == 3
        assert all(r.answers.exists() for r in assessment.responses.all())
    assert set(
        Assessment.objects.filter(cycle__name="2026-Q2").values_list("status", flat=True)
    ) == {"submitted"}
    assert set(
        Assessment.objects.filter(cycle__name="2026-Q4").values_list("status", flat=True)
    ) == {"draft"}
    assert "password for all: ladder-demo" in text
    assert client.login(username="respondent-uk-retail-1", password="ladder-demo")
    assert parse(client.get("/")).select("#new-organisation-link") == []
    assert client.login(username="consultant", password="ladder-demo")
    assert the(parse(client.get("/")), "#new-organisation-link").text == "New organisation"
    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert "already present" in again.getvalue()
    assert BusinessUnit.objects.count() == 6
