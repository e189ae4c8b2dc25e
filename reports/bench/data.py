"""The bench's throwaway database and synthetic organisations (see reports/bench/run.py).

`throwaway_database()` points Django's default connection at a database of its own
for the duration of a `with` block — a new SQLite file in a temporary directory, or,
when DATABASE_URL names PostgreSQL, a new database `ladder_bench_<pid>` on the same
server — made and migrated by Django's test-database machinery and destroyed
afterwards. The user's database is never written to: the connection object that
serves it is set aside, unused, and put back at the end.

`synthetic_organisation(...)` fills it fast: business units, one draft assessment
each, respondents and one answer per respondent per question, all bulk-inserted with
each answer's level derived by `Question.level_for`, as a saved answer's would be, and
the assessments' scores stored as the services would have stored them.
"""

from __future__ import annotations

import copy
import os
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from django.db.utils import load_backend

from assessments.domain.framework_file import parse_framework
from assessments.models import (
    Answer,
    Assessment,
    BusinessUnit,
    Cycle,
    Framework,
    Membership,
    Organisation,
    Question,
    Response,
)
from assessments.services.frameworks import framework_load
from assessments.services.scores import scores_refresh

DEFAULT_FRAMEWORK = (
    Path(__file__).resolve().parents[2] / "fixtures" / "frameworks" / "martech-infra.yaml"
)
CYCLE = "2026-Q4"
# Share of answers that are "not applicable" and "don't know".
NOT_APPLICABLE_SHARE = 0.02
DONT_KNOW_SHARE = 0.02
ANSWER_BATCH = 5_000


@contextmanager
def throwaway_database() -> Iterator[str]:
    """Run the block on a new, migrated database; yields a description of it."""
    alias = "default"
    original = connections[alias]
    settings_dict = copy.deepcopy(original.settings_dict)
    is_sqlite = settings_dict["ENGINE"].endswith("sqlite3")
    directory = tempfile.TemporaryDirectory(prefix="ladder-bench-") if is_sqlite else None
    name = str(Path(directory.name) / "bench.sqlite3") if is_sqlite else None
    settings_dict["TEST"] = {
        **settings_dict.get("TEST", {}),
        "NAME": name or f"ladder_bench_{os.getpid()}",
    }
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    old_name = settings_dict["NAME"]
    connections[alias] = wrapper
    try:
        # Migrates through connections[alias], which is now the throwaway one. It also
        # writes the new name into settings.DATABASES; destroy_test_db puts it back.
        test_name = wrapper.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            version = ".".join(str(part) for part in wrapper.get_database_version())
            yield f"{wrapper.display_name} {version}, throwaway database {test_name}"
        finally:
            wrapper.creation.destroy_test_db(old_name, verbosity=0)
    finally:
        connections[alias] = original
        if directory is not None:
            directory.cleanup()


def planner_statistics() -> None:
    """On PostgreSQL, gather the planner's statistics, as autovacuum does soon after a bulk
    load: without them it plans for empty tables (nested loops over 100,000 answers). On
    SQLite nothing: it gathers none unless told (ANALYZE), so neither does the bench."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def load_default_framework() -> Framework:
    spec = parse_framework(DEFAULT_FRAMEWORK.read_text(), str(DEFAULT_FRAMEWORK))
    framework, _ = framework_load(spec=spec)
    return framework


@dataclass(frozen=True)
class Synthetic:
    organisation: Organisation
    cycle: Cycle
    assessments: list[Assessment]  # by unit, in order
    lead: object  # a user who leads the first unit (answers its questionnaire)
    answers: int


def _answer_kinds(question: Question) -> dict[int | str, tuple]:
    """Per level (and "na", "dk"): (choice, value, special, level) of an answer reaching it.
    The level is derived from the answer as answers_save derives it."""
    kinds: dict[int | str, tuple] = {}
    levels = range(1, 6)
    if question.type == Question.Type.CHOICE:
        levels = sorted(int(n) for n in question.options)
    thresholds = question.threshold_levels
    for level in levels:
        if question.type == Question.Type.CHOICE:
            choice, value = level, None
        elif level in thresholds:
            choice, value = None, thresholds[level]
        else:
            # Below the lowest threshold: level 1 (further from it than any threshold).
            lowest = thresholds[min(thresholds)]
            choice, value = None, lowest / 2 if question.higher_is_better else lowest * 2 + 1
        kinds[level] = (
            choice,
            value,
            "",
            question.level_for(choice=choice, value=value, lowest=1),
        )
    # The bench answers the default framework, whose levels run from 1.
    for special in ("na", "dk"):
        kinds[special] = (None, None, special, question.level_for(special=special, lowest=1))
    return kinds


def synthetic_organisation(
    *,
    framework: Framework,
    slug: str,
    units: int,
    respondents: int,
    consultant,
    seed: int = 8,
) -> Synthetic:
    """An organisation with `units` units in two regions, one draft assessment each in
    cycle 2026-Q4, and `respondents` respondents per unit answering every question.

    Each unit has a base level per capability; each respondent answers a level at most
    one away from it, so some questions are disputed; a few answers are "not
    applicable" or "don't know"."""
    rng = random.Random(seed)
    questions = list(Question.objects.filter(framework=framework).select_related("capability"))
    kinds = {q.pk: _answer_kinds(q) for q in questions}
    top = {q.pk: max(k for k in kinds[q.pk] if isinstance(k, int)) for q in questions}
    capabilities = sorted({q.capability.code for q in questions})
    with transaction.atomic():
        organisation = Organisation.objects.create(name=f"Bench {slug}", slug=slug)
        organisation.consultants.add(consultant)
        cycle = Cycle.objects.create(organisation=organisation, name=CYCLE, framework=framework)
        unit_objects = BusinessUnit.objects.bulk_create(
            BusinessUnit(
                organisation=organisation,
                slug=f"unit-{n:04d}",
                name=f"Unit {n:04d}",
                region="EMEA" if n % 2 else "Americas",
                tags="retail" if n % 3 else "retail,ecommerce",
            )
            for n in range(units)
        )
        assessments = Assessment.objects.bulk_create(
            Assessment(unit=unit, cycle=cycle) for unit in unit_objects
        )
        User = get_user_model()
        lead = User.objects.create(username=f"lead-{slug}", password=make_password(None))
        Membership.objects.create(user=lead, unit=unit_objects[0], role=Membership.Role.LEAD)
        responses = Response.objects.bulk_create(
            Response(assessment=assessment, respondent=f"respondent-{n}")
            for assessment in assessments
            for n in range(1, respondents + 1)
        )
        base = {
            assessment.pk: {code: rng.randint(1, 5) for code in capabilities}
            for assessment in assessments
        }
        batch: list[Answer] = []
        count = 0
        for response in responses:
            levels = base[response.assessment_id]
            for question in questions:
                draw = rng.random()
                if draw < NOT_APPLICABLE_SHARE:
                    key: int | str = "na"
                elif draw < NOT_APPLICABLE_SHARE + DONT_KNOW_SHARE:
                    key = "dk"
                else:
                    wanted = levels[question.capability.code] + rng.choice((-1, 0, 0, 0, 1))
                    key = min(max(wanted, 1), top[question.pk])
                choice, value, special, level = kinds[question.pk][key]
                batch.append(
                    Answer(
                        response=response,
                        question=question,
                        choice=choice,
                        value=value,
                        special=special,
                        level=level,
                    )
                )
            if len(batch) >= ANSWER_BATCH:
                Answer.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        Answer.objects.bulk_create(batch)
        count += len(batch)
        # As answers_save would have, answer by answer.
        scores_refresh(assessments=Assessment.objects.filter(cycle=cycle))
    return Synthetic(
        organisation=organisation,
        cycle=cycle,
        assessments=assessments,
        lead=lead,
        answers=count,
    )
