"""How much a request may send and for how long, enforced before anything parses it.

Sizes are counted by Starlette's body-limit middleware as the bytes arrive (FastAPI's
`max_body_size`, app-wide and larger on the two import routes), so a form's CSRF
check never reads more than the limit. This module adds the time limit: a client
that starts a body and then stalls or trickles is answered 408 once the whole body
has taken longer than `READ_TIMEOUT` seconds.
"""

from __future__ import annotations

import math

import anyio
from starlette.exceptions import HTTPException

from kratom_journal.web.security import ASGIApp, Message, Receive, Scope, Send

# Every form and JSON body of the app is a few kilobytes (a note is at most a few
# thousand characters); 1 MiB leaves room and no more.
BODY_LIMIT = 2**20
# An export to import may be up to 20 MB (MAX_IMPORT_BYTES); the upload routes
# allow that plus room for the multipart envelope, so the import itself can say
# "larger than 20 MB" in its own words.
IMPORT_MB = 20
UPLOAD_LIMIT = IMPORT_MB * 2**20 + 2**20
# From the first read of the body to its last byte. On loopback even a 20 MB
# upload takes well under a second.
READ_TIMEOUT = 30.0


# The one API route whose body may be an upload (web/api/settings.py).
API_UPLOAD_PATH = "/api/v1/import"


def body_limit(path: str) -> int:
    """The most an API request to `path` may send (what its route allows)."""
    return UPLOAD_LIMIT if path == API_UPLOAD_PATH else BODY_LIMIT


TOO_LARGE = (
    f"The request is larger than this app accepts ({BODY_LIMIT // 2**20} MB; "
    f"an export to import, {IMPORT_MB} MB); nothing was saved."
)
TIMED_OUT = "The request's body did not arrive in time; nothing was saved."


class ReadTimeoutMiddleware:
    """408 when the body is not complete `seconds` after the app starts reading it.

    The deadline covers the body only: once its last part has arrived, later
    receives (a streaming response listening for a disconnect) wait as long as
    they need."""

    def __init__(self, app: ASGIApp, seconds: float = READ_TIMEOUT) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = math.inf
        complete = False

        async def receive_in_time() -> Message:
            nonlocal deadline, complete
            if complete:
                return await receive()
            if deadline == math.inf:
                deadline = anyio.current_time() + self.seconds
            with anyio.move_on_after(deadline - anyio.current_time()) as waiting:
                message = await receive()
            if waiting.cancelled_caught:
                raise HTTPException(408, TIMED_OUT)
            if message["type"] != "http.request" or not message.get("more_body"):
                complete = True
            return message

        await self.app(scope, receive_in_time, send)
