"""Forms and pages with hostile input: the exact message beside the field (or on the
page), nothing saved, never a 500; framework texts shown as text."""

from __future__ import annotations

import pytest

from assessments.models import Answer, Engagement
from assessments.services.signoff import assessment_submit

from .conftest import logged_in

SCRIPT_HELP = '<img src=x onerror="alert(1)"> <a href="javascript:alert(2)">more</a>'


def capability_post(client, world, data):
    return client.post(f"/assessments/{world['assessment'].pk}/capabilities/IDG/", data)


BASE = {"IDG-FID-1": "3", "IDG-FID-1-comment": "matched weekly", "IDG-FID-2": "64"}


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        (
            "IDG-FID-1-comment",
            "bell\x07here",
            "The comment contains a control character (U+0007) at character 5; remove it.",
        ),
        ("IDG-FID-1-comment", "c" * 2001, "The comment has 2001 characters (at most 2000)."),
        (
            "IDG-FID-1-comment",
            "nul\x00here",
            "The comment contains a control character (U+0000) at character 4; remove it.",
        ),
        (
            "IDG-FID-2-evidence",
            "javascript:alert(1)",
            "An evidence link is a web address starting with http:// or https://.",
        ),
        (
            "IDG-FID-2-evidence",
            "ftp://files.example/x",
            "An evidence link is a web address starting with http:// or https://.",
        ),
        ("IDG-FID-2", "1_000", "'1_000' has an underscore: write the digits without separators."),
        (
            "IDG-FID-2",
            "3,5",
            "'3,5' has a comma: write decimals with a point and no thousands separator (3.5, 1000).",
        ),
        (
            "IDG-REC-1",
            "1e400",
            "'1e400' is written with an exponent: write the number in plain digits.",
        ),
    ],
)
def test_questionnaire_refuses_hostile_fields_beside_them(unchanged, world, field, value, error):
    data = {**BASE, "IDG-REC-1-special": "dk", field: value}
    response = capability_post(logged_in(world["ann"]), world, data)
    assert response.status_code == 200
    assert sum(response.context["form"].errors.values(), []) == [error]


def test_a_frameworks_help_text_is_shown_as_text_never_as_markup(db, world):
    framework = world["framework"]
    question = framework.questions.get(code="IDG-FID-1")
    question.help = SCRIPT_HELP
    question.save()
    numeric = framework.questions.get(code="IDG-FID-2")
    numeric.help = SCRIPT_HELP
    numeric.save()
    html = (
        logged_in(world["ann"])
        .get(f"/assessments/{world['assessment'].pk}/capabilities/IDG/")
        .content.decode()
    )
    escaped = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &lt;a href=&quot;javascript:alert(2)&quot;&gt;more&lt;/a&gt;"
    assert html.count(escaped) == 2
    assert "<img src=x" not in html and 'href="javascript:' not in html


def test_workbook_download_with_a_control_character_in_the_name_is_a_400(unchanged, world):
    response = logged_in(world["lead"]).get(
        f"/assessments/{world['assessment'].pk}/workbook/?respondent=Ann%01Smith"
    )
    assert response.status_code == 400
    assert response.context["download_form"].errors["respondent"] == [
        "The respondent contains a control character (U+0001) at character 4; remove it."
    ]


@pytest.fixture
def submitted(world):
    from assessments.domain.answers import AnswerInput
    from assessments.services.answers import answers_save

    answers_save(
        assessment=world["assessment"],
        respondent="lead",
        user=world["lead"],
        questions=world["questions"],
        answers={code: AnswerInput(special="dk") for code in world["questions"]},
    )
    return assessment_submit(assessment=world["assessment"], user=world["lead"], confirmed=True)


def test_a_reopen_reason_over_500_characters_says_why(submitted, world):
    from .conftest import state

    before = state()
    client = logged_in(world["lead"])
    response = client.post(
        f"/assessments/{submitted.pk}/reopen/", {"reason": "r" * 612}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Not reopened: The reason has 612 characters (at most 500)."
    ]
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert state() == before


def test_the_reopen_service_refuses_an_over_long_reason_too(submitted, world):
    from django.core.exceptions import ValidationError

    from assessments.services.signoff import assessment_reopen

    with pytest.raises(ValidationError) as refused:
        assessment_reopen(assessment=submitted, user=world["lead"], reason="r" * 501)
    assert refused.value.messages == [
        "The reason has 501 characters (at most 500): it is written to the audit log as typed."
    ]


ENGAGEMENT = {
    "discount_rate_percent": "10",
    "budget_per_cycle": "2000000",
    "funding_cycles": "3",
    "local_budget_bound": "1000000",
    "impact_threshold": "250000",
    "default_target_level": "",
    "value_base_0": "40000000",
    "value_base_1": "3000000",
    "target_IDG": "",
    "target_CPL": "",
}


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        (
            "budget_per_cycle",
            "12345678901234",
            "The budget per funding cycle must be at most 999999999999.99 USD, got 12345678901234.",
        ),
        (
            "local_budget_bound",
            "99999999999999.99",
            "The local budget bound must be at most 999999999999.99 USD, got 99999999999999.99.",
        ),
        (
            "impact_threshold",
            "0.001",
            "The impact threshold has more than 2 decimal places, got 0.001.",
        ),
        (
            "budget_per_cycle",
            "1_000",
            "The budget per funding cycle: '1_000' has an underscore: write the digits without separators.",
        ),
        (
            "budget_per_cycle",
            "1e6",
            "The budget per funding cycle: '1e6' is written with an exponent: write the number in plain digits.",
        ),
        (
            "value_base_0",
            "12345678901234567",
            "The value base of attributable revenue must be at most 99999999999999.99 USD, got 12345678901234567.",
        ),
    ],
)
def test_engagement_amounts_the_columns_cannot_hold_are_refused(
    unchanged, world, field, value, error
):
    response = logged_in(world["consultant"]).post(
        "/reports/organisations/acme/engagement/", {**ENGAGEMENT, field: value}
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    assert not Engagement.objects.exists()


def test_engagement_pages_read_back_what_was_stored(world):
    client = logged_in(world["consultant"])
    response = client.post(
        "/reports/organisations/acme/engagement/",
        {**ENGAGEMENT, "budget_per_cycle": "999999999999.99"},
    )
    assert response.status_code == 302
    for url in [
        "/reports/organisations/acme/engagement/",
        "/reports/organisations/acme/roadmap/",
        f"/reports/assessments/{world['assessment'].pk}/",
    ]:
        assert client.get(url).status_code == 200, url


def test_a_comment_with_control_characters_stored_before_is_exported_not_a_crash(world, tmp_path):
    """Text stored before the doors refused control characters: the export replaces them."""
    from django.core.management import call_command
    from openpyxl import load_workbook

    Answer.objects.filter(question__code="IDG-FID-1").update(comment="bell\x07here")
    out = tmp_path / "answers.xlsx"
    call_command("export_answers", "--format", "xlsx", "-o", str(out))
    sheet = load_workbook(out).active
    comments = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "bell\ufffdhere" in comments
