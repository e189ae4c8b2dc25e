"""Importing a maturity-scored library of CISO Assistant (issue 15, item 6; docs/frameworks.md,
"Importing a published model"): `import_framework --from ciso-assistant` keeps the library's
score scale as the levels and its requirement tree as capabilities, says what it does not
carry, and scores as CISO Assistant does — the mean of the requirements' scores, "not
applicable" left out — checked here on hand-made answers.

The fixture is a verbatim excerpt of CISO Assistant's nist-csf-2.0.yaml (the GOVERN function's
first two categories; fixtures/published/ciso-assistant/README.md)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.domain.framework_file import load_yaml_documents, parse_framework
from assessments.domain.published_models.ciso_assistant import ciso_assistant_framework
from assessments.models import Framework, StoredScore
from tests import factories

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/published"
EXCERPT = FIXTURES / "ciso-assistant/nist-csf-2.0-excerpt.yaml"
OC = [f"GV.OC-0{n}" for n in range(1, 6)]
RM = [f"GV.RM-0{n}" for n in range(1, 8)]


def import_(*args: str) -> str:
    out = io.StringIO()
    call_command("import_framework", "--from", "ciso-assistant", *args, stdout=out)
    return out.getvalue()


def test_the_score_scale_becomes_the_levels_and_categories_the_capabilities():
    conversion = ciso_assistant_framework(
        load_yaml_documents(EXCERPT.read_text(), "csf.yaml"), "csf.yaml"
    )
    spec = parse_framework(conversion.framework_text(), "converted.yaml")
    assert (spec.code, spec.version, spec.aggregation) == ("NIST-CSF-2.0", "6", "weighted_mean")
    assert [(level.number, level.name) for level in spec.levels] == [
        (1, "Partial"),
        (2, "Risk informed"),
        (3, "Repeatable"),
        (4, "Adaptive"),
    ]
    assert spec.levels[0].description.startswith("Application of the organizational cyber")
    oc, rm = spec.capabilities
    assert (oc.code, oc.name) == ("GV.OC", "GOVERN: Organizational Context")
    assert (rm.code, rm.name) == ("GV.RM", "GOVERN: Risk Management Strategy")
    assert oc.groups == rm.groups == ("GOVERN",)  # the function is the categories' group
    assert [q.code for q in oc.questions] == OC and [q.code for q in rm.questions] == RM
    first = oc.questions[0]
    assert first.text == (
        "The organizational mission is understood and informs cybersecurity risk management"
    )
    assert first.help.startswith("1st: 1st Party Risk\nEx1: Share the organization's mission")
    assert sorted(first.options) == [1, 2, 3, 4]
    assert first.options[1].startswith("Partial: Application of the organizational")
    assert oc.cost_low is None  # no cost data in the library: maturity only


@pytest.mark.django_db
def test_the_command_loads_it_and_lists_what_it_does_not_carry():
    assert import_(str(EXCERPT)).splitlines() == [
        f"Converted NIST CSF v2.0 6 from {EXCERPT}.",
        "Not carried into Ladder:",
        "  - hierarchy: each requirement's nearest group is its capability, the groups above it "
        "the capability's groups (its name begins with the top one)",
        "  - reference controls: in 12 requirements",
        "  - translations (the library's default language is imported): in 12 requirements",
        "Loaded NIST-CSF-2.0 6: 4 levels, 1 dimensions, 2 capabilities, 12 questions",
    ]


@pytest.fixture
def csf_unit(db):
    import_(str(EXCERPT))
    return factories.unit_assessment(Framework.objects.get(code="NIST-CSF-2.0"))


def stored(assessment, code: str) -> tuple[float, int]:
    row = StoredScore.objects.get(assessment=assessment, capability=code, dimension="")
    return round(row.score, 6), row.level


def test_a_category_scores_the_mean_of_its_requirements_as_ciso_assistant_does(client, csf_unit):
    """GV.OC scored 1, 2, 3, 4, 4: CISO Assistant's mean is 14 / 5 = 2.8, Ladder's score
    2.8 and level 2 (Risk informed). GV.RM scored 4, 4, 3, n/a, 3, n/a, 4: the mean of the
    five scored, 18 / 5 = 3.6, level 3 (Repeatable)."""
    assessment, ann = csf_unit
    client.force_login(ann)
    for code, answers in (
        ("GV.OC", dict(zip(OC, ["1", "2", "3", "4", "4"], strict=True))),
        ("GV.RM", dict(zip(RM, ["4", "4", "3", "na", "3", "na", "4"], strict=True))),
    ):
        url = f"/assessments/{assessment.pk}/capabilities/{code}/"
        assert client.post(url, answers).status_code == 302
    assert stored(assessment, "GV.OC") == (2.8, 2)
    assert stored(assessment, "GV.RM") == (3.6, 3)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            "objects: {}\n",
            "f.yaml: not a CISO Assistant framework library: expected one YAML document with "
            "objects.framework (as in backend/library/libraries/*.yaml of "
            "ciso-assistant-community)",
        ),
        (
            "objects:\n  framework:\n    ref_id: X\n    requirement_nodes:\n"
            "    - {urn: 'urn:x:1', assessable: true, depth: 1, description: Patch}\n",
            "f.yaml: objects.framework.scores_definition: missing — only maturity-scored "
            "libraries (with a score scale) can be imported",
        ),
        (
            "objects:\n  framework:\n    ref_id: X\n    scores_definition:\n"
            "    - {score: high, name: High}\n"
            "    requirement_nodes:\n    - {urn: 'urn:x:1', assessable: true, description: P}\n",
            "f.yaml: objects.framework.scores_definition[0].score: expected a whole number, "
            "got 'high'",
        ),
        (
            "objects:\n  framework:\n    ref_id: X\n    scores_definition:\n"
            "    - {score: 0, name: None}\n    - {score: 1, name: Some}\n"
            "    requirement_nodes:\n    - {urn: 'urn:x:1', assessable: false, name: Group}\n",
            "f.yaml: objects.framework.requirement_nodes: no assessable node",
        ),
    ],
)
def test_a_file_that_is_not_a_scored_library_is_refused_by_name(tmp_path, content, problem):
    path = tmp_path / "f.yaml"
    path.write_text(content)
    with pytest.raises(CommandError) as refused:
        import_(str(path))
    message = str(refused.value).replace(str(path), "f.yaml")
    assert message == f"1 problem(s), nothing imported:\n{problem}"
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_a_dsomm_file_given_as_a_ciso_assistant_library_is_refused():
    with pytest.raises(CommandError) as refused:
        import_(str(FIXTURES / "dsomm/model-excerpt.yaml"))
    assert "not a CISO Assistant framework library" in str(refused.value)
