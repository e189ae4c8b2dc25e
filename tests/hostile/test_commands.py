"""Commands answer the question they were asked, with `where: what is wrong`, and never
print a traceback."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tests import factories


@pytest.fixture
def two_organisations(world):
    """acme (world, cycle 2026-Q4) and globex with a cycle 2026-Q2 of its own."""
    globex = factories.organisation("globex")
    cycle = factories.cycle(globex, world["framework"], name="2026-Q2")
    factories.assessment(factories.unit(globex, "fr"), cycle)
    return world


def run(*args) -> str:
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
    return str(refused.value)


@pytest.mark.parametrize("command", ["export_deck", "export_workbook", "export_charts"])
def test_an_unknown_cycle_is_named_unknown_not_a_choice_of_organisations(
    unchanged, two_organisations, tmp_path, command
):
    assert run(command, "--cycle", "2099-Q1", "-o", str(tmp_path / "out")) == (
        "no cycle '2099-Q1' in any organisation (known: 2026-Q2, 2026-Q4)"
    )


@pytest.mark.parametrize("command", ["export_deck", "export_workbook"])
def test_a_cycle_only_one_organisation_has_picks_that_organisation(
    two_organisations, tmp_path, command
):
    out = io.StringIO()
    call_command(command, "--cycle", "2026-Q2", "-o", str(tmp_path / "out"), stdout=out)
    assert "globex" in out.getvalue()


def test_a_cycle_two_organisations_have_asks_which(two_organisations, world, tmp_path):
    cycle = factories.cycle(
        factories.Organisation.objects.get(slug="globex"), world["framework"], name="2026-Q4"
    )
    factories.assessment(factories.BusinessUnit.objects.get(slug="fr"), cycle)
    assert run("export_deck", "--cycle", "2026-Q4", "-o", str(tmp_path / "d.pptx")) == (
        "cycle '2026-Q4' exists in several organisations (acme, globex): name one with --organisation"
    )


@pytest.mark.parametrize("command", ["export_answers", "export_scores"])
def test_an_unknown_organisation_is_refused_not_an_empty_file(unchanged, world, command):
    assert run(command, "--organisation", "nosuch") == "no organisation 'nosuch' (known: acme)"


@pytest.mark.parametrize("command", ["export_answers", "export_scores"])
def test_a_cycle_the_organisation_does_not_have_is_refused(unchanged, two_organisations, command):
    assert run(command, "--organisation", "acme", "--cycle", "2026-Q2") == (
        "organisation 'acme' has no cycle '2026-Q2' (known: 2026-Q4)"
    )


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ("1e400", "--budget '1e400' is written with an exponent: write the number in plain digits"),
        ("inf", "--budget 'inf' is not a finite number"),
        (
            "3,5",
            "--budget '3,5' has a comma that does not group thousands: write decimals with a point (3.5) and group digits in threes (10,000,000) or not at all",
        ),
        ("1_000", "--budget '1_000' has an underscore: write the digits without separators"),
        (
            "12345678901234",
            "--budget 12345678901234: the amount must be at most 999999999999.99 USD, got 12345678901234",
        ),
    ],
)
def test_roadmap_budget_by_the_one_number_rule(unchanged, world, budget, message):
    args = ["--organisation", "acme", "--cycle", "2026-Q4", "--funding-cycles", "2"]
    assert run("roadmap", *args, "--budget", budget) == message


def test_roadmap_accepts_grouped_thousands(world):
    out = io.StringIO()
    call_command(
        "roadmap",
        *["--organisation", "acme", "--cycle", "2026-Q4", "--funding-cycles", "1"],
        *["--budget", "2,000,000", "--format", "json"],
        stdout=out,
        stderr=io.StringIO(),
    )
    assert out.getvalue().startswith("[")


def test_recommend_value_base_by_the_one_number_rule(unchanged, world):
    assert (
        run("recommend", "--unit", "uk", "--cycle", "2026-Q4", "--value-base", "IDG=4e7")
        == "--value-base IDG= '4e7' is written with an exponent: write the number in plain digits"
    )


def test_import_answers_refuses_a_file_beyond_its_size(unchanged, tmp_path, monkeypatch):
    from assessments.domain import limits

    monkeypatch.setattr(limits, "MAX_IMPORT_FILE_BYTES", 10)
    path = tmp_path / "big.csv"
    path.write_text("organisation,unit,cycle\n")
    assert run("import_answers", str(path)) == (
        f"{path}: the file is 0.0 MB (at most 0.0 MB); split it into smaller files"
    )
