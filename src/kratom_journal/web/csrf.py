"""CSRF tokens for every state-changing form: a random token in a SameSite=Strict
cookie that each form echoes in a hidden field (double submit)."""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request

COOKIE = "kj_csrf"
FIELD = "csrf_token"


def token_for(request: Request) -> str:
    """The request's token: the cookie's, or a new one that the response will set."""
    token = request.cookies.get(COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


async def verify(request: Request) -> None:
    """A dependency of every page route that changes something."""
    form = await request.form()
    sent = form.get(FIELD)
    expected = request.cookies.get(COOKIE)
    if (
        not isinstance(sent, str)
        or not expected
        or not hmac.compare_digest(sent.encode(), expected.encode())
    ):
        raise HTTPException(
            403,
            "This form has expired or did not come from this app. Reload the page "
            "and try again; nothing was saved.",
        )
