"""What the docs state as fact holds in the code (beside tests/test_docs.py, which checks
that commands parse and links resolve): every project path named in backticks exists, the
README's commands table lists every make target and management command of the project,
and the NPV and payback examples are what reports/domain/planning.py computes."""

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

from reports.domain.planning import npv_24_months, payback_month

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PROJECT_PATH = re.compile(
    r"^(?:assessments|reports|config|tests|docs|fixtures|static|templates|\.ci)/[\w./-]*$"
)


def name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", DOCUMENTS, ids=name)
def test_every_project_path_in_backticks_exists(path):
    named = set(re.findall(r"`([^`\s]+)`", path.read_text()))
    missing = [p for p in sorted(named) if PROJECT_PATH.match(p) and not (ROOT / p).exists()]
    assert missing == []


def makefile_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), flags=re.M))


def test_the_readme_lists_every_make_target_and_management_command():
    readme = (ROOT / "README.md").read_text()
    targets = {t for t in makefile_targets() if f"make {t}" not in readme}
    ours = {
        n for n, app in get_commands().items() if app.split(".")[-1] in {"assessments", "reports"}
    }
    commands = {
        c for c in ours if not re.search(rf"`(?:make manage ARGS=\"|manage\.py )?{c}\b", readme)
    }
    assert (targets, commands) == (set(), set())


# (document, figure as printed, cost, annual benefit): Identity Graph 2 → 3 at 10 %, value
# from month 7, 12 % of a $40M value base (a unit's own $20M in deliverables.md).
NPV_EXAMPLES = [
    ("docs/design.md", "3,971,023.44", 850_000, 0.75 * 4_800_000),
    ("docs/deliverables.md", "3,971,023.44", 850_000, 0.75 * 4_800_000),
    ("docs/deliverables.md", "1,581,744.44", 850_000, 0.75 * 2_400_000),
]


@pytest.mark.parametrize(("doc", "printed", "cost", "benefit"), NPV_EXAMPLES)
def test_npv_examples_are_what_the_code_computes(doc, printed, cost, benefit):
    assert printed in (ROOT / doc).read_text()
    npv = npv_24_months(
        cost=cost, annual_benefit=benefit, time_to_value_months=6, discount_rate=0.1
    )
    assert f"{npv:,.2f}" == printed


def test_the_payback_example_is_what_the_code_computes():
    assert "month 8" in (ROOT / "docs" / "deliverables.md").read_text()
    month = payback_month(
        cost=850_000, annual_benefit=3_600_000, time_to_value_months=6, discount_rate=0.1
    )
    assert month == 8
