"""One audit chain per organisation: the migration splits the old installation-wide chain
(refusing to when it is broken), and saves of two organisations never wait for one lock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.core.management.base import CommandError
from django.db import OperationalError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from assessments import audit
from assessments.domain.answers import AnswerInput
from assessments.domain.audit_chain import GENESIS_HASH, entry_hash
from assessments.models import Question
from assessments.services.answers import answers_save
from tests import factories

BEFORE = [("assessments", "0005_backfill_stored_scores")]
AFTER = [("assessments", "0006_audit_chain_per_organisation")]
AT = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def at_0005(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())


def old_log(apps, organisations):
    """The pre-0006 log: one chain over every entry, numbered 1, 2, 3… across
    organisations, and its single head row."""
    AuditEntry = apps.get_model("assessments", "AuditEntry")
    previous = GENESIS_HASH
    for sequence, organisation in enumerate(organisations, start=1):
        fields = dict(
            sequence=sequence, actor="ann", action="test.event", organisation=organisation,
            unit="", details={"n": sequence}, previous_hash=previous,
        )  # fmt: skip
        previous = entry_hash(at=AT.isoformat(), **fields)
        AuditEntry.objects.create(at=AT, entry_hash=previous, **fields)
    apps.get_model("assessments", "AuditHead").objects.create(
        pk=1, sequence=len(organisations), entry_hash=previous
    )
    return previous


def migrate_forward():
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    return executor.loader.project_state(AFTER).apps


def test_migration_splits_the_old_chain_by_organisation_in_its_order(at_0005):
    legacy = old_log(at_0005, ["acme", "globex", "acme", "", "acme", "globex"])
    apps = migrate_forward()
    AuditEntry = apps.get_model("assessments", "AuditEntry")
    chains = {
        chain: [(e.sequence, e.details.get("n")) for e in AuditEntry.objects.filter(organisation=chain).order_by("sequence")]
        for chain in ("acme", "globex", "")
    }  # fmt: skip
    # Each chain numbered from 1 in the old order; the installation's ends with the marker.
    assert chains == {
        "acme": [(1, 1), (2, 3), (3, 5)],
        "globex": [(1, 2), (2, 6)],
        "": [(1, 4), (2, None)],
    }
    marker = AuditEntry.objects.get(action="audit.rechain")
    heads = {
        h.chain: f"{h.sequence}:{h.entry_hash}"
        for h in apps.get_model("assessments", "AuditHead").objects.all()
    }
    assert marker.details == {
        "legacy_head": f"6:{legacy}",
        "chains": {"acme": heads["acme"], "globex": heads["globex"], "installation": f"1:{AuditEntry.objects.get(organisation='', sequence=1).entry_hash}"},
    }  # fmt: skip
    assert audit.verify_log().ok


def test_migration_refuses_to_rechain_a_broken_log(at_0005):
    old_log(at_0005, ["acme", "globex", "acme"])
    entries = at_0005.get_model("assessments", "AuditEntry").objects
    entries.filter(sequence=2).update(details={"n": 0})
    with pytest.raises(CommandError) as caught:
        migrate_forward()
    entries.filter(sequence=2).update(details={"n": 2})  # mended, so the database can move on
    assert str(caught.value) == (
        "The audit log is broken, so it was not split into one chain per organisation (that "
        "would hide the break): entry #2 was changed after it was written: its content does "
        "not match its hash. Run `manage.py verify_audit` on the previous release, "
        "investigate, and restore the log from a backup before upgrading."
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has one lock for the whole database: every writer waits for every other",
)
def test_a_save_of_one_organisation_does_not_wait_for_another_organisations_audit_lock(
    transactional_db, small
):
    def assessment_of(slug):
        org = factories.organisation(slug)
        return factories.assessment(factories.unit(org, "uk"), factories.cycle(org, small))

    acme, globex = assessment_of("acme"), assessment_of("globex")
    questions = {q.code: q for q in Question.objects.filter(framework=small)}
    holding, release = threading.Event(), threading.Event()

    def hold_acmes_chain():
        try:
            with transaction.atomic():
                audit._locked_head("acme")  # as a save of acme does, until it commits
                holding.set()
                release.wait(20)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_acmes_chain)
    holder.start()
    try:
        assert holding.wait(20)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            # globex saves while acme's chain is locked: no wait, no lock timeout
            assert answers_save(
                assessment=globex, respondent="ann", questions=questions,
                answers={"IDG-FID-1": AnswerInput(choice=3)},
            ) == 1  # fmt: skip
        # ...whereas a save of acme does wait for acme's lock (so the lock really is held)
        with pytest.raises(OperationalError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '300ms'")
            answers_save(
                assessment=acme, respondent="ann", questions=questions,
                answers={"IDG-FID-1": AnswerInput(choice=3)},
            )  # fmt: skip
    finally:
        release.set()
        holder.join()
    assert audit.verify_log().ok
