"""Framework files are third-party content: every hostile one is refused with
`file: path: what is wrong`, by the parser and by `load_framework`, and nothing is loaded."""

import pytest
from django.core.management import CommandError, call_command

from assessments.domain.framework_file import FrameworkError, parse_framework
from assessments.models import Framework
from tests.factories import SMALL_FRAMEWORK

NEW = SMALL_FRAMEWORK.replace('version: "1"', 'version: "2"')


def bomb() -> str:
    """Billion laughs: nine levels of ten aliases each stand for 10^9 values."""
    lines = ["bomb:", "  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"  {name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return NEW.replace("levels:", "\n".join(lines) + "\nlevels:", 1)


CASES = [
    (
        NEW.replace("weight: 2", "weight: .nan"),
        "bad.yaml: capabilities[0] (IDG).questions[0] (IDG-FID-1).weight: must be a finite number, got .nan",
    ),
    (
        NEW.replace("thresholds: {2: 50,", "thresholds: {2: .inf,"),
        "bad.yaml: capabilities[0] (IDG).questions[1] (IDG-FID-2).thresholds.2: must be a finite number, got .inf",
    ),
    (
        NEW.replace("time_to_value_months: 6", "time_to_value_months: 1e20"),
        "bad.yaml: capabilities[0] (IDG).time_to_value_months: expected a whole number: '1e20' is written with an exponent: write the number in plain digits",
    ),
    (
        NEW.replace("time_to_value_months: 6", "time_to_value_months: 100000000000000000000"),
        "bad.yaml: capabilities[0] (IDG).time_to_value_months: must be from 0 to 600, got 100000000000000000000",
    ),
    (
        NEW.replace("cost_high: 1200000", "cost_high: 12345678901234567890"),
        "bad.yaml: capabilities[0] (IDG).cost_high: must be at most 999999999999.99, got 12345678901234567890",
    ),
    (
        NEW.replace("cost_low: 500000", "cost_low: 1_000"),
        "bad.yaml: capabilities[0] (IDG).cost_low: expected an amount in USD: '1_000' has an underscore: write the digits without separators",
    ),
    (
        NEW.replace("- code: IDG\n", "- code: " + "I" * 90 + "\n"),
        "bad.yaml: capabilities[0] (IIIIIIIIIIIIIIIIIIIIIII…).code: capability code has 90 characters (at most 32)",
    ),
    (
        NEW.replace("name: Identity Graph Enhancements", "name: " + "x" * 233),
        "bad.yaml: capabilities[0] (IDG).name: capability name has 233 characters (at most 200)",
    ),
    (
        NEW.replace("code: CPL-FID-1", "code: CPL/FID/1"),
        "bad.yaml: capabilities[1] (CPL).questions[0] (CPL/FID/1).code: question code 'CPL/FID/1' is not a code: use letters, digits, '.', '_' and '-', starting with a letter or digit",
    ),
    (
        NEW.replace('options: {1: "Paper forms"', 'options: {1: "Paper\\u0007forms"'),
        "bad.yaml: capabilities[1] (CPL).questions[0] (CPL-FID-1).options.1: option text contains a control character (U+0007) at character 6; remove it",
    ),
    (
        NEW.replace("weight: 2", "weight: 017"),
        "bad.yaml: capabilities[0] (IDG).questions[0] (IDG-FID-1).weight: expected a number, got '017' with a leading zero (YAML 1.1 would read it as octal 15): write 17",
    ),
    (
        "[" * 20000 + "]" * 20000,
        "bad.yaml: line 1, column 51: mappings and lists nested more than 50 deep",
    ),
    (
        bomb(),
        "bad.yaml: (top): holds more than 500,000 values once its aliases (*name) are expanded",
    ),
    (NEW + "# " + "x" * (10 * 1024 * 1024), "bad.yaml: the file is 10.0 MB (at most 10.0 MB)"),
]


@pytest.mark.parametrize(("text", "message"), CASES)
def test_hostile_framework_file_is_refused_by_name_and_nothing_is_loaded(
    unchanged, tmp_path, text, message
):
    with pytest.raises(FrameworkError) as refused:
        parse_framework(text, "bad.yaml")
    assert message in refused.value.problems
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as command:
        call_command("load_framework", str(path))
    assert message.replace("bad.yaml", str(path), 1) in str(command.value)
    assert not Framework.objects.filter(version="2").exists()


def test_the_size_limit_counts_bytes_as_written(small):
    """Just above the limit in bytes (multi-byte characters count as the bytes they take)."""
    text = NEW + "# " + "é" * (5 * 1024 * 1024)
    with pytest.raises(FrameworkError) as refused:
        parse_framework(text, "big.yaml")
    assert refused.value.problems == ["big.yaml: the file is 10.0 MB (at most 10.0 MB)"]


def test_help_and_option_texts_with_markup_load_as_plain_text(db):
    """Markup is not a problem of the file: it is text, escaped wherever it is shown
    (test_pages_and_forms checks the questionnaire)."""
    text = NEW.replace(
        "text: How are customer identities resolved across channels?",
        "text: How are customer identities resolved?\n        help: '<img src=x onerror=alert(1)>'",
    )
    spec = parse_framework(text, "markup.yaml")
    assert spec.questions[0].help == "<img src=x onerror=alert(1)>"
