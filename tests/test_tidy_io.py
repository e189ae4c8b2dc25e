"""Tidy answers in and out: exact scores, lossless round trip, all rows or none."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Answer, AuditEntry, BusinessUnit, Cycle, Organisation, Response
from assessments.services.signoff import assessment_submit
from tests import factories

HEADER = "organisation,unit,cycle,respondent,question_code,answer,comment\n"


@pytest.fixture
def world(small):
    org = factories.organisation("acme")
    uk = factories.unit(org, "uk")
    de = factories.unit(org, "de")
    cycle = factories.cycle(org, small)
    return org, uk, de, cycle


def write(tmp_path, text, name="answers.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def export(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return list(csv.DictReader(io.StringIO(out.getvalue())))


MIX = (
    HEADER
    # uk, IDG fidelity: IDG-FID-1 (weight 2) ann 4, bob 2, cat na → [2, 4] lower median 2, disputed
    + "acme,uk,2026-Q4,ann,IDG-FID-1,4,\n"
    + "acme,uk,2026-Q4,bob,IDG-FID-1,2,\n"
    + "acme,uk,2026-Q4,cat,IDG-FID-1,na,\n"
    # IDG-FID-2 match rate: ann 63 % → 3, bob dk → 1, cat 90 % → 5: [1, 3, 5] median 3
    + "acme,uk,2026-Q4,ann,IDG-FID-2,63,\n"
    + "acme,uk,2026-Q4,bob,IDG-FID-2,dk,\n"
    + "acme,uk,2026-Q4,cat,IDG-FID-2,90,\n"
    # fidelity = (2·2 + 1·3) / 3 = 2.3333 → level 2
    # IDG-REC-1 RTO hours: ann 30 h → 2, bob 3 h → 4: [2, 4] lower median 2 → recovery 2.0
    + "acme,uk,2026-Q4,ann,IDG-REC-1,30,\n"
    + "acme,uk,2026-Q4,bob,IDG-REC-1,3,\n"
    # CPL: fidelity everyone na → no score; recovery 5 and 4 → lower median 4
    + "acme,uk,2026-Q4,ann,CPL-FID-1,na,\n"
    + "acme,uk,2026-Q4,bob,CPL-FID-1,na,\n"
    + "acme,uk,2026-Q4,ann,CPL-REC-1,5,\n"
    + "acme,uk,2026-Q4,bob,CPL-REC-1,4,\n"
    # de answers only IDG-FID-2: 50 % → level 2
    + "acme,de,2026-Q4,dan,IDG-FID-2,50,\n"
)


def test_imported_mix_exports_exactly_the_scores_of_the_rules(world, tmp_path):
    call_command("import_answers", str(write(tmp_path, MIX)), stdout=io.StringIO())
    scores = {
        (r["unit"], r["capability"], r["dimension"]): (r["score"], r["level"])
        for r in export("export_scores")
    }
    assert scores == {
        ("de", "IDG", "fidelity"): ("2.0", "2"),
        ("de", "IDG", "recovery"): ("", ""),
        ("de", "CPL", "fidelity"): ("", ""),
        ("de", "CPL", "recovery"): ("", ""),
        ("uk", "IDG", "fidelity"): ("2.3333", "2"),
        ("uk", "IDG", "recovery"): ("2.0", "2"),
        ("uk", "CPL", "fidelity"): ("", ""),
        ("uk", "CPL", "recovery"): ("4.0", "4"),
    }


def test_export_import_into_an_empty_database_gives_the_same_answers(world, tmp_path):
    text = MIX.replace(
        "acme,uk,2026-Q4,ann,IDG-FID-1,4,",
        'acme,uk,2026-Q4,ann,IDG-FID-1,4,"=HYPERLINK(""x""), said ann"',
    )
    text = text.replace(
        "acme,de,2026-Q4,dan,IDG-FID-2,50,", "acme,de,2026-Q4,dan,IDG-FID-2,50,-- not sure\n"
    )
    call_command("import_answers", str(write(tmp_path, text)), stdout=io.StringIO())
    first = tmp_path / "first.csv"
    call_command("export_answers", "-o", str(first), stderr=io.StringIO())
    assert "'=HYPERLINK" in first.read_text()  # neutralised for spreadsheets

    Organisation.objects.all().delete()
    assert Answer.objects.count() == 0
    call_command(
        "import_answers",
        str(first),
        "--create-missing",
        "--framework",
        "small",
        stdout=io.StringIO(),
    )
    second = tmp_path / "second.csv"
    call_command("export_answers", "-o", str(second), stderr=io.StringIO())
    assert second.read_text() == first.read_text()
    assert Answer.objects.get(response__respondent="ann", question__code="IDG-FID-1").comment == (
        '=HYPERLINK("x"), said ann'
    )
    assert Answer.objects.get(response__respondent="dan").comment == "-- not sure"


def test_xlsx_round_trip_keeps_formula_looking_comment_as_text(world, tmp_path):
    text = HEADER + "acme,uk,2026-Q4,ann,IDG-FID-1,3,=1+1\n"
    call_command("import_answers", str(write(tmp_path, text)), stdout=io.StringIO())
    workbook = tmp_path / "answers.xlsx"
    call_command("export_answers", "--format", "xlsx", "-o", str(workbook), stderr=io.StringIO())
    from openpyxl import load_workbook

    cell = load_workbook(workbook).active["G2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    Answer.objects.all().delete()
    call_command("import_answers", str(workbook), stdout=io.StringIO())
    assert Answer.objects.get().comment == "=1+1"


def test_bad_rows_are_each_reported_by_line_and_nothing_is_loaded(world, tmp_path):
    org, uk, de, cycle = world
    submitted = factories.unit(org, "fr")
    locked = factories.assessment(submitted, cycle)
    text = (
        HEADER
        + "acme,uk,2026-Q4,ann,IDG-FID-1,3,\n"  # line 2: fine
        + "acme,uk,2026-Q4,ann,IDG-FID-1,7,\n"  # 3
        + "acme,it,2026-Q4,ann,IDG-FID-1,3,\n"  # 4
        + "acme,uk,2027-Q1,ann,IDG-FID-1,3,\n"  # 5
        + "acme,uk,2026-Q4,ann,XYZ-1,3,\n"  # 6
        + "acme,uk,2026-Q4,ann,IDG-FID-2,lots,\n"  # 7
        + "acme,uk,2026-Q4,,IDG-FID-2,50,\n"  # 8
        + "acme,uk,2026-Q4,ann,IDG-FID-1,3,\n"  # 9 duplicate of 2
        + "acme,fr,2026-Q4,ann,IDG-FID-1,3,\n"  # 10 submitted
        + "nobody,uk,2026-Q4,ann,IDG-FID-1,3,\n"  # 11
        + "acme,uk,2026-Q4,ann,IDG-FID-2,140,\n"  # 12
    )
    # lock fr: answer everything then submit
    from assessments.domain.answers import AnswerInput
    from assessments.services.answers import answers_save

    questions = {q.code: q for q in cycle.framework.questions.all()}
    answers_save(
        assessment=locked,
        respondent="x",
        questions=questions,
        answers={c: AnswerInput(special="dk") for c in questions},
    )
    assessment_submit(assessment=locked, user=factories.user(), confirmed=True)
    before = (Answer.objects.count(), AuditEntry.objects.count())
    with pytest.raises(CommandError) as error:
        call_command("import_answers", str(write(tmp_path, text)), stdout=io.StringIO())
    assert str(error.value).splitlines() == [
        f"{tmp_path / 'answers.csv'}: 10 problem(s), nothing imported:",
        "Line 3: answer '7' is not a level of question IDG-FID-1 (levels 1–5, na, dk)",
        "Line 4: unknown unit 'it' in organisation 'acme' (use --create-missing to create it)",
        "Line 5: unknown cycle '2027-Q1' in organisation 'acme' (use --create-missing to create it)",
        "Line 6: unknown question code 'XYZ-1' in the cycle's framework",
        "Line 7: answer 'lots' is not a number for question IDG-FID-2 (a value in %, na, dk)",
        "Line 8: 'respondent' is empty",
        "Line 9: the same respondent answers question IDG-FID-1 again (first on line 2)",
        "Line 10: the assessment of 'fr' for 2026-Q4 is submitted; reopen it before importing answers",
        "Line 11: unknown organisation 'nobody' (use --create-missing to create it)",
        "Line 12: answer '140' for question IDG-FID-2 is a percentage above 100",
    ]
    assert (Answer.objects.count(), AuditEntry.objects.count()) == before


def test_create_missing_needs_a_framework_and_creates_on_its_latest_version(db, tmp_path):
    path = write(tmp_path, HEADER + "newco,hq,2026-Q4,ann,IDG-FID-1,3,\n")
    with pytest.raises(CommandError, match="--create-missing needs --framework CODE"):
        call_command("import_answers", str(path), "--create-missing", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no framework with code 'small'"):
        call_command(
            "import_answers",
            str(path),
            "--create-missing",
            "--framework",
            "small",
            stdout=io.StringIO(),
        )
    factories.small_framework()
    out = io.StringIO()
    call_command(
        "import_answers", str(path), "--create-missing", "--framework", "small", stdout=out
    )
    assert "created organisation newco" in out.getvalue()
    assert BusinessUnit.objects.get().slug == "hq"
    assert Cycle.objects.get().framework.code == "small"
    assert Response.objects.get().respondent == "ann"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            "organisation,unit,cycle,respondent,answer\n",
            "a.csv",
            "Line 1: missing column(s) question_code",
        ),
        (HEADER.replace("comment", "comment,colour"), "a.csv", "Line 1: unknown column(s) colour"),
        (HEADER, "a.csv", "the file has no answer rows"),
        ("x", "a.txt", "'a.txt' is neither a .csv nor an .xlsx file"),
        ("not a workbook", "a.xlsx", "the file is not an XLSX workbook that can be read"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_message(world, tmp_path, content, name, message):
    with pytest.raises(CommandError) as error:
        call_command("import_answers", str(write(tmp_path, content, name)), stdout=io.StringIO())
    assert message in str(error.value)


def test_non_utf8_file_is_refused(world, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + "acme,uk,2026-Q4,José,IDG-FID-1,3,\n").encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8 text"):
        call_command("import_answers", str(path), stdout=io.StringIO())


def test_import_is_written_to_the_audit_log_with_file_hash(world, tmp_path):
    import hashlib

    path = write(tmp_path, HEADER + "acme,uk,2026-Q4,ann,IDG-FID-1,3,\n")
    call_command("import_answers", str(path), stdout=io.StringIO())
    entry = AuditEntry.objects.get(action="answers.import")
    assert entry.details["file"] == "answers.csv"
    assert entry.details["rows"] == 1
    assert entry.details["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_export_of_unknown_cycle_says_which_exist(world):
    with pytest.raises(CommandError, match=r"no cycle named '1999' \(known: 2026-Q4\)"):
        call_command("export_scores", "--cycle", "1999", stdout=io.StringIO())
