"""Security for a health app on localhost: Host allow-list, cross-origin refusal of
state changes, and strict response headers (CSP, no framing, no caching).

A pure ASGI middleware: it runs on every request, so it avoids the cost of
Starlette's BaseHTTPMiddleware. Form CSRF tokens live in `web/csrf.py`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Everything the pages need is served by us; inline scripts and styles are refused.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
# Health data must not linger in shared caches or the back/forward cache of a
# borrowed phone; our own static files may be cached.
NO_STORE = (b"cache-control", b"no-store")
STATIC_CACHE = (b"cache-control", b"max-age=3600")


# A Host header is a name and an optional port, nothing else: no userinfo
# ("127.0.0.1:80@evil.com"), path, spaces or a second colon.
_HOST = re.compile(r"(?P<name>[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(?P<port>[0-9]{1,5}))?")


def host_name(host: str) -> str | None:
    """'127.0.0.1:8765' -> '127.0.0.1'; '[::1]:8765' -> '[::1]'; None when the
    header is anything but a host name with an optional numeric port."""
    match = _HOST.fullmatch(host.lower())
    if match is None:
        return None
    port = match.group("port")
    if port is not None and not 0 < int(port) < 65536:
        return None
    return match.group("name")


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...]) -> None:
        self.app = app
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {
            k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]
        }
        host = headers.get("host", "")
        # DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own
        # name as Host; only our loopback names are served.
        name = host_name(host)
        if name is None or name not in self.allowed_hosts:
            await _refuse(send, 400, "Invalid Host header")
            return
        if scope["method"] in UNSAFE_METHODS and _cross_origin(headers, host):
            await _refuse(send, 403, "Cross-origin request refused")
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    *HEADERS,
                    STATIC_CACHE if static else NO_STORE,
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cross_origin(headers: dict[str, str], host: str) -> bool:
    """Browsers say where a request comes from (Sec-Fetch-Site, else Origin); scripts
    and curl send neither and are allowed, as on any local API."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return False
    return origin.split("://", 1)[-1].lower() != host.lower()


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *HEADERS,
                NO_STORE,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
