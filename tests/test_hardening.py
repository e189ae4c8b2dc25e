"""Production hardening: deploy checks, admin for admins only, CSRF, uploads, escaping."""

import csv
import io
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from openpyxl import Workbook, load_workbook

from assessments.domain.answers import AnswerInput
from assessments.models import Answer, Assessment, Membership
from assessments.services.answers import answers_save
from assessments.services.signoff import assessment_submit
from assessments.validators import validate_answers_upload
from tests import factories
from tests.pages import parse, the

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


# --- production settings ----------------------------------------------------------------------


def test_production_settings_pass_the_deploy_check_without_a_warning(tmp_path):
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout.strip(), result.stderr.strip()) == (
        0,
        "System check identified no issues (0 silenced).",
        "",
    )


def test_production_settings_refuse_a_short_secret_key():
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings"}
    env["DJANGO_SECRET_KEY"] = "short"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak for production" in result.stderr


def test_cookies_are_http_only_and_same_site(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax" and settings.CSRF_COOKIE_SAMESITE == "Lax"


# --- admin for admins only --------------------------------------------------------------------


@pytest.fixture
def submitted(small):
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk")
    assessment = factories.assessment(unit, factories.cycle(org, small))
    lead = factories.member(unit, Membership.Role.LEAD, username="lead")
    answers_save(
        assessment=assessment,
        respondent="lead",
        questions={q.code: q for q in small.questions.all()},
        answers={q.code: AnswerInput(special="dk") for q in small.questions.all()},
    )
    return assessment_submit(assessment=assessment, user=lead, confirmed=True)


@pytest.fixture
def staff_with_every_permission(db):
    from django.contrib.auth.models import Permission

    person = factories.user("staff", is_staff=True)
    person.user_permissions.set(Permission.objects.all())
    return person


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/assessments/assessment/", "/admin/auth/user/", "/admin/auth/user/1/"]
)
def test_staff_who_is_not_a_superuser_never_reaches_admin_data(
    client, staff_with_every_permission, url
):
    client.force_login(staff_with_every_permission)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_who_is_not_a_superuser_cannot_log_in_to_the_admin(client, db):
    factories.user("staff", is_staff=True)
    response = client.post("/admin/login/", {"username": "staff", "password": factories.PASSWORD})
    assert response.status_code == 200
    assert (
        "The admin pages are for Ladder administrators only; this account is not one."
        in response.content.decode()
    )


def test_answers_and_responses_are_not_in_the_admin(admin_client, submitted):
    assert admin_client.get("/admin/assessments/answer/").status_code == 404
    assert admin_client.get("/admin/assessments/response/").status_code == 404


def test_submitted_assessment_is_read_only_in_the_admin(admin_client, submitted):
    url = f"/admin/assessments/assessment/{submitted.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert parse(page).select("input[name=_save]") == []  # no Save button
    other_unit = factories.unit(submitted.unit.organisation, "de")
    response = admin_client.post(url, {"unit": other_unit.pk, "cycle": submitted.cycle_id})
    assert response.status_code == 403
    assert (
        admin_client.post(
            f"/admin/assessments/assessment/{submitted.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    submitted.refresh_from_db()
    assert (submitted.unit_id, submitted.status) != (other_unit.pk, "draft")
    assert Assessment.objects.filter(pk=submitted.pk, status="submitted").exists()


def test_unit_with_a_submitted_assessment_cannot_be_deleted_in_the_admin(admin_client, submitted):
    response = admin_client.post(
        f"/admin/assessments/businessunit/{submitted.unit_id}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert Answer.objects.filter(response__assessment=submitted).count() == 5


def test_bulk_delete_of_submitted_assessments_is_refused(admin_client, submitted):
    response = admin_client.post(
        "/admin/assessments/assessment/",
        {"action": "delete_selected", "_selected_action": [submitted.pk], "post": "yes"},
    )
    assert Assessment.objects.filter(pk=submitted.pk).exists()
    assert response.status_code == 403


def test_reopened_assessment_can_be_edited_in_the_admin(admin_client, submitted):
    Assessment.objects.filter(pk=submitted.pk).update(status="reopened")
    page = admin_client.get(f"/admin/assessments/assessment/{submitted.pk}/change/")
    assert the(parse(page), "input[name=_save]")["type"] == "submit"


# --- CSRF -------------------------------------------------------------------------------------


def test_post_without_csrf_token_is_refused(submitted):
    lead = submitted.submitted_by
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    response = client.post(f"/assessments/{submitted.pk}/reopen/", {"reason": "typo"})
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_login_without_csrf_token_is_refused(db):
    factories.user("ann")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "ann", "password": factories.PASSWORD})
    assert response.status_code == 403


# --- uploads ----------------------------------------------------------------------------------


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["organisation", "unit"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_upload_of_a_csv_and_an_xlsx_is_accepted(settings):
    validate_answers_upload(SimpleUploadedFile("answers.csv", b"organisation,unit\n"))
    upload = SimpleUploadedFile("answers.XLSX", xlsx_bytes())
    validate_answers_upload(upload)
    assert upload.read(4) == b"PK\x03\x04"  # left at its start for the importer


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "answers.pdf",
            b"%PDF-1.7",
            "'answers.pdf' is not a .csv or .xlsx file: upload the tidy answers as CSV or XLSX.",
        ),
        (
            "answers",
            b"a,b",
            "'answers' is not a .csv or .xlsx file: upload the tidy answers as CSV or XLSX.",
        ),
        (
            "answers.xlsx",
            b"organisation,unit\n",
            "'answers.xlsx' is not an XLSX workbook: its content does not start like one.",
        ),
        (
            "answers.csv",
            b"PK\x03\x04rest",
            "'answers.csv' is not a CSV text file: its content is binary "
            "(an XLSX workbook must end in .xlsx).",
        ),
        (
            "answers.csv",
            b"a\x00b",
            "'answers.csv' is not a CSV text file: its content is binary "
            "(an XLSX workbook must end in .xlsx).",
        ),
        ("answers.csv", b"", "'answers.csv' is empty."),
    ],
)
def test_upload_of_the_wrong_type_is_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError) as caught:
        validate_answers_upload(SimpleUploadedFile(name, content))
    assert caught.value.messages == [message]


def test_upload_too_large_is_refused_with_a_clear_message(settings):
    settings.LADDER_MAX_UPLOAD_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("answers.csv", b"x" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as caught:
        validate_answers_upload(upload)
    assert caught.value.messages == [
        "'answers.csv' is 1.0 MB; the largest file accepted is 1.0 MB."
    ]


# --- text typed by users is harmless ----------------------------------------------------------


@pytest.fixture
def hostile(small):
    """A unit whose respondent typed a script and a formula into comments."""
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk")
    assessment = factories.assessment(unit, factories.cycle(org, small))
    respondent = factories.member(unit, username="ann")
    lead = factories.member(unit, Membership.Role.LEAD, username="lead")
    client = Client()
    client.force_login(respondent)
    response = client.post(
        f"/assessments/{assessment.pk}/capabilities/IDG/",
        {
            "IDG-FID-1": "3",
            "IDG-FID-1-comment": SCRIPT,
            "IDG-FID-2": "64",
            "IDG-FID-2-comment": '=HYPERLINK("http://evil.example","click")',
            "IDG-REC-1-special": "dk",
        },
    )
    assert response.status_code == 302
    return assessment, respondent, lead, client


def test_script_in_a_comment_is_shown_as_text_on_the_questionnaire(hostile):
    assessment, _, _, client = hostile
    html = client.get(f"/assessments/{assessment.pk}/capabilities/IDG/").content.decode()
    assert ESCAPED in html
    assert SCRIPT not in html


def test_script_typed_by_users_is_shown_as_text_on_the_unit_report(hostile, small):
    assessment, _, lead, client = hostile
    # Names typed by an admin, and a respondent name from an imported file, are shown too.
    assessment.unit.name = f"UK {SCRIPT}"
    assessment.unit.save()
    answers_save(
        assessment=assessment,
        respondent=f"mallory{SCRIPT}",
        questions={q.code: q for q in small.questions.all()},
        answers={"IDG-FID-1": AnswerInput(choice=1, comment=SCRIPT)},
    )
    client.force_login(lead)
    html = client.get(f"/reports/assessments/{assessment.pk}/").content.decode()
    assert f"UK {ESCAPED}" in html
    assert f"mallory{ESCAPED}" in html  # IDG-FID-1 is disputed: 3 against 1
    assert SCRIPT not in html


def test_formula_in_a_comment_is_exported_as_text_in_csv(hostile, tmp_path):
    call_command("export_answers", "-o", str(tmp_path / "answers.csv"))
    rows = list(csv.DictReader((tmp_path / "answers.csv").open(encoding="utf-8")))
    comments = {row["question_code"]: row["comment"] for row in rows}
    assert comments["IDG-FID-2"] == '\'=HYPERLINK("http://evil.example","click")'
    assert comments["IDG-FID-1"] == SCRIPT  # CSV is not HTML: kept exactly as typed


def test_formula_in_a_comment_is_exported_as_a_text_cell_in_xlsx(hostile, tmp_path):
    call_command("export_answers", "--format", "xlsx", "-o", str(tmp_path / "answers.xlsx"))
    sheet = load_workbook(tmp_path / "answers.xlsx").worksheets[0]
    header = [cell.value for cell in sheet[1]]
    comment_column = header.index("comment")
    cells = {row[4].value: row[comment_column] for row in sheet.iter_rows(min_row=2)}
    cell = cells["IDG-FID-2"]
    assert cell.data_type == "s"
    assert cell.value.endswith('=HYPERLINK("http://evil.example","click")')
