"""Secrets and health data stay out of what the server shows and logs: a database
password is never in a 503 page or answer, and no log line holds a note, a
medication name or any other text a person entered."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import threading
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode
from uuid import uuid4

import pytest

from kratom_journal.cli.serve import server_config
from kratom_journal.services.journal import Journal, open_journal
from kratom_journal.store.database import Database
from kratom_journal.web.app import create_app
from tests.web.conftest import BASE_URL, START, ZONE, Client, Clock

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

SECRET = "Hunter2-sentinel-pw"
# Port 1 on loopback: nothing listens there, so every transaction fails at once.
UNREACHABLE = f"postgresql+psycopg://kj:{SECRET}@127.0.0.1:1/journal"
SHOWN = "postgresql+psycopg://kj:***@127.0.0.1:1/journal"
SENTINEL = "zebrafinch-sentinel-4711"
# uvicorn's loggers do not propagate to the root, where caplog listens. Its access
# logger is left alone: `kratom serve` switches access lines off (paths and queries
# can carry health data), which uvicorn does by leaving that logger no handler.
LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.asgi")


@pytest.fixture
def unreachable_client() -> Iterator[Client]:
    journal = Journal(Database(UNREACHABLE), uuid4())
    app = create_app(journal, clock=Clock())
    with Client(app, base_url=BASE_URL) as client:
        yield client
    journal.close()


@pytest.mark.parametrize(
    ("method", "path", "json_body"),
    [
        ("GET", "/", False),
        ("GET", "/history", False),
        ("GET", "/api/v1/today", True),
        ("POST", "/api/v1/doses", True),
    ],
)
def test_a_503_names_the_database_without_its_password(
    unreachable_client: Client, method: str, path: str, json_body: bool
) -> None:
    body = {"amount": "2 g"} if method == "POST" else None
    response = unreachable_client.request(method, path, json=body)
    assert response.status_code == 503
    if json_body:
        assert SHOWN in response.json()["detail"]
    else:
        assert response.headers["content-type"].startswith("text/html")
        assert SHOWN in response.text
    assert SECRET not in response.text


# -- server logs ------------------------------------------------------------------


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def any_journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Journal]:
    if request.param == "sqlite":
        db = str(tmp_path / "logs.sqlite3")
    else:
        db = request.getfixturevalue("postgres_url")
    journal = open_journal(db, now=START, environ={"TZ": ZONE})
    yield journal
    journal.close()


@dataclass
class Answer:
    status_code: int
    text: str


class Browser:
    """Plain HTTP to the live server, keeping cookies (the standard library only)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        data: dict[str, str] | None = None,
        json_body: Any = None,
        params: dict[str, str] | None = None,
    ) -> Answer:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        target = f"{path}?{urlencode(params)}" if params else path
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            for header in response.headers.get_all("set-cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return Answer(response.status, response.read().decode("utf-8"))
        finally:
            connection.close()

    def get(self, path: str, **kwargs: Any) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Answer:
        return self.request("POST", path, **kwargs)


@pytest.fixture
def served(any_journal: Journal, caplog: pytest.LogCaptureFixture) -> Iterator[Browser]:
    """The app under uvicorn with `kratom serve`'s settings, every logger at DEBUG
    and captured (uvicorn's own loggers do not propagate to the root)."""
    import uvicorn

    app = create_app(any_journal, clock=Clock())

    def fails() -> None:  # an unforeseen error whose message quotes a person's text
        raise ValueError(f"cannot read {SENTINEL!r}")

    app.add_api_route("/fails", fails)
    config = server_config(app)  # configures uvicorn's loggers; then open them up
    assert not logging.getLogger("uvicorn.access").hasHandlers()
    caplog.set_level(logging.DEBUG)
    # SQLAlchemy at INFO logs every statement with its parameters, unless the
    # engine hides them. (At DEBUG it logs result rows too: never switch that on.)
    caplog.set_level(logging.INFO, logger="sqlalchemy")
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(caplog.handler)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    while not server.started:  # start-up takes milliseconds; no sleep needed
        if not thread.is_alive():  # pragma: no cover - a failed start
            raise RuntimeError("the test server did not start")
    try:
        yield Browser(port)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(caplog.handler)


def test_server_logs_never_hold_health_data(
    served: Browser, caplog: pytest.LogCaptureFixture
) -> None:
    note = f"felt dizzy {SENTINEL}"
    medication = f"med-{SENTINEL}"
    served.get("/")
    token = served.cookies["kj_csrf"]
    answers = [
        # valid writes, through a form and the API
        served.post(
            "/doses", data={"amount": "2 g", "note": note, "csrf_token": token}
        ),
        served.post("/api/v1/doses", json_body={"amount": "1 g", "note": note}),
        served.post(
            "/api/v1/medications", json_body={"name": medication, "note": note}
        ),
        # invalid ones: the bad value itself is health data
        served.post("/doses", data={"amount": SENTINEL, "csrf_token": token}),
        served.post("/api/v1/doses", json_body={"amount": SENTINEL}),
        served.post("/api/v1/doses", json_body={"amount": "1 g", "note": note * 500}),
        served.post("/api/v1/medications", json_body={"name": medication * 20}),
        served.post(
            "/api/v1/doses", json_body={"amount": "1 g", "note": f"\x00{note}"}
        ),
        served.post("/doses", data={"amount": "2 g", "note": note}),  # no CSRF token
        # reads that show it, and a query that carries it
        served.get("/history"),
        served.get("/api/v1/history"),
        served.get("/safety", params={"product": SENTINEL, "amount": "2 g"}),
        served.get("/fails"),
    ]
    statuses = [answer.status_code for answer in answers]
    assert statuses[:3] == [303, 201, 201], statuses  # the valid writes went in
    assert all(status >= 400 for status in statuses[3:7]), statuses
    assert SENTINEL in served.get("/api/v1/history").text  # it is in the journal
    assert statuses[-1] == 500
    records = caplog.get_records("setup") + caplog.get_records("call")
    # The error is logged, with where it happened, but without its message.
    assert "builtins.ValueError (message withheld" in caplog.text
    assert "in fails" in caplog.text
    assert any(r.name.startswith("uvicorn") for r in records)  # capture works
    for record in records:
        logged = caplog.handler.format(record)  # with any traceback
        assert SENTINEL not in logged + repr(record.args), logged
