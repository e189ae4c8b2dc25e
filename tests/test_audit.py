"""The audit log: hash chain, tampering caught by verify_audit, sign-off hash, coverage."""

import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments import audit
from assessments.domain.answers import AnswerInput
from assessments.domain.audit_chain import hash_of
from assessments.imports import answers_import, read_csv_rows
from assessments.models import Answer, AuditEntry, AuditHead, Membership
from assessments.services.answers import answers_save
from assessments.services.signoff import answers_sha256, assessment_reopen, assessment_submit
from tests import factories


def run_verify(*args) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def verify_fails(*args) -> tuple[str, int]:
    with pytest.raises(CommandError) as caught:
        run_verify(*args)
    return str(caught.value), caught.value.returncode


def acme(**filters):
    return AuditEntry.objects.filter(organisation="acme", **filters)


@pytest.fixture
def log(db):
    """Five entries, #1 … #5, in acme's chain; globex's chain holds two of its own and the
    installation's one (a login failure), interleaved in time with acme's."""
    for n in range(1, 6):
        audit.record("test.event", actor=f"person-{n}", organisation="acme", details={"n": n})
        if n in (2, 4):
            audit.record("test.event", actor="g", organisation="globex", details={"n": n})
    audit.record("login.failure", details={"username": "x"})
    return list(acme().order_by("sequence"))


def chain_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.split(":")[0] in CHAINS]


CHAINS = ("acme", "globex", "installation")


def test_each_organisation_has_its_own_chain_numbered_from_one(log):
    assert [e.sequence for e in log] == [1, 2, 3, 4, 5]
    assert log[0].previous_hash == "0" * 64
    assert [e.previous_hash for e in log[1:]] == [e.entry_hash for e in log[:-1]]
    globex = list(AuditEntry.objects.filter(organisation="globex").order_by("sequence"))
    assert [e.sequence for e in globex] == [1, 2]
    assert globex[0].previous_hash == "0" * 64
    heads = {h.chain: (h.sequence, h.entry_hash) for h in AuditHead.objects.all()}
    assert heads == {
        "acme": (5, log[-1].entry_hash),
        "globex": (2, globex[-1].entry_hash),
        "": (1, AuditEntry.objects.get(organisation="").entry_hash),
    }


def test_entry_hash_is_sha256_of_the_documented_serialisation(log):
    entry = log[1]
    canonical = json.dumps(
        {
            "sequence": 2,
            "at": entry.at.isoformat(),
            "actor": "person-2",
            "action": "test.event",
            "organisation": "acme",
            "unit": "",
            "details": {"n": 2},
            "previous_hash": log[0].entry_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    assert entry.entry_hash == hashlib.sha256(canonical.encode()).hexdigest()


def test_verify_audit_names_every_chain_with_its_head_and_says_ok(log):
    globex = AuditEntry.objects.get(organisation="globex", sequence=2)
    installation = AuditEntry.objects.get(organisation="")
    assert run_verify() == (
        "checked 8 audit entries in 3 chains\n"
        f"installation: 1 entry, head installation=1:{installation.entry_hash}, ok\n"
        f"acme: 5 entries, head acme=5:{log[-1].entry_hash}, ok\n"
        f"globex: 2 entries, head globex=2:{globex.entry_hash}, ok\n"
        "audit chain: ok\n"
    )


def test_verify_audit_on_an_empty_log_is_ok(db):
    assert run_verify() == "checked 0 audit entries in 0 chains\naudit chain: ok\n"


def test_changed_details_are_caught_and_only_that_chain_is_broken(log):
    acme(sequence=3).update(details={"n": 33})
    output = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("verify_audit", stdout=output)
    assert (str(caught.value), caught.value.returncode) == (
        "audit chain broken: acme: entry #3 was changed after it was written: "
        "its content does not match its hash",
        1,
    )
    verdicts = {
        line.split(":")[0]: line.rsplit(", ", 1)[1] for line in chain_lines(output.getvalue())
    }
    assert verdicts == {"installation": "ok", "acme": "BROKEN", "globex": "ok"}


def test_the_first_bad_entry_of_each_broken_chain_is_named(log):
    acme(sequence=4).update(actor="someone-else")
    AuditEntry.objects.filter(organisation="globex", sequence=1).update(details={"n": 0})
    assert verify_fails() == (
        "audit chain broken: acme: entry #4 was changed after it was written: its content "
        "does not match its hash; globex: entry #1 was changed after it was written: its "
        "content does not match its hash",
        1,
    )


def test_changed_hash_to_hide_an_edit_is_caught_at_the_next_entry(log):
    # Rewriting entry 2 and its own hash still leaves entry 3 pointing at the old hash.
    entry = acme().get(sequence=2)
    entry.details = {"n": 22}
    acme(sequence=2).update(details=entry.details, entry_hash=hash_of(entry))
    assert verify_fails() == (
        "audit chain broken: acme: entry #3 does not follow entry #2: its previous-entry hash "
        "does not match (an entry was deleted, reordered or changed)",
        1,
    )


def test_deleted_entry_in_the_middle_is_caught(log):
    acme(sequence=3).delete()
    assert verify_fails() == (
        "audit chain broken: acme: entry #3 is missing (deleted or renumbered): "
        "the chain goes from #2 to #4",
        1,
    )


def test_deleted_first_entry_is_caught(log):
    AuditEntry.objects.filter(organisation="globex", sequence=1).delete()
    assert verify_fails() == (
        "audit chain broken: globex: entry #1 is missing (deleted or renumbered): "
        "the chain goes from #0 to #2",
        1,
    )


def test_deleted_last_entry_is_caught_by_the_head_record(log):
    acme(sequence=5).delete()
    assert verify_fails() == (
        "audit chain broken: acme: entry #5 is missing (deleted): the chain ends at #4 but "
        "held 5 entries",
        1,
    )


def test_deleted_last_entries_stay_caught_after_new_entries(log):
    acme(sequence__gte=4).delete()
    audit.record("test.event", organisation="acme", details={"n": 6})  # chains from the head
    assert acme().order_by("-pk").first().sequence == 6
    assert verify_fails() == (
        "audit chain broken: acme: entry #4 is missing (deleted or renumbered): "
        "the chain goes from #3 to #6",
        1,
    )


def test_deleted_whole_chain_is_caught_by_its_head_record(log):
    AuditEntry.objects.filter(organisation="globex").delete()
    assert verify_fails() == (
        "audit chain broken: globex: entry #1 is missing (deleted): the chain ends at #0 but "
        "held 2 entries",
        1,
    )


def test_deleted_head_record_is_caught(log):
    AuditHead.objects.filter(chain="acme").delete()
    assert verify_fails() == (
        "audit chain broken: acme: the chain's head record is missing (deleted)",
        1,
    )


def test_reordered_entries_are_caught(log):
    # Swap #2 and #3 (through a free number, as a chain's sequence numbers are unique).
    acme(sequence=2).update(sequence=99)
    acme(sequence=3).update(sequence=2)
    acme(sequence=99).update(sequence=3)
    assert verify_fails() == (
        "audit chain broken: acme: entry #2 does not follow entry #1: its previous-entry hash "
        "does not match (an entry was deleted, reordered or changed)",
        1,
    )


def test_an_entry_moved_to_another_chain_is_caught_in_both(log):
    # globex's #2 relabelled as acme's #6: acme gains an entry its head never wrote,
    # globex loses its last.
    AuditEntry.objects.filter(organisation="globex", sequence=2).update(
        organisation="acme", sequence=6
    )
    message, code = verify_fails()
    assert code == 1
    assert message == (
        "audit chain broken: acme: entry #6 does not follow entry #5: its previous-entry hash "
        "does not match (an entry was deleted, reordered or changed); globex: entry #2 is "
        "missing (deleted): the chain ends at #1 but held 2 entries"
    )


def test_reordered_timestamps_are_caught(log):
    first, second = log[0], log[1]
    acme(sequence=1).update(at=second.at.replace(year=second.at.year + 1))
    message, _ = verify_fails()
    assert message.startswith("audit chain broken: acme: entry #1 was changed")
    assert first.sequence == 1


def test_entry_slipped_in_at_the_end_is_caught(log):
    last = log[-1]
    forged = AuditEntry(
        sequence=6,
        at=last.at,
        actor="intruder",
        action="test.event",
        organisation="acme",
        details={},
        previous_hash=last.entry_hash,
    )
    forged.entry_hash = hash_of(forged)
    forged.save()
    assert verify_fails() == (
        "audit chain broken: acme: entry #6 was added outside the audit log's writer "
        "(the head record ends at #5)",
        1,
    )


def test_expect_head_catches_a_chain_rewritten_with_fresh_hashes(log):
    anchor = f"acme=3:{log[2].entry_hash}"
    assert run_verify("--expect-head", anchor).endswith("audit chain: ok\n")
    # Someone with database access edits #2 and recomputes every hash after it, and the head.
    previous = log[0].entry_hash
    for entry in acme().order_by("sequence")[1:]:
        if entry.sequence == 2:
            entry.details = {"n": 200}
        entry.previous_hash = previous
        entry.entry_hash = hash_of(entry)
        entry.save()
        previous = entry.entry_hash
    AuditHead.objects.filter(chain="acme").update(entry_hash=previous)
    assert run_verify().endswith("audit chain: ok\n")  # the chain alone cannot tell
    message, code = verify_fails("--expect-head", anchor)
    assert code == 1
    assert message.startswith("audit chain broken: acme: entry #3 has hash ") and message.endswith(
        f"not the expected {log[2].entry_hash}: the chain up to it was rewritten"
    )


def test_expect_head_checks_each_chain_given(log):
    installation = AuditEntry.objects.get(organisation="")
    heads = [f"acme=5:{log[-1].entry_hash}", f"installation=1:{installation.entry_hash}"]
    assert run_verify(*[f"--expect-head={h}" for h in heads]).endswith("audit chain: ok\n")
    assert verify_fails("--expect-head", f"globex=7:{'a' * 64}") == (
        "audit chain broken: globex: entry #7 of the expected head is missing "
        "(the chain ends at #2)",
        1,
    )


def test_expect_head_must_be_chain_sequence_colon_hash(log):
    assert verify_fails("--expect-head", "3-abc") == (
        "--expect-head must be CHAIN=SEQUENCE:HASH (an organisation's slug or 'installation', "
        "'=', a number, a colon, 64 hex digits), got '3-abc'",
        1,
    )


# --- sign-off -------------------------------------------------------------------------------


@pytest.fixture
def answered(small):
    org = factories.organisation("acme")
    unit = factories.unit(org, "uk")
    assessment = factories.assessment(unit, factories.cycle(org, small))
    lead = factories.member(unit, Membership.Role.LEAD, username="lead")
    questions = {q.code: q for q in small.questions.all()}
    answers_save(
        assessment=assessment,
        respondent="ann",
        questions=questions,
        answers={
            "IDG-FID-1": AnswerInput(choice=3, comment="nightly"),
            "IDG-FID-2": AnswerInput(value=64.5),
            "IDG-REC-1": AnswerInput(special="dk"),
            "CPL-FID-1": AnswerInput(choice=2, evidence_url="https://wiki.example/consent"),
            "CPL-REC-1": AnswerInput(special="na"),
        },
    )
    answers_save(
        assessment=assessment,
        respondent="bob",
        questions=questions,
        answers={"IDG-FID-1": AnswerInput(choice=4)},
    )
    return assessment, lead, questions


def test_submission_hash_follows_the_documented_serialisation(answered):
    assessment, lead, _ = answered
    rows = [
        ["ann", "CPL-FID-1", "2", "", "https://wiki.example/consent"],
        ["ann", "CPL-REC-1", "na", "", ""],
        ["ann", "IDG-FID-1", "3", "nightly", ""],
        ["ann", "IDG-FID-2", "64.5", "", ""],
        ["ann", "IDG-REC-1", "dk", "", ""],
        ["bob", "IDG-FID-1", "4", "", ""],
    ]
    expected = hashlib.sha256(
        json.dumps(rows, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    submitted = assessment_submit(assessment=assessment, user=lead, confirmed=True)
    assert submitted.answers_sha256 == expected
    assert submitted.submitted_by == lead and submitted.submitted_at is not None
    entry = AuditEntry.objects.get(action="assessment.submit")
    assert (entry.actor, entry.organisation, entry.unit) == ("lead", "acme", "uk")
    assert entry.details == {
        "assessment": assessment.pk,
        "cycle": "2026-Q4",
        "answers_sha256": expected,
    }


def test_submission_hash_is_stable_and_changes_with_any_answer(answered):
    assessment, _, questions = answered
    before = answers_sha256(assessment)
    # Rewriting the same answers in another order changes nothing.
    Answer.objects.filter(response__respondent="bob").delete()
    answers_save(
        assessment=assessment,
        respondent="bob",
        questions=questions,
        answers={"IDG-FID-1": AnswerInput(choice=4)},
    )
    assert answers_sha256(assessment) == before
    answers_save(
        assessment=assessment,
        respondent="ann",
        questions=questions,
        answers={"IDG-FID-1": AnswerInput(choice=3, comment="nightly!")},
    )
    assert answers_sha256(assessment) != before


# --- what gets audited ------------------------------------------------------------------------


def test_answer_changes_are_audited_old_to_new(answered):
    assessment, _, questions = answered
    answers_save(
        assessment=assessment,
        respondent="ann",
        questions=questions,
        answers={"IDG-FID-1": AnswerInput(choice=5), "IDG-REC-1": None},
        actor="ann",
    )
    entry = AuditEntry.objects.order_by("-pk").first()
    assert (entry.action, entry.actor, entry.organisation, entry.unit) == (
        "answers.change",
        "ann",
        "acme",
        "uk",
    )
    assert entry.details == {
        "assessment": assessment.pk,
        "cycle": "2026-Q4",
        "respondent": "ann",
        "source": "form",
        "changes": {"IDG-FID-1": ["3", "5"], "IDG-REC-1": ["dk", None]},
        "notes": {"IDG-FID-1": {"comment": ["nightly", ""]}},
    }


def test_comment_and_evidence_changes_are_audited_old_to_new(answered):
    assessment, _, questions = answered
    answers_save(
        assessment=assessment,
        respondent="ann",
        questions=questions,
        answers={
            "IDG-FID-1": AnswerInput(
                choice=3, comment="hourly", evidence_url="https://wiki.example/idg"
            )
        },
    )
    entry = AuditEntry.objects.order_by("-pk").first()
    assert entry.details["changes"] == {"IDG-FID-1": ["3", "3"]}
    assert entry.details["notes"] == {
        "IDG-FID-1": {
            "comment": ["nightly", "hourly"],
            "evidence_url": ["", "https://wiki.example/idg"],
        }
    }


def test_reopening_is_audited_with_its_reason(answered):
    assessment, lead, _ = answered
    assessment_submit(assessment=assessment, user=lead, confirmed=True)
    digest = assessment.__class__.objects.get(pk=assessment.pk).answers_sha256
    assessment_reopen(assessment=assessment, user=lead, reason="Bob's RTO was measured wrong")
    entry = AuditEntry.objects.order_by("-pk").first()
    assert (entry.action, entry.actor) == ("assessment.reopen", "lead")
    assert entry.details == {
        "assessment": assessment.pk,
        "cycle": "2026-Q4",
        "reason": "Bob's RTO was measured wrong",
        "previous_answers_sha256": digest,
    }


def test_import_is_audited_with_file_name_row_count_and_file_hash(answered):
    assessment, _, _ = answered
    data = (
        b"organisation,unit,cycle,respondent,question_code,answer,comment\n"
        b"acme,uk,2026-Q4,carol,IDG-FID-1,2,\n"
        b"acme,uk,2026-Q4,carol,CPL-REC-1,na,\n"
    )
    answers_import(
        rows=read_csv_rows(data), source_name="offline.csv", source_bytes=data, actor="consultant"
    )
    entry = AuditEntry.objects.filter(action="answers.import").get()
    assert (entry.actor, entry.organisation) == ("consultant", "acme")
    assert entry.details == {
        "file": "offline.csv",
        "rows": 2,
        "sha256": hashlib.sha256(data).hexdigest(),
        "answers_changed": 2,
        "created": [],
    }
    change = AuditEntry.objects.filter(action="answers.change").order_by("-pk").first()
    assert change.details["source"] == "import offline.csv"
    assert change.details["changes"] == {"IDG-FID-1": [None, "2"], "CPL-REC-1": [None, "na"]}


def test_framework_load_is_audited(small):
    entry = AuditEntry.objects.get(action="framework.load")
    assert entry.details == {"code": "small", "version": "1", "sha256": small.source_sha256}


def test_every_recorded_action_verifies(answered):
    assessment, lead, _ = answered
    assessment_submit(assessment=assessment, user=lead, confirmed=True)
    assessment_reopen(assessment=assessment, user=lead, reason="typo")
    assert run_verify().endswith("audit chain: ok\n")
