"""Carrying answers forward: a new cycle starts each unit from its last signed-off answers.

Hand-made data on the small framework (tests/factories.py). Cycle 2026-Q2 of acme's unit
uk is signed off with known answers from ann and bob; 2026-Q4 gets them carried. A
carried answer shows as unconfirmed, counts as unanswered for sign-off and is not scored
until its respondent confirms it or answers the question.
"""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from assessments.domain.answers import AnswerInput
from assessments.domain.framework_file import parse_framework
from assessments.models import (
    Answer,
    Assessment,
    AuditEntry,
    CarriedAnswer,
    Membership,
    StoredScore,
)
from assessments.queries.review import unanswered_questions
from assessments.services.answers import answers_save
from assessments.services.carry import carried_confirm, carry_forward
from assessments.services.errors import AssessmentIncomplete, AssessmentLocked
from assessments.services.frameworks import framework_load
from assessments.services.signoff import assessment_reopen, assessment_submit
from tests import factories
from tests.pages import parse, text

# Cycle 2026-Q2's answers, as the respondents gave them.
ANN = {
    "IDG-FID-1": AnswerInput(choice=4, comment="matching service since March"),
    "IDG-FID-2": AnswerInput(value=64.0),  # 62 ≤ 64 < 75: level 3
    "IDG-REC-1": AnswerInput(value=10.0, evidence_url="https://wiki.example/rto"),  # ≤ 24 h: 3
    "CPL-FID-1": AnswerInput(choice=2),
    "CPL-REC-1": AnswerInput(special="dk"),
}
BOB = {
    "IDG-FID-1": AnswerInput(choice=1),
    "CPL-FID-1": AnswerInput(special="na"),
}
ALL = sorted(ANN)


@pytest.fixture
def acme(small):
    consultant = factories.user("consultant")
    org = factories.organisation("acme", consultants=[consultant])
    uk = factories.unit(org, "uk")
    de = factories.unit(org, "de")  # never signed off: nothing to carry
    ann = factories.member(uk, username="ann")
    bob = factories.member(uk, username="bob")
    lead = factories.member(uk, Membership.Role.LEAD, username="lead")
    questions = {q.code: q for q in small.questions.all()}
    q2 = factories.cycle(org, small, "2026-Q2")
    signed = factories.assessment(uk, q2)
    factories.assessment(de, q2)
    for who, answers in (("ann", ANN), ("bob", BOB)):
        answers_save(assessment=signed, respondent=who, questions=questions, answers=answers)
    assessment_submit(assessment=signed, user=lead, confirmed=True)
    q4 = factories.cycle(org, small, "2026-Q4")
    new = factories.assessment(uk, q4)
    return {
        "org": org,
        "q4": q4,
        "new": new,
        "signed": signed,
        "ann": ann,
        "bob": bob,
        "lead": lead,
        "consultant": consultant,
        "questions": questions,
        "small": small,
    }


def carried(assessment, respondent=None) -> dict:
    rows = CarriedAnswer.objects.filter(assessment=assessment).select_related("question")
    if respondent:
        rows = rows.filter(respondent=respondent)
    return {(c.respondent, c.question.code): c.tidy_value for c in rows}


def stored(assessment) -> dict:
    return {
        (s.capability, s.dimension): (round(s.score, 4), s.level)
        for s in StoredScore.objects.filter(assessment=assessment)
    }


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def capability_url(assessment, code):
    return f"/assessments/{assessment.pk}/capabilities/{code}/"


def confirm_url(assessment, code):
    return f"/assessments/{assessment.pk}/capabilities/{code}/confirm-carried/"


def test_every_signed_off_answer_is_carried_and_none_counts_as_answered(acme):
    results = carry_forward(cycle=acme["q4"], by=acme["consultant"])
    by_unit = {r.unit: r for r in results}
    assert (by_unit["uk"].from_cycle, by_unit["uk"].carried, by_unit["uk"].skipped) == (
        "2026-Q2",
        7,
        [],
    )
    assert by_unit["de"].carried == 0 and by_unit["de"].from_cycle == ""
    assert carried(acme["new"]) == {
        ("ann", "IDG-FID-1"): "4",
        ("ann", "IDG-FID-2"): "64",
        ("ann", "IDG-REC-1"): "10",
        ("ann", "CPL-FID-1"): "2",
        ("ann", "CPL-REC-1"): "dk",
        ("bob", "IDG-FID-1"): "1",
        ("bob", "CPL-FID-1"): "na",
    }
    comment = CarriedAnswer.objects.get(
        assessment=acme["new"], respondent="ann", question__code="IDG-FID-1"
    ).comment
    assert comment == "matching service since March"
    # Not answers: nothing answered, nothing scored, every question unanswered for sign-off.
    assert not Answer.objects.filter(response__assessment=acme["new"]).exists()
    assert stored(acme["new"]) == {}
    assert [q.code for q in unanswered_questions(acme["new"])] == [
        "IDG-FID-1",
        "IDG-FID-2",
        "IDG-REC-1",
        "CPL-FID-1",
        "CPL-REC-1",
    ]
    with pytest.raises(AssessmentIncomplete) as refused:
        assessment_submit(assessment=acme["new"], user=acme["lead"], confirmed=True)
    assert len(refused.value.missing) == 5
    # de had no assessment in 2026-Q4: carrying gave it one, as set-up would have.
    assert Assessment.objects.filter(cycle=acme["q4"], unit__slug="de").exists()


def test_the_pages_show_every_carried_answer_unconfirmed_and_nothing_answered(acme):
    carry_forward(cycle=acme["q4"], by=acme["consultant"])
    client = logged_in(acme["ann"])
    page = parse(client.get(capability_url(acme["new"], "IDG")))
    assert [text(box) for box in page.select(".carried-answer")] == [
        "Unconfirmed From 2026-Q2: 4 — Optimized, “matching service since March” — confirm or "
        "change. Keep this answer",
        "Unconfirmed From 2026-Q2: 64 % — confirm or change. Keep this answer",
        "Unconfirmed From 2026-Q2: 10 hours (evidence: https://wiki.example/rto) — confirm or "
        "change. Keep this answer",
    ]
    assert "Confirm all 3 carried answers of this capability" in text(
        page.select_one("#carried-all")
    )
    # The inputs are not filled with the carried answer: a Save never confirms by accident.
    assert page.select("input[type=radio][checked]") == []
    assert page.select_one("#id_IDG-FID-2")["value"] == ""
    assert page.select_one("#id_IDG-FID-1-comment").text.strip() == ""
    # Saving the page as it is keeps them carried and answers nothing.
    response = client.post(capability_url(acme["new"], "IDG"), {"save": ""})
    assert response.status_code == 302
    assert len(carried(acme["new"], "ann")) == 5
    assert not Answer.objects.filter(response__assessment=acme["new"]).exists()
    overview = parse(client.get(f"/assessments/{acme['new'].pk}/"))
    assert [text(b) for b in overview.select("#capabilities .carried-count")] == [
        "3 carried to confirm",
        "2 carried to confirm",
    ]
    assert text(overview.select_one("#carried-note")).startswith(
        "5 of your answers were carried from 2026-Q2, the unit's last signed-off cycle: they "
        "count as unanswered until you keep or change them"
    )
    assert [text(td) for td in overview.select("#capabilities td:nth-of-type(2) span.small")] == [
        "0 of 3",
        "0 of 2",
    ]
    # bob sees only his own.
    bob_page = parse(logged_in(acme["bob"]).get(capability_url(acme["new"], "IDG")))
    assert [text(b) for b in bob_page.select(".carried-answer strong")] == ["1 — Initial"]


def test_confirming_a_capability_scores_exactly_its_confirmed_answers(acme):
    carry_forward(cycle=acme["q4"], by=acme["consultant"])
    client = logged_in(acme["ann"])
    response = client.post(confirm_url(acme["new"], "IDG"))
    assert response.status_code == 302 and response["Location"] == capability_url(
        acme["new"], "IDG"
    )
    ann_answers = {
        a.question.code: (a.tidy_value, a.comment, a.evidence_url, a.version)
        for a in Answer.objects.filter(response__respondent="ann", response__assessment=acme["new"])
    }
    assert ann_answers == {
        "IDG-FID-1": ("4", "matching service since March", "", 1),
        "IDG-FID-2": ("64", "", "", 1),
        "IDG-REC-1": ("10", "", "https://wiki.example/rto", 1),
    }
    assert carried(acme["new"], "ann") == {("ann", "CPL-FID-1"): "2", ("ann", "CPL-REC-1"): "dk"}
    # Only ann's confirmed IDG answers count; bob's carried level 1 would have pulled
    # IDG-FID-1's median down to 1. Fidelity: (4 × 2 + 3 × 1) / 3 = 3.6667, level 3;
    # recovery: 10 hours is level 3; IDG: mean 3.3333, lowest level 3. CPL: nothing.
    assert stored(acme["new"]) == {
        ("IDG", "fidelity"): (3.6667, 3),
        ("IDG", "recovery"): (3.0, 3),
        ("IDG", ""): (3.3333, 3),
    }
    assert [q.code for q in unanswered_questions(acme["new"])] == ["CPL-FID-1", "CPL-REC-1"]
    page = parse(client.get(capability_url(acme["new"], "IDG")))
    assert page.select(".carried-answer") == [] and page.select_one("#carried-all") is None
    assert page.select_one("#id_IDG-FID-1_3").has_attr("checked")  # now her answer: shown
    entry = AuditEntry.objects.get(action="answers.confirm")
    assert (entry.actor, entry.unit) == ("ann", "uk")
    assert entry.details["questions"] == ["IDG-FID-1", "IDG-FID-2", "IDG-REC-1"]
    assert entry.details["from_cycle"] == ["2026-Q2"] and entry.details["cycle"] == "2026-Q4"
    change = AuditEntry.objects.get(action="answers.change", details__cycle="2026-Q4")
    assert change.details["source"] == "carried"
    assert change.details["changes"]["IDG-FID-1"] == [None, "4"]


def test_keeping_one_answer_confirms_that_question_only(acme):
    carry_forward(cycle=acme["q4"], by=acme["consultant"])
    client = logged_in(acme["ann"])
    page = parse(client.get(capability_url(acme["new"], "CPL")))
    form = page.select_one("#keep-CPL-REC-1")
    assert form["action"] == confirm_url(acme["new"], "CPL")
    assert page.select_one("#q-CPL-REC-1-carried button")["form"] == "keep-CPL-REC-1"
    kept = client.post(form["action"], {"question": "CPL-REC-1"})
    assert kept["Location"] == capability_url(acme["new"], "CPL") + "#q-CPL-REC-1"
    assert carried(acme["new"], "ann") == {
        ("ann", "IDG-FID-1"): "4",
        ("ann", "IDG-FID-2"): "64",
        ("ann", "IDG-REC-1"): "10",
        ("ann", "CPL-FID-1"): "2",
    }
    assert Answer.objects.get(
        response__assessment=acme["new"], response__respondent="ann", question__code="CPL-REC-1"
    ).special == ("dk")
    # A question of another capability named on this one's address confirms nothing.
    client.post(confirm_url(acme["new"], "CPL"), {"question": "IDG-FID-1"})
    assert ("ann", "IDG-FID-1") in carried(acme["new"], "ann")


def test_changing_an_answer_drops_its_carried_answer_and_scores_the_new_one(acme):
    carry_forward(cycle=acme["q4"], by=acme["consultant"])
    client = logged_in(acme["ann"])
    # The form: CPL-FID-1 answered 5 (it was 2); CPL-REC-1 left as carried.
    response = client.post(capability_url(acme["new"], "CPL"), {"CPL-FID-1": "5", "save": ""})
    assert response.status_code == 302
    assert ("ann", "CPL-FID-1") not in carried(acme["new"], "ann")
    assert ("ann", "CPL-REC-1") in carried(acme["new"], "ann")
    assert stored(acme["new"])[("CPL", "fidelity")] == (5.0, 5)
    assert ("CPL", "recovery") not in stored(acme["new"])
    # Autosave: choosing the carried answer itself counts as a change, and drops it too.
    response = client.post(
        f"{capability_url(acme['new'], 'CPL')}autosave/",
        {"answers": {"CPL-REC-1": {"answer": "dk", "version": 0}}},
        content_type="application/json",
    )
    assert response.status_code == 200 and "CPL-REC-1" in response.json()["saved"]
    assert ("ann", "CPL-REC-1") not in carried(acme["new"], "ann")
    assert stored(acme["new"])[("CPL", "recovery")] == (1.0, 1)  # don't know: level 1


def test_a_second_carry_adds_nothing_and_never_touches_an_answer(acme):
    carry_forward(cycle=acme["q4"], by=acme["consultant"])
    confirm = logged_in(acme["ann"]).post(confirm_url(acme["new"], "IDG"))
    assert confirm.status_code == 302
    # bob answers IDG-FID-1 himself: 3, not the carried 1.
    answers_save(
        assessment=acme["new"],
        respondent="bob",
        questions=acme["questions"],
        answers={"IDG-FID-1": AnswerInput(choice=3)},
    )
    before = carried(acme["new"])
    again = {r.unit: r for r in carry_forward(cycle=acme["q4"], by=acme["consultant"])}
    assert carried(acme["new"]) == before
    assert (again["uk"].carried, again["uk"].already) == (0, 7)
    assert str(again["uk"]) == "uk: 0 answer(s) carried from 2026-Q2, 7 already answered or carried"
    assert (
        Answer.objects.get(
            response__assessment=acme["new"], response__respondent="bob", question__code="IDG-FID-1"
        ).choice
        == 3
    )
    assert AuditEntry.objects.filter(action="answers.carry").count() == 1
    entry = AuditEntry.objects.get(action="answers.carry")
    assert (entry.unit, entry.actor) == ("uk", "consultant")
    assert entry.details == {
        "assessment": acme["new"].pk,
        "cycle": "2026-Q4",
        "from_cycle": "2026-Q2",
        "carried": 7,
        "already": 0,
        "skipped": [],
    }


def test_carrying_into_another_framework_version_matches_questions_by_code(acme):
    # Version 2 renames IDG-FID-1 (a new question: nothing to carry) and drops CPL-REC-1.
    spec = factories.SMALL_FRAMEWORK.replace('version: "1"', 'version: "2"')
    spec = spec.replace("code: IDG-FID-1", "code: IDG-FID-9")
    spec = spec[: spec.index("      - code: CPL-REC-1")]
    v2, _ = framework_load(spec=parse_framework(spec, "small-v2.yaml"))
    q3 = factories.cycle(acme["org"], v2, "2026-Q3")
    results = {r.unit: r for r in carry_forward(cycle=q3, by="carry_forward")}
    assert results["uk"].skipped == ["IDG-FID-1", "CPL-REC-1"]
    assert results["uk"].carried == 4  # ann's IDG-FID-2, IDG-REC-1, CPL-FID-1; bob's CPL-FID-1
    target = Assessment.objects.get(cycle=q3, unit__slug="uk")
    assert set(carried(target)) == {
        ("ann", "IDG-FID-2"),
        ("ann", "IDG-REC-1"),
        ("ann", "CPL-FID-1"),
        ("bob", "CPL-FID-1"),
    }
    assert all(
        c.question.framework_id == v2.pk for c in CarriedAnswer.objects.filter(assessment=target)
    )
    # From the latest signed-off cycle that sorts before 2026-Q3.
    assert results["uk"].from_cycle == "2026-Q2"


def test_only_signed_off_earlier_assessments_are_carried(acme):
    signed = acme["signed"]
    assessment_reopen(assessment=signed, user=acme["lead"], reason="one more answer")
    results = {r.unit: r for r in carry_forward(cycle=acme["q4"], by="carry_forward")}
    assert results["uk"].from_cycle == "" and carried(acme["new"]) == {}
    assert not AuditEntry.objects.filter(action="answers.carry").exists()


def test_a_signed_off_cycle_gets_nothing_and_cannot_be_confirmed(acme):
    carry_forward(cycle=acme["q4"], by="carry_forward")
    # Everyone else answers every question; the lead signs off with ann's carried left.
    answers_save(
        assessment=acme["new"],
        respondent="lead",
        questions=acme["questions"],
        answers={code: AnswerInput(choice=3) for code in ALL if code.endswith("FID-1")}
        | {"IDG-FID-2": AnswerInput(value=70.0), "IDG-REC-1": AnswerInput(value=2.0)}
        | {"CPL-REC-1": AnswerInput(choice=3)},
    )
    assessment_submit(assessment=acme["new"], user=acme["lead"], confirmed=True)
    capability = acme["small"].capabilities.get(code="IDG")
    with pytest.raises(AssessmentLocked):
        carried_confirm(
            assessment=acme["new"], respondent="ann", user=acme["ann"], capability=capability
        )
    response = logged_in(acme["ann"]).post(confirm_url(acme["new"], "IDG"))
    assert response.status_code == 302 and response["Location"] == f"/assessments/{acme['new'].pk}/"
    assert len(carried(acme["new"], "ann")) == 5
    page = parse(logged_in(acme["ann"]).get(capability_url(acme["new"], "IDG")))
    assert page.select(".carried-answer") == []  # read-only: nothing to confirm
    results = {r.unit: r for r in carry_forward(cycle=acme["q4"], by="carry_forward")}
    assert results["uk"].locked


def test_who_may_confirm(acme):
    carry_forward(cycle=acme["q4"], by="carry_forward")
    url = confirm_url(acme["new"], "IDG")
    outsider = factories.user("outsider")
    assert logged_in(outsider).post(url).status_code == 404
    assert logged_in(acme["consultant"]).post(url).status_code == 403
    admin = factories.user("admin", is_superuser=True, is_staff=True)
    assert logged_in(admin).post(url).status_code == 403
    assert logged_in(acme["ann"]).get(url).status_code == 405
    anonymous = Client().post(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/?next=")
    assert logged_in(acme["ann"]).post(confirm_url(acme["new"], "NOPE")).status_code == 404
    assert len(carried(acme["new"])) == 7
    # The lead answers too, but has nothing carried: confirming keeps nothing of ann's.
    assert logged_in(acme["lead"]).post(url).status_code == 302
    assert len(carried(acme["new"])) == 7


def test_downloads_and_uploads_do_not_mind_carried_answers(acme):
    carry_forward(cycle=acme["q4"], by="carry_forward")
    consultant = logged_in(acme["consultant"])
    csv = consultant.get("/reports/portfolio/answers.csv?organisation=acme&cycle=2026-Q4")
    assert csv.status_code == 200
    assert len(csv.content.decode().strip().splitlines()) == 1  # the header only
    scores = consultant.get(f"/reports/assessments/{acme['new'].pk}/scores.csv")
    assert scores.status_code == 200
    assert consultant.get(f"/reports/assessments/{acme['new'].pk}/").status_code == 200
    workbook = consultant.get(f"/assessments/{acme['new'].pk}/workbook/")
    assert workbook.status_code == 200
    review = parse(consultant.get(f"/assessments/{acme['new'].pk}/answers/"))
    assert "4 — Optimized" not in text(review)


def test_an_offline_workbook_answer_replaces_the_carried_one(acme):
    from tests.test_offline_workbook import download, fill, upload

    carry_forward(cycle=acme["q4"], by="carry_forward")
    client = Client()
    data = fill(download(client, acme["lead"], acme["new"]), "ann", {"IDG-FID-1": (2, None)})
    response = upload(client, acme["lead"], acme["new"], data)
    assert response.status_code in (200, 302), response.content.decode()[:500]
    assert (
        Answer.objects.get(
            response__assessment=acme["new"], response__respondent="ann", question__code="IDG-FID-1"
        ).choice
        == 2
    )
    assert ("ann", "IDG-FID-1") not in carried(acme["new"], "ann")
    assert len(carried(acme["new"])) == 6


def test_a_consultant_starts_a_new_cycle_from_the_last_signed_off_answers(acme):
    client = logged_in(acme["consultant"])
    response = client.post(
        "/assessments/organisations/acme/setup/cycles/",
        {"cycle-name": "2027-Q1", "cycle-framework": acme["small"].pk, "cycle-carry": "on"},
        follow=True,
    )
    assert response.status_code == 200
    assert "7 answer(s) carried from the units' last signed-off cycles" in text(parse(response))
    new = Assessment.objects.get(cycle__name="2027-Q1", unit__slug="uk")
    assert len(carried(new)) == 7 and carried(new, "bob") == {
        ("bob", "IDG-FID-1"): "1",
        ("bob", "CPL-FID-1"): "na",
    }
    created = AuditEntry.objects.get(action="cycle.created", details__cycle="2027-Q1")
    assert created.details["carry"] is True
    assert AuditEntry.objects.get(action="answers.carry", details__cycle="2027-Q1").unit == "uk"
    # Without the box ticked, a cycle starts empty.
    client.post(
        "/assessments/organisations/acme/setup/cycles/",
        {"cycle-name": "2027-Q2", "cycle-framework": acme["small"].pk},
    )
    assert not CarriedAnswer.objects.filter(assessment__cycle__name="2027-Q2").exists()


def test_the_set_up_page_carries_answers_into_an_existing_cycle(acme):
    client = logged_in(acme["consultant"])
    page = parse(client.get("/assessments/organisations/acme/setup/"))
    url = f"/assessments/organisations/acme/setup/cycles/{acme['q4'].pk}/carry/"
    assert [f["action"] for f in page.select("#cycles form")] == [
        url,
        f"/assessments/organisations/acme/setup/cycles/{acme['signed'].cycle_id}/carry/",
    ]
    response = client.post(url, follow=True)
    shown = text(parse(response))
    assert "7 answer(s) carried into 2026-Q4." in shown
    assert "uk: 7 answer(s) carried from 2026-Q2" in shown
    assert "de: no signed-off assessment in an earlier cycle" in shown
    assert len(carried(acme["new"])) == 7
    assert "0 answer(s) carried into 2026-Q4." in text(parse(client.post(url, follow=True)))
    assert len(carried(acme["new"])) == 7
    # Another organisation's cycle is not found from acme's address.
    other = factories.organisation("globex", consultants=[acme["consultant"]])
    globex_cycle = factories.cycle(other, acme["small"], "2026-Q4")
    wrong = f"/assessments/organisations/acme/setup/cycles/{globex_cycle.pk}/carry/"
    assert client.post(wrong).status_code == 404
    assert logged_in(acme["ann"]).post(url).status_code == 403


def test_the_lead_refused_sign_off_sees_whose_carried_answers_wait(acme):
    carry_forward(cycle=acme["q4"], by="carry_forward")
    logged_in(acme["ann"]).post(confirm_url(acme["new"], "IDG"))
    response = logged_in(acme["lead"]).post(
        f"/assessments/{acme['new'].pk}/submit/", {"confirm": "on"}
    )
    assert response.status_code == 400
    page = parse(response)
    assert [text(li) for li in page.select("ul.unanswered li")] == [
        "CPL-FID-1 How is consent captured? — carried from the last cycle, waiting for ann, "
        "bob to confirm",
        "CPL-REC-1 How is the consent store backed up? — carried from the last cycle, waiting "
        "for ann to confirm",
    ]
    assert Assessment.objects.get(pk=acme["new"].pk).status == Assessment.Status.DRAFT


def test_an_answer_that_no_longer_fits_its_question_is_skipped(acme):
    # Version 3 measures consent capture instead of asking for a level.
    spec = factories.SMALL_FRAMEWORK.replace('version: "1"', 'version: "3"')
    start = spec.index("        type: choice\n        text: How is consent captured?")
    end = spec.index("\n", spec.index("        options:", start))
    spec = (
        spec[:start]
        + "        type: numeric\n"
        + '        unit: "%"\n'
        + "        text: Share of consent captured centrally\n"
        + "        thresholds: {2: 25, 3: 50, 4: 75, 5: 95}"
        + spec[end:]
    )
    v3, _ = framework_load(spec=parse_framework(spec, "small-v3.yaml"))
    q3 = factories.cycle(acme["org"], v3, "2026-Q3")
    results = {r.unit: r for r in carry_forward(cycle=q3, by="carry_forward")}
    target = Assessment.objects.get(cycle=q3, unit__slug="uk")
    # ann's level 2 is no measured value: skipped; bob's "not applicable" still fits.
    assert results["uk"].skipped == ["CPL-FID-1"] and results["uk"].carried == 6
    assert ("ann", "CPL-FID-1") not in carried(target)
    assert carried(target)[("bob", "CPL-FID-1")] == "na"


# --- manage.py carry_forward ---------------------------------------------------------------------


def carry_command(*args) -> list[str]:
    out = io.StringIO()
    call_command("carry_forward", *args, stdout=out)
    return out.getvalue().splitlines()


def test_the_command_carries_each_units_answers_once(acme):
    lines = carry_command("--organisation", "acme", "--cycle", "2026-Q4")
    assert lines == [
        "de: no signed-off assessment in an earlier cycle",
        "uk: 7 answer(s) carried from 2026-Q2",
        "7 answer(s) carried into 2026-Q4 for 2 unit(s).",
    ]
    assert len(carried(acme["new"])) == 7
    [entry] = AuditEntry.objects.filter(action="answers.carry")
    assert (entry.unit, entry.actor, entry.details["carried"]) == ("uk", "", 7)
    again = carry_command("--organisation", "acme", "--cycle", "2026-Q4")
    assert again == [
        "de: no signed-off assessment in an earlier cycle",
        "uk: 0 answer(s) carried from 2026-Q2, 7 already answered or carried",
        "0 answer(s) carried into 2026-Q4 for 2 unit(s).",
    ]
    assert len(carried(acme["new"])) == 7
    assert AuditEntry.objects.filter(action="answers.carry").count() == 1


@pytest.mark.parametrize(
    "args, says",
    [
        (
            ["--organisation", "globex", "--cycle", "2026-Q4"],
            "no organisation 'globex' (known: acme)",
        ),
        (
            ["--organisation", "acme", "--cycle", "2027-Q1"],
            "organisation 'acme' has no cycle '2027-Q1' (known: 2026-Q2, 2026-Q4)",
        ),
    ],
)
def test_the_command_names_an_unknown_organisation_or_cycle(acme, args, says):
    with pytest.raises(CommandError) as error:
        carry_command(*args)
    assert says in str(error.value)
    assert not CarriedAnswer.objects.exists()


def test_the_command_refuses_a_closed_cycle(acme):
    acme["q4"].is_open = False
    acme["q4"].save()
    with pytest.raises(CommandError, match="cycle '2026-Q4' of 'acme' is closed"):
        carry_command("--organisation", "acme", "--cycle", "2026-Q4")
    assert not CarriedAnswer.objects.exists()
