"""One set of limits for everything Ladder stores. Pure Python: no Django.

Every text and number that a person or a file can put into the database is listed here
with its limit, and every door checks it before anything is written: the questionnaire
and the other forms, the tidy CSV/XLSX importer, the offline-workbook reader, the
framework loader and the admin. Text lengths and decimal digits are those of the database
columns the values go into (`columns`; tests/hostile/test_limits.py checks them against the
models), so a value that passes here is stored alike on SQLite and PostgreSQL. Texts kept
in unbounded columns or inside JSON (comments, question texts, option texts, reasons) get
a limit of their own here. docs/input-limits.md lists them all for users.

The rules for every text (`text_problem`):

- at most `max_length` characters (Unicode code points, as both databases count them);
- no NUL or other control character (U+0000–U+001F, U+007F–U+009F): they cannot be
  written to a spreadsheet and mean nothing on a page. Multi-line texts (comments, help
  texts, reasons) may hold tabs and line breaks.

Numbers typed as text follow one rule (`parse_decimal`): plain decimals with a point,
optionally signed (`12`, `3.5`, `-0.25`). Anything a parser would have to guess at is
refused by name: a comma (`3,5` is 3.5 in half of Europe and 35 in the rest), an
underscore (`1_000`), an exponent (`1e400`), `nan` and `inf`, spaces inside. Only amounts
typed on the command line may group thousands with commas (`10,000,000`), in groups of
three.

Adding a field (issue 15 adds level values and hierarchies): give it a limit here, name
its column, and call `text_problem` / `number_problem` at the door that reads it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class TextLimit:
    """A stored text: `label` names it in messages; `columns` are the "Model.field"s it is
    stored in (empty when it lives inside a JSON column such as Question.options)."""

    label: str
    max_length: int
    multiline: bool = False
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class AmountLimit:
    """A money amount (USD) stored in a decimal column of `max_digits` digits, of which
    `decimal_places` after the point: at most 10^(digits − places) − 1 cent."""

    label: str
    max_digits: int
    decimal_places: int
    columns: tuple[str, ...]
    minimum: Decimal = Decimal(0)

    @property
    def maximum(self) -> Decimal:
        whole = Decimal(10) ** (self.max_digits - self.decimal_places)
        return whole - Decimal(10) ** -self.decimal_places


@dataclass(frozen=True)
class NumberLimit:
    """A float or whole-number column: finite, from `minimum` (excluded when
    `above_minimum`) to `maximum`."""

    label: str
    minimum: float
    maximum: float
    columns: tuple[str, ...] = ()
    whole: bool = False
    above_minimum: bool = False


# --- texts --------------------------------------------------------------------------------

ORGANISATION_NAME = TextLimit("organisation name", 200, columns=("Organisation.name",))
ORGANISATION_SLUG = TextLimit("organisation", 64, columns=("Organisation.slug",))
UNIT_NAME = TextLimit("unit name", 200, columns=("BusinessUnit.name",))
UNIT_SLUG = TextLimit("unit", 64, columns=("BusinessUnit.slug",))
UNIT_REGION = TextLimit("region", 100, columns=("BusinessUnit.region",))
UNIT_TAGS = TextLimit("tags", 300, columns=("BusinessUnit.tags",))
CYCLE_NAME = TextLimit("cycle", 32, columns=("Cycle.name",))
RESPONDENT = TextLimit(
    "respondent", 150, columns=("Response.respondent", "CarriedAnswer.respondent")
)
# An invited person's address is also their username (150 characters in Django).
INVITATION_EMAIL = TextLimit("email address", 150, columns=("Invitation.email",))
COMMENT = TextLimit(
    "comment", 2000, multiline=True, columns=("Answer.comment", "CarriedAnswer.comment")
)
EVIDENCE_URL = TextLimit(
    "evidence link", 500, columns=("Answer.evidence_url", "CarriedAnswer.evidence_url")
)
# Kept in the audit entry's details (JSON), as typed.
REOPEN_REASON = TextLimit("reason", 500, multiline=True)
# A lead's note when sending a capability back: shown to the respondent, kept as typed.
SEND_BACK_NOTE = TextLimit("note", 1000, multiline=True, columns=("SendBack.note",))

FRAMEWORK_CODE = TextLimit("framework code", 64, columns=("Framework.code",))
FRAMEWORK_VERSION = TextLimit("framework version", 32, columns=("Framework.version",))
FRAMEWORK_NAME = TextLimit("framework name", 200, columns=("Framework.name",))
FRAMEWORK_INTRODUCTION = TextLimit(
    "framework introduction", 4000, multiline=True, columns=("Framework.introduction",)
)
LEVEL_NAME = TextLimit("level name", 64, columns=("Level.name",))
DIMENSION_CODE = TextLimit(
    "dimension code", 64, columns=("Dimension.code", "StoredScore.dimension")
)
DIMENSION_NAME = TextLimit("dimension name", 200, columns=("Dimension.name",))
CAPABILITY_CODE = TextLimit(
    "capability code",
    32,
    columns=("Capability.code", "StoredScore.capability", "TargetLevel.capability_code"),
)
CAPABILITY_NAME = TextLimit("capability name", 200, columns=("Capability.name",))
# Each name of a capability's groups (business function → practice…), in Capability.groups.
GROUP_NAME = TextLimit("group name", 200)
IMPACT = TextLimit("impact", 300, columns=("Capability.impact",))
BENEFIT_METRIC = TextLimit(
    "benefit metric", 100, columns=("Capability.benefit_metric", "ValueBase.benefit_metric")
)
QUESTION_CODE = TextLimit("question code", 64, columns=("Question.code",))
QUESTION_TEXT = TextLimit("question text", 2000, multiline=True, columns=("Question.text",))
QUESTION_HELP = TextLimit("help text", 4000, multiline=True, columns=("Question.help",))
# Each option's text, inside Question.options (JSON).
OPTION_TEXT = TextLimit("option text", 1000, multiline=True)
PROFILE_CODE = TextLimit("profile code", 64, columns=("Profile.code",))
PROFILE_NAME = TextLimit("profile name", 200, columns=("Profile.name",))
MEASUREMENT_UNIT = TextLimit("unit of measurement", 32, columns=("Question.unit",))
# What a published model says of itself, of a level, a dimension or a capability.
DESCRIPTION = TextLimit(
    "description",
    4000,
    multiline=True,
    columns=(
        "Framework.description",
        "Level.description",
        "Dimension.description",
        "Capability.description",
        "Profile.description",
    ),
)

TEXTS: tuple[TextLimit, ...] = (
    ORGANISATION_NAME,
    ORGANISATION_SLUG,
    UNIT_NAME,
    UNIT_SLUG,
    UNIT_REGION,
    UNIT_TAGS,
    CYCLE_NAME,
    RESPONDENT,
    INVITATION_EMAIL,
    COMMENT,
    EVIDENCE_URL,
    REOPEN_REASON,
    SEND_BACK_NOTE,
    FRAMEWORK_CODE,
    FRAMEWORK_VERSION,
    FRAMEWORK_NAME,
    FRAMEWORK_INTRODUCTION,
    LEVEL_NAME,
    DIMENSION_CODE,
    DIMENSION_NAME,
    CAPABILITY_CODE,
    CAPABILITY_NAME,
    IMPACT,
    BENEFIT_METRIC,
    QUESTION_CODE,
    QUESTION_TEXT,
    QUESTION_HELP,
    PROFILE_CODE,
    PROFILE_NAME,
    OPTION_TEXT,
    MEASUREMENT_UNIT,
    DESCRIPTION,
)

# Codes name things in addresses (/capabilities/<code>/), sheet rows and tidy files:
# letters, digits and . _ - (IDG-FID-1, GV.OC-01), starting with a letter or digit.
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
CODE_RULE = "letters, digits, '.', '_' and '-', starting with a letter or digit"

# --- amounts and numbers ---------------------------------------------------------------------

COST_BAND = AmountLimit(
    "cost", max_digits=14, decimal_places=2, columns=("Capability.cost_low", "Capability.cost_high")
)
BUDGET_PER_CYCLE = AmountLimit(
    "budget per funding cycle", 14, 2, columns=("Engagement.budget_per_cycle",)
)
LOCAL_BUDGET_BOUND = AmountLimit(
    "local budget bound", 14, 2, columns=("Engagement.local_budget_bound",)
)
IMPACT_THRESHOLD = AmountLimit("impact threshold", 14, 2, columns=("Engagement.impact_threshold",))
VALUE_BASE = AmountLimit("value base", 16, 2, columns=("ValueBase.annual_value",))

AMOUNTS: tuple[AmountLimit, ...] = (
    COST_BAND,
    BUDGET_PER_CYCLE,
    LOCAL_BUDGET_BOUND,
    IMPACT_THRESHOLD,
    VALUE_BASE,
)

# Levels are numbered as published: from 0 (SAMM, DSOMM), 1 (Ladder's own) or any number.
LEVEL_NUMBER = NumberLimit(
    "level number",
    0,
    100,
    columns=(
        "Level.number",
        "Answer.choice",
        "Answer.level",
        "TargetLevel.level",
        "Question.level",
    ),
    whole=True,
)
BENEFIT_FACTOR = NumberLimit("benefit factor", 0, 100, columns=("Level.benefit_factor",))
COST_MULTIPLIER = NumberLimit("cost multiplier", 0, 100, columns=("Level.cost_multiplier",))
# 0 is allowed: a question asked for information, never scored (docs/frameworks.md).
QUESTION_WEIGHT = NumberLimit("weight", 0, 1000, columns=("Question.weight",))
BENEFIT_PERCENT = NumberLimit("benefit percent", 0, 1000, columns=("Capability.benefit_percent",))
TIME_TO_VALUE_MONTHS = NumberLimit(
    "time to value", 0, 600, columns=("Capability.time_to_value_months",), whole=True
)
# Measured answers and the thresholds that map them to levels: 0 up to a trillion (hours,
# percent, records); a float column keeps 15 significant digits exactly.
MEASUREMENT = NumberLimit("measured value", 0, 1e12, columns=("Answer.value",))
THRESHOLD = NumberLimit("threshold", 0, 1e12)
FUNDING_CYCLES = NumberLimit(
    "funding cycles", 1, 10, columns=("Engagement.funding_cycles",), whole=True
)
DISCOUNT_RATE_PERCENT = NumberLimit("discount rate", 0, 100)

NUMBERS: tuple[NumberLimit, ...] = (
    LEVEL_NUMBER,
    BENEFIT_FACTOR,
    COST_MULTIPLIER,
    QUESTION_WEIGHT,
    BENEFIT_PERCENT,
    TIME_TO_VALUE_MONTHS,
    MEASUREMENT,
    THRESHOLD,
    FUNDING_CYCLES,
    DISCOUNT_RATE_PERCENT,
)

# --- files -------------------------------------------------------------------------------------

MEBIBYTE = 1024 * 1024
# An uploaded answers file (settings.LADDER_MAX_UPLOAD_BYTES may lower or raise it).
MAX_UPLOAD_BYTES = 5 * MEBIBYTE
# An XLSX workbook is a zip archive: what it unpacks to is bounded before it is parsed.
MAX_XLSX_UNPACKED_BYTES = 50 * MEBIBYTE
# A file given to `manage.py import_answers` (100,000 rows of CSV fit easily).
MAX_IMPORT_FILE_BYTES = 50 * MEBIBYTE
# Answer rows in one file (CSV lines, tidy XLSX rows, questionnaire rows of every sheet).
MAX_IMPORT_ROWS = 100_000
# One autosave request (JSON): a capability's changed answers with their comments.
MAX_AUTOSAVE_BYTES = 256 * 1024
# Units read from one CSV by the set-up page (assessments/domain/unit_rows.py).
MAX_UNIT_ROWS = 1_000
# Framework files: their size, how deep their mappings and lists nest, and how many values
# they hold once every YAML alias (*name) is expanded (a few aliases can stand for billions).
MAX_FRAMEWORK_FILE_BYTES = 10 * MEBIBYTE
MAX_YAML_DEPTH = 50
MAX_YAML_VALUES = 500_000


# How many capabilities, dimensions and questions one framework holds: their positions are
# small-integer columns (at most 32767 on PostgreSQL), and one capability's questionnaire is
# one form whose fields the server must accept (config/settings.py computes
# DATA_UPLOAD_MAX_NUMBER_FIELDS from these: FIELDS_PER_QUESTION per question and a few more).
MAX_CAPABILITIES = 1000
MAX_GROUP_DEPTH = 5
MAX_DIMENSIONS = 200
MAX_PROFILES = 50
MAX_QUESTIONS = 20_000
MAX_QUESTIONS_PER_CAPABILITY = 2000
POSITION_COLUMNS = ("Capability.position", "Dimension.position", "Question.position")
# A numeric question posts its value, "not applicable / don't know", a comment and a link.
FIELDS_PER_QUESTION = 4
# The CSRF token, the save button and anything a page adds beside the questions.
FORM_FIELDS_BESIDE_QUESTIONS = 20


def form_field_limit() -> int:
    """The most fields one questionnaire page posts (DATA_UPLOAD_MAX_NUMBER_FIELDS)."""
    return MAX_QUESTIONS_PER_CAPABILITY * FIELDS_PER_QUESTION + FORM_FIELDS_BESIDE_QUESTIONS


def size_text(size: int) -> str:
    return f"{size / MEBIBYTE:.1f} MB"


# --- checking texts ------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def shown(value: str, width: int = 40) -> str:
    """A text quoted for a message, cut short when long and with control characters made
    visible, so that a message never carries what it is complaining about."""
    visible = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    if len(visible) > width:
        visible = visible[: width - 1] + "…"
    return f"'{visible}'"


def control_character(value: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """The first control character of `value` not allowed in it: (1-based position, U+XXXX)."""
    found = (_CONTROL_MULTILINE if multiline else _CONTROL).search(value)
    if found is None:
        return None
    return found.start() + 1, f"U+{ord(found.group()):04X}"


def text_problem(value: str, limit: TextLimit) -> str | None:
    """What is wrong with `value` as a `limit` text — "has 300 characters (at most 150)",
    "contains a control character (U+0001) at character 4; remove it" — or None."""
    if len(value) > limit.max_length:
        return f"has {len(value)} characters (at most {limit.max_length})"
    control = control_character(value, multiline=limit.multiline)
    if control is not None:
        position, code = control
        return f"contains a control character ({code}) at character {position}; remove it"
    return None


def code_problem(value: str, limit: TextLimit) -> str | None:
    """`text_problem`, and the characters a code may use (CODE_RULE)."""
    problem = text_problem(value, limit)
    if problem is None and value and not CODE_PATTERN.fullmatch(value):
        problem = f"{shown(value)} is not a code: use {CODE_RULE}"
    return problem


def is_web_link(url: str) -> bool:
    """Whether `url` may be shown as a link: http(s) only, never javascript:, data: or file:
    (evidence links stored before the forms refused them are shown as text)."""
    return url.lower().startswith(("http://", "https://"))


# --- checking numbers ------------------------------------------------------------------------


class NumberError(ValueError):
    """A text that is not a plain decimal number; the message says why, naming the text."""


_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_EXPONENT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+")
_NOT_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


def parse_decimal(text: str, *, grouping: bool = False) -> Decimal:
    """`text` as a plain decimal number (see the module's rule); raises NumberError.

    `grouping` accepts thousands grouped with commas (command-line amounts only)."""
    raw = text.strip()
    if grouping and _GROUPED.fullmatch(raw):
        raw = raw.replace(",", "")
    if _PLAIN.fullmatch(raw):
        return Decimal(raw)
    quoted = shown(text.strip())
    lowered = raw.lower().replace(" ", "")
    if lowered in _NOT_FINITE or lowered.lstrip("+-").startswith(".nan"):
        raise NumberError(f"{quoted} is not a finite number")
    if _EXPONENT.fullmatch(raw):
        raise NumberError(f"{quoted} is written with an exponent: write the number in plain digits")
    others = set(re.sub(r"[0-9.+-]", "", raw))
    if others == {","}:
        raise NumberError(_comma_rule(quoted, grouping))
    if others == {"_"}:
        raise NumberError(f"{quoted} has an underscore: write the digits without separators")
    if others and others <= {" ", "\u00a0", "\u202f"}:
        raise NumberError(f"{quoted} has a space: write the digits without separators")
    raise NumberError(f"{quoted} is not a number")


def _comma_rule(quoted: str, grouping: bool) -> str:
    if grouping:
        return (
            f"{quoted} has a comma that does not group thousands: write decimals with a point "
            "(3.5) and group digits in threes (10,000,000) or not at all"
        )
    return (
        f"{quoted} has a comma: write decimals with a point and no thousands separator (3.5, 1000)"
    )


def number_shown(value: float | int | Decimal) -> str:
    """A number as a message shows it: 55 for 55.0, plain digits for Decimals."""
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else str(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value)) if abs(value) < 1e16 else repr(value)
    return repr(value) if isinstance(value, float) else str(value)


def number_problem(
    value: float | int | Decimal, limit: NumberLimit, shown_as: str | None = None
) -> str | None:
    """What is wrong with `value` for `limit` — "must be at most 600, got 1000" — or None."""
    given = shown_as or number_shown(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return f"must be a finite number, got {given}"
        number = float(value)
    else:
        number = float(value)
    if not math.isfinite(number):
        return f"must be a finite number, got {given}"
    if limit.whole and not float(number).is_integer():
        return f"must be a whole number, got {given}"
    low, high = number_shown(limit.minimum), number_shown(limit.maximum)
    if limit.above_minimum and number <= limit.minimum:
        return f"must be greater than {low} (and at most {high}), got {given}"
    if number < limit.minimum or number > limit.maximum:
        return f"must be from {low} to {high}, got {given}"
    return None


def amount_problem(value: Decimal | float | int, limit: AmountLimit, unit: str = "") -> str | None:
    """What is wrong with a USD amount for `limit`'s column: "must be at most
    999999999999.99, got 12345678901234", "has more than 2 decimal places, got 0.001";
    `unit` (" USD") follows the limits."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(repr(value))
    except InvalidOperation:
        return f"must be a finite number, got {value!r}"
    given = number_shown(amount) if amount.is_finite() else repr(value)
    if not amount.is_finite():
        return f"must be a finite number, got {given}"
    if amount < limit.minimum:
        return f"must be at least {number_shown(limit.minimum)}{unit}, got {given}"
    if amount > limit.maximum:
        return f"must be at most {number_shown(limit.maximum)}{unit}, got {given}"
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > limit.decimal_places:
        return f"has more than {limit.decimal_places} decimal places, got {given}"
    return None
