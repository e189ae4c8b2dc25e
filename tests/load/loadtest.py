"""Load test: N respondents save answers at once against gunicorn on PostgreSQL.

    DATABASE_URL=postgres://USER:PASS@127.0.0.1:PORT/NAME .venv/bin/python tests/load/loadtest.py
        [--shape stress|day] [--clients N] [--organisations K] [--servers S]
        [--duration SECONDS] [--think MIN MAX] [--workers W] [--keep-db]

Three runs (docs/performance.md has their figures):
- `--shape stress` (default): 50 clients saving without pause, one app server.
- `--shape day`: a deadline day — 1,000 respondents in 20 organisations, each pausing
  5-30 s (uniform) before each action (open a capability, save it); their sessions are
  seeded in the database rather than logged in through PBKDF2. Threads: a sleeping one
  costs a small stack.
- `--servers 2`: two gunicorn processes on two ports against one PostgreSQL, each
  client's requests alternating between them (login form from one, its POST to the
  other, a page from one, its save to the other), then an upload posted to one and
  confirmed on the other, and the login throttle tried across both: nothing may depend
  on one process.

Everything runs on this machine, against 127.0.0.1 only:

1. A fresh database `<NAME>_loadtest` is created beside the one DATABASE_URL names (its
   role needs CREATEDB; the named database itself is never touched), migrated, given the
   default framework and N respondents (five a business unit, one open assessment each).
   Static files are collected as `make serve` does.
2. gunicorn (config/gunicorn.py) starts with several workers, bound to 127.0.0.1 only,
   with the production settings except DJANGO_SSL_REDIRECT=0 and DJANGO_SECURE_COOKIES=0:
   plain HTTP on the loopback has no TLS proxy in front. Never expose a server set up so.
3. N client threads log in (GET the form, POST it with its CSRF token; seeded sessions in
   the day shape), then each, until
   the time is up or its request budget is spent, opens a capability of its questionnaire
   and saves random answers with a comment unique to that save.
4. Afterwards, every acknowledged save (HTTP 302 after the POST) is looked for in the
   database: one audit entry per acknowledged save, and every answer holding the value of
   its last acknowledged save. A save whose outcome the client could not know (time-out,
   dropped connection, 5xx) may or may not be there, and both are accepted for it.

Prints requests per second, p50 and p95 latency, lost writes and server errors. The last
line reads `loadtest: N lost writes, M server errors`; the exit status is 0 only when both
are 0 and nothing else went wrong (a failed login, a 4xx, a dropped connection, no save
acknowledged at all, a broken audit chain). Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"  # the only address this test ever sends to
FRAMEWORK_FILE = ROOT / "fixtures" / "frameworks" / "martech-infra.yaml"
ARTIFACTS = ROOT / "artifacts" / "load"
PASSWORD = "load-test-" + secrets.token_urlsafe(12)
RESPONDENTS_PER_UNIT = 5
REQUEST_TIMEOUT = 60.0
# Every login checks a PBKDF2 hash (~0.4 s of CPU), and all N arrive at once: on a busy
# 2-core machine the last one waits for all the others.
LOGIN_TIMEOUT = 180.0
CYCLE_NAME = "LOAD-1"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- set-up ------------------------------------------------------------------------------


def loadtest_database_url(database_url: str) -> tuple[str, str]:
    """(URL of the load-test database, its name), beside the database DATABASE_URL names."""
    parts = urlsplit(database_url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit(
            f"loadtest: DATABASE_URL must name a PostgreSQL database, got scheme '{parts.scheme}'"
        )
    name = f"{parts.path.lstrip('/') or 'ladder'}_loadtest"
    return urlunsplit(parts._replace(path="/" + name)), name


def recreate_database(admin_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def server_environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DJANGO_DEBUG", None)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        # Loopback only: no TLS proxy in front, so no HTTPS redirect and no secure-only cookies.
        DJANGO_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_CONN_MAX_AGE=env.get("DJANGO_CONN_MAX_AGE", "60"),
        GUNICORN_ACCESS_LOG="",
    )
    return env


@dataclass(frozen=True)
class QuestionInfo:
    code: str
    type: str
    unit: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class Seat:
    """One seeded respondent and where they answer."""

    username: str
    assessment_pk: int
    organisation: str = ""
    unit: str = ""


def seed(
    clients: int, organisations: int = 1
) -> tuple[list[Seat], dict[str, list[QuestionInfo]], str]:
    """Framework, organisations (each with a cycle of the same name), units, respondents;
    returns seats, questions by capability and the cycle name. Units are dealt to the
    organisations in turn, so each organisation has its own audit chain under load."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from assessments.models import (
        Assessment,
        BusinessUnit,
        Cycle,
        Framework,
        Membership,
        Organisation,
        Question,
    )

    call_command("migrate", verbosity=0)
    call_command("load_framework", str(FRAMEWORK_FILE), stdout=io.StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)
    framework = Framework.objects.get(code="martech-infra")
    cycles = []
    for number in range(1, organisations + 1):
        suffix = "" if organisations == 1 else f"-{number:02d}"
        organisation = Organisation.objects.create(
            name=f"Load Test Group{suffix}", slug=f"load-test{suffix}"
        )
        cycles.append(
            Cycle.objects.create(organisation=organisation, name=CYCLE_NAME, framework=framework)
        )
    units = (clients + RESPONDENTS_PER_UNIT - 1) // RESPONDENTS_PER_UNIT
    assessments = []
    for number in range(1, units + 1):
        cycle = cycles[(number - 1) % len(cycles)]
        unit = BusinessUnit.objects.create(
            organisation=cycle.organisation, slug=f"unit-{number:03d}", name=f"Unit {number:03d}"
        )
        assessments.append(Assessment.objects.create(unit=unit, cycle=cycle))
    hashed = make_password(PASSWORD)  # once: hashing is slow on purpose
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"load-{n:04d}", password=hashed) for n in range(1, clients + 1)
    )
    seats, memberships = [], []
    for index, user in enumerate(users):
        assessment = assessments[index // RESPONDENTS_PER_UNIT]
        # The first respondent of each unit leads it (and may upload files of answers).
        role = Membership.Role.LEAD if index % RESPONDENTS_PER_UNIT == 0 else None
        memberships.append(
            Membership(user=user, unit=assessment.unit, role=role or Membership.Role.RESPONDENT)
        )
        seats.append(
            Seat(
                user.username,
                assessment.pk,
                assessment.unit.organisation.slug,
                assessment.unit.slug,
            )
        )
    Membership.objects.bulk_create(memberships)
    questions: dict[str, list[QuestionInfo]] = defaultdict(list)
    for question in Question.objects.filter(framework=framework).select_related("capability"):
        questions[question.capability.code].append(
            QuestionInfo(
                question.code, question.type, question.unit, tuple(sorted(question.options))
            )
        )
    return seats, dict(questions), CYCLE_NAME


def seeded_sessions(seats: list[Seat]) -> dict[str, str]:
    """A logged-in session per respondent, written straight to the session table as a
    login would write it: the day-shaped run's 1,000 respondents would otherwise spend
    minutes of PBKDF2 at the door (the stress and two-server runs log in through HTTP).
    Returns username -> session key."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    keys = {}
    users = get_user_model().objects.filter(username__in=[seat.username for seat in seats])
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys[user.username] = session.session_key
    return keys


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int | None, log: Path):
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--config",
        "config/gunicorn.py",
        "--bind",
        f"{HOST}:{port}",
    ]
    if workers:
        command += ["--workers", str(workers)]
    log.parent.mkdir(parents=True, exist_ok=True)
    handle = log.open("wb")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"loadtest: gunicorn exited with {process.returncode}; see {log}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/login/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise SystemExit(f"loadtest: gunicorn did not answer GET /login/ within 60 s; see {log}")


def check_static(port: int) -> tuple[str, list[str]]:
    """Static files as production serves them (whitenoise, collected and hashed): every asset
    the login page links, and Plotly. Returns (a note, problems)."""
    import json

    def get(path: str):
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response, body

    _, page = get("/login/")
    paths = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.decode("utf-8", "replace"))
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    paths.append("/static/" + manifest["paths"]["vendor/plotly/plotly.min.js"])
    problems, sizes = [], {}
    for path in paths:
        response, body = get(path)
        sizes[path] = len(body)
        cache = response.headers.get("Cache-Control", "")
        if response.status != 200:
            problems.append(f"static GET {path} answered {response.status}")
        elif response.headers.get("Content-Encoding") != "gzip" or "immutable" not in cache:
            problems.append(
                f"static {path}: Content-Encoding {response.headers.get('Content-Encoding')}, "
                f"Cache-Control '{cache}' (expected gzip, immutable)"
            )
    plotly_kib = sizes[paths[-1]] / 1024
    note = (
        f"{len(paths)} static files served by whitenoise, gzip, immutable "
        f"(plotly.min.js {plotly_kib:.0f} KiB gzipped)"
    )
    return note, problems


def stop(process) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- clients -----------------------------------------------------------------------------


class Unknown(Exception):
    """The request's outcome is unknown to the client (time-out, dropped connection)."""


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    timed_requests: int = 0
    acked: int = 0
    ambiguous: int = 0
    unexpected: list[str] = field(default_factory=list)
    # question code -> the stored form of the last acknowledged save
    last_acked: dict[str, tuple | None] = field(default_factory=dict)
    # question code -> values sent after the last acknowledged save whose outcome is unknown
    maybe: dict[str, list[tuple | None]] = field(default_factory=lambda: defaultdict(list))


def multipart(boundary: str, fields: dict, filename: str, data: bytes) -> bytes:
    """A multipart/form-data body: the fields, then one file as `file`."""
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts)


class Client:
    """One respondent. With several app servers (`ports`), each request goes to the next
    server in turn — the login form from one, its POST to the other, the page from one,
    its save to the other — so that nothing a request needs may live in one process."""

    def __init__(
        self, seat: Seat, ports: list[int], questions: dict[str, list[QuestionInfo]], seed_: int
    ):
        self.seat = seat
        self.ports = ports
        self.turn = seed_
        self.questions = questions
        self.random = random.Random(seed_)
        self.cookies: dict[str, str] = {}
        self.tally = Tally()
        self.logged_in = False
        self.think_seconds: tuple[float, float] | None = None  # the day-shaped run's pauses

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        form: dict | None = None,
        timeout: float = 0,
        upload: tuple[str, bytes] | None = None,
    ):
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        headers = {"Host": f"{HOST}:{port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body: str | bytes | None = None
        if upload is not None:
            boundary = "ladder-" + secrets.token_hex(8)
            body = multipart(boundary, form or {}, *upload)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=timeout or REQUEST_TIMEOUT)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            self.tally.statuses["no response"] += 1
            raise Unknown(f"{method} {path}: {error!r}") from error
        self.tally.latencies[kind].append(time.perf_counter() - started)
        self.tally.statuses[response.status] += 1
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), text

    def token(self, html: str) -> str:
        found = CSRF_INPUT.search(html)
        return found.group(1) if found else ""

    def login(self) -> None:
        try:
            status, _, html = self.request("login page", "GET", "/login/", timeout=LOGIN_TIMEOUT)
            if status != 200:
                self.tally.unexpected.append(f"GET /login/ answered {status}")
                return
            form = {
                "username": self.seat.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.token(html),
            }
            status, location, _ = self.request(
                "login", "POST", "/login/", form, timeout=LOGIN_TIMEOUT
            )
        except Unknown as error:
            self.tally.unexpected.append(f"login: {error}")
            return
        if status == 302 and location == "/":
            self.logged_in = True
        else:
            self.tally.unexpected.append(f"POST /login/ answered {status} {location}")

    def answers(self, capability: str, comment: str) -> tuple[dict, dict[str, tuple | None]]:
        """Form data for one save of `capability`, and what each answer must be stored as:
        (choice, value, special, comment), or None for a question left blank (which clears
        a stored answer). The first question is always answered, so every save changes
        something and writes one audit entry."""
        form, expected = {}, {}
        for index, question in enumerate(self.questions[capability]):
            code = question.code
            blank = index > 0 and self.random.random() < 0.05
            special = self.random.choice(["na", "dk"]) if self.random.random() < 0.1 else ""
            if question.type == "choice":
                choice = self.random.choice(question.levels)
                form[code] = "" if blank else special or choice
                expected[code] = (None if special else int(choice), None, special, comment)
            else:
                top = 100.0 if question.unit == "%" else 200.0
                value = round(self.random.uniform(0, top), 1)
                form[code] = "" if blank or special else str(value)
                form[f"{code}-special"] = "" if blank else special
                expected[code] = (None, None if special else value, special, comment)
            form[f"{code}-comment"] = "" if blank else comment
            form[f"{code}-evidence"] = ""
            if blank:
                expected[code] = None
        return form, expected

    def think(self, deadline: float) -> bool:
        """Wait a respondent's think time (none in the stress run); False once past the
        deadline."""
        if self.think_seconds:
            pause = self.random.uniform(*self.think_seconds)
            time.sleep(max(0.0, min(pause, deadline - time.monotonic())))
        return time.monotonic() < deadline

    def save_loop(self, deadline: float, max_saves: int) -> None:
        codes = sorted(self.questions)
        for iteration in range(max_saves):
            if not self.think(deadline):
                return
            # Random order: respondents come back to capabilities, so saves also overwrite.
            capability = self.random.choice(codes)
            path = f"/assessments/{self.seat.assessment_pk}/capabilities/{capability}/"
            try:
                status, _, html = self.request("questionnaire page", "GET", path)
                self.tally.timed_requests += 1
            except Unknown as error:
                self.tally.timed_requests += 1
                self.tally.unexpected.append(str(error))
                continue
            if status != 200:
                self.tally.unexpected.append(f"GET {path} answered {status}")
                continue
            if not self.think(deadline):
                return
            comment = f"load {self.seat.username} save {iteration}"
            form, expected = self.answers(capability, comment)
            form["csrfmiddlewaretoken"] = self.token(html)
            form["save"] = ""
            try:
                status, location, _ = self.request("save", "POST", path, form)
                self.tally.timed_requests += 1
            except Unknown as error:
                self.tally.timed_requests += 1
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
            else:
                # A 5xx may have committed before failing; a 4xx or a 200 (form errors) has not.
                if status >= 500:
                    self.tally.ambiguous += 1
                    for code, stored in expected.items():
                        self.tally.maybe[code].append(stored)
                self.tally.unexpected.append(f"POST {path} answered {status} {location}")


def run_clients(
    clients: list[Client], duration: float, max_saves: int, on_start=lambda: None
) -> tuple[float, float]:
    """Log every client in, then let all save until `duration` has passed; `on_start` runs
    as the timed phase opens. Returns (seconds the logins took, seconds the timed phase
    took)."""
    window: dict[str, float] = {}

    def open_window() -> None:
        # Runs once, when the last party arrives and before any is released: one shared window.
        on_start()
        window["start"] = time.monotonic()
        window["deadline"] = window["start"] + duration

    logged_in = threading.Barrier(
        len(clients) + 1, action=open_window, timeout=LOGIN_TIMEOUT * 2 + 60
    )

    def work(client: Client) -> None:
        if not client.logged_in:
            client.login()
        try:
            logged_in.wait()
        except threading.BrokenBarrierError:
            return
        if client.logged_in:
            client.save_loop(window["deadline"], max_saves)

    threads = [threading.Thread(target=work, args=(c,), daemon=True) for c in clients]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        logged_in.wait()
    except threading.BrokenBarrierError:
        raise SystemExit("loadtest: the clients did not all finish logging in in time") from None
    for thread in threads:
        thread.join(timeout=duration + REQUEST_TIMEOUT + 30)
    if any(thread.is_alive() for thread in threads):
        raise SystemExit("loadtest: some clients did not stop in time")
    return window["start"] - started, time.monotonic() - window["start"]


# --- where the time goes ------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (Linux /proc), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _database_backends(database: str) -> list[int]:
    """PostgreSQL backends serving the load-test database (by their process title)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if title.startswith("postgres:") and f" {database} " in title:
                found.append(int(entry.name))
    return found


class CpuMeter:
    """CPU seconds spent during the timed phase by the app servers' workers, the load-test
    database's PostgreSQL backends and this process (the clients), from /proc: where the
    two cores' time went. Empty where /proc is not Linux's."""

    def __init__(self, servers: list, database: str):
        self.servers, self.database = servers, database
        self.start: dict[str, dict[int, float]] = {}

    def sample(self) -> dict[str, dict[int, float]]:
        workers = [child for server in self.servers for child in _children(server.pid)]
        return {
            "app workers": {pid: _cpu_seconds(pid) for pid in workers},
            "PostgreSQL": {pid: _cpu_seconds(pid) for pid in _database_backends(self.database)},
            "load clients": {0: sum(os.times()[:2])},
        }

    def begin(self) -> None:
        self.start = self.sample()

    def note(self, seconds: float) -> str:
        if not Path("/proc/self/stat").exists() or not self.start:
            return ""
        end = self.sample()
        spent = {
            part: sum(cpu - self.start[part].get(pid, 0.0) for pid, cpu in end[part].items())
            for part in end
        }
        cores = os.cpu_count() or 1
        parts = ", ".join(f"{part} {cpu:.1f} s" for part, cpu in spent.items())
        total = sum(spent.values())
        return (
            f"CPU in the {seconds:.0f} s timed phase: {parts}; "
            f"{total:.1f} of {seconds * cores:.0f} core-seconds ({cores} cores)"
        )


# --- checks ------------------------------------------------------------------------------

SHA256_INPUT = re.compile(r'name="confirmed_sha256" value="([0-9a-f]{64})"')


def check_upload(lead: Client, owner: Client, cycle_name: str) -> tuple[str, list[str]]:
    """An upload split across servers: a unit's lead (who may upload) posts a tidy answers
    CSV of another respondent's answers to one capability (`owner`, of the same unit) to
    one server, which asks to confirm replacing that respondent's web answers (409); the
    confirmation — the file again, with its SHA-256 — goes to the other server. The
    acknowledged import then counts as the owner's last write of those answers (and its
    audit entry as theirs), checked with the rest."""
    seat, problems = owner.seat, []
    path = f"/assessments/{seat.assessment_pk}/upload/"
    # A capability the owner saved on the web, so that the file replaces web answers.
    saved = [
        c for c in sorted(owner.questions) if owner.questions[c][0].code in owner.tally.last_acked
    ]
    capability = (saved or sorted(owner.questions))[0]
    comment = f"load {seat.username} upload by {lead.seat.username}"
    lines = ["organisation,unit,cycle,respondent,question_code,answer,comment"]
    expected = {}
    for question in owner.questions[capability]:
        if question.type == "choice":
            choice = owner.random.choice(question.levels)
            answer, stored = choice, (int(choice), None, "", comment)
        else:
            value = round(owner.random.uniform(0, 100.0), 1)
            answer, stored = str(value), (None, value, "", comment)
        lines.append(
            f"{seat.organisation},{seat.unit},{cycle_name},{seat.username},{question.code},"
            f"{answer},{comment}"
        )
        expected[question.code] = stored
    data = ("\n".join(lines) + "\n").encode()
    try:
        status, _, html = lead.request("upload", "GET", path)
        form = {"csrfmiddlewaretoken": lead.token(html)}
        status, location, html = lead.request(
            "upload", "POST", path, form, upload=("answers.csv", data)
        )
        asked = status == 409 and SHA256_INPUT.search(html)
        if asked:
            form.update(replace_web_answers="on", confirmed_sha256=asked.group(1))
            status, location, html = lead.request(
                "upload", "POST", path, form, upload=("answers.csv", data)
            )
    except Unknown as error:
        for code, stored in expected.items():
            owner.tally.maybe[code].append(stored)
        return "", [f"upload across servers: {error}"]
    if status != 302:
        return "", [f"upload across servers answered {status} (asked to confirm: {bool(asked)})"]
    owner.tally.acked += 1  # its answers.change entry, as a save's
    for code, stored in expected.items():
        owner.tally.last_acked[code] = stored
        owner.tally.maybe.pop(code, None)
    how = "confirmed on the other server" if asked else "imported without confirmation"
    return f"upload of {len(expected)} answers across servers: {how}, read back below", problems


THROTTLED = "Too many failed logins"


def check_throttle(seat: Seat, ports: list[int], questions) -> tuple[str, list[str]]:
    """Login throttling across servers: wrong passwords for one username sent to each
    server in turn; once the limit's worth have failed (on whichever server), every
    further attempt — the right password too — is refused, whichever server gets it."""
    limit = int(os.environ.get("LADDER_LOGIN_FAILURE_LIMIT", 5))
    answers, problems = [], []
    for attempt in range(limit + 3):
        client = Client(seat, ports, questions, seed_=attempt)
        password = PASSWORD if attempt == limit + 2 else "wrong-" + secrets.token_hex(4)
        try:
            _, _, html = client.request("throttle", "GET", "/login/", timeout=LOGIN_TIMEOUT)
            form = {
                "username": seat.username,
                "password": password,
                "csrfmiddlewaretoken": client.token(html),
            }
            status, _, html = client.request(
                "throttle", "POST", "/login/", form, timeout=LOGIN_TIMEOUT
            )
        except Unknown as error:
            return "", [f"throttle check: {error}"]
        answers.append("in" if status == 302 else "throttled" if THROTTLED in html else "wrong")
    expected = ["wrong"] * limit + ["throttled"] * 3
    if answers != expected:
        problems.append(f"login throttle across servers: {answers}, expected {expected}")
    note = (
        f"login throttle held across {len(ports)} servers: {limit} wrong passwords, then "
        "refused (the right one too)"
    )
    return note, problems


def check(clients: list[Client], cycle_name: str) -> tuple[int, list[str]]:
    """Lost writes (acknowledged saves missing from the database) and notes on what was checked."""
    from assessments import audit
    from assessments.models import Answer, AuditEntry

    stored = {
        (row["response__respondent"], row["question__code"]): (
            row["choice"],
            row["value"],
            row["special"],
            row["comment"],
        )
        for row in Answer.objects.filter(response__assessment__cycle__name=cycle_name).values(
            "response__respondent", "question__code", "choice", "value", "special", "comment"
        )
    }
    audited = Counter(
        AuditEntry.objects.filter(action="answers.change").values_list(
            "details__respondent", flat=True
        )
    )
    lost_answers = lost_audit = answers_checked = 0
    for client in clients:
        tally, name = client.tally, client.seat.username
        for code, expected in tally.last_acked.items():
            answers_checked += 1
            found = stored.get((name, code))
            if found != expected and found not in tally.maybe.get(code, []):
                lost_answers += 1
                if lost_answers <= 5:
                    print(f"  lost: {name} {code}: acknowledged {expected}, stored {found}")
        if audited[name] < tally.acked:
            lost_audit += tally.acked - audited[name]
        elif audited[name] > tally.acked + tally.ambiguous:
            client.tally.unexpected.append(
                f"{name}: {audited[name]} audit entries for {tally.acked} acknowledged "
                f"and {tally.ambiguous} unknown saves"
            )
    notes = [
        f"{answers_checked} answers hold their last acknowledged value ({lost_answers} do not)",
        f"{sum(audited.values())} audit entries for {sum(c.tally.acked for c in clients)} "
        f"acknowledged saves ({lost_audit} missing)",
    ]
    report = audit.verify_log()
    for problem in report.problems():
        clients[0].tally.unexpected.append(f"audit chain broken: {problem}")
        notes.append(f"audit chain BROKEN: {problem}")
    if report.ok:
        notes.append(f"audit chains intact ({len(report.chains)} chains, {report.checked} entries)")
    return lost_answers + lost_audit, notes


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def milliseconds(values: list[float]) -> str:
    return (
        f"p50 {percentile(values, 0.5) * 1000:.0f} ms, p95 {percentile(values, 0.95) * 1000:.0f} ms"
    )


# --- main --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--shape",
        choices=["stress", "day"],
        default="stress",
        help="stress: every client saves without pause (default); day: a deadline day, "
        "1,000 respondents in 20 organisations pausing 5-30 s between actions",
    )
    parser.add_argument("--clients", type=int, default=None, help="N (stress 50, day 1000)")
    parser.add_argument(
        "--organisations", type=int, default=None, help="organisations (stress 1, day 20)"
    )
    parser.add_argument(
        "--servers", type=int, default=1, help="app servers (gunicorn processes), default 1"
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=None,
        help="seconds of saving after every client has logged in (stress 30, day 120)",
    )
    parser.add_argument(
        "--think", type=float, nargs=2, default=(5.0, 30.0), metavar=("MIN", "MAX"),
        help="the day shape's seconds between a respondent's actions (default 5 30)",
    )  # fmt: skip
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers a server (config default)"
    )
    parser.add_argument(
        "--max-saves", type=int, default=5000, help="request budget: saves per client at most"
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the load-test database")
    args = parser.parse_args(argv)
    day = args.shape == "day"
    if args.clients is None:
        args.clients = 1000 if day else int(os.environ.get("LOADTEST_CLIENTS", 50))
    if args.organisations is None:
        args.organisations = 20 if day else 1
    if args.duration is None:
        args.duration = 120.0 if day else float(os.environ.get("LOADTEST_DURATION", 30))
    if not 1 <= args.clients <= 2000:
        parser.error(f"--clients must be between 1 and 2000, got {args.clients}")
    if not 1 <= args.servers <= 4:
        parser.error(f"--servers must be between 1 and 4, got {args.servers}")
    if not 1 <= args.organisations <= args.clients:
        parser.error("--organisations must be between 1 and --clients")
    if not 0 < args.duration <= 3600:
        parser.error(f"--duration must be between 0 and 3600 seconds, got {args.duration}")
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url:
        raise SystemExit(
            "loadtest: set DATABASE_URL to a PostgreSQL database whose role may create "
            "databases (e.g. from `.ci/postgres.sh start DIR`)"
        )
    url, name = loadtest_database_url(database_url)
    recreate_database(database_url, name)
    env = server_environment(url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connections

    if day:
        threading.stack_size(256 * 1024)  # 1,000 mostly sleeping threads
    processes = []
    throttle_note, throttle_problems = "", []
    try:
        seats, questions, cycle_name = seed(args.clients, args.organisations)
        sessions = seeded_sessions(seats) if day else {}
        connections.close_all()
        ports = []
        for number in range(args.servers):
            port = free_port()
            log = ARTIFACTS / (
                "gunicorn.log" if args.servers == 1 else f"gunicorn-{number + 1}.log"
            )
            processes.append(start_gunicorn(env, port, args.workers, log))
            ports.append(port)
        static_note, static_problems = check_static(ports[0])
        workers = args.workers or env.get("WEB_CONCURRENCY") or "config default"
        servers = ", ".join(f"{HOST}:{port}" for port in ports)
        shape = (
            f"think {args.think[0]:g}-{args.think[1]:g} s between actions"
            if day
            else "no pause between requests"
        )
        print(
            f"loadtest: {args.shape}: {args.clients} respondents in "
            f"{(len(seats) + RESPONDENTS_PER_UNIT - 1) // RESPONDENTS_PER_UNIT} units of "
            f"{args.organisations} organisation(s), {shape}, {args.duration:g} s; "
            f"{args.servers} app server(s) ({workers} workers each) on {servers}; "
            f"PostgreSQL database {name}",
            flush=True,
        )
        clients = [Client(seat, ports, questions, seed_=index) for index, seat in enumerate(seats)]
        for client in clients:
            if day:
                client.cookies["sessionid"] = sessions[client.seat.username]
                client.logged_in = True
                client.think_seconds = tuple(args.think)
        meter = CpuMeter(processes, name)
        login_seconds, timed_seconds = run_clients(
            clients, args.duration, args.max_saves, on_start=meter.begin
        )
        cpu_note = meter.note(timed_seconds)
        if args.servers > 1:
            upload_note, upload_problems = (
                check_upload(clients[0], clients[1], cycle_name) if len(clients) > 1 else ("", [])
            )
            throttle_note, throttle_problems = check_throttle(seats[0], ports, questions)
            throttle_note = f"{upload_note}; {throttle_note}" if upload_note else throttle_note
            throttle_problems += upload_problems
    finally:
        for process in processes:
            stop(process)
    lost, notes = check(clients, cycle_name)
    if cpu_note:
        notes.insert(0, cpu_note)
    if throttle_note:
        notes.append(throttle_note)
    static_problems += throttle_problems
    connections.close_all()
    if not args.keep_db:
        recreate_database(database_url, name, drop_only=True)

    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: Counter = Counter()
    for client in clients:
        for kind, values in client.tally.latencies.items():
            latencies[kind].extend(values)
        statuses.update(client.tally.statuses)
    logged_in = sum(c.logged_in for c in clients)
    timed = sum(c.tally.timed_requests for c in clients)
    timed_latencies = latencies["questionnaire page"] + latencies["save"]
    acked = sum(c.tally.acked for c in clients)
    server_errors = sum(
        n for status, n in statuses.items() if isinstance(status, int) and status >= 500
    )
    if latencies["login"]:
        print(
            f"  logins: {logged_in} of {len(clients)} in {login_seconds:.1f} s ({milliseconds(latencies['login'])})"
        )
    else:
        print(f"  logins: {logged_in} of {len(clients)} by sessions seeded in the database")
    print(
        f"  requests: {timed} in {timed_seconds:.1f} s = {timed / timed_seconds:.1f} requests/s; "
        f"all {milliseconds(timed_latencies)}"
    )
    print(
        f"  questionnaire page GET: {len(latencies['questionnaire page'])}, {milliseconds(latencies['questionnaire page'])}"
    )
    print(
        f"  save POST: {len(latencies['save'])}, {milliseconds(latencies['save'])}; {acked} acknowledged ({acked / timed_seconds:.1f} saves/s)"
    )
    print(
        "  responses: "
        + ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items(), key=str))
    )
    for note in [static_note, *notes]:
        print(f"  checked: {note}")
    problems = static_problems + [p for c in clients for p in c.tally.unexpected]
    for problem in problems[:10]:
        print(f"  problem: {problem}")
    if len(problems) > 10:
        print(f"  … and {len(problems) - 10} more problems")
    failed = lost or server_errors or problems or logged_in < len(clients) or not acked
    verdict = f"loadtest: {lost} lost writes, {server_errors} server errors"
    if failed and not (lost or server_errors):
        verdict += f"; FAILED: {len(problems)} other problem(s), {acked} saves acknowledged"
    print(verdict)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
