"""How the suite is laid out; read this before adding a test.

Which tests run where
- `make test` (and `make test-postgres`) run everything under tests/ but tests/browser and
  the tests that start a program of the machine. Those carry a marker named after the
  program — `@pytest.mark.chromium` (kaleido draws chart images in Chromium),
  `@pytest.mark.libreoffice` (soffice converts the deck to PDF) — and run in
  `make test-external` (a CI stage of its own), where a missing program is an error,
  never a skip. A test that starts another program: add it to PROGRAMS below and
  register its marker in pyproject.toml; nothing else changes.
- `make test-browser` runs tests/browser (Playwright in Debian's Chromium).
- `make test` runs in two processes (pytest-xdist, `-n 2`; TEST_WORKERS=1 for one), each on
  its own test database, tests shared out one by one: a test must not depend on another
  having run before it in the same process. Plain `pytest` runs in one process.

Data for a test
- `small` (below): the small framework of tests/factories.py, loaded for one test.
- A world built once per module: when many tests of a module read the same costly data
  (an access matrix, a portfolio of scored units), write it once, in a transaction that
  stays open for the module and is rolled back at its end (`module_db`), and give each
  test a deep copy of the Python objects:

      @pytest.fixture(scope="module")
      def acme_once(module_db):
          return scored_organisation(factories.small_framework())

      @pytest.fixture
      def acme(acme_once, db):
          return copy.deepcopy(acme_once)

  Tests name `acme`; they may write freely (`db` rolls each test back to the world as it
  was built) and change their copy's attributes without touching the next test's. Two
  worlds of one module share the module's transaction, so they must not collide (other
  slugs and usernames). Not for transactional tests (`transactional_db`, `live_server`,
  `django_db(transaction=True)`): they need a database without a transaction open.
- Email: `smtp_server` (below) starts a real SMTP server (aiosmtpd) on 127.0.0.1, points
  Django's SMTP backend at it and collects what arrives (`smtp_server.messages`, parsed
  `email.message.EmailMessage`s). Without it, pytest-django's locmem outbox catches mail.
- Everything else is built by the test itself, through the factories (tests/*factories.py),
  which write through the services as the app does.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from django.db import transaction

from tests import factories

# marker → (how to find the program, what to install when it is missing)
PROGRAMS = {
    "chromium": (
        lambda: os.environ.get("BROWSER_PATH") or shutil.which("chromium"),
        "Chromium for kaleido's chart images: apt-get install chromium (or set BROWSER_PATH)",
    ),
    "libreoffice": (
        lambda: shutil.which("soffice") and shutil.which("pdfinfo"),
        "LibreOffice and poppler: apt-get install libreoffice-impress libreoffice-calc poppler-utils",
    ),
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """A test marked with a program is also marked `external`: pyproject's addopts leave
    those out (-m "not external"), `make test-external` runs them (-m external)."""
    for item in items:
        if any(item.get_closest_marker(name) for name in PROGRAMS):
            item.add_marker(pytest.mark.external)


def pytest_runtest_setup(item):
    for name, (find, install) in PROGRAMS.items():
        if item.get_closest_marker(name) and not find():
            pytest.fail(f"this test needs {install}", pytrace=False)


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """One transaction for the whole module, rolled back at its end: module-scoped
    fixtures that request it may write the data the module's tests read."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def small(db):
    return factories.small_framework()


@dataclass
class ReceivedMail:
    """What the test's SMTP server received: parsed messages, envelopes and logins."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, address: str) -> list[EmailMessage]:
        """The messages whose envelope named this address."""
        with self.lock:
            return [
                m for m, rcpt in zip(self.messages, self.recipients, strict=True) if address in rcpt
            ]


class _Collect:
    def __init__(self, mail: ReceivedMail):
        self.mail = mail

    async def handle_DATA(self, server, session, envelope):
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        with self.mail.lock:
            self.mail.messages.append(message)
            self.mail.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (a free port) for one test; Django's SMTP backend
    sends to it. It accepts any login (recorded in `logins`) without TLS."""
    mail = ReceivedMail(host="127.0.0.1", port=_free_port())

    def authenticate(server, session, envelope, mechanism, auth_data):
        mail.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=True)

    controller = Controller(
        _Collect(mail),
        hostname=mail.host,
        port=mail.port,
        authenticator=authenticate,
        auth_require_tls=False,
    )
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = mail.host
    settings.EMAIL_PORT = mail.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield mail
    finally:
        controller.stop()
