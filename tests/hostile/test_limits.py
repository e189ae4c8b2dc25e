"""The one set of limits agrees with the database columns, and its rules say what is wrong."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models

from assessments.domain import limits


def column(name: str):
    model, field = name.split(".")
    return apps.get_model("assessments", model)._meta.get_field(field)


@pytest.mark.parametrize("limit", limits.TEXTS, ids=lambda limit: limit.label)
def test_every_text_limit_is_its_columns_length(limit):
    for name in limit.columns:
        field = column(name)
        if isinstance(field, models.TextField):
            assert field.max_length is None, name  # unbounded column: the limit is ours
        else:
            assert field.max_length == limit.max_length, name


@pytest.mark.parametrize("limit", limits.AMOUNTS, ids=lambda limit: limit.label)
def test_every_amount_limit_is_its_columns_digits(limit):
    for name in limit.columns:
        field = column(name)
        assert (field.max_digits, field.decimal_places) == (limit.max_digits, limit.decimal_places)
    assert limit.maximum == Decimal(10) ** (limit.max_digits - limit.decimal_places) - Decimal(
        "0.01"
    )


@pytest.mark.parametrize("limit", limits.NUMBERS, ids=lambda limit: limit.label)
def test_every_number_limit_fits_its_column(limit):
    for name in limit.columns:
        field = column(name)
        if isinstance(field, models.PositiveSmallIntegerField):
            assert limit.whole and 0 <= limit.minimum and limit.maximum <= 32767, name
        else:
            assert isinstance(field, models.FloatField), name


def test_every_model_text_column_has_a_limit():
    """A new CharField (issue 15 adds some) must get its limit, or this test names it."""
    internal = {
        "Assessment.status",
        "Assessment.answers_sha256",
        "Framework.source_sha256",
        "Question.type",
        "Framework.aggregation",
        "Capability.aggregation",
        "Answer.special",
        "Answer.updated_via",
        "CarriedAnswer.special",
        "Membership.role",
        "Invitation.role",
        "Reminder.kind",
        "SendBack.state",
        "AuditEntry.actor",
        "AuditEntry.action",
        "AuditEntry.organisation",
        "AuditEntry.unit",
        "AuditEntry.previous_hash",
        "AuditEntry.entry_hash",
        "AuditHead.entry_hash",
        "AuditHead.chain",
        "LoginFailure.username",
        "LoginFailure.ip_address",
    }
    limited = {name for limit in limits.TEXTS for name in limit.columns}
    texts = {
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("assessments").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
    }
    assert texts - internal - limited == set()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "3,5",
            "'3,5' has a comma: write decimals with a point and no thousands separator (3.5, 1000)",
        ),
        ("1_000", "'1_000' has an underscore: write the digits without separators"),
        ("1e400", "'1e400' is written with an exponent: write the number in plain digits"),
        ("nan", "'nan' is not a finite number"),
        ("-Infinity", "'-Infinity' is not a finite number"),
        ("1 000", "'1 000' has a space: write the digits without separators"),
        ("0x10", "'0x10' is not a number"),
    ],
)
def test_numbers_that_would_need_a_guess_are_refused_by_name(text, message):
    with pytest.raises(limits.NumberError) as refused:
        limits.parse_decimal(text)
    assert str(refused.value) == message


def test_plain_decimals_are_read_exactly():
    assert [limits.parse_decimal(t) for t in ["12", "3.5", "-0.25", ".5", "+7"]] == [
        Decimal("12"),
        Decimal("3.5"),
        Decimal("-0.25"),
        Decimal("0.5"),
        Decimal("7"),
    ]
    assert limits.parse_decimal("10,000,000", grouping=True) == Decimal("10000000")


def test_text_problems_name_the_rule_and_what_was_given():
    assert limits.text_problem("a" * 151, limits.RESPONDENT) == "has 151 characters (at most 150)"
    assert (
        limits.text_problem("Ann\x01Smith", limits.RESPONDENT)
        == "contains a control character (U+0001) at character 4; remove it"
    )
    assert limits.text_problem("line one\nline two\ttab", limits.COMMENT) is None
    assert limits.text_problem("line one\nline two", limits.RESPONDENT) == (
        "contains a control character (U+000A) at character 9; remove it"
    )


def test_the_documentation_lists_every_limit():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "input-limits.md").read_text()
    missing = [
        limit.label
        for limit in (*limits.TEXTS, *limits.AMOUNTS, *limits.NUMBERS)
        if limit.label not in text
    ]
    assert missing == []
