"""Web fixtures: an app on a fresh journal with a clock the test moves, a test client
that speaks forms with their CSRF token, a live server, and real Chromium."""

from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kratom_journal.services.journal import Journal, open_journal
from kratom_journal.web.app import create_app

# 2026-11-22 15:00 in Berlin, as in the CLI tests.
START = datetime(2026, 11, 22, 14, 0, tzinfo=UTC)
ZONE = "Europe/Berlin"
BASE_URL = "http://127.0.0.1:8765"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parents[2] / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


class Clock:
    """The app's clock: fixed, and moved on by the test (no sleeping)."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    opened = open_journal(
        str(tmp_path / "web.sqlite3"), now=START, environ={"TZ": ZONE}
    )
    yield opened
    opened.close()


@pytest.fixture
def app(journal: Journal, clock: Clock) -> FastAPI:
    return create_app(journal, clock=clock)


class Client(TestClient):
    """A browser-like client: `submit` posts a form with the page's CSRF token."""

    def token(self) -> str:
        if "kj_csrf" not in self.cookies:
            self.get("/")
        return str(self.cookies["kj_csrf"])

    def submit(
        self, url: str, data: dict[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        return self.post(
            url, data={**(data or {}), "csrf_token": self.token()}, **kwargs
        )


@pytest.fixture
def client(app: FastAPI) -> Iterator[Client]:
    with Client(app, base_url=BASE_URL) as test_client:
        yield test_client


def texts(html: str, pattern: str) -> list[str]:
    """The texts matched by `pattern`'s group in a page, tags stripped."""
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(pattern, html, re.S)]


# -- a live server and real Chromium ---------------------------------------------------


@dataclass
class Live:
    url: str
    clock: Clock
    journal: Journal


@pytest.fixture
def live(app: FastAPI, clock: Clock, journal: Journal) -> Iterator[Live]:
    """The app served by uvicorn on a free loopback port, in a thread."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True
    )
    thread.start()
    while not server.started:  # start-up takes milliseconds; no sleep needed
        if not thread.is_alive():  # pragma: no cover - a failed start
            raise RuntimeError("the test server did not start")
    yield Live(f"http://127.0.0.1:{port}", clock, journal)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("KRATOM_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (apt-get install chromium)")
        pytest.skip("Chromium is not installed; `make test` installs it as root")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, live: Live) -> Iterator[Any]:
    """A phone-sized page on the live server that fails the test on any console error
    (a CSP violation or a script error shows up there)."""
    context = browser.new_context(viewport=PHONE, base_url=live.url)
    new_page = context.new_page()
    # The page's scripts see the app's clock, so countdowns match the server's.
    # A test that moves `live.clock` calls this again.
    new_page.clock.set_fixed_time(live.clock.now)
    errors: list[str] = []
    new_page.on("console", lambda m: _console_error(m, errors))
    new_page.on("pageerror", lambda e: errors.append(str(e)))
    yield new_page
    context.close()
    assert errors == []


def _console_error(message: Any, errors: list[str]) -> None:
    # A 4xx page (bad input, not found) is logged as a failed resource; that is
    # the answer under test, not a script or policy error.
    text = message.text
    if message.type == "error" and not text.startswith(
        "Failed to load resource: the server responded with a status of 4"
    ):
        errors.append(text)


def accessibility_problems(page: Any) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def inspect_page(page: Any, name: str) -> None:
    """Check the page with axe-core at phone and desktop size (no serious or critical
    violations) and save screenshots of both as test artifacts."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    problems = accessibility_problems(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    problems += accessibility_problems(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(size)
    assert problems == []
