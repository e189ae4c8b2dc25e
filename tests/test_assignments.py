"""Assigning capabilities (docs/cycles.md, "Assigning capabilities"): the lead's grid, the
emails to whoever gains tasks (at a real SMTP server), each person's tasks on home, and
the overview's table of who has finished."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.domain.answers import AnswerInput
from assessments.models import (
    Answer,
    Assessment,
    Assignment,
    AuditEntry,
    CarriedAnswer,
    Membership,
    SendBack,
)
from assessments.services.answers import answers_save
from tests import factories
from tests.pages import cells, parse, text, the

DEADLINE = datetime.date(2026, 12, 20)


@pytest.fixture
def world(small, settings):
    settings.LADDER_BASE_URL = "https://ladder.example.com"
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


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def capability_pk(assessment, code: str) -> int:
    return assessment.cycle.framework.capabilities.get(code=code).pk


def grid(assessment, **ticked) -> dict:
    """The grid's POST: capability code → the people ticked."""
    return {
        f"assign-{capability_pk(assessment, code)}": [p.pk for p in people]
        for code, people in ticked.items()
    }


def save(client, assessment, data, capture):
    with capture(execute=True):
        return client.post(
            reverse("assessment_assignments", args=[assessment.pk]), data, follow=True
        )


def stored(assessment) -> set[tuple[str, str]]:
    return set(
        Assignment.objects.filter(assessment=assessment).values_list(
            "user__username", "capability__code"
        )
    )


def answer(assessment, person, answers: dict[str, AnswerInput]):
    questions = {q.code: q for q in assessment.cycle.framework.questions.all()}
    answers_save(
        assessment=assessment,
        respondent=person.username,
        user=person,
        questions={code: questions[code] for code in answers},
        answers=answers,
    )


def test_the_grid_shows_everyone_everything_until_assigned(world):
    assessment, people, _ = world
    page = parse(
        client_of(people["lea"]).get(reverse("assessment_assignments", args=[assessment.pk]))
    )
    rows = page.select("#assignment-grid tbody tr")
    assert [text(row.th) for row in rows] == [
        "Identity Graph Enhancements everyone",
        "Consent and Privacy Layer everyone",
    ]
    boxes = page.select("#assignment-grid input[type=checkbox]")
    assert len(boxes) == 6 and all(box.has_attr("checked") for box in boxes)
    assert [text(th) for th in page.select("#assignment-grid thead th")][1:] == [
        "ana Respondent",
        "ben Respondent",
        "lea Unit lead",
    ]


def test_saving_the_grid_stores_it_and_emails_only_who_gains(
    world, smtp_server, django_capture_on_commit_callbacks
):
    assessment, people, _ = world
    lead = client_of(people["lea"])
    everyone = list(people.values())
    # Identity graph to ana alone: ben and lea lose it, nobody gains anything.
    page = save(
        lead,
        assessment,
        grid(assessment, IDG=[people["ana"]], CPL=everyone),
        django_capture_on_commit_callbacks,
    )
    assert "Saved: 0 given, 2 taken away." in text(parse(page))
    assert stored(assessment) == {("ana", "IDG")}  # CPL ticked for everyone: no rows
    assert smtp_server.messages == []
    entry = AuditEntry.objects.get(organisation="acme", action="assignments.changed")
    assert entry.actor == "lea"
    assert entry.details["added"] == []
    assert entry.details["removed"] == ["ben IDG", "lea IDG"]
    # Then ben too: one email, to ben.
    page = save(
        lead,
        assessment,
        grid(assessment, IDG=[people["ana"], people["ben"]], CPL=everyone),
        django_capture_on_commit_callbacks,
    )
    assert "An email goes to ben." in text(parse(page))
    assert stored(assessment) == {("ana", "IDG"), ("ben", "IDG")}
    assert [len(smtp_server.to(f"{n}@example.com")) for n in ("ana", "ben", "lea")] == [0, 1, 0]
    [message] = smtp_server.to("ben@example.com")
    assert message["Subject"] == "Your part of Uk 2026-Q4"
    body = message.get_content()
    assert "lea has given you this capability to answer" in body
    assert "- Identity Graph Enhancements" in body and "Consent and Privacy" not in body
    assert "due on Sunday 20 December 2026" in body
    assert f"https://ladder.example.com/assessments/{assessment.pk}/" in body
    assert "turning reminders off does not stop it" in body
    # The grid shows the assignment.
    page = parse(lead.get(reverse("assessment_assignments", args=[assessment.pk])))
    idg = the(page, '#assignment-grid tr[data-capability="IDG"]')
    assert [box.has_attr("checked") for box in idg.select("input")] == [True, True, False]
    assert "everyone" not in text(idg)
    # Back to everyone: lea gains it back (one email), no rows stored.
    save(
        lead,
        assessment,
        grid(assessment, IDG=everyone, CPL=everyone),
        django_capture_on_commit_callbacks,
    )
    assert stored(assessment) == set()
    assert len(smtp_server.to("lea@example.com")) == 1


def test_an_email_is_sent_to_those_who_turned_reminders_off(
    world, smtp_server, django_capture_on_commit_callbacks
):
    from assessments.services.reminders import set_reminders

    assessment, people, _ = world
    Assignment.objects.create(
        assessment=assessment, capability_id=capability_pk(assessment, "CPL"), user=people["ana"]
    )
    set_reminders(people["ben"], False)
    save(
        client_of(people["lea"]),
        assessment,
        grid(assessment, IDG=list(people.values()), CPL=[people["ana"], people["ben"]]),
        django_capture_on_commit_callbacks,
    )
    assert stored(assessment) == {("ana", "CPL"), ("ben", "CPL")}
    assert len(smtp_server.to("ben@example.com")) == 1


def test_a_refused_email_does_not_undo_the_save(
    world, smtp_server, settings, django_capture_on_commit_callbacks
):
    assessment, people, consultant = world
    settings.EMAIL_PORT = 1  # nothing listens there
    Assignment.objects.create(
        assessment=assessment, capability_id=capability_pk(assessment, "IDG"), user=people["ana"]
    )
    page = save(
        client_of(consultant),
        assessment,
        grid(assessment, IDG=[people["ben"]], CPL=list(people.values())),
        django_capture_on_commit_callbacks,
    )
    assert page.status_code == 200
    assert stored(assessment) == {("ben", "IDG")}
    entry = AuditEntry.objects.get(organisation="acme", action="assignments.not_emailed")
    assert entry.details["to"] == "ben" and entry.actor == "consultant"
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (
            "signed off",
            "This assessment is signed off: reopen it before changing who answers what.",
        ),
        ("nobody", "Nobody is ticked for Identity Graph Enhancements: tick at least one person"),
        ("stranger", "Only members of the unit can be given capabilities"),
        ("garbage", "The grid was not sent as the page makes it: reload the page."),
    ],
)
def test_a_refused_grid_says_why_and_changes_nothing(
    world, smtp_server, django_capture_on_commit_callbacks, make, said
):
    assessment, people, _ = world
    everyone = list(people.values())
    data = grid(assessment, IDG=[people["ana"]], CPL=everyone)
    if make == "signed off":
        Assessment.objects.filter(pk=assessment.pk).update(
            status="submitted", submitted_at=timezone.now(), answers_sha256="0" * 64
        )
    elif make == "nobody":
        data = grid(assessment, IDG=[], CPL=everyone)
    elif make == "stranger":
        data = grid(assessment, IDG=[factories.user("stranger")], CPL=everyone)
    else:
        data[f"assign-{capability_pk(assessment, 'IDG')}"] = ["ana"]
    page = save(client_of(people["lea"]), assessment, data, django_capture_on_commit_callbacks)
    assert page.status_code == 200
    assert said in text(parse(page))
    assert stored(assessment) == set()
    assert not AuditEntry.objects.filter(action="assignments.changed").exists()
    assert smtp_server.messages == []


def test_the_overview_links_the_assign_page_for_those_who_may_assign(world):
    assessment, people, consultant = world
    url = reverse("assessment_overview", args=[assessment.pk])
    for who, shown in ((people["ana"], False), (people["lea"], True), (consultant, True)):
        page = parse(client_of(who).get(url))
        assert len(page.select("#assign-capabilities")) == int(shown), who.username


# --- each person's tasks on home ---------------------------------------------------------


def task_rows(page, assessment) -> list[list[str]]:
    return [cells(row) for row in page.select(f"#tasks-{assessment.pk} tbody tr")]


def test_home_lists_each_persons_tasks_with_progress_and_overdue(world):
    assessment, people, _ = world
    cycle = assessment.cycle
    cycle.deadline = timezone.localdate() - datetime.timedelta(days=2)
    cycle.save()
    due = cycle.deadline.strftime("%-d %b %Y")
    Assignment.objects.create(
        assessment=assessment, capability_id=capability_pk(assessment, "IDG"), user=people["ana"]
    )
    answer(assessment, people["ana"], {"IDG-FID-1": AnswerInput(choice=3)})
    answer(
        assessment,
        people["ana"],
        {"CPL-FID-1": AnswerInput(special="dk"), "CPL-REC-1": AnswerInput(choice=2)},
    )
    ana = parse(client_of(people["ana"]).get(reverse("home")))
    assert task_rows(ana, assessment) == [
        ["Identity Graph Enhancements Overdue", due, "33% 1 of 3"],
        ["Consent and Privacy Layer Done", due, "100% 2 of 2"],
    ]
    link = ana.select(f"#tasks-{assessment.pk} a")[0]["href"]
    assert link == reverse("capability_answers", args=[assessment.pk, "IDG"])
    # ben's only task is the capability nobody was assigned; the table of assessments stays.
    ben = parse(client_of(people["ben"]).get(reverse("home")))
    assert task_rows(ben, assessment) == [["Consent and Privacy Layer Overdue", due, "0% 0 of 2"]]
    assert "Uk" in text(ben.select("table")[0])


def test_home_shows_no_overdue_before_the_deadline_nor_tasks_once_signed_off(world):
    assessment, people, _ = world
    cycle = assessment.cycle
    cycle.deadline = timezone.localdate()
    cycle.save()
    page = parse(client_of(people["ben"]).get(reverse("home")))
    assert [row[0] for row in task_rows(page, assessment)] == [
        "Identity Graph Enhancements",
        "Consent and Privacy Layer",
    ]
    Assessment.objects.filter(pk=assessment.pk).update(
        status="submitted", submitted_at=timezone.now(), answers_sha256="0" * 64
    )
    page = parse(client_of(people["ben"]).get(reverse("home")))
    assert page.select("table.tasks") == []


@pytest.mark.parametrize("units", [1, 4])
def test_home_runs_the_same_queries_whatever_the_number_of_assessments(
    small, client, django_assert_num_queries, units
):
    organisation = factories.organisation("acme")
    cycle = factories.cycle(organisation, small)
    ana = factories.user("ana")
    for n in range(units):
        unit = factories.unit(organisation, f"u{n}")
        Membership.objects.create(user=ana, unit=unit, role="respondent")
        assessment = factories.assessment(unit, cycle)
        Assignment.objects.create(
            assessment=assessment, capability_id=capability_pk(assessment, "CPL"), user=ana
        )
        answer(assessment, ana, {"IDG-FID-1": AnswerInput(choice=3)})
    client.force_login(ana)
    client.get(reverse("home"))
    # Session, user, the assessments; the tasks' capabilities, assignments and the person's
    # answers; the navigation's "advises any organisation?", the organisations advised, and
    # "may add an organisation?" (the user's and their groups' permissions).
    with django_assert_num_queries(10):
        page = parse(client.get(reverse("home")))
    assert len(page.select("table.tasks tbody tr")) == 2 * units


# --- who has finished, on the overview ---------------------------------------------------


def respondents(page) -> dict[str, list[str]]:
    return {row["data-person"]: cells(row) for row in page.select("#respondents tbody tr")}


def test_the_overview_says_who_has_finished(world, small):
    assessment, people, consultant = world
    Assignment.objects.create(
        assessment=assessment, capability_id=capability_pk(assessment, "CPL"), user=people["ben"]
    )
    answer(
        assessment,
        people["ana"],
        {"IDG-FID-1": AnswerInput(special="dk"), "IDG-FID-2": AnswerInput(value=70)},
    )
    answer(
        assessment,
        people["ben"],
        {
            "CPL-FID-1": AnswerInput(special="dk"),
            "CPL-REC-1": AnswerInput(special="dk"),
            "IDG-FID-1": AnswerInput(choice=2),
        },
    )
    Answer.objects.filter(response__respondent="ana").update(
        updated_at=datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)
    )
    Answer.objects.filter(response__respondent="ben", question__code="CPL-REC-1").update(
        updated_at=datetime.datetime(2026, 12, 2, 16, 5, tzinfo=datetime.UTC)
    )
    Answer.objects.filter(response__respondent="ben").exclude(question__code="CPL-REC-1").update(
        updated_at=datetime.datetime(2026, 11, 30, 8, 0, tzinfo=datetime.UTC)
    )
    cpl = small.capabilities.get(code="CPL")
    SendBack.objects.create(assessment=assessment, capability=cpl, user=people["ana"], note="a")
    SendBack.objects.create(
        assessment=assessment,
        capability=small.capabilities.get(code="IDG"),
        user=people["ana"],
        note="b",
        state=SendBack.State.REVISED,
    )
    SendBack.objects.create(
        assessment=assessment, capability=cpl, user=people["ben"], note="c", state="closed"
    )
    earlier = factories.cycle(assessment.unit.organisation, small, name="2026-Q2")
    CarriedAnswer.objects.create(
        assessment=assessment,
        respondent="lea",
        user=people["lea"],
        question=small.questions.get(code="CPL-FID-1"),
        choice=3,
        from_cycle=earlier,
        carried_at=timezone.now(),
    )
    page = parse(client_of(people["lea"]).get(reverse("assessment_overview", args=[assessment.pk])))
    headings = [text(h) for h in page.select("h2")]
    assert headings[0] == "Unit progress"  # the lead's headline, before their own answers
    assert respondents(page) == {
        "ana": [
            "ana",
            "Respondent",
            "1",
            "66% 2 of 3",
            "1",
            "2026-12-01 09:30",
            "2",
            "0",
            "Remind",
        ],
        "ben": [
            "ben",
            "Respondent",
            "all",
            "60% 3 of 5",
            "2",
            "2026-12-02 16:05",
            "0",
            "0",
            "Remind",
        ],
        "lea": ["lea", "Unit lead", "1", "0% 0 of 3", "0", "—", "0", "1", "Remind"],
    }
    assert text(the(page, "#finished-count")) == "0 of 3 people have finished their tasks."


def test_the_overview_guides_each_person_through_their_own_tasks(world):
    assessment, people, _ = world
    cpl = capability_pk(assessment, "CPL")
    idg = capability_pk(assessment, "IDG")
    Assignment.objects.create(assessment=assessment, capability_id=cpl, user=people["ana"])
    Assignment.objects.create(assessment=assessment, capability_id=idg, user=people["ben"])
    url = reverse("assessment_overview", args=[assessment.pk])

    # Ana has the consent layer's 2 questions only: the estimate, the start button and her
    # progress count them; the identity graph is still listed, marked as not hers.
    page = parse(client_of(people["ana"]).get(url))
    assert text(the(page, "#estimate")).startswith(
        "2 questions in the capabilities assigned to you: about 5 minutes"
    )
    assert text(the(page, "#continue")) == "Start with Consent and Privacy Layer"
    rows = {text(r.select_one("a")): text(r) for r in page.select("#capabilities tbody tr")}
    assert "not assigned to you" in rows["Identity Graph Enhancements"]
    assert "not assigned to you" not in rows["Consent and Privacy Layer"]

    answer(assessment, people["ana"], {"CPL-FID-1": AnswerInput(choice=3)})
    answer(assessment, people["ana"], {"CPL-REC-1": AnswerInput(choice=2)})
    page = parse(client_of(people["ana"]).get(url))
    assert text(the(page, "#all-answered")).startswith(
        "You have answered every capability assigned to you"
    )

    # Lea, the lead, was given nothing: no estimate nor start button, and her own row in
    # the table says she has no tasks instead of an empty bar.
    page = parse(client_of(people["lea"]).get(url))
    assert page.select("#estimate") == [] and page.select("#continue") == []
    assert text(the(page, "#no-tasks")).startswith(
        "No capability of this assessment is assigned to you"
    )
    assert respondents(page)["lea"][3] == "no tasks"
    assert respondents(page)["ana"][3] == "100% 2 of 2"


@pytest.mark.parametrize("extra", [0, 4])
def test_the_overview_runs_the_same_queries_whatever_the_number_of_people(
    world, client, django_assert_num_queries, extra
):
    assessment, people, _ = world
    for n in range(extra):
        person = factories.member(assessment.unit, username=f"extra-{n}")
        answer(assessment, person, {"IDG-FID-1": AnswerInput(choice=2)})
        Assignment.objects.create(
            assessment=assessment, capability_id=capability_pk(assessment, "CPL"), user=person
        )
    client.force_login(people["lea"])
    url = reverse("assessment_overview", args=[assessment.pk])
    client.get(url)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        page = parse(client.get(url))
    assert len(respondents(page)) == 3 + extra


# The lead's overview: session, user, assessment, role, the lead's progress (2: its
# capabilities, both answer counts) and carried answers, the assignments (read once: the
# viewer's tasks and who has finished), who has finished (members, capabilities, answers,
# send-backs, carried, reminder preferences), the capabilities sent back to the viewer
# themself, and the navigation's one. A change here is a change in the page's cost: say why
# in the commit.
OVERVIEW_QUERIES = 16
