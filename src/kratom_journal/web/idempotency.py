"""Idempotency-Key on the API's writes: a retry gets the first answer again.

A POST, PUT or PATCH under /api/ that carries the header is answered once: its
successful answer (status, body, and the Kratom-Change header) is kept with the key,
and the same request sent again with that key gets it back, with
`Idempotent-Replayed: true`, without running again. The same key with a different
request (method, path, query or body) is refused with 422; while the first request
is still running, a retry gets 409. A failed request (4xx/5xx) wrote nothing, so its
key is let go and a retry runs again. A pure ASGI middleware; the database work runs
in the thread pool, as the routes do.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import anyio.to_thread
from starlette.exceptions import HTTPException

from kratom_journal.domain.errors import InputError
from kratom_journal.services.idempotency import (
    HEADER,
    claim_key,
    parse_key,
    release_key,
    remember_answer,
)
from kratom_journal.web.change_ids import HEADER as CHANGE_HEADER
from kratom_journal.web.errors import API_PREFIX, problem
from kratom_journal.web.limits import TOO_LARGE, body_limit
from kratom_journal.web.security import ASGIApp, Message, Receive, Scope, Send

METHODS = frozenset({"POST", "PUT", "PATCH"})
# What a replayed answer keeps of the first one's headers.
KEPT_HEADERS = ("content-type", CHANGE_HEADER)
REPLAYED = (b"idempotent-replayed", b"true")
# A request runs for well under a second; a key held unanswered this long was left
# behind by a server that stopped.
STALE = timedelta(minutes=5)


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key_header = _header(scope, HEADER.lower())
        if (
            scope["type"] != "http"
            or key_header is None
            or scope["method"] not in METHODS
            or not scope["path"].startswith(API_PREFIX)
        ):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        journal, now = state.journal, state.clock()
        try:
            body = await _read_body(receive, body_limit(scope["path"]))
        except HTTPException as error:  # the body's size or time limit (web/limits.py)
            detail = TOO_LARGE if error.status_code == 413 else error.detail
            await _answer(send, error.status_code, {"detail": detail})
            return
        if body is None:
            await _answer(send, 413, {"detail": TOO_LARGE})
            return
        try:
            key = parse_key(key_header)
            held = await anyio.to_thread.run_sync(
                lambda: claim_key(journal, key, _fingerprint(scope, body), now=now)
            )
        except InputError as error:
            await _answer(send, 422, {"detail": [problem(error.field, error.problem)]})
            return
        if held is not None:
            if held.status is None:
                await _answer(send, 409, {"detail": _pending(now - held.created_at)})
                return
            headers = [(n.encode(), v.encode()) for n, v in held.headers]
            await _send(send, held.status, [*headers, REPLAYED], held.body.encode())
            return

        status, headers, chunks = 500, [], []

        async def capture(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        sent = False

        async def replay_body() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        try:
            await self.app(scope, replay_body, capture)
        except BaseException:
            await anyio.to_thread.run_sync(lambda: release_key(journal, key))
            raise
        answer = b"".join(chunks)
        if 200 <= status < 300:
            kept = [
                [name.decode("latin-1"), value.decode("latin-1")]
                for name, value in headers
                if name.decode("latin-1").lower() in KEPT_HEADERS
            ]
            text = answer.decode("utf-8", errors="replace")
            await anyio.to_thread.run_sync(
                lambda: remember_answer(journal, key, status, kept, text)
            )
        else:
            await anyio.to_thread.run_sync(lambda: release_key(journal, key))
        # The answer is kept before it is sent: a retry after a lost answer finds it.
        await _send(send, status, headers, answer)


def _pending(age: timedelta) -> str:
    if age < STALE:
        return (
            f"a request with this {HEADER} is still being processed; send it again "
            "in a moment"
        )
    # The server stopped between saving and keeping the answer: it may be saved.
    return (
        f"the first request with this {HEADER} did not finish answering; look in "
        "History whether it was saved before sending it again with a new key"
    )


def _header(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key.decode("latin-1").lower() == name:
            return str(value.decode("latin-1"))
    return None


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None once it passes its route's limit: a key must not
    let a body past the count that the route itself would make."""
    parts = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        part = message.get("body", b"")
        size += len(part)
        if size > limit:
            return None
        parts.append(part)
        if not message.get("more_body", False):
            break
    return b"".join(parts)


def _fingerprint(scope: Scope, body: bytes) -> str:
    """What makes two requests the same: method, path, query and body."""
    digest = hashlib.sha256()
    for part in (
        scope["method"].encode(),
        scope["path"].encode(),
        scope.get("query_string", b""),
        body,
    ):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


async def _answer(send: Send, status: int, content: object) -> None:
    body = json.dumps(content).encode()
    await _send(send, status, [(b"content-type", b"application/json")], body)


async def _send(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
