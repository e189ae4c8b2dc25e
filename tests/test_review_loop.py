"""The lead's review loop (docs/cycles.md, "Reviewing capabilities"): a capability sent back
to one respondent with a note (emailed, to a real SMTP server: tests/conftest.py), revised
when they save it, closed when the lead marks it reviewed."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from assessments.domain.answers import AnswerInput
from assessments.models import AuditEntry, CapabilityReview, SendBack
from assessments.services.answers import answers_save
from assessments.services.review import capability_send_back
from assessments.services.signoff import assessment_submit
from tests import factories
from tests.pages import parse, text, the

NOTE = "Your RTO of 4 hours: is that measured?\nSay <b>how</b>."


@pytest.fixture
def loop(small):
    organisation = factories.organisation("acme")
    unit = factories.unit(organisation, "uk")
    assessment = factories.assessment(unit, factories.cycle(organisation, small))
    people = {}
    for name, role in (("ana", "respondent"), ("ben", "respondent"), ("lea", "lead")):
        person = factories.member(unit, role, username=name)
        person.email = f"{name}@example.com"
        person.save()
        people[name] = person
    return assessment, people


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send_back(client, assessment, code="IDG", respondent=None, note=NOTE, capture=None) -> str:
    """POST the review page's send-back form; the page it redirects to, as HTML."""
    url = reverse("capability_send_back", args=[assessment.pk, code])
    data = {"note": note, **({"respondent": respondent.pk} if respondent else {})}
    if capture is None:
        response = client.post(url, data, follow=True)
    else:
        with capture(execute=True):
            response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"].endswith(f"/answers/#cap-{code}")
        response = client.get(response["Location"])
    return response.content.decode()


def messages_of(html: str) -> str:
    return " ".join(text(alert) for alert in parse(html).select('[role="alert"]'))


def capability_page(user, assessment, code="IDG") -> str:
    return client_of(user).get(f"/assessments/{assessment.pk}/capabilities/{code}/").content


def save(assessment, person, code="IDG-FID-1", choice=3):
    questions = {q.code: q for q in assessment.cycle.framework.questions.all()}
    answers_save(
        assessment=assessment,
        respondent=person.username,
        user=person,
        questions=questions,
        answers={code: AnswerInput(choice=choice)},
    )


def audit(action: str) -> list[dict]:
    return list(
        AuditEntry.objects.filter(organisation="acme", action=action).values_list(
            "details", flat=True
        )
    )


def test_a_send_back_emails_the_respondent_who_alone_sees_the_note(
    loop, smtp_server, django_capture_on_commit_callbacks
):
    assessment, people = loop
    html = send_back(
        client_of(people["lea"]),
        assessment,
        respondent=people["ana"],
        capture=django_capture_on_commit_callbacks,
    )
    assert (
        "Identity Graph Enhancements was sent back to ana, with an email of your note."
        in messages_of(html)
    )
    state = text(the(parse(html), "#review-IDG"))
    assert "Sent back to ana" in state and "(not revised yet)" in state
    assert "measured?" in state
    [message] = smtp_server.to("ana@example.com")
    assert "Identity Graph Enhancements was sent back to you" in message["Subject"]
    body = message.get_content()
    assert "lea sent Identity Graph Enhancements" in body
    assert NOTE.replace("\n", "\r\n") in body
    assert f"http://localhost:8000/assessments/{assessment.pk}/capabilities/IDG/" in body
    assert smtp_server.to("ben@example.com") == []

    # ana sees the note on the capability page (escaped, its line break kept) and overview
    page = capability_page(people["ana"], assessment)
    box = the(parse(page), "#sent-back")
    assert "lea sent this capability back to you" in text(box)
    assert "Say <b>how</b>." in text(box)
    assert b"Say &lt;b&gt;how&lt;/b&gt;." in page and b"<b>how</b>" not in page
    assert b"measured?<br>" in page
    overview = parse(client_of(people["ana"]).get(f"/assessments/{assessment.pk}/").content)
    link = the(the(overview, "#sent-back-to-you"), "a")
    assert text(link) == "Identity Graph Enhancements"
    assert link["href"] == f"/assessments/{assessment.pk}/capabilities/IDG/"
    # ... above the overview's guidance, so it is read before "You have answered everything"
    ids = [element["id"] for element in overview.select("[id]")]
    assert ids.index("sent-back-to-you") < ids.index("guidance-heading")

    # ben (another respondent of the unit) does not, nor on another capability
    assert parse(capability_page(people["ben"], assessment)).select("#sent-back") == []
    assert parse(capability_page(people["ana"], assessment, "CPL")).select("#sent-back") == []
    ben_overview = client_of(people["ben"]).get(f"/assessments/{assessment.pk}/").content
    assert parse(ben_overview).select("#sent-back-to-you") == []

    [entry] = audit("capability.sent_back")
    assert entry["capability"] == "IDG" and entry["respondent"] == "ana"
    assert entry["note"] == NOTE


def test_saving_revises_it_and_marking_reviewed_closes_it(loop, django_capture_on_commit_callbacks):
    assessment, people = loop
    lea = client_of(people["lea"])
    send_back(lea, assessment, respondent=people["ana"], capture=django_capture_on_commit_callbacks)
    save(assessment, people["ana"], "CPL-FID-1")  # another capability: still sent back
    assert SendBack.objects.get().state == SendBack.State.SENT_BACK

    # the page's own save (the form)
    ana = client_of(people["ana"])
    url = f"/assessments/{assessment.pk}/capabilities/IDG/"
    form = parse(ana.get(url).content)
    versions = the(form, 'input[name="versions"]')["value"]
    assert ana.post(url, {"IDG-FID-1": "2", "versions": versions}).status_code == 302
    send = SendBack.objects.get()
    assert send.state == SendBack.State.REVISED and send.revised_at is not None
    assert "You revised this on" in text(
        the(parse(capability_page(people["ana"], assessment)), "#revised")
    )
    assert [e["capability"] for e in audit("capability.revised")] == ["IDG"]
    review = text(
        the(parse(lea.get(f"/assessments/{assessment.pk}/answers/").content), "#review-IDG")
    )
    assert "Sent back to ana" in review and "revised on" in review

    # saving again revises nothing more
    save(assessment, people["ana"], "IDG-FID-1", choice=4)
    assert len(audit("capability.revised")) == 1

    html = lea.post(
        reverse("capability_reviewed", args=[assessment.pk, "IDG"]), follow=True
    ).content.decode()
    assert "Identity Graph Enhancements is marked reviewed; 1 send-back(s) closed." in messages_of(
        html
    )
    state = text(the(parse(html), "#review-IDG"))
    assert state.startswith("Reviewed by lea on") and "Sent back" not in state
    assert "changed since review" not in state
    send.refresh_from_db()
    assert send.state == SendBack.State.CLOSED and send.closed_at is not None
    assert parse(capability_page(people["ana"], assessment)).select("#sent-back") == []
    assert audit("capability.reviewed")[0] == {
        "assessment": assessment.pk,
        "cycle": assessment.cycle.name,
        "capability": "IDG",
        "send_backs_closed": 1,
    }

    # an answer saved after the review: "changed since review", on that capability only
    questions = {q.code: q for q in assessment.cycle.framework.questions.all()}
    answers_save(
        assessment=assessment,
        respondent="ben",
        user=people["ben"],
        questions=questions,
        answers={"IDG-REC-1": AnswerInput(value=30.0)},
    )
    lea.post(reverse("capability_reviewed", args=[assessment.pk, "CPL"]))
    page = parse(lea.get(f"/assessments/{assessment.pk}/answers/").content)
    assert "changed since review" in text(the(page, "#review-IDG"))
    assert "changed since review" not in text(the(page, "#review-CPL"))


def test_the_autosave_revises_too(loop):
    assessment, people = loop
    capability_send_back(
        assessment=assessment,
        capability=assessment.cycle.framework.capabilities.get(code="IDG"),
        user=people["ana"],
        note="Check the match rate.",
        by=people["lea"],
    )
    ana = client_of(people["ana"])
    response = ana.post(
        f"/assessments/{assessment.pk}/capabilities/IDG/autosave/",
        json.dumps({"answers": {"IDG-FID-2": {"answer": "70", "version": 0}}}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert SendBack.objects.get().state == SendBack.State.REVISED


def test_sending_back_again_replaces_the_open_one_and_undoes_reviewed(
    loop, django_capture_on_commit_callbacks
):
    assessment, people = loop
    lea = client_of(people["lea"])
    lea.post(reverse("capability_reviewed", args=[assessment.pk, "IDG"]))
    assert CapabilityReview.objects.count() == 1
    send_back(lea, assessment, respondent=people["ana"], note="first")
    send_back(lea, assessment, respondent=people["ana"], note="second")
    assert list(SendBack.objects.order_by("sent_at", "pk").values_list("note", "state")) == [
        ("first", "closed"),
        ("second", "sent_back"),
    ]
    assert CapabilityReview.objects.count() == 0
    box = text(the(parse(capability_page(people["ana"], assessment)), "#sent-back"))
    assert "second" in box and "first" not in box


@pytest.mark.parametrize(
    ("note", "who", "message"),
    [
        ("x" * 1001, "ana", "The note has 1001 characters (at most 1000)."),
        ("   ", "ana", "Write a note saying what to revisit"),
        ("bad \x01 char", "ana", "contains a control character (U+0001)"),
        ("fine", "stranger", "Choose a member of the unit"),
        ("fine", None, "Choose whom to send the capability back to."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    loop, smtp_server, django_capture_on_commit_callbacks, note, who, message
):
    assessment, people = loop
    stranger = factories.member(
        factories.unit(assessment.unit.organisation, "de"), username="stranger"
    )
    respondent = {"ana": people["ana"], "stranger": stranger, None: None}[who]
    html = send_back(
        client_of(people["lea"]),
        assessment,
        respondent=respondent,
        note=note,
        capture=django_capture_on_commit_callbacks,
    )
    shown = messages_of(html)
    assert "Identity Graph Enhancements was not sent back:" in shown and message in shown
    assert SendBack.objects.count() == 0
    assert audit("capability.sent_back") == []
    assert smtp_server.messages == []


def test_the_service_refuses_a_non_member(loop):
    assessment, people = loop
    stranger = factories.user("stranger")
    with pytest.raises(Exception, match="is not a member of Uk"):
        capability_send_back(
            assessment=assessment,
            capability=assessment.cycle.framework.capabilities.get(code="IDG"),
            user=stranger,
            note="why",
            by=people["lea"],
        )
    assert SendBack.objects.count() == 0


def test_a_signed_off_assessment_is_neither_sent_back_nor_reviewed(loop):
    assessment, people = loop
    questions = {q.code: q for q in assessment.cycle.framework.questions.all()}
    answers_save(
        assessment=assessment,
        respondent="ana",
        user=people["ana"],
        questions=questions,
        answers={code: AnswerInput(special="dk") for code in questions},
    )
    assessment_submit(assessment=assessment, user=people["lea"], confirmed=True, notify=False)
    lea = client_of(people["lea"])
    html = send_back(lea, assessment, respondent=people["ana"])
    assert "is signed off: reopen it before sending a capability back" in messages_of(html)
    html = lea.post(
        reverse("capability_reviewed", args=[assessment.pk, "IDG"]), follow=True
    ).content.decode()
    assert "was not marked reviewed" in messages_of(html)
    assert SendBack.objects.count() == CapabilityReview.objects.count() == 0
    assert parse(html).select("#review-IDG form") == []  # no buttons on the page either
    assert audit("capability.sent_back") == audit("capability.reviewed") == []


@pytest.mark.django_db(transaction=True)  # the email goes when the send-back commits
def test_a_refusing_mail_server_keeps_the_send_back(loop, settings):
    assessment, people = loop
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    html = send_back(client_of(people["lea"]), assessment, respondent=people["ana"])
    assert "was sent back to ana, but the email could not be sent" in messages_of(html)
    assert SendBack.objects.get().state == SendBack.State.SENT_BACK
    [entry] = audit("capability.sent_back_not_emailed")
    assert entry["respondent"] == "ana" and entry["capability"] == "IDG"
    assert entry["error"] == "ConnectionRefusedError"


def test_respondents_see_no_review_buttons_and_leads_do(loop):
    assessment, people = loop
    page = parse(client_of(people["lea"]).get(f"/assessments/{assessment.pk}/answers/").content)
    options = [text(o) for o in the(page, "#send-back-IDG-respondent").select("option")]
    assert options == ["ana (respondent)", "ben (respondent)", "lea (unit lead)"]
    assert the(page, "#send-back-IDG-note")["maxlength"] == "1000"
    consultant = factories.user("carl")
    assessment.unit.organisation.consultants.add(consultant)
    page = parse(client_of(consultant).get(f"/assessments/{assessment.pk}/answers/").content)
    assert len(page.select("#review-IDG form")) == 2
    assert (
        client_of(people["ana"])
        .post(reverse("capability_reviewed", args=[assessment.pk, "IDG"]))
        .status_code
        == 403
    )
