"""Jinja2 rendering for the pages: the shared context (CSRF token, flash message,
time zone) and the filters that format grams, local times and durations."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo

from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from kratom_journal.domain.moments import format_duration
from kratom_journal.services.journal import last_written
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


# Messages from the services name CLI commands; on a page, name the page instead.
COMMAND_PAGES = {
    "profile": "Settings",
    "export": "Settings",
    "import": "Settings",
    "product": "Products",
    "check": "Safety",
    "med": "Safety",
    "law": "Safety",
    "learn": "Learn",
    "insights": "Insights",
    "checkin": "Check-in",
    "history": "History",
    "next": "Today",
    "log": "Today",
}
_COMMAND = re.compile(r"`kratom ([a-z-]+)[^`]*`")


def web_words(text: str) -> str:
    """ "Set it with `kratom profile set --location US-TX`" -> "... the Settings page";
    protocol commands (titrate, taper, trial, withdrawal) point to Protocols."""
    return _COMMAND.sub(
        lambda m: f"the {COMMAND_PAGES.get(m.group(1), 'Protocols')} page", text
    )


templates.env.filters.update(grams=grams, duration=duration, iso=iso, web=web_words)
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
    text, action, change = flash_parts(unquote(flash) if flash else "")
    values = {
        "csrf_token": csrf.token_for(request),
        "flash": text or None,
        "flash_undo": action == UNDO,
        "flash_redo": action == REDO,
        "flash_change": change,
        "path": request.url.path,
        **(context or {}),
    }
    response = templates.TemplateResponse(
        request, name, values, status_code=status_code
    )
    csrf.set_cookie(request, response)
    if flash:
        response.delete_cookie(FLASH, path="/")
    return response


# A page shared by every visitor is rendered once with this in place of the
# visitor's CSRF token, which `shared_page` puts in per request. It is markup with
# a raw "<": text from the journal is always escaped ("&lt;"), so no note or name
# can contain it, whatever its characters.
TOKEN_SLOT = Markup("<kj-csrf-token>")


def render_shared(name: str, context: dict[str, Any]) -> str:
    """A page without a flash message, rendered for anyone."""
    template = templates.get_template(name)
    return template.render(
        {
            "csrf_token": TOKEN_SLOT,
            "flash": None,
            "flash_undo": False,
            "flash_redo": False,
            **context,
        }
    )


def shared_page(request: Request, html: str) -> HTMLResponse:
    """`render_shared`'s page for this visitor: their token, set as a cookie if new."""
    response = HTMLResponse(html.replace(TOKEN_SLOT, csrf.token_for(request)))
    csrf.set_cookie(request, response)
    return response


# A flash cookie is "0" + message (nothing to offer), "1<change>:" + message (an
# Undo button for that change) or "2<change>:" + message (a Redo button for it).
PLAIN, UNDO, REDO = "0", "1", "2"


def flash_parts(value: str) -> tuple[str, str, int | None]:
    """(message, action, change id) of a flash cookie's value."""
    action, rest = value[:1], value[1:]
    if action in (UNDO, REDO):
        number, _, message = rest.partition(":")
        if number.isdigit():
            return message, action, int(number)
        return rest, PLAIN, None
    return rest, PLAIN, None


def redirect(
    url: str,
    message: str | None = None,
    *,
    undo: bool = True,
    undo_of: int | None = None,
    redo: int | None = None,
) -> RedirectResponse:
    """Post/redirect/get: the next page shows `message` once, with an Undo button
    for the change this request made when `undo` (the message reports a change that
    undo would reverse) or for the one `undo_of` names, or a Redo button for the
    change `redo` names."""
    response = RedirectResponse(url, status_code=303)
    if message:
        change = undo_of or (last_written() if undo else None)
        if redo is not None:
            value = f"{REDO}{redo}:{message}"
        elif change is not None:
            value = f"{UNDO}{change}:{message}"
        else:
            value = PLAIN + message
        response.set_cookie(
            FLASH, quote(value), httponly=True, samesite="strict", path="/"
        )
    return response
