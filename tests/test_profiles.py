"""Profiles (issue 15, item 4; docs/frameworks.md, "Profiles"): a framework may declare
profiles — CIS implementation groups, TISAX protection levels, ANSSI's strategic and
operational scopes — and a cycle may pick one. The cycle then asks only that profile's
questions: the questionnaire, the progress counts, sign-off, scores, to-do lists, imports
and carried answers all leave the others out."""

from __future__ import annotations

import json

import pytest

from assessments.domain.framework_file import parse_framework
from assessments.domain.published_models.ciso_assistant import ciso_assistant_framework
from assessments.imports import ImportFailed, answers_import, read_rows
from assessments.models import Answer, Assessment, CarriedAnswer, Cycle, Membership, Profile
from assessments.services.carry import carry_forward
from assessments.services.errors import AssessmentIncomplete
from assessments.services.frameworks import framework_load
from assessments.services.signoff import assessment_submit
from reports.queries.planning import framework_data
from tests import factories
from tests.pages import cells, parse, text, the

# Essential asks IDG-FID-1 only (the one question naming no profile is in every profile);
# full asks all five. So under essential CPL is not asked at all and IDG asks nothing in
# the recovery dimension.
PROFILED = (
    factories.SMALL_FRAMEWORK.replace(
        "capabilities:\n",
        "profiles:\n"
        "  - {code: essential, name: Essential, description: The first steps}\n"
        "  - {code: full, name: Full}\n"
        "capabilities:\n",
        1,
    )
    .replace("      - code: IDG-FID-2\n", "      - code: IDG-FID-2\n        profiles: [full]\n")
    .replace("      - code: IDG-REC-1\n", "      - code: IDG-REC-1\n        profiles: [full]\n")
    .replace("      - code: CPL-FID-1\n", "      - code: CPL-FID-1\n        profiles: [full]\n")
    .replace("      - code: CPL-REC-1\n", "      - code: CPL-REC-1\n        profiles: full\n")
)


@pytest.fixture
def profiled(db):
    framework, _ = framework_load(spec=parse_framework(PROFILED, "profiled.yaml"))
    return framework


def _essential_assessment(framework):
    assessment, ann = factories.unit_assessment(framework)
    Cycle.objects.filter(pk=assessment.cycle_id).update(
        profile=framework.profiles.get(code="essential")
    )
    return Assessment.objects.get(pk=assessment.pk), ann


def test_the_loader_reads_profiles_and_which_questions_name_them():
    spec = parse_framework(PROFILED, "f.yaml")
    assert [(p.code, p.name, p.description) for p in spec.profiles] == [
        ("essential", "Essential", "The first steps"),
        ("full", "Full", ""),
    ]
    assert {q.code: q.profiles for q in spec.questions} == {
        "IDG-FID-1": (),
        "IDG-FID-2": ("full",),
        "IDG-REC-1": ("full",),
        "CPL-FID-1": ("full",),
        "CPL-REC-1": ("full",),
    }


def test_a_profile_holds_its_questions_and_those_naming_no_profile(profiled):
    asked = {
        p.code: sorted(p.questions.values_list("code", flat=True)) for p in Profile.objects.all()
    }
    assert asked == {
        "essential": ["IDG-FID-1"],
        "full": ["CPL-FID-1", "CPL-REC-1", "IDG-FID-1", "IDG-FID-2", "IDG-REC-1"],
    }


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            ("IDG-FID-2\n        profiles: [full]", "IDG-FID-2\n        profiles: [fll]"),
            "capabilities[0] (IDG).questions[1] (IDG-FID-2).profiles: unknown profile 'fll' "
            "(known: essential, full)",
        ),
        (
            ("IDG-FID-2\n        profiles: [full]", "IDG-FID-2\n        profiles: []"),
            "capabilities[0] (IDG).questions[1] (IDG-FID-2).profiles: expected a list of "
            "profile codes, got an empty list",
        ),
        (
            ("{code: full, name: Full}", "{code: essential, name: Full}"),
            "profiles[1] (essential).code: duplicate profile code 'essential'",
        ),
        (
            ("{code: full, name: Full}", "{name: Full}"),
            "profiles[1]: missing field 'code'",
        ),
    ],
)
def test_the_loader_says_what_is_wrong_with_a_profile(change, problem):
    old, new = change
    assert old in PROFILED
    assert f"f.yaml: {problem}" in factories.framework_problems(PROFILED.replace(old, new, 1))


def test_a_profile_that_asks_nothing_is_refused():
    # Every question names a profile, and none names essential.
    text_ = PROFILED.replace(
        "      - code: IDG-FID-1\n", "      - code: IDG-FID-1\n        profiles: [full]\n", 1
    )
    assert factories.framework_problems(text_) == [
        "f.yaml: profiles[0] (essential): no question is in this profile (give questions "
        "'profiles: [essential]', or leave a question's 'profiles' out to ask it in every "
        "profile)"
    ]


def test_a_question_naming_a_profile_needs_the_framework_to_declare_it():
    text_ = factories.SMALL_FRAMEWORK.replace(
        "      - code: IDG-FID-2\n", "      - code: IDG-FID-2\n        profiles: [ig1]\n"
    )
    assert factories.framework_problems(text_) == [
        "f.yaml: capabilities[0] (IDG).questions[1] (IDG-FID-2).profiles: unknown profile "
        "'ig1' (known: none: declare them under 'profiles:')"
    ]


def test_a_respondent_is_asked_only_the_profiles_questions(client, profiled):
    assessment, ann = _essential_assessment(profiled)
    client.force_login(ann)
    overview = parse(client.get(f"/assessments/{assessment.pk}/"))
    assert text(the(overview, "#profile")) == (
        "This cycle asks the questions of the profile Essential only: The first steps."
    )
    # CPL asks nothing in this profile: not listed; IDG has one question, not three.
    rows = the(overview, "#capabilities tbody").find_all("tr")
    assert [cells(row)[0] for row in rows] == ["Identity Graph Enhancements"]
    assert cells(rows[0])[2] == "0 of 1"
    assert "1 question:" in text(the(overview, "#estimate"))

    page = parse(client.get(f"/assessments/{assessment.pk}/capabilities/IDG/"))
    assert [q["id"] for q in page.select("[id^=q-][id$=-text]")] == ["q-IDG-FID-1-text"]
    assert client.get(f"/assessments/{assessment.pk}/capabilities/CPL/").status_code == 404


def test_answers_to_questions_outside_the_profile_are_never_stored(client, profiled):
    assessment, ann = _essential_assessment(profiled)
    client.force_login(ann)
    url = f"/assessments/{assessment.pk}/capabilities/IDG/"
    # A hand-made post naming a question the page does not show: only the asked one is kept.
    assert client.post(url, {"IDG-FID-1": "3", "IDG-FID-2": "88"}).status_code == 302
    assert dict(Answer.objects.values_list("question__code", "level")) == {"IDG-FID-1": 3}

    refused = client.post(
        f"{url}autosave/",
        json.dumps({"answers": {"IDG-REC-1": {"answer": "1", "version": 0}}}),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json() == {"error": "Some of these questions are not on this page."}
    assert (
        client.post(
            f"/assessments/{assessment.pk}/capabilities/CPL/", {"CPL-FID-1": "4"}
        ).status_code
        == 404
    )
    assert Answer.objects.count() == 1


def test_the_profile_is_scored_reported_and_signed_off_on_its_own_questions(client, profiled):
    assessment, ann = _essential_assessment(profiled)
    client.force_login(ann)
    client.post(f"/assessments/{assessment.pk}/capabilities/IDG/", {"IDG-FID-1": "3"})

    # Every question the cycle asks has an answer: it may be signed off.
    lead = factories.member(assessment.unit, Membership.Role.LEAD)
    assessment_submit(assessment=assessment, user=lead, confirmed=True, notify=False)
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.SUBMITTED

    consultant = factories.user("consultant")
    assessment.unit.organisation.consultants.add(consultant)
    client.force_login(consultant)
    report = parse(client.get(f"/reports/assessments/{assessment.pk}/"))
    assert text(the(report, "#profile")).startswith("Profile Essential: only its questions")
    (idg,) = the(report, "#unit-heatmap tbody").find_all("tr")
    # Fidelity 3 (its one asked question); recovery is not asked in this profile.
    assert cells(idg)[:3] == ["Identity Graph Enhancements", "3 · 3.00 ▼", "—"]
    # The portfolio's columns are the capabilities the cycle asks.
    portfolio = parse(client.get("/reports/portfolio/"))
    headers = [text(th) for th in the(portfolio, "#portfolio-heatmap thead").find_all("th")]
    assert "Identity Graph Enhancements" in " ".join(headers)
    assert "Consent and Privacy Layer" not in " ".join(headers)


def test_sign_off_waits_for_the_profiles_questions_only(profiled):
    assessment, _ = _essential_assessment(profiled)
    lead = factories.member(assessment.unit, Membership.Role.LEAD)
    with pytest.raises(AssessmentIncomplete) as incomplete:
        assessment_submit(assessment=assessment, user=lead, confirmed=True, notify=False)
    assert [q.code for q in incomplete.value.missing] == ["IDG-FID-1"]


def test_next_level_steps_come_from_the_profiles_questions_only(profiled):
    assessment, _ = _essential_assessment(profiled)
    data = framework_data(assessment.cycle)
    assert [q.code for q in data.questions] == ["IDG-FID-1"]
    assert [c.code for c in data.economics.capabilities] == ["IDG"]
    full = factories.cycle(assessment.unit.organisation, profiled, name="2027-Q1")
    assert len(framework_data(full).questions) == 5


def test_an_import_of_a_question_outside_the_profile_loads_nothing(profiled):
    _essential_assessment(profiled)
    data = (
        b"organisation,unit,cycle,respondent,question_code,answer,comment\n"
        b"acme,north,2026-Q4,carol,IDG-FID-1,2,\n"
        b"acme,north,2026-Q4,carol,CPL-FID-1,4,\n"
    )
    with pytest.raises(ImportFailed) as failed:
        answers_import(rows=read_rows("a.csv", data), source_name="a.csv", source_bytes=data)
    assert failed.value.problems == [
        "Line 3: question CPL-FID-1 is not asked in 2026-Q4: the cycle asks the "
        "questions of its profile Essential only"
    ]
    assert Answer.objects.count() == 0


def test_answers_are_carried_only_into_questions_the_new_profile_asks(profiled):
    org = factories.organisation("acme")
    unit = factories.unit(org, "north")
    lead = factories.member(unit, Membership.Role.LEAD, username="lee")
    last = factories.assessment(unit, factories.cycle(org, profiled, name="2026-Q2"))
    answers = {"IDG-FID-1": "3", "IDG-FID-2": "60", "IDG-REC-1": "20", "CPL-FID-1": "2"}
    answers |= {"CPL-REC-1": "2"}
    for code, answer in answers.items():
        row = f"acme,north,2026-Q2,lee,{code},{answer},\n".encode()
        data = b"organisation,unit,cycle,respondent,question_code,answer,comment\n" + row
        answers_import(rows=read_rows("a.csv", data), source_name="a.csv", source_bytes=data)
    assessment_submit(assessment=last, user=lead, confirmed=True, notify=False)

    essential = Cycle.objects.create(
        organisation=org,
        name="2026-Q4",
        framework=profiled,
        profile=profiled.profiles.get(code="essential"),
    )
    factories.assessment(unit, essential)
    carry_forward(cycle=essential, by=lead)
    assert list(CarriedAnswer.objects.values_list("question__code", flat=True)) == ["IDG-FID-1"]


def test_a_consultant_picks_a_profile_when_creating_a_cycle(client, profiled):
    consultant = factories.user("consultant")
    org = factories.organisation("acme", consultants=[consultant])
    factories.unit(org, "north")
    client.force_login(consultant)
    setup = parse(client.get("/assessments/organisations/acme/setup/"))
    options = [text(o) for o in setup.select("#id_cycle-profile option")]
    assert options == ["None: ask every question", "small 1: Essential", "small 1: Full"]

    essential = profiled.profiles.get(code="essential")
    posted = {"cycle-name": "2026-Q4", "cycle-framework": profiled.pk}
    response = client.post(
        "/assessments/organisations/acme/setup/cycles/", posted | {"cycle-profile": essential.pk}
    )
    assert response.status_code == 302
    cycle = Cycle.objects.get(name="2026-Q4")
    assert cycle.profile == essential
    page = parse(client.get("/assessments/organisations/acme/setup/"))
    assert cells(the(page, "#cycles tbody tr"))[1] == "small 1 · profile Essential"


def test_a_profile_of_another_framework_is_refused_by_name(client, profiled):
    consultant = factories.user("consultant")
    factories.organisation("acme", consultants=[consultant])
    client.force_login(consultant)
    other = factories.default_framework()
    essential = profiled.profiles.get(code="essential")
    response = client.post(
        "/assessments/organisations/acme/setup/cycles/",
        {"cycle-name": "2026-Q4", "cycle-framework": other.pk, "cycle-profile": essential.pk},
    )
    assert response.status_code == 400
    page = parse(response)
    assert (
        f"The profile Essential is one of small 1's, not of {other.code} {other.version}'s."
    ) in text(page)
    assert not Cycle.objects.exists()


def test_without_any_profile_the_cycle_form_asks_for_none(client, db):
    consultant = factories.user("consultant")
    factories.organisation("acme", consultants=[consultant])
    factories.small_framework()
    client.force_login(consultant)
    setup = parse(client.get("/assessments/organisations/acme/setup/"))
    assert setup.select("#id_cycle-profile") == []
    assert setup.select("#id_cycle-framework")


def test_the_admin_keeps_a_cycles_profile_once_it_has_assessments(client, profiled):
    assessment, _ = _essential_assessment(profiled)
    admin = factories.user("root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = f"/admin/assessments/cycle/{assessment.cycle_id}/change/"
    page = client.get(url, follow=True)
    messages = [str(m) for m in page.context["messages"]]
    assert any(m.startswith("Read-only here: organisation, framework, profile.") for m in messages)
    client.post(
        url,
        {"name": "2026-Q4", "is_open": "on", "profile": profiled.profiles.get(code="full").pk},
    )
    assert Cycle.objects.get(pk=assessment.cycle_id).profile.code == "essential"


def test_ciso_assistants_implementation_groups_become_profiles():
    library = {
        "urn": "urn:intuitem:risk:library:test",
        "version": 1,
        "objects": {
            "framework": {
                "urn": "urn:intuitem:risk:framework:crisis",
                "ref_id": "crisis",
                "name": "Crisis management",
                "scores_definition": [
                    {"score": 0, "name": "niveau 0"},
                    {"score": 1, "name": "niveau 1"},
                    {"score": 2, "name": "niveau 2"},
                ],
                "implementation_groups_definition": [
                    {"ref_id": "S", "name": "STRATEGIQUE", "description": None},
                    {"ref_id": "O", "name": "OPERATIONNEL CYBER ET IT"},
                ],
                "requirement_nodes": [
                    {"urn": "n:gov", "assessable": False, "name": "Gouvernance"},
                    {
                        "urn": "n:1.1",
                        "parent_urn": "n:gov",
                        "assessable": True,
                        "ref_id": "1.1",
                        "name": "Cellule de crise",
                        "implementation_groups": ["S"],
                    },
                    {
                        "urn": "n:1.2",
                        "parent_urn": "n:gov",
                        "assessable": True,
                        "ref_id": "1.2",
                        "name": "Exercices",
                        "implementation_groups": ["S", "O"],
                    },
                    {
                        "urn": "n:1.3",
                        "parent_urn": "n:gov",
                        "assessable": True,
                        "ref_id": "1.3",
                        "name": "Annuaire",
                    },
                ],
            }
        },
    }
    conversion = ciso_assistant_framework([library], "crisis.yaml")
    assert conversion.framework["profiles"] == [
        {"code": "S", "name": "STRATEGIQUE"},
        {"code": "O", "name": "OPERATIONNEL CYBER ET IT"},
    ]
    questions = conversion.framework["capabilities"][0]["questions"]
    assert [q.get("profiles") for q in questions] == [["S"], ["S", "O"], None]
    assert (
        "requirements in no implementation group: 1 (CISO Assistant leaves them out once "
        "groups are selected; Ladder asks them in every profile)"
    ) in conversion.not_carried
