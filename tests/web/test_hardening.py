"""Web hardening: body limits and read time-outs before any parsing, security headers
on every answer (errors too), a strict Host parser, signed CSRF cookies, and user
text that never turns into a token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import anyio.from_thread
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kratom_journal.services.journal import Journal
from kratom_journal.web.api.settings import MAX_IMPORT_BYTES
from kratom_journal.web.app import create_app
from kratom_journal.web.limits import BODY_LIMIT, IMPORT_MB, UPLOAD_LIMIT
from tests.web.conftest import BASE_URL, Client, Clock, Live

MiB = 2**20


def doses(client: Client) -> list[Any]:
    found: list[Any] = client.get("/api/v1/today").json()["doses"]
    return found


def assert_secure_headers(headers: Any) -> None:
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"


# -- a raw ASGI call: the test decides how the body arrives ----------------------------


class Body:
    """A request body that arrives in `chunk`-sized parts, `parts` of them (None:
    without end), then, if `stall`, nothing more ever; counts what the app read."""

    def __init__(
        self, chunk: bytes, parts: int | None, *, stall: bool = False, head: bytes = b""
    ) -> None:
        self.head = head
        self.chunk = chunk
        self.parts = parts
        self.stall = stall
        self.read = 0
        self.done = False

    async def __call__(self) -> dict[str, Any]:
        if self.parts is None or self.read < self.parts:
            self.read += 1
            body = self.head + self.chunk if self.read == 1 else self.chunk
            return {"type": "http.request", "body": body, "more_body": True}
        if self.stall:
            await anyio.Event().wait()  # a client that sends nothing more
        if not self.done:
            self.done = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.disconnect"}


def call(
    app: FastAPI, path: str, body: Body, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """POST `path` on the app as a server would, within ten seconds."""
    sent: list[dict[str, Any]] = []
    raw = {"host": "127.0.0.1:8765", **(headers or {})}
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.encode(), v.encode()) for k, v in raw.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8765),
        "state": {},
    }

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def run() -> None:
        with anyio.fail_after(10):
            await app(scope, body, send)

    # In a thread of its own: a browser test may hold this thread's event loop.
    with anyio.from_thread.start_blocking_portal() as portal:
        portal.call(run)
    start = sent[0]
    response_headers = {k.decode(): v.decode() for k, v in start["headers"]}
    content = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], response_headers, content


FORM = {"content-type": "application/x-www-form-urlencoded"}
MULTIPART = {"content-type": "multipart/form-data; boundary=xyz"}
JSON = {"content-type": "application/json"}
KEYED = {**JSON, "idempotency-key": "retry-1"}
# The start of an upload whose file never ends.
FILE_PART = (
    b"--xyz\r\n"
    b'Content-Disposition: form-data; name="file"; filename="big.json"\r\n'
    b"Content-Type: application/json\r\n\r\n"
)


@pytest.mark.parametrize(
    ("path", "headers", "head", "limit", "answer"),
    [
        # The CSRF check reads the form.
        ("/doses", FORM, b"", BODY_LIMIT, (413, b"larger than this app accepts")),
        ("/doses", MULTIPART, FILE_PART, BODY_LIMIT, (413, b"than this app")),
        ("/api/v1/doses", JSON, b"", BODY_LIMIT, (413, b"than this app")),
        ("/settings/import", MULTIPART, FILE_PART, UPLOAD_LIMIT, (413, b"20 MB")),
        # The API's import counts too, and says so first.
        ("/api/v1/import", JSON, b"", UPLOAD_LIMIT, (422, b"larger than 20 MB")),
        # A retry key does not let a body past the count (the key's check reads it).
        ("/api/v1/doses", KEYED, b"", BODY_LIMIT, (413, b"than this app")),
        ("/api/v1/import", KEYED, b"", UPLOAD_LIMIT, (413, b"than this app")),
    ],
)
def test_an_endless_body_is_refused_once_past_the_limit(
    app: FastAPI,
    path: str,
    headers: dict[str, str],
    head: bytes,
    limit: int,
    answer: tuple[int, bytes],
) -> None:
    # No Content-Length (chunked): the bytes are counted as they arrive. A few
    # parts more than the limit, so that a regression fails instead of eating memory.
    body = Body(b"a" * MiB, parts=limit // MiB + 4, head=head)
    status, response_headers, content = call(app, path, body, headers)
    assert (status, answer[1] in content) == (answer[0], True)
    assert body.read * MiB <= limit + MiB  # stopped at the limit, not at the end
    assert_secure_headers(response_headers)


def test_a_declared_oversized_body_is_refused_before_reading_any_of_it(
    app: FastAPI,
) -> None:
    body = Body(b"a" * MiB, parts=500)
    headers = {**MULTIPART, "content-length": str(500 * MiB)}
    status, response_headers, _ = call(app, "/doses", body, headers)
    assert status == 413
    assert body.read == 0
    assert_secure_headers(response_headers)


def test_an_upload_may_be_larger_than_a_form(client: Client) -> None:
    assert MAX_IMPORT_BYTES == IMPORT_MB * MiB < UPLOAD_LIMIT
    data = b"[" + b" " * (2 * MiB) + b"]"  # over the form limit, under the upload's
    page = client.submit("/settings/import", files={"file": ("big.json", data)})
    api = client.post("/api/v1/import", content=data, headers=JSON)
    # Read and judged by the import itself: not an export, nothing written.
    assert (page.status_code, api.status_code) == (422, 422)
    form = client.post(
        "/doses", data={"amount": "2 g", "note": "x" * (2 * MiB)}, headers=FORM
    )
    # (Refused before the form is read; Starlette's words, "Content Too Large".)
    assert form.status_code == 413
    assert doses(client) == []


def test_a_real_server_refuses_a_streamed_body_over_the_limit(live: Live) -> None:
    # Through uvicorn, chunked, no Content-Length: 413 with the security headers.
    # (How much the app reads is measured by the raw ASGI cases above; uvicorn
    # itself may drain the rest of the body from the socket, unread by the app.)
    import http.client
    from urllib.parse import urlsplit

    address = urlsplit(live.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.putrequest("POST", "/doses")
        connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()
        chunk = b"a" * (64 * 2**10)
        try:
            for _ in range(3 * MiB // len(chunk)):
                connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            connection.send(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed
        response = connection.getresponse()
        assert response.status == 413
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert b"larger than this app accepts" in response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("parts", [0, 1])
def test_a_stalled_body_times_out_with_408(
    journal: Journal, clock: Clock, parts: int
) -> None:
    app = create_app(journal, clock=clock, read_timeout=0.05)
    body = Body(b"amount=2+g&", parts=parts, stall=True)
    status, headers, content = call(app, "/doses", body, FORM)
    assert status == 408
    assert b"did not arrive in time" in content
    assert_secure_headers(headers)
    api = call(app, "/api/v1/doses", Body(b"{", parts=parts, stall=True), JSON)
    assert api[0] == 408
    keyed = call(app, "/api/v1/doses", Body(b"{", parts=parts, stall=True), KEYED)
    assert (keyed[0], b"did not arrive in time" in keyed[2]) == (408, True)
    assert_secure_headers(keyed[1])


# -- security headers on every answer --------------------------------------------------


@pytest.fixture
def raw(app: FastAPI) -> Iterator[TestClient]:
    """A client that sees a 500 as the browser would, from routes that fail."""

    def fail() -> None:
        raise RuntimeError("a bug, with private words in it")

    app.add_api_route("/boom", fail)
    app.add_api_route("/api/v1/boom", fail)
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/", {}, 200),
        ("GET", "/no-such-page", {}, 404),
        ("GET", "/api/v1/no-such-thing", {}, 404),
        ("POST", "/api/v1/doses", {"json": {"amount": True}}, 422),
        ("POST", "/api/v1/doses", {"content": b"x" * (BODY_LIMIT + 1)}, 413),
        ("POST", "/doses", {"data": {"amount": "2 g"}}, 403),
        ("GET", "/boom", {}, 500),
        ("GET", "/api/v1/boom", {}, 500),
        ("GET", "/", {"headers": {"host": "127.0.0.1:80@evil.com"}}, 400),
    ],
)
def test_every_answer_carries_the_security_headers(
    raw: TestClient, method: str, path: str, kwargs: dict[str, Any], status: int
) -> None:
    response = raw.request(method, path, **kwargs)
    assert response.status_code == status
    assert_secure_headers(response.headers)


def test_a_server_error_shows_nothing_of_the_error(raw: TestClient) -> None:
    page = raw.get("/boom")
    api = raw.get("/api/v1/boom")
    assert "Something went wrong" in page.text
    assert "Something went wrong" in api.json()["detail"]
    assert "private words" not in page.text + api.text


# -- Host ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:80@evil.com",
        "evil.com@127.0.0.1",
        "user:pass@localhost:8765",
        "127.0.0.1/evil",
        "127.0.0.1:8765/x",
        "127.0.0.1:",
        "127.0.0.1:abc",
        "127.0.0.1:99999",
        "127.0.0.1:0",
        "localhost:8765:8765",
        "127.0.0.1 evil.com",
        "127.0.0.1.evil.com",
        "[::1]evil",
        "[::1",
        "",
    ],
)
def test_a_host_header_with_anything_but_a_name_and_port_is_refused(
    client: Client, host: str
) -> None:
    response = client.get("/api/v1/today", headers={"host": host})
    assert response.status_code == 400
    assert response.text == "Invalid Host header"


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.0.0.1:8765", "LOCALHOST:80", "[::1]", "[::1]:8765"]
)
def test_loopback_names_with_a_port_are_served(client: Client, host: str) -> None:
    assert client.get("/api/v1/today", headers={"host": host}).status_code == 200


# -- CSRF ------------------------------------------------------------------------------


def test_the_csrf_cookie_is_signed_and_the_field_matches_it(client: Client) -> None:
    token = client.token()
    value, _, signature = token.partition(".")
    assert value and signature
    assert client.submit("/doses", {"amount": "1 g"}).status_code == 200
    assert len(doses(client)) == 1


@pytest.mark.parametrize(
    "forged",
    [
        "attacker-chosen-value",  # an unsigned token, as before
        "attacker-chosen-value.c2lnbmF0dXJl",  # a made-up signature
    ],
)
def test_a_forged_cookie_and_field_pair_is_refused(client: Client, forged: str) -> None:
    # Another program on localhost can set cookies for this app (ports are not
    # kept apart) and fill the field to match; it cannot sign.
    client.cookies.set("kj_csrf", forged)
    response = client.post("/doses", data={"amount": "2 g", "csrf_token": forged})
    assert response.status_code == 403
    assert doses(client) == []


def test_a_token_signed_by_another_run_of_the_app_is_refused_and_replaced(
    journal: Journal, clock: Clock
) -> None:
    with Client(create_app(journal, clock=clock), base_url=BASE_URL) as first:
        old = first.token()
    with Client(create_app(journal, clock=clock), base_url=BASE_URL) as second:
        second.cookies.set("kj_csrf", old, domain="127.0.0.1")
        refused = second.post("/doses", data={"amount": "2 g", "csrf_token": old})
        assert refused.status_code == 403
        assert "Reload the page" in refused.text
        second.get("/")  # the reload: a new token of this run
        assert second.cookies["kj_csrf"] != old
        assert second.submit("/doses", {"amount": "2 g"}).status_code == 200


def test_over_https_the_cookie_is_host_prefixed_and_secure(app: FastAPI) -> None:
    with Client(app, base_url="https://127.0.0.1:8765") as client:
        cookie = client.get("/").headers["set-cookie"]
        assert cookie.startswith("__Host-kj_csrf=")
        assert "Secure" in cookie
        assert "Path=/" in cookie
        assert "Domain" not in cookie
        token = client.cookies["__Host-kj_csrf"]
        saved = client.post("/doses", data={"amount": "1 g", "csrf_token": token})
        assert saved.status_code == 200
        # A plain cookie by the old name counts for nothing over HTTPS.
        client.cookies.clear()
        client.cookies.set("kj_csrf", token)
        refused = client.post("/doses", data={"amount": "1 g", "csrf_token": token})
        assert refused.status_code == 403


# The slot was "\x00csrf\x00", which a note could contain; NUL is now refused as
# input too (test_bad_text.py).
@pytest.mark.parametrize("name", ["Red <kj-csrf-token>", "Red &lt;kj-csrf-token&gt;"])
def test_text_that_looks_like_the_token_slot_shows_as_written(
    client: Client, name: str
) -> None:
    assert client.post("/api/v1/products", json={"name": name}).status_code == 201
    page = client.get("/").text
    token = client.cookies["kj_csrf"]
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert escaped in page
    # The token is in the forms only, never in place of the name.
    assert page.count(token) == page.count('name="csrf_token"')
