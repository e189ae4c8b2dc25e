"""Importing OWASP SAMM v2 from its core model repository (issue 15, item 6; docs/frameworks.md,
"Importing a published model"): `import_framework --from samm` reads the `model/` folder's
YAML files, turns each practice into a capability scored `sum` over its two streams, each
question a choice whose options carry SAMM's answer values, and scores as SAMM does — a
stream the sum of its answers, a practice the mean of its streams — checked by hand.

The fixture is a verbatim copy of the files of one practice, Design → Threat Assessment, of
github.com/owaspsamm/core (fixtures/published/samm/README.md)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.domain.published_models.samm import samm_version
from assessments.models import Framework, StoredScore
from tests import factories
from tests.pages import parse, text, the

MODEL = Path(__file__).resolve().parents[1] / "fixtures/published/samm/model"


def import_(*args: str) -> str:
    out = io.StringIO()
    call_command("import_framework", "--from", "samm", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("model", "version"), [("SAMM20", "2.0"), ("SAMM21", "2.1"), ("SAMM 2.0 beta", "SAMM 2.0 beta")]
)
def test_the_version_reads_as_samm_publishes_it(model, version):
    assert samm_version(model) == version


@pytest.mark.django_db
def test_the_model_folder_loads_as_a_sum_framework_on_levels_0_to_3():
    printed = import_(str(MODEL)).splitlines()
    assert printed[0] == (
        f"Converted OWASP Software Assurance Maturity Model (SAMM) 2.0 from {MODEL}."
    )
    assert "  - answer weights: all 1, as every answer counts its value" in printed
    assert "  - answer texts YAML reads as true/false (No, Yes): 6, shown as No and Yes" in printed
    assert printed[-1] == "Loaded samm 2.0: 4 levels, 2 dimensions, 1 capabilities, 6 questions"
    framework = Framework.objects.get(code="samm")
    # the model's files link to "SAMM20"; SAMM publishes itself as v2.0
    assert framework.version == "2.0"
    assert framework.description.startswith("OWASP SAMM v2.0: 1 security practices")
    assert framework.aggregation == "sum"
    assert list(framework.levels.values_list("number", "name")) == [
        (0, "Not started"),
        (1, "Ad hoc"),
        (2, "Consistent and repeatable"),
        (3, "Continuously improving"),
    ]
    [practice] = framework.capabilities.all()
    assert (practice.code, practice.name) == ("D-TA", "Design: Threat Assessment")
    assert practice.groups == ["Design"]  # its business function
    questions = list(practice.questions.order_by("position"))
    assert [(q.code, q.dimension.code) for q in questions] == [
        ("D-TA-A-1", "stream-a"),
        ("D-TA-A-2", "stream-a"),
        ("D-TA-A-3", "stream-a"),
        ("D-TA-B-1", "stream-b"),
        ("D-TA-B-2", "stream-b"),
        ("D-TA-B-3", "stream-b"),
    ]
    first = questions[0]
    assert first.text.startswith("Do you classify applications according to business risk")
    assert {int(n): v for n, v in first.option_values.items()} == {1: 0, 2: 0.25, 3: 0.5, 4: 1}
    assert first.help.startswith(
        "Activity: Perform application risk assessments\n\nA basic assessment"
    )
    assert "Quality criteria:\n- An agreed-upon risk classification exists" in first.help


@pytest.fixture
def samm_unit(db):
    import_(str(MODEL))
    return factories.unit_assessment(Framework.objects.get(code="samm"))


def stored(assessment, dimension: str = "") -> tuple[float, int]:
    row = StoredScore.objects.get(assessment=assessment, capability="D-TA", dimension=dimension)
    return round(row.score, 6), row.level


def test_threat_assessment_scores_as_samm_does(client, samm_unit):
    """Stream A answered with options 4, 3, 2 (worth 1, 0.5, 0.25): SAMM's stream score
    1 + 0.5 + 0.25 = 1.75. Stream B all option 4: 3. The practice: (1.75 + 3) / 2 = 2.375,
    SAMM's practice score; its level is its weakest stream's, 1."""
    assessment, ann = samm_unit
    client.force_login(ann)
    answers = {"D-TA-A-1": "4", "D-TA-A-2": "3", "D-TA-A-3": "2"}
    answers |= {f"D-TA-B-{n}": "4" for n in (1, 2, 3)}
    url = f"/assessments/{assessment.pk}/capabilities/D-TA/"
    assert client.post(url, answers).status_code == 302
    assert stored(assessment, "stream-a") == (1.75, 1)
    assert stored(assessment, "stream-b") == (3.0, 3)
    assert stored(assessment) == (2.375, 1)
    # The page shows SAMM's own answer texts, the chosen one kept.
    page = parse(client.get(url))
    fieldset = the(page, "#q-D-TA-A-2-text").find_parent("fieldset")
    labels = [text(label) for label in fieldset.select("label")][:4]
    assert labels == [
        "No",
        "Yes, for some applications",
        "Yes, for at least half of the applications",
        "Yes, for most or all of the applications",
    ]
    assert the(page, "input[name='D-TA-A-2'][value='3']").has_attr("checked")


@pytest.mark.django_db
def test_a_folder_that_is_not_samm_is_refused_by_name(tmp_path):
    (tmp_path / "a.yml").write_text("type: Practice\n")
    with pytest.raises(CommandError) as refused:
        import_(str(tmp_path))
    assert str(refused.value) == (
        "1 problem(s), nothing imported:\n"
        f"{tmp_path}: not an OWASP SAMM model: expected the YAML files of the `model` folder "
        "of github.com/owaspsamm/core (Practice, Stream, Activity, Question and AnswerSet "
        "documents)"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CommandError, match="no .yml or .yaml file in this folder"):
        import_(str(empty))
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_a_broken_link_is_named_and_nothing_is_loaded(tmp_path):
    import shutil

    model = tmp_path / "model"
    shutil.copytree(MODEL, model)
    question = model / "questions/D-TA-2-B.yml"
    question.write_text(
        question.read_text().replace(
            "answerSet: f77bd45a28c8493dbba6e53b2eafa20f", "answerSet: missing"
        )
    )
    with pytest.raises(CommandError) as refused:
        import_(str(model))
    [line] = str(refused.value).splitlines()[1:]
    assert line.startswith(f"{model}: Question ")
    assert line.endswith(": its AnswerSet 'missing' is not in the model")
    assert not Framework.objects.exists()
