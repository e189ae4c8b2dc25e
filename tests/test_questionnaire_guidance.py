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


def test_help_written_in_markdown_reads_as_the_model_wrote_it(client, world, small):
    """DSOMM's help is Markdown: emphasis, lists and links show as such; a link that is not
    http(s) or mailto is text, an image is never fetched, and a link opens beside the page."""
    question = small.questions.get(code="IDG-FID-1")
    question.help = (
        "A *build process* also covers:\n\n- dependencies\n- configuration\n\n"
        "See [the guide](https://example.org/guide), not [this](javascript:alert(1)) "
        "![tracker](https://example.org/t.png)"
    )
    question.save()
    help_ = the(
        the(page(client, world["respondent"], world["assessment"]), "#q-IDG-FID-1"),
        ".question-help",
    )
    assert text(help_.find("em")) == "build process"
    assert [text(li) for li in help_.select("li")] == ["dependencies", "configuration"]
    links = help_.find_all("a")
    assert [(a["href"], a["target"], a["rel"]) for a in links] == [
        ("https://example.org/guide", "_blank", ["noopener", "noreferrer"]),
        ("https://example.org/t.png", "_blank", ["noopener", "noreferrer"]),
    ]
    assert help_.find("img") is None
    assert "[this](javascript:alert(1))" in text(help_)


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


def overview(client, user, assessment):
    client.force_login(user)
    response = client.get(f"/assessments/{assessment.pk}/")
    assert response.status_code == 200
    return parse(response)


def test_overview_guides_from_the_framework_and_the_cycle(client, world, small):
    import datetime

    assessment = world["assessment"]
    small.introduction = "Why we ask <i>this</i>\nSecond line"
    small.save()
    assessment.cycle.deadline = datetime.date(2026, 12, 15)
    assessment.cycle.save()
    html = overview(client, world["respondent"], assessment)
    intro = the(html, ".framework-introduction")
    assert intro.find("i") is None and intro.find("br") is not None
    assert "Tuesday 15 December 2026" in text(the(html, "#deadline"))
    # 5 questions: 1 minute each, rounded up to 5.
    assert text(the(html, "#estimate")).startswith("5 questions: about 5 minutes in all")
    assert "how things are today" in text(the(html, ".guidance"))
    assert text(the(html, "#continue")) == "Start with Identity Graph Enhancements"
    labels = [p["aria-label"] for p in html.select("[role=progressbar]")][:2]
    assert labels == ["Your answers", "Your unit (everyone's answers)"]


def test_continue_where_you_left_off_then_everything_answered(client, world):
    assessment = world["assessment"]
    client.force_login(world["respondent"])
    url = f"/assessments/{assessment.pk}/capabilities/"
    client.post(url + "IDG/", {"IDG-FID-1": "3", "IDG-FID-2": "50", "IDG-REC-1-special": "dk"})
    html = overview(client, world["respondent"], assessment)
    assert text(the(html, "#continue")) == (
        "Continue where you left off: Consent and Privacy Layer"
    )
    assert the(html, "#continue")["href"].endswith("/capabilities/CPL/")
    client.post(url + "CPL/", {"CPL-FID-1": "2", "CPL-REC-1": "na"})
    html = overview(client, world["respondent"], assessment)
    assert html.select_one("#continue") is None
    assert text(the(html, "#all-answered")).startswith(
        "You have answered everything — your lead signs off."
    )


def test_minutes_estimate_rule():
    from assessments.domain.guidance import minutes_estimate

    assert [minutes_estimate(n) for n in (0, 1, 5, 8, 40, 41)] == [0, 5, 5, 10, 40, 45]


def test_signed_off_assessment_tells_a_respondent_who_when_and_who_reopens(client, world):
    from assessments.models import Assessment

    assessment = world["assessment"]
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.SUBMITTED,
        submitted_by=world["lead"],
        submitted_at="2026-12-01T10:30:00Z",
        answers_sha256="0" * 64,
    )
    for html in (
        overview(client, world["respondent"], assessment),
        page(client, world["respondent"], assessment),
    ):
        said = text(the(html, "#read-only"))
        assert "signed off by lead on 1 December 2026 at 10:30 UTC" in said
        assert "Only the unit's lead (or a consultant) can reopen it" in said
    assert "You may reopen it" in text(
        the(overview(client, world["lead"], assessment), "#read-only")
    )


def test_framework_file_introduction_is_optional_plain_text_and_loaded(db):
    from assessments.domain.framework_file import FrameworkError, parse_framework
    from assessments.services.frameworks import framework_load

    header = 'framework: {code: small, version: "1", name: Small framework}'
    assert parse_framework(factories.SMALL_FRAMEWORK).introduction == ""
    with_intro = factories.SMALL_FRAMEWORK.replace(
        header,
        'framework:\n  code: small\n  version: "2"\n  name: Small framework\n'
        "  introduction: |\n    What this is for.\n    Second line.",
    )
    spec = parse_framework(with_intro)
    assert spec.introduction == "What this is for.\nSecond line."
    framework, _ = framework_load(spec=spec)
    assert framework.introduction == "What this is for.\nSecond line."
    too_long = factories.SMALL_FRAMEWORK.replace(
        header, 'framework: {code: s, version: "1", name: S, introduction: ' + "x" * 4001 + "}"
    )
    with pytest.raises(FrameworkError, match="framework.introduction"):
        parse_framework(too_long)


def test_every_input_of_the_capability_page_has_its_own_label(client, world):
    html = page(client, world["respondent"], world["assessment"])
    controls = html.select("form[data-questionnaire] input:not([type=hidden]), select, textarea")
    assert controls
    for control in controls:
        label = html.select_one(f"label[for='{control['id']}']")
        assert label is not None and text(label), control.get("name")
