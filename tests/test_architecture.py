"""The layering contracts of pyproject.toml hold, and they do catch a break: a copy of the
project whose domain imports Django, or whose exporter reads the database, fails
`lint-imports` naming the offending import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ("assessments", "reports", "config")


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_project(tmp_path):
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_project_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


def test_a_domain_module_importing_django_breaks_the_build(copy_of_project):
    add_line(copy_of_project / "reports" / "domain" / "levels.py", "import django.db  # noqa")
    result = lint_imports(copy_of_project)
    assert result.returncode == 1
    assert (
        "The domain is pure Python: no Django, no ORM, no other layer of ours BROKEN"
        in result.stdout
    )
    assert "reports.domain.levels -> django (l." in result.stdout


def test_an_exporter_reading_the_database_breaks_the_build(copy_of_project):
    add_line(
        copy_of_project / "reports" / "exporters" / "deck.py",
        "from reports.queries.portfolio import portfolio_scores  # noqa",
    )
    result = lint_imports(copy_of_project)
    assert result.returncode == 1
    assert (
        "Exporters turn plain data into bytes: no Django, no models, no queries BROKEN"
        in result.stdout
    )


def test_assessments_importing_reports_breaks_the_build(copy_of_project):
    add_line(
        copy_of_project / "assessments" / "views" / "home.py",
        "from reports.domain.levels import format_score  # noqa",
    )
    result = lint_imports(copy_of_project)
    assert result.returncode == 1
    assert "assessments.views.home -> reports.domain.levels" in result.stdout
