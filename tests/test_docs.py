"""The README and docs/ tell the truth: their commands parse, their links resolve.

Every line of a ```sh block is a command a reader may paste. `make TARGET` must name a
target of the Makefile; `make manage ARGS="…"` and `manage.py …` must name a management
command whose own parser accepts the options as written; a script must exist. The
README's demo examples also run, on the demo data, as written.
"""

import io
import re
import shlex
from pathlib import Path

import pytest
from django.core.management import (
    CommandError,
    call_command,
    get_commands,
    load_command_class,
)
from django.test import override_settings

from tests import factories

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL_BLOCK = re.compile(r"^ *```(?:sh|bash)\n(.*?)^ *```", re.S | re.M)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=")


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z][a-z0-9-]*):", text, re.M))


def shell_commands(path: Path) -> list[str]:
    commands = []
    for block in SHELL_BLOCK.findall(path.read_text()):
        for line in block.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


def management_problem(words: list[str]) -> str | None:
    if not words:
        return "names no management command"
    name, *arguments = words
    app = get_commands().get(name)
    if app is None:
        return f"'{name}' is not a management command"
    parser = load_command_class(app, name).create_parser("manage.py", name)
    try:
        parser.parse_args(arguments)
    except CommandError as error:
        return f"{name}: {error}"
    except SystemExit as exit:  # --help and --version print and exit
        return None if exit.code == 0 else f"{name}: exits {exit.code}"
    return None


def command_problem(command: str) -> str | None:
    """Why `command` would not run as written, or None."""
    try:
        words = shlex.split(command, comments=True)
    except ValueError as error:
        return f"cannot be read as a shell command: {error}"
    while words and ASSIGNMENT.match(words[0]):
        words.pop(0)
    if not words or words[0] == "export":
        return None
    program, *rest = words
    if program == "make":
        targets = [w for w in rest if not w.startswith("-") and "=" not in w]
        unknown = [t for t in targets if t not in make_targets()]
        if unknown:
            return f"make has no target {', '.join(unknown)}"
        if "manage" in targets:
            args = [w.split("=", 1)[1] for w in rest if w.startswith("ARGS=")]
            if not args:
                return 'make manage needs ARGS="<command> …"'
            return management_problem(shlex.split(args[0]))
        return None
    if program.endswith("python") and rest[:1] == ["manage.py"]:
        return management_problem(rest[1:])
    if program.startswith((".", "/")) or "/" in program:
        return None if (ROOT / program).exists() else f"{program} does not exist"
    return f"'{program}' is not a command of this project (make, manage.py or a script)"


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_command_shown_runs_as_written(path):
    problems = [f"{c}: {p}" for c in shell_commands(path) if (p := command_problem(c))]
    assert problems == []


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_relative_link_resolves(path):
    broken = []
    for target in LINK.findall(path.read_text()):
        if target.startswith(("http://", "https://", "mailto:", "#")):
            continue
        file_part, _, anchor = target.partition("#")
        linked = path.parent / file_part
        if not linked.exists() or (anchor and anchor not in heading_anchors(linked)):
            broken.append(target)
    assert broken == []


def heading_anchors(path: Path) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings."""
    anchors = set()
    for heading in re.findall(r"^#+ (.+)$", path.read_text(), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


def test_the_readme_is_short_and_starts_with_two_commands():
    text = (ROOT / "README.md").read_text()
    assert len(text.splitlines()) <= 200
    quick_start = shell_commands(ROOT / "README.md")[:2]
    assert [c.split()[:2] for c in quick_start] == [["make", "demo"], ["make", "test"]]


@pytest.mark.parametrize(
    "command, problem",
    [
        ("make demo-now", "make has no target demo-now"),
        ('make manage ARGS="verify_audits"', "'verify_audits' is not a management command"),
        (
            'make manage ARGS="recommend --unit uk-retail --cycle 2026-Q4 --colour red"',
            "unrecognized arguments",
        ),
        ("manage.py load_framework x.yaml", "is not a command of this project"),
        (".ci/nothing.sh start", ".ci/nothing.sh does not exist"),
        ("make manage", 'make manage needs ARGS="<command> …"'),
    ],
)
def test_a_broken_command_is_named(command, problem):
    assert problem in (command_problem(command) or "")


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_readmes_demo_examples_run(tmp_path, monkeypatch):
    factories.default_framework()
    call_command("seed_demo", stdout=io.StringIO())
    monkeypatch.chdir(tmp_path)
    examples = [c for c in shell_commands(ROOT / "README.md") if c.startswith('make manage ARGS="')]
    ran = []
    for command in examples:
        words = shlex.split(shlex.split(command)[2].split("=", 1)[1])
        if words[0] in {"createsuperuser", "load_framework"}:
            continue  # interactive, and already loaded by the fixture
        out = io.StringIO()
        call_command(*words, stdout=out, stderr=io.StringIO())
        ran.append(words[0])
    assert {"recommend", "export_deck", "export_scores", "verify_audit"} <= set(ran)
    assert {"export_answers", "import_answers"} <= set(ran)
    assert (tmp_path / "deck.pptx").stat().st_size > 0
