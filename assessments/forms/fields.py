"""Form fields that enforce the one set of limits (assessments/domain/limits.py): texts
against their column's length and characters, numbers by the one strict rule."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from assessments.domain import limits
from assessments.validators import TextLimitValidator, validate_evidence_url


class LimitedTextField(forms.CharField):
    """A CharField for a stored text: at most its column's length (the browser stops typing
    there too: maxlength) and no control characters, each said once by the limit's own
    message ("The comment has 2001 characters (at most 2000).")."""

    def __init__(self, *, limit: limits.TextLimit, **kwargs):
        self.limit = limit
        if limit.multiline:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(max_length=limit.max_length, **kwargs)
        # Instead of Django's MaxLength and null-character validators, which would say the
        # same thing a second time in other words.
        self.validators = [TextLimitValidator(limit)]


class EvidenceLinkField(forms.URLField):
    """An evidence link: a web address (http or https only), at most its column's length;
    one message for every kind of wrong link."""

    def __init__(self, **kwargs):
        super().__init__(
            max_length=limits.EVIDENCE_URL.max_length,
            assume_scheme="https",
            error_messages={"invalid": validate_evidence_url.message},
            **kwargs,
        )
        self.validators = [validate_evidence_url, TextLimitValidator(limits.EVIDENCE_URL)]


def limited_text(limit: limits.TextLimit, **kwargs) -> LimitedTextField:
    return LimitedTextField(limit=limit, **kwargs)


class PlainNumberField(forms.FloatField):
    """A FloatField that reads only plain decimals: float() would also take `1_000`,
    `1e400` and `nan`."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        return float(_plain_decimal(value))


def _plain_decimal(value, what: str = "") -> Decimal:
    try:
        return limits.parse_decimal(str(value))
    except limits.NumberError as error:
        text = f"{what}: {error}." if what else f"{str(error)[:1].upper()}{str(error)[1:]}."
        raise ValidationError(text, code="invalid") from None


class PlainIntegerField(forms.IntegerField):
    """An IntegerField that reads only plain digits: int() would also take `1_0`."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = _plain_decimal(value)
        if number != number.to_integral_value():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)


class PlainDecimalField(forms.DecimalField):
    """A DecimalField that reads only plain decimals: Decimal() would also take `1_000`,
    `1e3` and `NaN`."""

    def __init__(self, *, what: str = "", **kwargs):
        self.what = what
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        return _plain_decimal(value, self.what)


class PlainAmountField(PlainDecimalField):
    """A USD amount stored in `limit`'s decimal column: plain decimals only, at most what
    the column holds, to the cent ("The budget per funding cycle must be at most
    999999999999.99 USD, got 12345678901234.")."""

    def __init__(self, *, limit: limits.AmountLimit, what: str, **kwargs):
        self.limit = limit
        super().__init__(what=what, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        # Below 0 is the minimum validator's to say (with the form's own words).
        problem = limits.amount_problem(value, self.limit, " USD") if value >= 0 else None
        if problem:
            raise ValidationError(f"{self.what} {problem}.", code="amount_limit")
