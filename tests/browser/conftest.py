"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

`playwright install` cannot download browsers here, so the suite launches the system
Chromium (LADDER_CHROMIUM, default /usr/bin/chromium; `apt-get install chromium`).
Every step's screenshot goes to artifacts/browser/<test>/ (git-ignored; CI keeps it).
Every page is watched: a request to anything but 127.0.0.1 is blocked and fails the test.

`make test` leaves this folder out (pyproject addopts); `make test-browser` runs it.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread, so Django's guard would refuse
# every ORM call the test makes to set up its data; the live server runs in its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The live server listens on the loopback address the network guard below allows.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = Path(os.environ.get("LADDER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A loaded CI machine renders slower than a laptop: wait up to 15 s for what a test expects.
expect.set_options(timeout=15_000)
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
LOOPBACK = "127.0.0.1"
NOT_LOOPBACK = re.compile(r"^(?!(?:https?|wss?)://127\.0\.0\.1[:/])(?!data:|blob:|about:)")


def pytest_configure(config):
    # pytest-base-url (a pytest-playwright dependency) defines a fixture pytest 9 warns about.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning",
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: apt-get install chromium "
            "(or set LADDER_CHROMIUM to its path)"
        )
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}


@pytest.fixture
def requested() -> list[str]:
    """The URL of every request the test's browser made, in order."""
    return []


@pytest.fixture
def page(page, live_server, requested):
    """pytest-playwright's page, with every request recorded in `requested`; one that
    would leave 127.0.0.1 is blocked, and the test fails at teardown naming it."""
    blocked: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))

    def block(route):
        blocked.append(route.request.url)
        route.abort("blockedbyclient")

    page.context.route(NOT_LOOPBACK, block)
    page.set_default_timeout(15_000)
    yield page
    outside = blocked + [
        url
        for url in requested
        if urlsplit(url).scheme in {"http", "https", "ws", "wss"}
        and urlsplit(url).hostname != LOOPBACK
    ]
    assert outside == [], f"requests left {LOOPBACK}: {sorted(set(outside))}"
    assert requested, "the page made no request at all"


@pytest.fixture
def shot(page, request):
    """shot("name") saves a full-page screenshot as artifacts/browser/<test function>/<NN>-name.png."""
    folder = ARTIFACTS / request.node.originalname
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    taken = []

    def take(name: str) -> Path:
        taken.append(name)
        path = folder / f"{len(taken):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    take.folder = folder  # where a test may keep other artifacts (downloads)
    return take
