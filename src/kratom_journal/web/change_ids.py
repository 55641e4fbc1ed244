"""Which change a request made, so that Undo names exactly that one.

Each request collects the ids of the commands it committed (see
`services.journal.written_commands`). A page's flash message carries the newest
as its Undo button's `change`, and every response that wrote one says it in the
`Kratom-Change` header, for API clients to pass to POST /api/v1/undo?change=.
A pure ASGI middleware, like SecurityMiddleware.
"""

from __future__ import annotations

from kratom_journal.services.journal import written_commands
from kratom_journal.web.security import ASGIApp, Message, Receive, Scope, Send

HEADER = "kratom-change"


class ChangeIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with written_commands() as written:

            async def send_with_change(message: Message) -> None:
                if message["type"] == "http.response.start" and written:
                    message["headers"] = [
                        *message.get("headers", []),
                        (HEADER.encode(), str(written[-1]).encode()),
                    ]
                await send(message)

            await self.app(scope, receive, send_with_change)
