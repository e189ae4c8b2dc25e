"""Concurrency test: a unit's team saving one assessment at once, a sign-off racing them, and
a burst of wrong-password logins, against gunicorn with several workers, on SQLite or
PostgreSQL.

    .venv/bin/python tests/load/teamtest.py --database sqlite [--duration 20] [--workers 4]
    DATABASE_URL=postgres://… .venv/bin/python tests/load/teamtest.py --database postgres

Everything runs on 127.0.0.1 only (set-up, server and environment as tests/load/loadtest.py):

1. A fresh database — a SQLite file in a temporary folder (the embedded default's own
   settings: WAL, busy timeout, IMMEDIATE transactions), or `<NAME>_teamtest` beside the
   PostgreSQL database DATABASE_URL names (never touching it) — with the default framework,
   one unit, three respondents and a lead; every question already answered once, so the
   assessment can be signed off at any moment.
2. Logins: 12 clients post a wrong password for the same user at the same instant; then the
   right password is refused by the throttle. Every answer must be a page (200), none a 5xx.
3. Saves: the three respondents and the lead save random answers to random capabilities of
   the one assessment for --duration seconds, while a second session of the lead submits
   and reopens it (with a reason) every few seconds, then submits once more at the end.
4. Checks: every acknowledged save (302 back to its page) holds in the database unless the
   same person's later save replaced it; one audit entry per acknowledged save; a save
   refused because the assessment was submitted (302 to the overview) changed nothing: no
   answer change is logged between a submission and the next reopening; the final sign-off
   hash is the hash of the answers stored; the audit chain verifies.

The last line reads `teamtest (DATABASE): S saves acknowledged, R refused while submitted,
B busy (503), E server errors, L lost writes, chain verified`; the exit status is 0 only when
E and L are 0, a save and a sign-off were acknowledged, and nothing else went wrong.
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadtest  # noqa: E402  (the shared set-up, server and client of the load test)
from loadtest import HOST, REQUEST_TIMEOUT, Client, Seat, Unknown  # noqa: E402

ROOT = loadtest.ROOT
ARTIFACTS = ROOT / "artifacts" / "load"
TEAM = ["team-1", "team-2", "team-3", "team-lead"]
LOGIN_BURST = 12
VICTIM = "team-victim"
WRONG_LOGIN = "Please enter a correct username and password"
THROTTLED = "Too many failed logins"
LOGIN_LIMIT = int(os.environ.get("LADDER_LOGIN_FAILURE_LIMIT") or 5)


def seed() -> tuple[list[Seat], dict, str, int]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from assessments.domain.answers import AnswerInput
    from assessments.models import (
        Assessment,
        BusinessUnit,
        Cycle,
        Framework,
        Membership,
        Organisation,
        Question,
    )
    from assessments.services.answers import answers_save

    call_command("migrate", verbosity=0)
    call_command("load_framework", str(loadtest.FRAMEWORK_FILE), stdout=io.StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)
    framework = Framework.objects.get(code="martech-infra")
    organisation = Organisation.objects.create(name="Team Test", slug="team-test")
    cycle = Cycle.objects.create(organisation=organisation, name="TEAM-1", framework=framework)
    unit = BusinessUnit.objects.create(organisation=organisation, slug="team", name="Team")
    assessment = Assessment.objects.create(unit=unit, cycle=cycle)
    hashed = make_password(loadtest.PASSWORD)
    User = get_user_model()
    users = {name: User.objects.create(username=name, password=hashed) for name in TEAM + [VICTIM]}
    for name in TEAM:
        role = Membership.Role.LEAD if name == "team-lead" else Membership.Role.RESPONDENT
        Membership.objects.create(user=users[name], unit=unit, role=role)
    questions = {q.code: q for q in Question.objects.filter(framework=framework)}
    # Answered once, offline, so the lead may sign off at any moment (not a team member's
    # response: the check counts one audit entry per acknowledged save of each member).
    answers_save(
        assessment=assessment,
        respondent="offline-seed",
        questions=questions,
        answers={code: AnswerInput(special="dk") for code in questions},
    )
    by_capability: dict[str, list] = {}
    for question in Question.objects.filter(framework=framework).select_related("capability"):
        by_capability.setdefault(question.capability.code, []).append(
            loadtest.QuestionInfo(
                question.code, question.type, question.unit, tuple(sorted(question.options))
            )
        )
    return [Seat(name, assessment.pk) for name in TEAM], by_capability, cycle.name, assessment.pk


class TeamClient(Client):
    """A team member: answers every question of a capability on each save (so the lead may
    sign off at any time), and tells a save refused because the assessment is submitted
    (302 to the overview) from a lost one."""

    refused = 0
    busy = 0

    def answers(self, capability, comment):
        form, expected = {}, {}
        for question in self.questions[capability]:
            code = question.code
            special = self.random.choice(["na", "dk"]) if self.random.random() < 0.1 else ""
            if question.type == "choice":
                choice = self.random.choice(question.levels)
                form[code] = special or choice
                expected[code] = (None if special else int(choice), None, special, comment)
            else:
                top = 100.0 if question.unit == "%" else 200.0
                value = round(self.random.uniform(0, top), 1)
                form[code] = "" if special else str(value)
                form[f"{code}-special"] = special
                expected[code] = (None, None if special else value, special, comment)
            form[f"{code}-comment"] = comment
            form[f"{code}-evidence"] = ""
        return form, expected

    def save_loop(self, deadline, max_saves):
        overview = f"/assessments/{self.seat.assessment_pk}/"
        for iteration in range(max_saves):
            if time.monotonic() >= deadline:
                return
            capability = self.random.choice(sorted(self.questions))
            path = f"{overview}capabilities/{capability}/"
            try:
                status, _, html = self.request("questionnaire page", "GET", path)
            except Unknown as error:
                self.tally.unexpected.append(str(error))
                continue
            self.tally.timed_requests += 1
            if status != 200:
                self.tally.unexpected.append(f"GET {path} answered {status}")
                continue
            comment = f"team {self.seat.username} save {iteration}"
            form, expected = self.answers(capability, comment)
            form["csrfmiddlewaretoken"] = self.token(html)
            form["save"] = ""
            try:
                status, location, _ = self.request("save", "POST", path, form)
                self.tally.timed_requests += 1
            except Unknown as error:
                self.tally.ambiguous += 1
                self.tally.unexpected.append(str(error))
                for code, stored in expected.items():
                    self.tally.maybe[code].append(stored)
                continue
            if status == 302 and location == path:
                self.tally.acked += 1
                for code, stored in expected.items():
                    self.tally.last_acked[code] = stored
                    self.tally.maybe.pop(code, None)
            elif status == 302 and location == overview:
                self.refused += 1  # submitted meanwhile: read-only, nothing written
            elif status == 503:
                self.busy += 1  # "try again": nothing written (the transaction rolled back)
            else:
                if status >= 500:
                    self.tally.ambiguous += 1
                    for code, stored in expected.items():
                        self.tally.maybe[code].append(stored)
                self.tally.unexpected.append(f"POST {path} answered {status} {location}")


def post_form(client: Client, page: str, action: str, data: dict) -> tuple[int, str]:
    _, _, html = client.request("form page", "GET", page)
    status, location, _ = client.request(
        "sign-off", "POST", action, {**data, "csrfmiddlewaretoken": client.token(html)}
    )
    return status, location


def signer(client: Client, pk: int, deadline: float, outcome: Counter) -> None:
    """The lead's second session: submit and reopen while the team saves."""
    overview = f"/assessments/{pk}/"
    pause = random.Random(7)
    while time.monotonic() + 1 < deadline:
        time.sleep(pause.uniform(1.0, 2.5))
        for action, data in (
            ("submit", {"confirm": "on"}),
            ("reopen", {"reason": "team test: keep saving"}),
        ):
            try:
                status, location = post_form(client, overview, f"{overview}{action}/", data)
            except Unknown as error:
                client.tally.unexpected.append(f"{action}: {error}")
                continue
            outcome[f"{action} {status}"] += 1
            if status >= 500:
                client.tally.unexpected.append(f"{action} answered {status}")
            time.sleep(pause.uniform(0.5, 1.5))


def login_burst(port: int) -> tuple[Counter, list[str]]:
    """12 wrong passwords for one user at the same instant, then the right one."""
    problems: list[str] = []
    outcome: Counter = Counter()
    clients = [Client(Seat(VICTIM, 0), [port], {}, seed_=n) for n in range(LOGIN_BURST)]
    tokens = {}
    for client in clients:
        _, _, html = client.request("login page", "GET", "/login/")
        tokens[id(client)] = client.token(html)
    start = threading.Barrier(LOGIN_BURST)

    def attempt(client: Client) -> None:
        form = {"username": VICTIM, "password": "wrong", "csrfmiddlewaretoken": tokens[id(client)]}
        start.wait()
        try:
            status, _, html = client.request("login", "POST", "/login/", form, timeout=180)
        except Unknown as error:
            problems.append(f"wrong-password login: {error}")
            return
        said = WRONG_LOGIN if WRONG_LOGIN in html else THROTTLED if THROTTLED in html else "?"
        outcome[f"{status} {said}"] += 1

    threads = [threading.Thread(target=attempt, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    right = Client(Seat(VICTIM, 0), [port], {}, seed_=99)
    _, _, html = right.request("login page", "GET", "/login/")
    form = {
        "username": VICTIM,
        "password": loadtest.PASSWORD,
        "csrfmiddlewaretoken": right.token(html),
    }
    status, _, html = right.request("login", "POST", "/login/", form, timeout=180)
    outcome[f"right password: {status} {'throttled' if THROTTLED in html else 'let in'}"] += 1
    if THROTTLED not in html:
        problems.append("after 12 failures the right password was not throttled")
    checked = outcome[f"200 {WRONG_LOGIN}"]
    if checked != LOGIN_LIMIT:
        problems.append(
            f"{checked} of the {LOGIN_BURST} wrong passwords were checked (the limit is {LOGIN_LIMIT})"
        )
    for key in outcome:
        if not key.startswith("200 ") and not key.startswith("right password: 200"):
            problems.append(f"wrong-password logins answered {key}")
    return outcome, problems


def immutability(pk: int) -> tuple[list[str], str]:
    """Problems with "submitted means immutable", and the final sign-off's check."""
    from assessments import audit
    from assessments.models import Assessment, AuditEntry
    from assessments.services.signoff import answers_sha256

    problems = []
    submitted = False
    for entry in AuditEntry.objects.filter(organisation="team-test").order_by("sequence"):
        if entry.details.get("assessment") != pk:
            continue
        if entry.action == "assessment.submit":
            submitted = True
        elif entry.action == "assessment.reopen":
            submitted = False
        elif entry.action == "answers.change" and submitted:
            problems.append(f"audit #{entry.sequence}: an answer changed while submitted")
    assessment = Assessment.objects.get(pk=pk)
    if assessment.status != "submitted":
        problems.append(f"the final sign-off left the assessment {assessment.status}")
    elif assessment.answers_sha256 != answers_sha256(assessment):
        problems.append("the final sign-off hash is not the hash of the answers stored")
    report = audit.verify_log()
    problems += [f"audit chain broken: {problem}" for problem in report.problems()]
    verdict = (
        f"audit chains verified ({report.checked} entries)" if report.ok else "audit chain BROKEN"
    )
    return problems, verdict


def database(kind: str) -> tuple[str, callable]:
    """(DATABASE_URL of a fresh database, a function dropping it)."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="ladder-teamtest-"))
        return f"sqlite:///{folder / 'team.sqlite3'}", lambda: shutil.rmtree(folder, True)
    admin = os.environ.get("DATABASE_URL", "")
    if not admin.startswith(("postgres://", "postgresql://")):
        raise SystemExit("teamtest --database postgres: set DATABASE_URL to a PostgreSQL database")
    url, name = loadtest.loadtest_database_url(admin)
    url, name = url.replace("_loadtest", "_teamtest"), name.replace("_loadtest", "_teamtest")
    loadtest.recreate_database(admin, name)
    return url, lambda: loadtest.recreate_database(admin, name, drop_only=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument(
        "--duration", type=float, default=float(os.environ.get("TEAMTEST_DURATION", 20))
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    args = parser.parse_args(argv)
    url, drop = database(args.database)
    env = loadtest.server_environment(url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connections

    process = None
    try:
        seats, questions, _, pk = seed()
        connections.close_all()
        port = loadtest.free_port()
        process = loadtest.start_gunicorn(
            env, port, args.workers, ARTIFACTS / f"teamtest-{args.database}.log"
        )
        print(
            f"teamtest: {len(TEAM)} people saving one assessment for {args.duration:g} s with "
            f"a sign-off racing them, gunicorn ({args.workers} workers) on {HOST}:{port}, "
            f"{args.database}",
            flush=True,
        )
        logins, login_problems = login_burst(port)
        team = [TeamClient(seat, [port], questions, seed_=n) for n, seat in enumerate(seats)]
        lead = Client(Seat("team-lead", pk), [port], questions, seed_=50)
        for client in [*team, lead]:
            client.login()
        deadline = time.monotonic() + args.duration
        signed: Counter = Counter()
        threads = [threading.Thread(target=c.save_loop, args=(deadline, 100_000)) for c in team] + [
            threading.Thread(target=signer, args=(lead, pk, deadline, signed))
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.duration + REQUEST_TIMEOUT + 30)
        elapsed = time.monotonic() - started
        status, _ = post_form(
            lead, f"/assessments/{pk}/", f"/assessments/{pk}/submit/", {"confirm": "on"}
        )
        signed[f"final submit {status}"] += 1
        policy = http.client.HTTPConnection(HOST, port, timeout=10)
        policy.request("GET", "/static/" + static_path("ladder/ladder.css"))
        static_policy = policy.getresponse().headers.get("Content-Security-Policy", "")
    finally:
        if process is not None:
            loadtest.stop(process)
    lost, notes = loadtest.check(team, "TEAM-1")
    held, chain = immutability(pk)
    connections.close_all()
    drop()

    statuses: Counter = Counter()
    for client in [*team, lead]:
        statuses.update(client.tally.statuses)
    acked = sum(c.tally.acked for c in team)
    refused = sum(c.refused for c in team)
    busy = sum(c.busy for c in team)
    errors = sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500 and s != 503)
    errors += sum(n for key, n in logins.items() if key[:1] == "5")
    print(f"  logins: {dict(sorted(logins.items()))}")
    print(
        f"  saves: {acked} acknowledged in {elapsed:.1f} s ({acked / elapsed:.1f}/s), "
        f"{refused} refused while submitted, {busy} busy (503)"
    )
    print(f"  sign-off: {dict(sorted(signed.items()))}")
    print("  responses: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=str)))
    for note in notes + [chain]:
        print(f"  checked: {note}")
    problems = login_problems + held + [p for c in [*team, lead] for p in c.tally.unexpected]
    if not static_policy:
        problems.append("a static file was served without the Content-Security-Policy")
    if not any(key.startswith("submit 302") for key in signed):
        problems.append("no sign-off was acknowledged while the team saved")
    for problem in problems[:10]:
        print(f"  problem: {problem}")
    failed = lost or errors or problems or not acked
    print(
        f"teamtest ({args.database}): {acked} saves acknowledged, {refused} refused while "
        f"submitted, {busy} busy (503), {errors} server errors, {lost} lost writes, "
        f"{'chain verified' if 'verified' in chain else 'chain BROKEN'}"
        + (f"; FAILED: {len(problems)} problem(s)" if failed and not (lost or errors) else "")
    )
    return 1 if failed else 0


def static_path(name: str) -> str:
    import json

    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return manifest["paths"][name]


if __name__ == "__main__":
    sys.exit(main())
