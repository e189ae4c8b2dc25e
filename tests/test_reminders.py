"""Reminders (manage.py send_reminders and the "Remind" button), sent to a real SMTP server
(tests/conftest.py smtp_server)."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessments.domain.answers import AnswerInput
from assessments.models import AuditEntry, Reminder
from assessments.services.answers import answers_save
from assessments.services.assignments import assignments_set
from assessments.services.reminders import set_reminders
from tests import factories

DEADLINE = datetime.date(2026, 12, 20)


@pytest.fixture
def unit_world(small):
    consultant = factories.user("consultant", email="consultant@example.com")
    organisation = factories.organisation("acme", consultants=[consultant])
    unit = factories.unit(organisation, "uk")
    cycle = factories.cycle(organisation, small)
    cycle.deadline = DEADLINE
    cycle.save()
    assessment = factories.assessment(unit, cycle)
    people = {}
    for name, role in (("ana", "respondent"), ("ben", "respondent"), ("lea", "lead")):
        person = factories.member(unit, role, username=name)
        person.email = f"{name}@example.com"
        person.save()
        people[name] = person
    return assessment, people, consultant


def run(day) -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_reminders", "--today", day.isoformat(), stdout=out)
    return out.getvalue()


def answer(assessment, person, every=True):
    questions = {q.code: q for q in assessment.cycle.framework.questions.all()}
    if not every:
        questions = dict(list(questions.items())[:1])
    answers_save(
        assessment=assessment,
        respondent=person.username,
        user=person,
        questions=questions,
        answers={code: AnswerInput(special="dk") for code in questions},
    )


def inboxes(smtp_server) -> dict[str, int]:
    return {name: len(smtp_server.to(f"{name}@example.com")) for name in ("ana", "ben", "lea")}


def test_running_twice_on_one_day_sends_each_reminder_once(unit_world, smtp_server):
    assessment, people, _ = unit_world
    first = run(DEADLINE - datetime.timedelta(7))
    second = run(DEADLINE - datetime.timedelta(7))
    assert inboxes(smtp_server) == {"ana": 1, "ben": 1, "lea": 1}
    assert "sent: 7d to ana" in first and "3 sent" in first
    assert "already sent: 7d to ana" in second and "0 sent" in second
    [message] = smtp_server.to("ana@example.com")
    assert "due in 7 days" in message["Subject"]
    body = message.get_content()
    assert reverse("email_preferences") in body and "stop these reminders" in body
    assert f"/assessments/{assessment.pk}/" in body
    assert Reminder.objects.count() == 3
    assert AuditEntry.objects.filter(organisation="acme", action="reminder.sent").count() == 3


@pytest.mark.parametrize(
    ("offset", "kind", "subject"),
    [(7, "7d", "due in 7 days"), (1, "1d", "due tomorrow"), (-1, "overdue", "Overdue")],
)
def test_each_kind_falls_on_its_day(unit_world, smtp_server, offset, kind, subject):
    run(DEADLINE - datetime.timedelta(offset))
    [message] = smtp_server.to("ben@example.com")
    assert subject in message["Subject"]
    assert set(Reminder.objects.values_list("kind", flat=True)) == {kind}


@pytest.mark.parametrize("offset", [8, 6, 2, 0, -2, -30])
def test_no_reminder_on_other_days(unit_world, smtp_server, offset):
    out = run(DEADLINE - datetime.timedelta(offset))
    assert smtp_server.messages == []
    assert "0 sent, 0 skipped" in out


def test_opted_out_people_get_none(unit_world, smtp_server):
    _, people, _ = unit_world
    set_reminders(people["ana"], False)
    out = run(DEADLINE - datetime.timedelta(1))
    assert inboxes(smtp_server) == {"ana": 0, "ben": 1, "lea": 1}
    assert "opted out: 1d to ana" in out


def test_a_person_who_answered_everything_gets_none(unit_world, smtp_server):
    assessment, people, _ = unit_world
    answer(assessment, people["ana"])
    answer(assessment, people["ben"], every=False)
    out = run(DEADLINE + datetime.timedelta(1))
    assert inboxes(smtp_server) == {"ana": 0, "ben": 1, "lea": 1}
    assert "finished: overdue to ana" in out
    body = smtp_server.to("ben@example.com")[0].get_content()
    assert "Don't know" not in body and "dk" not in body.split()


def test_reminders_follow_assignments(unit_world, smtp_server):
    """Ana has only the consent layer as her task: once she has answered it she is done and
    gets no reminder, though she never touched the identity graph; Ben, whose task it is
    with nothing answered, is told how many questions of his tasks are left."""
    assessment, people, _ = unit_world
    capabilities = {c.code: c for c in assessment.cycle.framework.capabilities.all()}
    assignments_set(
        assessment=assessment,
        assignments={
            capabilities["CPL"].pk: {people["ana"].pk},
            capabilities["IDG"].pk: {people["ben"].pk, people["lea"].pk},
        },
        by=people["lea"],
    )
    cpl = {q.code: q for q in capabilities["CPL"].questions.all()}
    answers_save(
        assessment=assessment,
        respondent="ana",
        user=people["ana"],
        questions=cpl,
        answers={code: AnswerInput(special="dk") for code in cpl},
    )
    before = inboxes(smtp_server)
    out = run(DEADLINE - datetime.timedelta(1))
    assert "finished: 1d to ana" in out
    assert {name: n - before[name] for name, n in inboxes(smtp_server).items()} == {
        "ana": 0,
        "ben": 1,
        "lea": 1,
    }
    [reminder] = [m for m in smtp_server.to("ben@example.com") if "due tomorrow" in m["Subject"]]
    assert "answered 0 of the 3 questions of your tasks; 3 to go" in reminder.get_content()


def test_signed_off_or_deadline_less_assessments_get_none(unit_world, smtp_server):
    assessment, _, _ = unit_world
    assessment.cycle.deadline = None
    assessment.cycle.save()
    run(DEADLINE - datetime.timedelta(7))
    assert smtp_server.messages == []


def test_a_failed_send_is_retried_by_the_next_run(unit_world, smtp_server, settings):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    with pytest.raises(Exception, match="not sent"):
        run(DEADLINE - datetime.timedelta(7))
    assert Reminder.objects.count() == 0
    settings.EMAIL_PORT = port
    run(DEADLINE - datetime.timedelta(7))
    assert inboxes(smtp_server) == {"ana": 1, "ben": 1, "lea": 1}


def test_the_lead_reminds_a_respondent_once_a_day(unit_world, smtp_server):
    assessment, people, _ = unit_world
    client = Client()
    client.force_login(people["lea"])
    page = client.get(reverse("assessment_overview", args=[assessment.pk]))
    url = reverse("assessment_remind", args=[assessment.pk, people["ana"].pk])
    assert url.encode() in page.content
    first = client.post(url, follow=True)
    assert b"A reminder was sent to ana" in first.content
    second = client.post(url, follow=True)
    assert b"reminded today already" in second.content
    [message] = smtp_server.to("ana@example.com")
    assert "lea asks you" in message.get_content()
    entry = AuditEntry.objects.get(organisation="acme", action="reminder.sent")
    assert entry.details["kind"] == "manual" and entry.details["to"] == "ana"


def test_remind_refuses_someone_outside_the_unit_and_the_opted_out(unit_world, smtp_server):
    assessment, people, consultant = unit_world
    client = Client()
    client.force_login(consultant)
    stranger = factories.user("stranger", email="s@example.com")
    assert (
        client.post(reverse("assessment_remind", args=[assessment.pk, stranger.pk])).status_code
        == 404
    )
    set_reminders(people["ben"], False)
    page = client.post(
        reverse("assessment_remind", args=[assessment.pk, people["ben"].pk]), follow=True
    )
    assert b"turned reminders off" in page.content
    assert smtp_server.messages == []


def test_the_preferences_page_turns_reminders_off_and_on(unit_world):
    _, people, _ = unit_world
    client = Client()
    client.force_login(people["ana"])
    assert b"Email preferences" in client.get(reverse("home")).content
    client.post(reverse("email_preferences"), {})
    assert not people["ana"].email_preference.reminders
    page = client.get(reverse("email_preferences"))
    assert b'id="id_reminders" checked' not in page.content
    client.post(reverse("email_preferences"), {"reminders": "on"})
    people["ana"].email_preference.refresh_from_db()
    assert people["ana"].email_preference.reminders
