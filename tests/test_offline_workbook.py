"""The offline questionnaire workbook: downloaded by a consultant or lead, filled in
without Ladder, uploaded (or imported by command) with all-or-nothing checking."""

import copy
import io
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from assessments.domain.answers import AnswerInput
from assessments.models import Answer, Membership, Response
from assessments.services.answers import answers_save
from assessments.services.signoff import assessment_submit
from tests import factories
from tests.pages import parse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IDG = "Identity Graph Enhancements"
CPL = "Consent and Privacy Layer"


@pytest.fixture(scope="module")
def world_once(module_db):
    """acme's units uk (a lead, a respondent) and de, written once for the module
    (tests/conftest.py, "A world built once")."""
    small = factories.small_framework()
    consultant = factories.user("consultant")
    org = factories.organisation("acme", consultants=[consultant])
    uk = factories.unit(org, "uk")
    de = factories.unit(org, "de")
    cycle = factories.cycle(org, small)
    return {
        "consultant": consultant,
        "org": org,
        "cycle": cycle,
        "uk": factories.assessment(uk, cycle),
        "de": factories.assessment(de, cycle),
        "lead": factories.member(uk, Membership.Role.LEAD, username="lead-uk"),
        "respondent": factories.member(uk, username="respondent-uk-1"),
    }


@pytest.fixture
def world(world_once, db):
    return copy.deepcopy(world_once)


def download(client, user, assessment, **params) -> bytes:
    client.force_login(user)
    response = client.get(f"/assessments/{assessment.pk}/workbook/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return response.content


def fill(data: bytes, respondent: str | None, answers: dict[str, tuple]) -> bytes:
    """Fill the workbook as a respondent would: name in B7, answers in column E,
    comments in column G (formatted as text, so `=SUM(A1)` is typed as text)."""
    book = load_workbook(io.BytesIO(data))
    if respondent is not None:
        book["Instructions"]["B7"] = respondent
    for sheet in book.worksheets[1:-1]:
        for row in range(4, sheet.max_row + 1):
            code = sheet[f"A{row}"].value
            if code in answers:
                answer, comment = answers[code]
                sheet[f"E{row}"] = answer
                sheet[f"G{row}"] = comment
                if isinstance(comment, str):
                    sheet[f"G{row}"].data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, user, assessment, data: bytes, name="filled.xlsx"):
    client.force_login(user)
    return client.post(
        f"/assessments/{assessment.pk}/upload/",
        {"file": SimpleUploadedFile(name, data, content_type=XLSX)},
    )


def stored_answers():
    return {
        (a.response.respondent, a.question.code): (a.tidy_value, a.comment)
        for a in Answer.objects.select_related("response", "question")
    }


GOOD = {
    "IDG-FID-1": (3, "=SUM(A1)"),
    "IDG-FID-2": (63.5, "measured in March"),
    "IDG-REC-1": ("dk", None),
    "CPL-FID-1": ("na", None),
    # CPL-REC-1 left blank: skipped
}


# --- what the workbook holds ------------------------------------------------------------------


def test_workbook_has_instructions_a_sheet_per_capability_and_hidden_identification(client, world):
    book = load_workbook(io.BytesIO(download(client, world["consultant"], world["uk"])))
    assert book.sheetnames == ["Instructions", IDG, CPL, "Ladder"]
    assert [book[name].sheet_state for name in book.sheetnames] == [
        "visible",
        "visible",
        "visible",
        "hidden",
    ]
    assert book.security.lockStructure is True
    identification = {
        row[0]: row[1] for row in book["Ladder"].iter_rows(values_only=True) if row[0]
    }
    # When it was made: answers changed on the web after it are not overwritten unconfirmed.
    made_at = datetime.fromisoformat(identification.pop("made_at"))
    assert abs((datetime.now(UTC) - made_at).total_seconds()) < 60
    assert identification == {
        "format": "ladder-questionnaire",
        "format_version": "1",
        "organisation": "acme",
        "unit": "uk",
        "cycle": "2026-Q4",
        "framework": "small",
        "framework_version": "1",
    }
    instructions = book["Instructions"]
    assert [instructions[f"B{row}"].value for row in (4, 5, 6, 7)] == [
        "Acme",
        "Uk",
        "2026-Q4",
        None,
    ]
    text = "\n".join(
        str(cell) for row in instructions.iter_rows(values_only=True) for cell in row if cell
    )
    for phrase in (
        "na means not applicable",
        "dk means don't know. Don't know counts as level 1 (Initial) and is flagged",
        "all-or-nothing checking",
        "Do not rename, add or remove sheets",
        "Autonomous",
    ):
        assert phrase in text


def test_capability_sheet_lists_its_questions_with_what_each_level_looks_like(client, world):
    sheet = load_workbook(io.BytesIO(download(client, world["lead"], world["uk"])))[IDG]
    rows = list(sheet.iter_rows(min_row=3, max_col=7, values_only=True))
    assert rows[0] == (
        "Question code",
        "Dimension",
        "Question",
        "Help",
        "Answer",
        "Allowed values and levels",
        "Comment",
    )
    assert [row[:3] for row in rows[1:]] == [
        ("IDG-FID-1", "Data fidelity", "How are customer identities resolved across channels?"),
        ("IDG-FID-2", "Data fidelity", "Persistent identity match rate"),
        ("IDG-REC-1", "Recovery (RTO)", "Measured RTO"),
    ]
    assert rows[1][5] == (
        "1 Initial: By hand in spreadsheets\n"
        "2 Repeatable: Scripted batch matching\n"
        "3 Managed: Managed matching service\n"
        "4 Optimized: Measured and tuned matching\n"
        "5 Autonomous: Continuous self-tuning matching\n"
        "na: not applicable · dk: don't know"
    )
    assert rows[2][5] == (
        "A measured value in % (0 to 100).\n"
        "Level 5 (Autonomous): 88 % or more\nLevel 4 (Optimized): 75 % or more\n"
        "Level 3 (Managed): 62 % or more\nLevel 2 (Repeatable): 50 % or more\n"
        "Level 1 (Initial): anything less\n"
        "na: not applicable · dk: don't know"
    )
    assert rows[3][5].splitlines()[:2] == [
        "A measured value in hours (0 or more).",
        "Level 5 (Autonomous): 1 hours or less",
    ]


def test_answers_are_drop_down_lists_and_validated_numbers(client, world):
    book = load_workbook(io.BytesIO(download(client, world["consultant"], world["uk"])))
    checks = {
        (str(v.sqref), v.type, v.formula1, v.showErrorMessage, v.showInputMessage)
        for v in book[IDG].data_validations.dataValidation
    }
    assert checks == {
        ("E4", "list", '"1,2,3,4,5,na,dk"', True, True),
        ("E5", "custom", 'OR(AND(ISNUMBER(E5),E5>=0,E5<=100),E5="na",E5="dk")', True, True),
        ("E6", "custom", 'OR(AND(ISNUMBER(E6),E6>=0),E6="na",E6="dk")', True, True),
    }
    cpl = book[CPL].data_validations.dataValidation
    assert [(str(v.sqref), v.formula1) for v in cpl] == [("E4 E5", '"1,2,3,4,5,na,dk"')]
    assert cpl[0].prompt == (
        "Choose a level 1–5 (column F says what each looks like), na (not applicable) "
        "or dk (don't know)."
    )
    assert cpl[0].error == "Choose one of 1, 2, 3, 4, 5, na, dk from the list."


def test_only_answer_comment_and_name_cells_are_unlocked(client, world):
    book = load_workbook(io.BytesIO(download(client, world["consultant"], world["uk"])))
    sheet = book[IDG]
    assert sheet.protection.sheet is True
    unlocked = {
        cell.coordinate
        for row in sheet.iter_rows(min_row=1, max_row=6, max_col=7)
        for cell in row
        if not cell.protection.locked
    }
    assert unlocked == {"E4", "E5", "E6", "G4", "G5", "G6"}
    assert book["Instructions"]["B7"].protection.locked is False
    assert book["Instructions"]["B4"].protection.locked is True


def test_respondent_name_can_be_written_into_the_workbook(client, world):
    data = download(client, world["consultant"], world["uk"], respondent="Ann Smith")
    assert load_workbook(io.BytesIO(data))["Instructions"]["B7"].value == "Ann Smith"


def test_organisation_names_that_look_like_formulas_stay_text(client, world):
    world["org"].name = "=HYPERLINK(1)"
    world["org"].save()
    data = download(client, world["consultant"], world["uk"])
    cell = load_workbook(io.BytesIO(data))["Instructions"]["B4"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


# --- filling it in and loading it back -----------------------------------------------------------


def test_filled_workbook_uploaded_by_the_lead_loads_every_answer(client, world):
    data = fill(download(client, world["lead"], world["uk"]), "Ann Smith", GOOD)
    response = upload(client, world["lead"], world["uk"], data)
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{world['uk'].pk}/"
    assert stored_answers() == {
        ("Ann Smith", "IDG-FID-1"): ("3", "=SUM(A1)"),
        ("Ann Smith", "IDG-FID-2"): ("63.5", "measured in March"),
        ("Ann Smith", "IDG-REC-1"): ("dk", ""),
        ("Ann Smith", "CPL-FID-1"): ("na", ""),
    }
    assert Response.objects.get().assessment == world["uk"]
    page = client.get(response["Location"]).content.decode()
    assert "Imported 4 answer row(s) from filled.xlsx: 4 answer(s) changed." in page


def test_filled_workbook_loads_with_the_command(client, world, tmp_path):
    path = tmp_path / "uk.xlsx"
    path.write_bytes(fill(download(client, world["consultant"], world["uk"]), "Bob", GOOD))
    out = io.StringIO()
    call_command("import_answers", str(path), stdout=out)
    assert out.getvalue() == "Imported 4 rows from uk.xlsx: 4 answers changed.\n"
    assert stored_answers()[("Bob", "IDG-FID-2")] == ("63.5", "measured in March")
    assert len(stored_answers()) == 4


def test_comment_typed_as_a_formula_is_kept_as_its_text(client, world):
    data = download(client, world["consultant"], world["uk"])
    book = load_workbook(io.BytesIO(data))
    book["Instructions"]["B7"] = "Ann"
    book[IDG]["E4"] = 2
    book[IDG]["G4"] = "=1+1"  # stored as a formula, as a spreadsheet ignoring the text format would
    assert book[IDG]["G4"].data_type == "f"
    buffer = io.BytesIO()
    book.save(buffer)
    assert upload(client, world["consultant"], world["uk"], buffer.getvalue()).status_code == 302
    assert stored_answers() == {("Ann", "IDG-FID-1"): ("2", "=1+1")}


def test_uploading_again_changes_only_what_changed(client, world):
    data = download(client, world["consultant"], world["uk"])
    upload(client, world["consultant"], world["uk"], fill(data, "Ann", GOOD))
    changed = dict(GOOD, **{"IDG-FID-1": (4, "=SUM(A1)")})
    upload(client, world["consultant"], world["uk"], fill(data, "Ann", changed))
    page = client.get(f"/assessments/{world['uk'].pk}/").content.decode()
    assert "Imported 4 answer row(s) from filled.xlsx: 1 answer(s) changed." in page
    assert stored_answers()[("Ann", "IDG-FID-1")] == ("4", "=SUM(A1)")


# --- bad workbooks: every problem by sheet and row, nothing loaded -------------------------------


def test_bad_cells_are_reported_by_sheet_and_row_and_nothing_is_loaded(client, world):
    bad = dict(
        GOOD,
        **{
            "IDG-FID-1": (7, None),
            "IDG-FID-2": (120, None),
            "CPL-REC-1": (None, "we restore monthly"),
        },
    )
    data = fill(download(client, world["lead"], world["uk"]), "Ann", bad)
    response = upload(client, world["lead"], world["uk"], data)
    assert response.status_code == 400
    assert response.context["problems"] == [
        "Sheet 'Identity Graph Enhancements' row 4: answer '7' is not a level of question "
        "IDG-FID-1 (levels 1–5, na, dk)",
        "Sheet 'Identity Graph Enhancements' row 5: answer '120' for question IDG-FID-2 is a "
        "percentage above 100",
        "Sheet 'Consent and Privacy Layer' row 5: question CPL-REC-1 has a comment but no "
        "answer; choose an answer in column E (or dk, don't know) to keep the comment",
    ]
    assert "Nothing was imported: 3 problems." in response.content.decode()
    assert Answer.objects.count() == 0


def test_the_command_reports_the_same_problems_and_loads_nothing(client, world, tmp_path):
    path = tmp_path / "bad.xlsx"
    bad = dict(GOOD, **{"IDG-REC-1": (-2, None)})
    path.write_bytes(fill(download(client, world["consultant"], world["uk"]), "Ann", bad))
    with pytest.raises(CommandError) as error:
        call_command("import_answers", str(path), stdout=io.StringIO())
    assert str(error.value) == (
        f"{path}: 1 problem(s), nothing imported:\n"
        "Sheet 'Identity Graph Enhancements' row 6: answer '-2' for question IDG-REC-1 must not "
        "be negative"
    )
    assert Answer.objects.count() == 0


def test_a_respondent_name_is_required(client, world):
    data = fill(download(client, world["consultant"], world["uk"]), None, GOOD)
    response = upload(client, world["consultant"], world["uk"], data)
    assert response.status_code == 400
    assert response.context["problems"] == [
        "Sheet 'Instructions' cell B7: the respondent's name is empty; type the name of the "
        "person who answered"
    ]
    assert Answer.objects.count() == 0


def test_a_workbook_for_another_unit_is_refused_in_one_line(client, world):
    data = fill(download(client, world["consultant"], world["de"]), "Dan", GOOD)
    response = upload(client, world["consultant"], world["uk"], data)
    assert response.status_code == 400
    assert response.context["problems"] == [
        "Sheet 'Identity Graph Enhancements' row 4 and 3 more row(s): this upload takes answers "
        "for unit 'uk' of 'acme' in cycle '2026-Q4' only, not for unit 'de' of 'acme' in cycle "
        "'2026-Q4'"
    ]
    assert Answer.objects.count() == 0


def test_a_workbook_for_another_cycle_is_refused(client, world, small):
    later = factories.cycle(world["org"], small, name="2027-Q2")
    later_uk = factories.assessment(world["uk"].unit, later)
    data = fill(download(client, world["consultant"], later_uk), "Ann", GOOD)
    response = upload(client, world["consultant"], world["uk"], data)
    assert response.context["problems"] == [
        "Sheet 'Identity Graph Enhancements' row 4 and 3 more row(s): this upload takes answers "
        "for unit 'uk' of 'acme' in cycle '2026-Q4' only, not for unit 'uk' of 'acme' in cycle "
        "'2027-Q2'"
    ]
    assert Answer.objects.count() == 0


def test_a_workbook_made_from_another_framework_version_is_refused(client, world):
    book = load_workbook(io.BytesIO(download(client, world["consultant"], world["uk"])))
    book["Ladder"]["B7"] = "0.9"
    buffer = io.BytesIO()
    book.save(buffer)
    data = fill(buffer.getvalue(), "Ann", GOOD)
    response = upload(client, world["consultant"], world["uk"], data)
    assert response.context["problems"] == [
        "Sheet 'Instructions': this workbook was made from framework small 0.9, but cycle "
        "'2026-Q4' uses small 1; download a new workbook"
    ]


def test_changed_column_headings_are_reported(client, world):
    book = load_workbook(io.BytesIO(download(client, world["consultant"], world["uk"])))
    book[CPL]["E3"] = "Level"
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, world["consultant"], world["uk"], fill(buffer.getvalue(), "A", GOOD))
    assert response.context["problems"] == [
        "Sheet 'Consent and Privacy Layer' row 3: the column headings were changed (expected: "
        "Question code, Dimension, Question, Help, Answer, Allowed values and levels, Comment); "
        "download a new workbook and copy the answers into it"
    ]


def test_tidy_csv_upload_keeps_its_line_messages(client, world):
    csv = (
        b"organisation,unit,cycle,respondent,question_code,answer,comment\n"
        b"acme,uk,2026-Q4,ann,IDG-FID-1,4,\n"
        b"acme,uk,2026-Q4,ann,IDG-FID-2,abc,\n"
    )
    response = upload(client, world["lead"], world["uk"], csv, name="answers.csv")
    assert response.context["problems"] == [
        "Line 3: answer 'abc' is not a number for question IDG-FID-2 (a value in %, na, dk)"
    ]
    assert Answer.objects.count() == 0


def test_files_that_are_not_csv_or_xlsx_are_refused_beside_the_field(client, world):
    response = upload(client, world["lead"], world["uk"], b"hello", name="notes.txt")
    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"] == [
        "'notes.txt' is not a .csv or .xlsx file: upload the tidy answers as CSV or XLSX."
    ]


def test_files_above_the_upload_limit_are_refused(client, world, settings):
    settings.LADDER_MAX_UPLOAD_BYTES = 1024
    data = fill(download(client, world["lead"], world["uk"]), "Ann", GOOD)
    response = upload(client, world["lead"], world["uk"], data)
    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"][0].startswith("'filled.xlsx' is ")
    assert (
        "the largest file accepted is 0.0 MB" in response.context["upload_form"].errors["file"][0]
    )
    assert Answer.objects.count() == 0


def test_a_submitted_assessment_refuses_uploads(client, world):
    data = fill(download(client, world["lead"], world["uk"]), "Ann", GOOD)
    questions = {q.code: q for q in world["cycle"].framework.questions.all()}
    answers_save(
        assessment=world["uk"],
        respondent="lead-uk",
        questions=questions,
        answers={
            code: AnswerInput(choice=3) if q.type == "choice" else AnswerInput(value=70)
            for code, q in questions.items()
        },
    )
    assessment_submit(assessment=world["uk"], user=world["lead"], confirmed=True)
    before = stored_answers()
    page = upload(client, world["lead"], world["uk"], data)
    assert page.status_code == 409
    assert page.context["problems"] == [
        "This assessment is submitted and read-only: reopen it before uploading answers."
    ]
    assert stored_answers() == before
    assert (
        "Upload and import"
        not in client.get(f"/assessments/{world['uk'].pk}/upload/").content.decode()
    )


# --- who may use it --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["workbook/", "upload/"])
def test_outsiders_get_404(client, world, path):
    stranger = factories.user("stranger")
    other_consultant = factories.user("other-consultant")
    factories.organisation("globex", consultants=[other_consultant])
    for user in (stranger, other_consultant):
        client.force_login(user)
        assert client.get(f"/assessments/{world['uk'].pk}/{path}").status_code == 404
        assert client.post(f"/assessments/{world['uk'].pk}/{path}").status_code == 404


@pytest.mark.parametrize("path", ["workbook/", "upload/"])
def test_respondents_get_403(client, world, path):
    client.force_login(world["respondent"])
    assert client.get(f"/assessments/{world['uk'].pk}/{path}").status_code == 403
    data = fill(download(client, world["lead"], world["uk"]), "Ann", GOOD)
    assert upload(client, world["respondent"], world["uk"], data).status_code == 403
    assert Answer.objects.count() == 0


def test_overview_offers_the_workbook_to_leads_and_consultants_only(client, world):
    url = f"/assessments/{world['uk'].pk}/"
    for user, shown in (
        (world["lead"], True),
        (world["consultant"], True),
        (world["respondent"], False),
    ):
        client.force_login(user)
        links = {link["href"] for link in parse(client.get(url)).select("a[href]")}
        assert (f"/assessments/{world['uk'].pk}/workbook/" in links) is shown
        assert (f"/assessments/{world['uk'].pk}/upload/" in links) is shown


# --- cost ------------------------------------------------------------------------------------------


def test_download_runs_the_same_queries_whatever_the_framework_size(
    client, world, django_assert_num_queries
):
    big = factories.default_framework()  # 8 capabilities, 66 questions (small: 2 and 5)
    big_cycle = factories.cycle(world["org"], big, name="2027-Q1")
    big_uk = factories.assessment(world["uk"].unit, big_cycle)
    client.force_login(world["consultant"])
    for assessment, sheets in ((world["uk"], 4), (big_uk, 10)):
        with django_assert_num_queries(7):
            response = client.get(f"/assessments/{assessment.pk}/workbook/")
        assert len(load_workbook(io.BytesIO(response.content)).sheetnames) == sheets


# --- answers changed on the web after the workbook was made (docs/autosave.md) -----------------


def _web_answer(world, respondent, code, choice, comment=""):
    """An answer saved in the questionnaire by `respondent` (a user, or a name alone)."""
    questions = {q.code: q for q in world["cycle"].framework.questions.all()}
    answers_save(
        assessment=world["uk"],
        respondent=getattr(respondent, "username", respondent),
        user=respondent if not isinstance(respondent, str) else None,
        questions=questions,
        answers={code: AnswerInput(choice=choice, comment=comment)},
    )


def test_an_upload_over_answers_changed_since_the_workbook_was_made_asks_first(client, world):
    """The lead downloads their own workbook, then answers IDG-FID-1 on the web (another
    device): uploading the workbook does not silently put back its older answer."""
    data = fill(download(client, world["lead"], world["uk"]), "lead-uk", GOOD)
    _web_answer(world, world["lead"], "IDG-FID-1", 5)
    response = upload(client, world["lead"], world["uk"], data)
    assert response.status_code == 409
    [problem] = response.context["replaced"]
    assert problem.startswith("lead-uk: 1 answer(s) changed after this file was made (")
    assert "IDG-FID-1: 5 → 3 (changed " in problem and "in the questionnaire)" in problem
    assert stored_answers()[("lead-uk", "IDG-FID-1")] == ("5", "")
    sha = response.context["upload_form"].initial["confirmed_sha256"]
    client.post(
        f"/assessments/{world['uk'].pk}/upload/",
        {
            "file": SimpleUploadedFile("filled.xlsx", data, content_type=XLSX),
            "replace_web_answers": "on",
            "confirmed_sha256": sha,
        },
    )
    assert stored_answers()[("lead-uk", "IDG-FID-1")] == ("3", "=SUM(A1)")
    assert Answer.objects.get(question__code="IDG-FID-1").updated_via == Answer.Via.WORKBOOK


def test_an_upload_repeating_the_newer_answer_needs_no_confirmation(client, world):
    data = fill(download(client, world["lead"], world["uk"]), "lead-uk", GOOD)
    _web_answer(world, world["lead"], "IDG-FID-1", 3, comment="=SUM(A1)")
    assert upload(client, world["lead"], world["uk"], data).status_code == 302


def test_the_command_refuses_a_file_older_than_the_answers_it_replaces(client, world, tmp_path):
    path = tmp_path / "uk.csv"
    path.write_text(
        "organisation,unit,cycle,respondent,question_code,answer,comment\n"
        "acme,uk,2026-Q4,Bob,IDG-FID-1,2,\n"
    )
    # Bob has no account (not "his own web answers"), but answered in the questionnaire.
    _web_answer(world, "Bob", "IDG-FID-1", 5)
    with pytest.raises(CommandError) as error:
        call_command(
            "import_answers", str(path), "--made-at", "2020-01-01T00:00", stdout=io.StringIO()
        )
    assert "Bob: 1 answer(s) changed after this file was made" in str(error.value)
    # By default, the file's modification time: written after the web answer, imported.
    path.write_bytes(path.read_bytes())
    call_command("import_answers", str(path), stdout=io.StringIO())
    assert stored_answers()[("Bob", "IDG-FID-1")] == ("2", "")
