"""Signing off through the confirmation page: what it lists, the tick it needs, and the
email the unit's other members get (at a real SMTP server, tests/conftest.py)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.domain.answers import AnswerInput
from assessments.models import Assessment, AuditEntry, CarriedAnswer, Membership, SendBack
from assessments.queries.signoff import signoff_summary
from assessments.services.answers import answers_save
from assessments.services.assignments import assignments_set
from assessments.services.errors import SignOffNotConfirmed
from assessments.services.signoff import assessment_submit
from tests import factories
from tests.pages import cells, parse, text, the

CONFIRMED = {"confirm": "on"}
SECRET_COMMENT = "Our matching vendor is Initech"
SECRET_LINK = "https://wiki.example.com/matching-audit"


@pytest.fixture
def unit_world(small):
    organisation = factories.organisation("acme")
    unit = factories.unit(organisation, "uk")
    cycle = factories.cycle(organisation, small)
    assessment = factories.assessment(unit, cycle)
    people = {}
    for name, role in (("ann", "respondent"), ("bob", "respondent"), ("lee", "lead")):
        people[name] = factories.member(unit, role, username=name)
        people[name].email = f"{name}@example.com"
        people[name].save()
    people["cat"] = factories.member(unit, username="cat")  # no email address
    questions = {q.code: q for q in small.questions.all()}
    return assessment, people, questions


def answer(assessment, questions, person, **answers):
    answers_save(
        assessment=assessment,
        respondent=person.username,
        user=person,
        questions=questions,
        answers=answers,
    )


def everything_answered(assessment, questions, person):
    answer(
        assessment,
        questions,
        person,
        **{
            code: AnswerInput(special="na", comment=SECRET_COMMENT, evidence_url=SECRET_LINK)
            for code in questions
        },
    )


def logged_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def page_url(assessment) -> str:
    return reverse("assessment_signoff", kwargs={"pk": assessment.pk})


def submit_url(assessment) -> str:
    return reverse("assessment_submit", kwargs={"pk": assessment.pk})


def rows(table) -> list[list[str]]:
    return [cells(row) for row in table.select("tbody tr")]


def open_everything(assessment, people, questions):
    """ann answers four questions (IDG-REC-1 "don't know"), bob one, disputing ann's level
    of IDG-FID-1; CPL-REC-1 stays unanswered, with bob's carried answer waiting; IDG was
    sent back to bob (open) and to ann (closed)."""
    answer(
        assessment,
        questions,
        people["ann"],
        **{
            "IDG-FID-1": AnswerInput(choice=5),
            "IDG-FID-2": AnswerInput(value=90),
            "IDG-REC-1": AnswerInput(special="dk"),
            "CPL-FID-1": AnswerInput(choice=3),
        },
    )
    answer(assessment, questions, people["bob"], **{"IDG-FID-1": AnswerInput(choice=1)})
    CarriedAnswer.objects.create(
        assessment=assessment,
        respondent="bob",
        user=people["bob"],
        question=questions["CPL-REC-1"],
        choice=2,
        from_cycle=factories.cycle(
            assessment.unit.organisation, questions["CPL-REC-1"].framework, "2026-Q2"
        ),
        carried_at=timezone.now(),
    )
    idg = questions["IDG-FID-1"].capability
    SendBack.objects.create(
        assessment=assessment, capability=idg, user=people["bob"], note="Check the match rate"
    )
    SendBack.objects.create(
        assessment=assessment,
        capability=idg,
        user=people["ann"],
        note="Done",
        state=SendBack.State.CLOSED,
    )


def test_the_page_lists_every_open_point_and_refuses_while_a_question_is_unanswered(
    unit_world,
):
    assessment, people, questions = unit_world
    open_everything(assessment, people, questions)
    response = logged_in(people["lee"]).get(page_url(assessment))
    assert response.status_code == 200
    page = parse(response)
    assert text(the(page, "#signoff-summary")) == (
        "4 respondents have not finished · 1 disputed · 1 don't know · 1 unanswered · "
        "1 open send-back"
    )
    assert rows(the(page, "#unfinished")) == [
        ["ann", "4 of 5"],
        ["bob", "1 of 5"],
        ["cat", "0 of 5"],
        ["lee", "0 of 5"],
    ]
    idg_page = reverse("capability_answers", kwargs={"pk": assessment.pk, "capability_code": "IDG"})
    cpl_page = reverse("capability_answers", kwargs={"pk": assessment.pk, "capability_code": "CPL"})
    [disputed] = the(page, "#disputed").select("li")
    assert text(disputed) == (
        "Identity Graph Enhancements: IDG-FID-1 How are customer identities resolved across "
        "channels?"
    )
    assert disputed.a["href"] == idg_page
    assert rows(the(page, "#dont-know")) == [
        ["Identity Graph Enhancements: IDG-REC-1 Measured RTO", "ann"]
    ]
    [unanswered] = the(page, "#unanswered").select("li")
    assert text(unanswered) == (
        "Consent and Privacy Layer: CPL-REC-1 How is the consent store backed up? — carried "
        "from the last cycle, waiting for bob to confirm"
    )
    assert unanswered.a["href"] == cpl_page
    assert rows(the(page, "#send-backs")) == [["Identity Graph Enhancements", "bob", "Sent back"]]
    assert the(page, "#send-backs").a["href"] == idg_page
    assert text(the(page, "#signoff-blocked")).startswith(
        "Sign-off is not possible yet: 1 question without an answer."
    )
    assert page.select("#signoff-form") == []
    assert "Sign off" not in [text(b) for b in page.select("button")]


def test_with_every_question_answered_the_page_asks_for_the_tick(unit_world):
    assessment, people, questions = unit_world
    everything_answered(assessment, questions, people["ann"])
    page = parse(logged_in(people["lee"]).get(page_url(assessment)))
    assert text(the(page, "#signoff-summary")) == (
        "3 respondents have not finished · 0 disputed · 0 don't know · 0 unanswered · "
        "0 open send-backs"
    )
    form = the(page, "#signoff-form")
    assert form["action"] == submit_url(assessment)
    tick = the(form, "input[type=checkbox][name=confirm]")
    assert tick.has_attr("required")
    assert text(the(form, f"label[for={tick['id']}]")) == (
        "I have reviewed this summary and sign the assessment off in my name*"  # * required
    )
    assert [text(b) for b in form.select("button")] == ["Sign off"]
    assert page.select("#signoff-blocked") == []


def test_signing_off_without_the_tick_is_refused_and_changes_nothing(unit_world, smtp_server):
    assessment, people, questions = unit_world
    everything_answered(assessment, questions, people["ann"])
    response = logged_in(people["lee"]).post(submit_url(assessment), {})
    assert response.status_code == 400
    page = parse(response)
    assert text(the(page, "h1")) == "Sign off Uk — 2026-Q4"
    assert text(the(page, "[role=alert]")) == "Not signed off: tick the confirmation to sign off."
    assert text(the(page, "#id_confirm_error")) == "Tick the confirmation to sign off."
    assert the(page, "#id_confirm")["aria-describedby"] == "id_confirm_error"
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.DRAFT
    assert not AuditEntry.objects.filter(action="assessment.submit").exists()
    assert smtp_server.messages == []


def test_the_service_refuses_a_sign_off_that_was_not_confirmed(unit_world):
    assessment, people, questions = unit_world
    everything_answered(assessment, questions, people["ann"])
    with pytest.raises(SignOffNotConfirmed):
        assessment_submit(assessment=assessment, user=people["lee"], confirmed=False)
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.DRAFT


def test_signing_off_with_the_tick_tells_every_member_but_the_signer_without_answers(
    unit_world, smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.LADDER_BASE_URL = "https://ladder.example.com"
    assessment, people, questions = unit_world
    gone = factories.member(assessment.unit, username="gone")
    gone.email, gone.is_active = "gone@example.com", False
    gone.save()
    everything_answered(assessment, questions, people["ann"])
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(people["lee"]).post(submit_url(assessment), CONFIRMED)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment_overview", kwargs={"pk": assessment.pk})
    signed = Assessment.objects.get(pk=assessment.pk)
    assert signed.status == Assessment.Status.SUBMITTED and signed.submitted_by == people["lee"]
    assert {
        address: len(smtp_server.to(address))
        for address in ("ann@example.com", "bob@example.com", "lee@example.com", "gone@example.com")
    } == {"ann@example.com": 1, "bob@example.com": 1, "lee@example.com": 0, "gone@example.com": 0}
    assert len(smtp_server.messages) == 2  # cat has no address
    [message] = smtp_server.to("bob@example.com")
    assert message["Subject"] == "Uk 2026-Q4 was signed off"
    body = message.get_content()
    when = f"{signed.submitted_at:%A} {signed.submitted_at.day} {signed.submitted_at:%B %Y at %H:%M} UTC"
    assert f"lee signed off the assessment of Uk for 2026-Q4 on {when}." in body
    assert f"https://ladder.example.com/reports/assessments/{assessment.pk}/" in body
    assert f"https://ladder.example.com/assessments/{assessment.pk}/" in body
    for answer_text in (SECRET_COMMENT, SECRET_LINK, "Not applicable"):
        assert answer_text not in body
    told = AuditEntry.objects.get(action="assessment.signed_off_emailed")
    assert (told.actor, told.details["to"]) == ("lee", ["ann", "bob"])


def test_a_refused_email_never_undoes_the_sign_off(
    unit_world, settings, django_capture_on_commit_callbacks
):
    assessment, people, questions = unit_world
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    everything_answered(assessment, questions, people["ann"])
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(people["lee"]).post(submit_url(assessment), CONFIRMED, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Assessment submitted and signed off. It is now read-only."
    ]
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.SUBMITTED
    refused = AuditEntry.objects.filter(action="assessment.signed_off_not_emailed").order_by("pk")
    assert [(e.details["to"], e.details["error"]) for e in refused] == [
        ("ann", "ConnectionRefusedError"),
        ("bob", "ConnectionRefusedError"),
    ]
    assert not AuditEntry.objects.filter(action="assessment.signed_off_emailed").exists()


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: nobody listens


def test_a_signed_off_assessment_has_no_sign_off_page(unit_world):
    assessment, people, questions = unit_world
    everything_answered(assessment, questions, people["ann"])
    assessment_submit(assessment=assessment, user=people["lee"], confirmed=True, notify=False)
    response = logged_in(people["lee"]).get(page_url(assessment), follow=True)
    assert response.redirect_chain == [
        (reverse("assessment_overview", kwargs={"pk": assessment.pk}), 302)
    ]
    assert [str(m) for m in response.context["messages"]] == [
        "This assessment is signed off already."
    ]


def test_the_overview_leads_the_lead_to_the_sign_off_page(unit_world):
    assessment, people, _ = unit_world
    overview = reverse("assessment_overview", kwargs={"pk": assessment.pk})
    link = the(parse(logged_in(people["lee"]).get(overview)), "#sign-off a")
    assert (text(link), link["href"]) == ("Review and sign off…", page_url(assessment))
    assert parse(logged_in(people["ann"]).get(overview)).select("#sign-off") == []


def test_the_summary_takes_twelve_queries_whatever_the_unit_size(
    unit_world, django_assert_num_queries
):
    assessment, people, questions = unit_world
    answer(assessment, questions, people["ann"], **{"IDG-FID-1": AnswerInput(choice=3)})
    assessment = Assessment.objects.select_related("unit", "cycle__framework").get(pk=assessment.pk)
    with django_assert_num_queries(12):
        small = signoff_summary(assessment)
    open_everything(assessment, people, questions)
    for n in range(6):
        person = factories.member(assessment.unit, username=f"extra-{n}")
        answer(assessment, questions, person, **{"CPL-FID-1": AnswerInput(special="dk")})
        SendBack.objects.create(
            assessment=assessment,
            capability=questions["CPL-FID-1"].capability,
            user=person,
            note="Why don't you know?",
        )
    with django_assert_num_queries(12):
        large = signoff_summary(assessment)
    assert (len(small.unfinished), len(small.dont_know), len(small.send_backs)) == (4, 0, 0)
    assert (len(large.unfinished), len(large.dont_know), len(large.send_backs)) == (10, 7, 7)
    assert Membership.objects.filter(unit=assessment.unit).count() == 10


def test_not_finished_means_not_finished_with_ones_own_tasks(unit_world):
    """Ann's only task is the consent layer: she answered it and has finished, though the
    identity graph has none of her answers; Bob, given the identity graph, has not."""
    assessment, people, questions = unit_world
    cpl = questions["CPL-FID-1"].capability
    idg = questions["IDG-FID-1"].capability
    assignments_set(
        assessment=assessment,
        assignments={cpl.pk: {people["ann"].pk}, idg.pk: {people["bob"].pk}},
        by=people["lee"],
    )
    answer(
        assessment,
        questions,
        people["ann"],
        **{"CPL-FID-1": AnswerInput(choice=2), "CPL-REC-1": AnswerInput(choice=2)},
    )
    summary = signoff_summary(assessment)
    unfinished = {u.name: (u.answered, u.total) for u in summary.unfinished}
    assert "ann" not in unfinished
    assert unfinished["bob"] == (0, 3)
