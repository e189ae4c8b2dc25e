"""Answer files as an attacker or an unlucky user sends them: CSV and XLSX to
`import_answers` and to the upload page. Every file-level problem is an error, every
bad cell is named by line and column, and nothing is loaded."""

from __future__ import annotations

import functools
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from assessments.models import AuditEntry

from .conftest import logged_in

HEADER = "organisation,unit,cycle,respondent,question_code,answer,comment\n"
ROW = "acme,uk,2026-Q4,bob,IDG-FID-1,4,fine\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def refused(tmp_path, content: bytes | str, name="answers.csv") -> list[str]:
    """The problems `import_answers` names for the file (it must refuse it)."""
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    with pytest.raises(CommandError) as error:
        call_command("import_answers", str(path), stdout=io.StringIO())
    head, *problems = str(error.value).split("\n")
    assert head.startswith(f"{path}: ") and head.endswith("nothing imported:"), head
    return problems


CSV_CASES = [
    (
        HEADER.replace("comment", "comment,comment") + "acme,uk,2026-Q4,bob,IDG-FID-1,4,a,b\n",
        ["Line 1: column(s) comment appear more than once; keep one of each"],
    ),
    (
        HEADER + 'acme,uk,2026-Q4,bob,IDG-FID-2,"3,5",\n',
        [
            "Line 2: answer for question IDG-FID-2: '3,5' has a comma: write decimals with a point and no thousands separator (3.5, 1000)"
        ],
    ),
    (
        HEADER + "acme,uk,2026-Q4,bob,IDG-REC-1,1_000,\n",
        [
            "Line 2: answer for question IDG-REC-1: '1_000' has an underscore: write the digits without separators"
        ],
    ),
    (
        HEADER + "acme,uk,2026-Q4,bob,IDG-REC-1,1e400,\n",
        [
            "Line 2: answer for question IDG-REC-1: '1e400' is written with an exponent: write the number in plain digits"
        ],
    ),
    (
        HEADER + ROW + 'acme,uk,2026-Q4,bob,CPL-FID-1,2,"never closed\n' + ROW,
        [
            'Line 3: a quoted cell is never closed (a " without its closing "); nothing after it could be read'
        ],
    ),
    (
        HEADER + 'acme,uk,2026-Q4,bob,CPL-FID-1,2,"said "yes" twice"\n',
        [
            'Line 2: a quote inside a cell must be doubled ("") and the whole cell quoted, e.g. "said ""yes"""'
        ],
    ),
    (
        HEADER + ROW + "acme,uk,2026-Q4,bob,CPL-FID-1,2,null\x00byte\n",
        ["Line 3: comment contains a control character (U+0000) at character 5; remove it"],
    ),
    (
        HEADER + "acme,uk,2026-Q4,bob,CPL-FID-1,2,bell\x07here\n",
        ["Line 2: comment contains a control character (U+0007) at character 5; remove it"],
    ),
    (
        HEADER + f"acme,uk,2026-Q4,{'b' * 300},CPL-FID-1,2,\n",
        ["Line 2: respondent has 300 characters (at most 150)"],
    ),
    (
        HEADER + "acme,uk,2026-Q4,bob\x1bx,CPL-FID-1,2,\n",
        ["Line 2: respondent contains a control character (U+001B) at character 4; remove it"],
    ),
    (
        HEADER + f"acme,uk,2026-Q4,bob,CPL-FID-1,2,{'c' * 2001}\n",
        ["Line 2: comment has 2001 characters (at most 2000)"],
    ),
    (
        HEADER + f"acme,uk,2026-Q4,bob,CPL-FID-1,2,{'c' * 1024 * 1024}\n",
        ["Line 2: a cell is longer than 131,072 characters (a comment holds at most 2,000)"],
    ),
]


@pytest.mark.parametrize(("content", "problems"), CSV_CASES)
def test_hostile_csv_is_refused_with_where_and_what(unchanged, tmp_path, content, problems):
    assert refused(tmp_path, content) == problems


def xlsx(*sheets: list[list]) -> bytes:
    book = Workbook()
    for index, rows in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet(f"Sheet{index + 1}")
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


TIDY = [HEADER.strip().split(","), ROW.strip().split(",")]


def test_rows_on_a_second_sheet_are_an_error_not_left_out(unchanged, tmp_path):
    data = xlsx(TIDY, [["acme", "uk", "2026-Q4", "cat", "IDG-FID-1", 2, ""]])
    assert refused(tmp_path, data, "answers.xlsx") == [
        "Sheet 'Sheet2' holds data, but answers are read from the first sheet ('Sheet') only: "
        "move its rows there, or delete the sheet"
    ]


def test_a_value_beyond_the_header_is_an_error(unchanged, tmp_path):
    data = xlsx([*TIDY, ["acme", "uk", "2026-Q4", "cat", "IDG-FID-1", 2, "", "stray"]])
    assert refused(tmp_path, data, "answers.xlsx") == [
        "Line 3: a value beyond the 7 columns of the header"
    ]


def test_a_formula_in_a_comment_cell_keeps_the_comment_as_typed(world, tmp_path):
    data = xlsx([TIDY[0], ["acme", "uk", "2026-Q4", "bob", "IDG-FID-1", 4, "=SUM(A1:A3)"]])
    path = tmp_path / "answers.xlsx"
    path.write_bytes(data)
    call_command("import_answers", str(path), stdout=io.StringIO())
    from assessments.models import Answer

    answer = Answer.objects.get(response__respondent="bob", question__code="IDG-FID-1")
    assert (answer.choice, answer.comment) == (4, "=SUM(A1:A3)")


@functools.cache
def zip_bomb() -> bytes:
    """A workbook whose shared strings unpack from a few hundred kilobytes to 400 MB."""
    good = xlsx(TIDY)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for item in source.infolist():
            bomb.writestr(item, source.read(item.filename))
        with bomb.open("xl/padding.xml", "w") as padding:
            chunk = b" " * (1024 * 1024)
            for _ in range(400):
                padding.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(unchanged, tmp_path):
    data = zip_bomb()
    assert len(data) < 1024 * 1024
    assert refused(tmp_path, data, "answers.xlsx") == [
        "the workbook unpacks to 400.0 MB; at most 50.0 MB is read (a workbook of answers is "
        "far smaller: is this the right file?)"
    ]


def test_an_uploaded_zip_bomb_is_refused_on_the_page(unchanged, world):
    response = logged_in(world["lead"]).post(
        f"/assessments/{world['assessment'].pk}/upload/",
        {"file": SimpleUploadedFile("filled.xlsx", zip_bomb(), content_type=XLSX)},
    )
    assert response.status_code == 400
    assert response.context["problems"] == [
        "the workbook unpacks to 400.0 MB; at most 50.0 MB is read (a workbook of answers is "
        "far smaller: is this the right file?)"
    ]


def test_a_200_kb_comment_in_an_uploaded_csv_is_a_message_not_a_500(unchanged, world):
    content = HEADER + f"acme,uk,2026-Q4,bob,CPL-FID-1,2,{'c' * 200 * 1024}\n"
    response = logged_in(world["lead"]).post(
        f"/assessments/{world['assessment'].pk}/upload/",
        {"file": SimpleUploadedFile("answers.csv", content.encode(), content_type="text/csv")},
    )
    assert response.status_code == 400
    assert response.context["problems"] == [
        "Line 2: a cell is longer than 131,072 characters (a comment holds at most 2,000)"
    ]


def test_too_many_rows_are_refused(unchanged, tmp_path, monkeypatch):
    from assessments.domain import limits

    monkeypatch.setattr(limits, "MAX_IMPORT_ROWS", 3)
    from assessments import imports

    monkeypatch.setattr(
        imports,
        "TOO_MANY_ROWS",
        "the file has more than 3 answer rows; split it into smaller files",
    )
    assert refused(tmp_path, HEADER + ROW * 4) == [
        "the file has more than 3 answer rows; split it into smaller files"
    ]


# --- an upload naming a colleague who answered on the web ----------------------------------


def web_answer_file(world) -> bytes:
    return (
        HEADER + "acme,uk,2026-Q4,ann,IDG-FID-1,2,from paper\nacme,uk,2026-Q4,ann,CPL-FID-1,4,\n"
    ).encode()


def upload(client, world, data: bytes, **extra):
    return client.post(
        f"/assessments/{world['assessment'].pk}/upload/",
        {"file": SimpleUploadedFile("ann.csv", data, content_type="text/csv"), **extra},
    )


REPLACED = [
    "ann answered on the web: this file would replace 2 of their answer(s) "
    "(CPL-FID-1: — → 4; IDG-FID-1: 3 → 2)"
]


def test_an_upload_over_a_colleagues_web_answers_says_so_and_loads_nothing(unchanged, world):
    client = logged_in(world["lead"])
    response = upload(client, world, web_answer_file(world))
    assert response.status_code == 409
    assert response.context["replaced"] == REPLACED
    html = response.content.decode()
    assert "Nothing was imported yet: ann.csv would replace answers that 1 person gave" in html
    assert 'name="replace_web_answers"' in html
    # Ticking the box with another file (or none confirmed) is no confirmation.
    again = upload(client, world, web_answer_file(world), replace_web_answers="on")
    assert again.status_code == 409


def test_a_confirmed_upload_replaces_them_and_the_audit_log_says_so(world):
    from assessments import audit
    from assessments.models import Answer

    client = logged_in(world["lead"])
    data = web_answer_file(world)
    sha = upload(client, world, data).context["upload_form"].initial["confirmed_sha256"]
    response = upload(client, world, data, replace_web_answers="on", confirmed_sha256=sha)
    assert response.status_code == 302
    answer = Answer.objects.get(response__respondent="ann", question__code="IDG-FID-1")
    assert (answer.choice, answer.comment) == (2, "from paper")
    imported = AuditEntry.objects.filter(action="answers.import").get()
    assert imported.actor == "lead"
    assert imported.details["replaced_web_answers"] == {"ann": 2}
    change = AuditEntry.objects.filter(action="answers.change").latest("sequence")
    assert change.details["source"] == (
        "import ann.csv (replacing answers ann gave on the web; confirmed)"
    )
    assert audit.verify_log().problems() == []


def test_the_command_needs_replace_web_answers_for_them(world, tmp_path):
    path = tmp_path / "ann.csv"
    path.write_bytes(web_answer_file(world))
    with pytest.raises(CommandError) as error:
        call_command("import_answers", str(path), stdout=io.StringIO())
    assert str(error.value) == (
        f"{path}: nothing imported: it would replace answers people gave on the web, "
        "or answers changed after the file was made:\n"
        + REPLACED[0]
        + "\nRun again with --replace-web-answers to replace them (the audit log says so)."
    )
    call_command("import_answers", str(path), "--replace-web-answers", stdout=io.StringIO())
    assert AuditEntry.objects.get(action="answers.import").details["replaced_web_answers"] == {
        "ann": 2
    }


def test_a_file_repeating_a_colleagues_web_answers_needs_no_confirmation(world):
    same = (HEADER + "acme,uk,2026-Q4,ann,IDG-FID-1,3,matched weekly\n").encode()
    assert upload(logged_in(world["lead"]), world, same).status_code == 302


def test_the_lead_replacing_their_own_web_answers_needs_no_confirmation(world):
    from assessments.domain.answers import AnswerInput
    from assessments.services.answers import answers_save

    answers_save(
        assessment=world["assessment"],
        respondent="lead",
        user=world["lead"],
        questions=world["questions"],
        answers={"IDG-FID-1": AnswerInput(choice=1)},
    )
    mine = (HEADER + "acme,uk,2026-Q4,lead,IDG-FID-1,2,\n").encode()
    assert upload(logged_in(world["lead"]), world, mine).status_code == 302
