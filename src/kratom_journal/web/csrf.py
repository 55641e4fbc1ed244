"""CSRF tokens for every state-changing form: a signed random token in a
SameSite=Strict cookie that each form echoes in a hidden field (double submit).

The token is signed with the app's secret (HMAC-SHA256), so a cookie planted by
someone else, for example another program on a different localhost port (cookies
do not keep ports apart), is not accepted even with a matching field. Over HTTPS
the cookie is `__Host-` prefixed: Secure, for this host and path only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from fastapi import HTTPException, Request
from fastapi.responses import Response

COOKIE = "kj_csrf"
SECURE_COOKIE = "__Host-kj_csrf"
FIELD = "csrf_token"
REFUSED = (
    "This form has expired or did not come from this app. Reload the page "
    "and try again; nothing was saved."
)


def _signature(secret: bytes, value: str) -> str:
    digest = hmac.new(secret, value.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_token(secret: bytes) -> str:
    value = secrets.token_urlsafe(32)
    return f"{value}.{_signature(secret, value)}"


def is_signed(secret: bytes, token: str) -> bool:
    value, _, signature = token.partition(".")
    return bool(value) and hmac.compare_digest(
        signature.encode(), _signature(secret, value).encode()
    )


def _secret(request: Request) -> bytes:
    secret: bytes = request.app.state.csrf_secret
    return secret


def cookie_name(request: Request) -> str:
    return SECURE_COOKIE if request.url.scheme == "https" else COOKIE


def token_for(request: Request) -> str:
    """The request's token: the cookie's if we signed it (this run of the app),
    else a new one that `set_cookie` sends."""
    token = request.cookies.get(cookie_name(request))
    if token and is_signed(_secret(request), token):
        return token
    fresh: str | None = getattr(request.state, "new_csrf", None)
    if fresh is None:
        fresh = new_token(_secret(request))
        request.state.new_csrf = fresh
    return fresh


def set_cookie(request: Request, response: Response) -> None:
    """Send the token made for this request, if one was made."""
    fresh = getattr(request.state, "new_csrf", None)
    if fresh:
        secure = request.url.scheme == "https"
        response.set_cookie(
            cookie_name(request),
            fresh,
            httponly=True,
            samesite="strict",
            path="/",
            secure=secure,
        )


async def verify(request: Request) -> None:
    """A dependency of every page route that changes something."""
    form = await request.form()
    sent = form.get(FIELD)
    expected = request.cookies.get(cookie_name(request))
    if (
        not isinstance(sent, str)
        or not expected
        or not is_signed(_secret(request), expected)
        or not hmac.compare_digest(sent.encode(), expected.encode())
    ):
        raise HTTPException(403, REFUSED)
