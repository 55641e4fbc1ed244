"""Jinja2 rendering for the pages: the shared context (CSRF token, flash message,
time zone) and the filters that format grams, local times and durations."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo

from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from kratom_journal.domain.moments import format_duration
from kratom_journal.web import csrf

if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from fastapi import Request

FLASH = "kj_flash"
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def grams(value: Decimal | float | int | str | None) -> str:
    if value is None:
        return "–"
    return f"{format(Decimal(str(value)).normalize(), 'f')} g"


def local(instant: datetime | None, zone: str, fmt: str = "%H:%M") -> str:
    if instant is None:
        return ""
    return instant.astimezone(ZoneInfo(zone)).strftime(fmt)


def duration(delta: timedelta) -> str:
    return format_duration(delta)


def iso(instant: datetime | None) -> str:
    return "" if instant is None else instant.isoformat().replace("+00:00", "Z")


templates.env.filters.update(grams=grams, duration=duration, iso=iso)
templates.env.globals.update(local=local)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page with the token its forms need and any one-time message."""
    flash = request.cookies.get(FLASH)
    values = {
        "csrf_token": csrf.token_for(request),
        "flash": unquote(flash) if flash else None,
        "path": request.url.path,
        **(context or {}),
    }
    response = templates.TemplateResponse(
        request, name, values, status_code=status_code
    )
    new_token = getattr(request.state, "new_csrf", None)
    if new_token:
        response.set_cookie(
            csrf.COOKIE, new_token, httponly=True, samesite="strict", path="/"
        )
    if flash:
        response.delete_cookie(FLASH, path="/")
    return response


def redirect(url: str, message: str | None = None) -> RedirectResponse:
    """Post/redirect/get: the next page shows `message` once."""
    response = RedirectResponse(url, status_code=303)
    if message:
        response.set_cookie(
            FLASH, quote(message), httponly=True, samesite="strict", path="/"
        )
    return response
