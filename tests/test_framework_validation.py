"""Issue 15, item 7: what a framework file may hold matches what the database and the pages
take. Each case was a crash, a traceback or a misleading message on main before issue 15."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from assessments.domain import limits
from assessments.domain.framework_file import parse_framework
from assessments.models import Answer, Framework
from assessments.services.frameworks import framework_load
from tests import factories
from tests.factories import SMALL_FRAMEWORK

NEW = SMALL_FRAMEWORK.replace('version: "1"', 'version: "2"')


def test_an_unquoted_no_option_is_named_a_yaml_boolean_not_an_empty_text():
    text = NEW.replace('2: "Manual exports"', "2: No")
    assert factories.framework_problems(text) == [
        "f.yaml: capabilities[1] (CPL).questions[1] (CPL-REC-1).options.2: option text was read "
        "as the boolean false (YAML reads an unquoted yes, no, on, off, true or false as a "
        'boolean): quote it, e.g. "No"'
    ]


def test_an_unquoted_yes_name_is_named_a_yaml_boolean():
    text = NEW.replace("name: Consent and Privacy Layer", "name: yes")
    assert factories.framework_problems(text) == [
        "f.yaml: capabilities[1] (CPL).name: text was read as the boolean true (YAML reads an "
        'unquoted yes, no, on, off, true or false as a boolean): quote it, e.g. "No"'
    ]


def test_an_empty_question_list_is_called_empty():
    start = NEW.index("    questions:\n      - code: CPL-FID-1")
    text = NEW[:start] + "    questions: []\n"
    assert factories.framework_problems(text) == [
        "f.yaml: capabilities[1] (CPL).questions: expected a non-empty list, got an empty list"
    ]


def test_a_capability_code_with_a_slash_is_refused_before_any_page_needs_it(tmp_path):
    """`ACC-SYS/APP-MDP` loaded, then every questionnaire of its framework was a 500
    (NoReverseMatch on <str:capability_code>)."""
    text = NEW.replace("- code: CPL\n", "- code: ACC-SYS/APP-MDP\n")
    assert factories.framework_problems(text) == [
        "f.yaml: capabilities[1] (ACC-SYS/APP-MDP).code: capability code 'ACC-SYS/APP-MDP' is "
        "not a code: use letters, digits, '.', '_' and '-', starting with a letter or digit"
    ]


@pytest.mark.django_db
def test_every_code_character_allowed_makes_a_working_questionnaire_address():
    """The codes the loader takes are exactly those the URL converter takes."""
    text = NEW.replace("- code: CPL\n", "- code: GV.OC_01-a\n")
    framework, _ = framework_load(spec=parse_framework(text, "f.yaml"))
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk")
    assessment = factories.assessment(unit, factories.cycle(org, framework))
    ann = factories.member(unit, username="ann")
    client = Client()
    client.force_login(ann)
    assert client.get(f"/assessments/{assessment.pk}/").status_code == 200
    page = client.get(f"/assessments/{assessment.pk}/capabilities/GV.OC_01-a/")
    assert page.status_code == 200


@pytest.mark.django_db
def test_a_233_character_name_is_refused_by_name_on_every_database(tmp_path):
    """On PostgreSQL it ended `load_framework` with a raw DataError (run this file with
    DATABASE_URL set to check)."""
    path = tmp_path / "long.yaml"
    path.write_text(NEW.replace("name: Consent and Privacy Layer", "name: " + "x" * 233))
    with pytest.raises(CommandError) as refused:
        call_command("load_framework", str(path))
    assert (
        f"{path}: capabilities[1] (CPL).name: capability name has 233 characters (at most 200)"
        in str(refused.value)
    )
    assert not Framework.objects.exists()


def many_questions(count: int, per_capability: int | None = None) -> str:
    per = per_capability or count
    lines = [
        'framework: {code: big, version: "1", name: Big}',
        "levels:",
        "  - {number: 1, name: One}",
        "  - {number: 2, name: Two}",
        "dimensions:",
        "  - {code: d, name: D}",
        "capabilities:",
    ]
    for number in range(0, count, per):
        lines += [
            f"  - code: C{number}",
            "    name: Big capability",
            "    cost_low: 1",
            "    cost_high: 2",
            "    cost_is_assumption: true",
            "    impact: x",
            "    benefit_metric: x",
            "    benefit_percent: 1",
            "    time_to_value_months: 1",
            "    questions:",
        ]
        for q in range(number, min(number + per, count)):
            lines.append(
                f"      - {{code: Q{q}, dimension: d, type: choice, text: Q{q}, "
                f'options: {{1: "a", 2: "b"}}}}'
            )
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
def test_a_capability_of_400_questions_saves_from_the_browser():
    """Django's default DATA_UPLOAD_MAX_NUMBER_FIELDS (1000) refused a questionnaire of more
    than ~333 questions with 400 TooManyFieldsSent; the limit is computed from limits.py."""
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == limits.form_field_limit()
    framework, _ = framework_load(spec=parse_framework(many_questions(400), "big.yaml"))
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk")
    assessment = factories.assessment(unit, factories.cycle(org, framework))
    ann = factories.member(unit, username="ann")
    client = Client()
    client.force_login(ann)
    address = f"/assessments/{assessment.pk}/capabilities/C0/"
    assert client.get(address).status_code == 200
    data = {}
    for q in range(400):
        data |= {f"Q{q}": "2", f"Q{q}-comment": "", f"Q{q}-evidence": ""}
    response = client.post(address, data)
    assert response.status_code in (200, 302)
    assert Answer.objects.filter(level=2).count() == 400


def test_the_largest_capability_the_loader_takes_fits_the_form_field_limit():
    most = limits.MAX_QUESTIONS_PER_CAPABILITY
    assert most * limits.FIELDS_PER_QUESTION < limits.form_field_limit()
    assert factories.framework_problems(many_questions(most + 1)) == [
        f"f.yaml: capabilities[0] (C0).questions: at most {most:,} questions in one capability "
        f"(its questionnaire is one page), got {most + 1:,}"
    ]


def test_positions_stay_within_their_small_integer_columns(monkeypatch):
    """Capability, dimension and question positions are PositiveSmallIntegerFields (at most
    32767 on PostgreSQL): the framework bounds keep them there (checked here with a small
    bound: the rule is the same)."""
    assert limits.MAX_QUESTIONS < 32767
    assert limits.MAX_CAPABILITIES < 32767 and limits.MAX_DIMENSIONS < 32767
    monkeypatch.setattr(limits, "MAX_QUESTIONS", 5)
    assert factories.framework_problems(many_questions(6, per_capability=2)) == [
        "f.yaml: capabilities: at most 5 questions, got 6"
    ]


@pytest.mark.django_db
def test_framework_help_with_markup_shows_escaped_on_the_capability_page():
    text = NEW.replace(
        "text: How is consent captured?",
        "text: How is consent captured?\n        help: '<img src=x onerror=alert(1)>'",
    )
    framework, _ = framework_load(spec=parse_framework(text, "f.yaml"))
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk")
    assessment = factories.assessment(unit, factories.cycle(org, framework))
    client = Client()
    client.force_login(factories.member(unit, username="ann"))
    html = client.get(f"/assessments/{assessment.pk}/capabilities/CPL/").content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html
