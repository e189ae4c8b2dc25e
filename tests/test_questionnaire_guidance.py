"""The web questionnaire and the offline workbook tell a respondent the same things about
"don't know" and a measured question's thresholds (both call assessments/domain/guidance.py),
and the page shows help, codes and comments as issue 12 asks."""

import io

import pytest
from openpyxl import load_workbook

from assessments.domain.guidance import dont_know_text, threshold_lines
from assessments.models import Membership
from tests import factories
from tests.pages import parse, text, the

IDG = "Identity Graph Enhancements"


@pytest.fixture
def world(small):
    consultant = factories.user("consultant")
    org = factories.organisation("acme", consultants=[consultant])
    unit = factories.unit(org, "uk")
    assessment = factories.assessment(unit, factories.cycle(org, small))
    return {
        "assessment": assessment,
        "respondent": factories.member(unit, username="ann"),
        "lead": factories.member(unit, Membership.Role.LEAD, username="lead"),
        "consultant": consultant,
    }


def page(client, user, assessment, code="IDG"):
    client.force_login(user)
    response = client.get(f"/assessments/{assessment.pk}/capabilities/{code}/")
    assert response.status_code == 200
    return parse(response)


def workbook_texts(client, user, assessment) -> tuple[str, str]:
    client.force_login(user)
    response = client.get(f"/assessments/{assessment.pk}/workbook/")
    book = load_workbook(io.BytesIO(response.content))
    instructions = "\n".join(
        str(cell)
        for row in book["Instructions"].iter_rows(values_only=True)
        for cell in row
        if cell
    )
    sheet = "\n".join(
        str(cell) for row in book[IDG].iter_rows(values_only=True) for cell in row if cell
    )
    return instructions, sheet


def test_dont_know_and_thresholds_read_the_same_on_the_page_and_in_the_workbook(client, world):
    html = page(client, world["lead"], world["assessment"])
    instructions, sheet = workbook_texts(client, world["lead"], world["assessment"])
    dont_know = {text(span).rstrip(".") for span in html.select(".dont-know")}
    assert dont_know == {"Don't know counts as level 1 (Initial) and is flagged"}
    assert dont_know.pop() in instructions
    web_thresholds = [text(li) for li in the(html, "#q-IDG-FID-2").select(".thresholds li")]
    assert web_thresholds[0] == "Level 5 (Autonomous): 88 % or more"
    assert web_thresholds[-1] == "Level 1 (Initial): anything less"
    for line in web_thresholds:
        assert line in sheet
    lower_is_better = [text(li) for li in the(html, "#q-IDG-REC-1").select(".thresholds li")]
    assert lower_is_better and all(line in sheet for line in lower_is_better)
    assert lower_is_better[-1] == "Level 1 (Initial): anything more"


def test_guidance_texts_name_the_level():
    levels = {1: "Initial", 2: "Repeatable", 3: "Managed"}
    assert dont_know_text(levels) == "Don't know counts as level 1 (Initial) and is flagged"
    assert threshold_lines({2: 50, 3: 62.5}, True, levels, "%") == [
        "Level 3 (Managed): 62.5 % or more",
        "Level 2 (Repeatable): 50 % or more",
        "Level 1 (Initial): anything less",
    ]
    assert threshold_lines({}, True, levels) == []


def test_help_comes_before_the_options_escaped_with_its_line_breaks(client, world, small):
    question = small.questions.get(code="IDG-FID-1")
    question.help = "First line <b>not bold</b>\nSecond line"
    question.save()
    html = page(client, world["respondent"], world["assessment"])
    box = the(html, "#q-IDG-FID-1")
    help_ = the(box, ".question-help")
    assert help_.find("b") is None and "<b>not bold</b>" in help_.get_text()
    assert help_.find("br") is not None
    elements = [e for e in box.find_all(True) if e is help_ or e.name == "input"]
    assert elements[0] is help_


def test_codes_and_weights_only_for_consultants_and_admins(client, world):
    for who, shown in (("respondent", False), ("lead", False), ("consultant", True)):
        html = page(client, world[who], world["assessment"])
        assert (html.find("code", string="IDG-FID-1") is not None) is shown, who
        assert ("weight" in text(the(html, "#q-IDG-FID-1"))) is shown, who


def test_number_and_its_alternative_are_labelled(client, world):
    html = page(client, world["respondent"], world["assessment"])
    for control in html.select("#q-IDG-FID-2 input, #q-IDG-FID-2 select, #q-IDG-FID-2 textarea"):
        label = html.select_one(f"label[for='{control['id']}']")
        assert label is not None and text(label) not in ("", "or"), control["name"]
    assert text(html.select_one("label[for='id_IDG-FID-2-special']")) == "No measured value"


def test_comment_and_evidence_are_folded_unless_filled(client, world):
    assessment = world["assessment"]
    client.force_login(world["respondent"])
    client.post(
        f"/assessments/{assessment.pk}/capabilities/IDG/",
        {"IDG-FID-1": "3", "IDG-FID-1-comment": "We match nightly", "IDG-FID-2": "50"},
    )
    html = page(client, world["respondent"], assessment)
    assert the(html, "#q-IDG-FID-1 details").has_attr("open")
    assert not the(html, "#q-IDG-FID-2 details").has_attr("open")
    assert text(the(html, "#q-IDG-FID-2 details summary")) == "Add a comment / evidence"
    # One container per question holding all its inputs, with a place for its save state.
    for box in html.select("[data-question]"):
        code = box["data-question"]
        names = {e["name"] for e in html.select(f"[name^='{code}']")}
        assert names == {e["name"] for e in box.select("[name]")}
        assert box.select_one("[data-save-state]") is not None
