"""Importing OWASP DSOMM from its published data file (issue 15, item 6; docs/frameworks.md,
"Importing a published model"): `import_framework --from dsomm` turns each sub-dimension
into a gated capability of yes/no activities on DSOMM's levels 0–5, says what it does not
carry, and scores as DSOMM's own rule does — checked here on hand-made answers.

The fixture is a verbatim excerpt of DSOMM 4.3.1's generated/model.yaml (two of its 19
sub-dimensions; fixtures/published/dsomm/README.md)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.domain.framework_file import (
    FrameworkError,
    load_yaml_documents,
    parse_framework,
)
from assessments.domain.published_models.dsomm import dsomm_framework
from assessments.models import Framework, StoredScore
from tests import factories
from tests.pages import parse, text, the

EXCERPT = Path(__file__).resolve().parents[1] / "fixtures/published/dsomm/model-excerpt.yaml"
# The excerpt's activities, in its order (uuid prefix, level), as DSOMM publishes them.
BUILD = {
    "Defined build process": ("f6f7737f", 1),
    "Building and testing of artifacts in virtual environments": ("a340f46b", 2),
    "Pinning of artifacts": ("f3c4971e", 2),
    "SBOM of components": ("2858ac12", 2),
    "Signing of code": ("9f107927", 3),
    "Signing of artifacts": ("5786959d", 5),
}
TEST_KPI = {
    "Number of vulnerabilities/severity": ("bc548cba", 2),
    "Number of vulnerabilities/severity/layer": ("0ec92899", 2),
    "Patching mean time to resolution via PR": ("86d490b9", 2),
    "Fix rate per repo/product": ("cf0d600e", 3),
    "Generation of response statistics": ("c922981b", 3),
    "SLA per criticality": ("51f3fce5", 3),
    "Patching mean time to resolution via production": ("77ffc53e", 4),
}


def convert(text_: str, source: str = "model.yaml"):
    return dsomm_framework(load_yaml_documents(text_, source), source)


def import_(*args: str) -> str:
    out = io.StringIO()
    call_command("import_framework", "--from", "dsomm", *args, stdout=out)
    return out.getvalue()


def test_each_sub_dimension_becomes_a_gated_capability_of_yes_no_activities():
    spec = parse_framework(convert(EXCERPT.read_text()).framework_text(), "converted.yaml")
    assert (spec.code, spec.version, spec.aggregation) == ("dsomm", "4.3.1", "gated")
    assert [(level.number, level.name) for level in spec.levels] == [
        (0, "Not started"),
        (1, "Basic understanding of security practices"),
        (2, "Adoption of basic security practices"),
        (3, "High adoption of security practices"),
        (4, "Very high adoption of security practices"),
        (5, "Advanced deployment of security practices at scale"),
    ]
    build, kpi = spec.capabilities
    assert (build.code, build.name) == ("BD-B", "Build and Deployment: Build")
    assert (kpi.code, kpi.name) == ("IG-TK", "Information Gathering: Test KPI")
    assert (build.groups, kpi.groups) == (("Build and Deployment",), ("Information Gathering",))
    for capability, activities in ((build, BUILD), (kpi, TEST_KPI)):
        # One yes/no question per activity, at its level, questions in level order.
        assert [(q.text, q.code, q.level, q.type) for q in capability.questions] == [
            (name, f"{capability.code}-{uuid}", level, "yes_no")
            for name, (uuid, level) in sorted(activities.items(), key=lambda a: a[1][1])
        ]
        assert capability.cost_low is None  # DSOMM has no cost data: maturity only
    defined = build.questions[0]
    assert defined.help.startswith("A *build process* includes more than just compiling")
    assert "\n\nRisk: Without a defined and automated build process" in defined.help
    assert "\n\nMeasure: Find a tool that suits your environment." in defined.help
    assert "\n\nHow it is assessed: - Show your build pipeline configuration" in defined.help


@pytest.mark.django_db
def test_the_command_loads_it_and_lists_what_it_does_not_carry():
    printed = import_(str(EXCERPT))
    assert printed.splitlines() == [
        f"Converted OWASP DevSecOps Maturity Model (DSOMM) 4.3.1 from {EXCERPT}.",
        "Not carried into Ladder:",
        "  - dimensions: DSOMM groups its 2 sub-dimensions in 2 dimensions; each is a group of "
        "capabilities (not a Ladder dimension, which scores within a capability) and each "
        "capability's name begins with it",
        "  - a team's own answers (isImplemented, evidence, comments): in 7 activities",
        "  - dependencies between activities (Ladder's gate follows levels only): in 10 activities",
        "  - difficulty of implementation (knowledge, time, resources): in 13 activities",
        "  - implementation guides (meta): in 2 activities",
        "  - implementation tools and links: in 13 activities",
        "  - references to SAMM, ISO 27001 and OpenCRE: in 13 activities",
        "  - tags: in 13 activities",
        "  - usefulness: in 13 activities",
        "Loaded dsomm 4.3.1: 6 levels, 1 dimensions, 2 capabilities, 13 questions",
    ]
    framework = Framework.objects.get(code="dsomm")
    assert framework.aggregation == "gated"
    assert framework.capabilities.count() == 2
    assert import_(str(EXCERPT)).splitlines()[-1] == (
        "Already loaded, unchanged: dsomm 4.3.1: 6 levels, 1 dimensions, 2 capabilities, "
        "13 questions"
    )


@pytest.mark.django_db
def test_output_writes_a_framework_file_that_load_framework_loads(tmp_path):
    target = tmp_path / "dsomm.yaml"
    printed = import_(str(EXCERPT), "--output", str(target))
    assert printed.splitlines()[-1] == (f"Wrote {target}; load it with load_framework {target}")
    assert not Framework.objects.exists()  # written, not loaded
    out = io.StringIO()
    call_command("load_framework", str(target), stdout=out)
    assert out.getvalue().startswith("Loaded dsomm 4.3.1: 6 levels")


@pytest.fixture
def dsomm_unit(db):
    import_(str(EXCERPT))
    return factories.unit_assessment(Framework.objects.get(code="dsomm"))


def answer_all(client, assessment, code: str, activities: dict, not_done: set[str]) -> None:
    """Yes to every activity but those `not_done`, through the questionnaire page."""
    answers = {
        f"{code}-{uuid}": "0" if name in not_done else str(level)
        for name, (uuid, level) in activities.items()
    }
    url = f"/assessments/{assessment.pk}/capabilities/{code}/"
    assert client.post(url, answers).status_code == 302


def stored_level(assessment, code: str) -> tuple[float, int]:
    row = StoredScore.objects.get(assessment=assessment, capability=code, dimension="")
    return row.score, row.level


@pytest.mark.parametrize(
    ("not_done", "dsomm_level"),
    [
        # Levels 1 and 2 done, level 3's one activity not: DSOMM's gate stops at 2 (the
        # mean of the answers, 1·1 + 3·2 + 0 + 5 over 6 = 2, would say the same only by
        # chance: see the next case).
        ({"Signing of code"}, 2),
        # One level-2 activity missing holds Build at 1, though level 3 and 5 are done
        # (the mean, (1 + 2 + 0 + 2 + 3 + 5) / 6 = 2.17, would say 2).
        ({"Pinning of artifacts"}, 1),
        # Everything done: 1, 2, 3, then 4 (no activity of its own) and 5.
        (set(), 5),
        # Only level 5 missing: 4 is reached since it asks nothing beyond 1–3.
        ({"Signing of artifacts"}, 4),
        # Level 1 not done: 0, DSOMM's "not started", whatever else is.
        ({"Defined build process"}, 0),
    ],
)
def test_build_scores_as_dsomms_gate_does(client, dsomm_unit, not_done, dsomm_level):
    assessment, ann = dsomm_unit
    client.force_login(ann)
    answer_all(client, assessment, "BD-B", BUILD, not_done)
    assert stored_level(assessment, "BD-B") == (dsomm_level, dsomm_level)


def test_a_sub_dimension_without_level_1_activities_starts_at_1(client, dsomm_unit):
    """Test KPI has no level-1 activity: by the gate's rule (every activity of the level and
    below done) it is at level 1 with nothing done; its level-2 activities all done and one
    level-3 one missing, it is at 2 although its level-4 activity is done."""
    assessment, ann = dsomm_unit
    client.force_login(ann)
    answer_all(client, assessment, "IG-TK", TEST_KPI, set(TEST_KPI))
    assert stored_level(assessment, "IG-TK") == (1, 1)
    answer_all(client, assessment, "IG-TK", TEST_KPI, {"SLA per criticality"})
    assert stored_level(assessment, "IG-TK") == (2, 2)


def test_the_questionnaire_shows_each_activity_as_a_yes_no_question(client, dsomm_unit):
    assessment, ann = dsomm_unit
    client.force_login(ann)
    page = parse(client.get(f"/assessments/{assessment.pk}/capabilities/BD-B/"))
    assert text(the(page, "h1")).startswith("Build and Deployment: Build")
    question = the(page, "#q-BD-B-f6f7737f-text")
    assert text(question).startswith("Defined build process")
    radios = question.find_parent("fieldset").select("input[type=radio]")
    assert [radio["value"] for radio in radios] == ["1", "0", "na", "dk"]


HOSTILE = """\
---
meta: {version: "9.9", released: "2026-01-01", publisher: example}
---
Build and Deployment:
  Build:
    <script>alert(1)</script>:
      uuid: 00000000-0000-0000-0000-000000000000
      level: 1
      description: <img src=x onerror=alert(2)> is *data*
"""


def test_a_models_text_is_shown_as_text_never_run(client, db, tmp_path):
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(HOSTILE)
    import_(str(hostile))
    assessment, ann = factories.unit_assessment(Framework.objects.get(code="dsomm"))
    client.force_login(ann)
    html = client.get(f"/assessments/{assessment.pk}/capabilities/BD-B/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<script>alert(1)" not in html and "<img src=x" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            "framework: {code: x, version: '1', name: X}\ncapabilities: []\n",
            "f.yaml: this is a Ladder framework file, not a DSOMM model: load it with "
            "load_framework",
        ),
        (
            "Build and Deployment: [a, b]\n",
            "f.yaml: Build and Deployment: expected its sub-dimensions, got a list",
        ),
        (
            "---\nmeta: {version: '1'}\n---\nBuild and Deployment:\n  Build:\n"
            "    Defined build process: {uuid: f6f7737f, level: 7}\n",
            "f.yaml: Build and Deployment > Build > Defined build process: level: must be 1, "
            "2, 3, 4 or 5, got 7",
        ),
        (
            "Build and Deployment:\n  Build:\n    Defined build process: {level: 1}\n",
            "f.yaml: meta.version: missing (the model's version, e.g. 4.3.1)",
        ),
        (
            "- just\n- a list\n",
            "f.yaml: not a DSOMM model file: expected its metadata (meta: version) and then "
            "one mapping of dimensions to sub-dimensions to activities, as in "
            "generated/model.yaml of DevSecOps-MaturityModel-data",
        ),
        ("Build: [unclosed\n", "f.yaml: line 2, column 1: not valid YAML"),
    ],
)
def test_a_file_that_is_not_dsomm_is_refused_by_name_and_nothing_is_loaded(
    tmp_path, content, problem
):
    path = tmp_path / "f.yaml"
    path.write_text(content)
    with pytest.raises(CommandError) as refused:
        import_(str(path))
    message = str(refused.value).replace(str(path), "f.yaml")
    assert "problem(s), nothing imported:\n" in message
    assert problem in message.splitlines()[1:] or problem in message
    assert not Framework.objects.exists()


def test_the_whole_refusal_lists_every_problem():
    bad = "---\nmeta: {version: '1'}\n---\nA:\n  B:\n    x: {level: 0}\n    y: {level: true}\n"
    with pytest.raises(FrameworkError) as refused:
        convert(bad, "f.yaml")
    assert refused.value.problems == [
        "f.yaml: A > B > x: level: must be 1, 2, 3, 4 or 5, got 0",
        "f.yaml: A > B > y: level: must be 1, 2, 3, 4 or 5, got True",
    ]
