"""`manage.py bench` at a tiny size: it runs, prints its table and final line, and never
touches the configured database. No timings are asserted: speed is what the bench
itself measures."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from assessments.models import Answer, Assessment, Organisation, StoredScore
from reports.bench.data import load_default_framework, synthetic_organisation
from reports.bench.tools import Report, Row
from tests import factories

TABLE_ROWS = [
    "portfolio heatmap page, 3 units",
    "unit report page, 3 units",
    "unit report page, 50 → 3 units",
    "questionnaire save, 9 answers changed, 3 units",
    "questionnaire save queries: RTO all / IDG all / one changed, 50 | 3 units",
    "portfolio page queries, 50 | 3 units",
    "unit report page queries, 50 | 3 units",
    "questionnaire page queries, 50 | 3 units",
    "deck export, 2 units",
    "XLSX export, 2 units",
    "peak memory of one portfolio page request, 3 units (tracemalloc)",
    "peak memory of the process (ru_maxrss)",
]


@pytest.mark.django_db(transaction=True)
def test_bench_prints_its_table_and_final_line_in_a_throwaway_database():
    mine = factories.organisation("mine")
    default = connections["default"]
    name = default.settings_dict["NAME"]
    out, err = io.StringIO(), io.StringIO()
    arguments = ["--units", "3", "--respondents", "1", "--repeat", "1", "--export-units", "2"]
    try:
        call_command("bench", *arguments, stdout=out, stderr=err)
        failed = None
    except CommandError as error:
        failed = error
    lines = out.getvalue().splitlines()
    # The last line is the verdict, and the command fails exactly when it says FAIL.
    assert lines[-1] == "bench: ok" or lines[-1].startswith("bench: FAIL — ")
    assert (failed is not None) == lines[-1].startswith("bench: FAIL")
    if failed is not None:
        assert str(failed) == f"{lines[-1].count('; ') + 1} goal(s) missed"
    measures = [line.split("  ")[0].strip() for line in lines[lines.index("") + 3 : -2]]
    assert measures == TABLE_ROWS
    assert lines[0] == (
        "Ladder bench: 3 units × 1 respondent(s) on the default framework; "
        "each time the median of 1 run(s)."
    )
    assert "throwaway database" in lines[1] and "(destroyed after the run)" in lines[1]
    assert "bench: portfolio page" in err.getvalue()
    # The configured database: the same connection, untouched.
    assert connections["default"] is default
    assert default.settings_dict["NAME"] == name
    assert list(Organisation.objects.values_list("slug", flat=True)) == [mine.slug]
    assert not Answer.objects.exists()


def test_bench_refuses_sizes_below_one():
    with pytest.raises(CommandError) as error:
        call_command("bench", "--units", "0")
    assert str(error.value) == "Error: argument --units: invalid positive value: '0'"


def test_synthetic_answers_carry_derived_levels_and_stored_scores(db):
    framework = load_default_framework()
    consultant = factories.user("c")
    built = synthetic_organisation(
        framework=framework, slug="s", units=4, respondents=2, consultant=consultant
    )
    assert built.answers == 4 * 2 * 66 == Answer.objects.count()
    for answer in Answer.objects.select_related("question"):
        assert answer.level == answer.question.level_for(
            choice=answer.choice, value=answer.value, special=answer.special
        )
    assert set(Answer.objects.values_list("special", flat=True)) <= {"", "na", "dk"}
    assessments = Assessment.objects.filter(cycle=built.cycle)
    assert assessments.filter(scores_stored_at__isnull=True).count() == 0
    # 8 capabilities and 8 × 4 cells stored per assessment (each has scorable answers)
    assert StoredScore.objects.filter(assessment__in=assessments).count() == 4 * (8 + 32)


def test_report_lists_what_missed_on_the_last_line():
    report = Report(header=["title"])
    report.add(Row("a", "1 ms", goal="< 2 ms", ok=True))
    report.add(Row("b", "9 ms", goal="< 2 ms", ok=False), "b took 9 ms")
    report.add(Row("c", "5 MiB"))
    report.add(Row("d", "not available", goal="< 3 s", ok=False), "d not available")
    assert report.lines() == [
        "title",
        "",
        "measure          value  floor  ratio    goal",
        "-------  -------------  -----  -----  ------  ----",
        "a                 1 ms                < 2 ms  ok",
        "b                 9 ms                < 2 ms  FAIL",
        "c                5 MiB",
        "d        not available                 < 3 s  FAIL",
        "",
        "bench: FAIL — b took 9 ms; d not available",
    ]
    assert Report(rows=[Row("a", "1", ok=True)]).lines()[-1] == "bench: ok"
