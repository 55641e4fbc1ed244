"""Failures as responses: the API answers JSON naming the field and the problem, the
pages answer a readable page. Bad input is 4xx, never a 500, and nothing is saved."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.routing import Match

from kratom_journal.domain.errors import (
    ChangedMeanwhile,
    ConfirmationNeeded,
    InputError,
    JournalError,
    NotFoundError,
    Refused,
    SafetyCheckUnavailable,
    StoreError,
)
from kratom_journal.web.limits import TOO_LARGE
from kratom_journal.web.templating import render

if TYPE_CHECKING:
    from fastapi import FastAPI, Request

API_PREFIX = "/api/"


def status_of(error: JournalError) -> int:
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, InputError):
        return 422
    if isinstance(error, ConfirmationNeeded | Refused | ChangedMeanwhile):
        return 409
    if isinstance(error, SafetyCheckUnavailable | StoreError):
        return 503
    return 400


def problem(
    field: str, text: str, loc: list[str | int] | None = None
) -> dict[str, Any]:
    """One validation problem, in FastAPI's documented shape plus `field`/`problem`."""
    return {
        "loc": loc or [field],
        "msg": f"{field}: {text}",
        "type": "value_error",
        "field": field,
        "problem": text,
    }


def _field(loc: tuple[Any, ...]) -> str:
    """("body", "amount") -> "amount": the first part says where, not which field."""
    where = ("body", "query", "path", "header", "cookie")
    parts = [str(p) for p in (loc[1:] if loc and loc[0] in where else loc)]
    return ".".join(parts) or "body"


def validation_problems(error: RequestValidationError) -> list[dict[str, Any]]:
    return [
        problem(_field(tuple(e["loc"])), str(e["msg"]), list(e["loc"]))
        for e in error.errors()
    ]


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


async def journal_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, JournalError)
    status = status_of(error)
    if _is_api(request):
        if isinstance(error, InputError) and not isinstance(error, NotFoundError):
            body: Any = [problem(error.field, error.problem)]
        else:
            body = str(error)
        return JSONResponse({"detail": body}, status_code=status)
    return render(
        request,
        "error.html",
        {"status": status, "message": str(error)},
        status_code=status,
    )


async def request_invalid(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = validation_problems(error)
    if _is_api(request):
        return JSONResponse({"detail": problems}, status_code=422)
    message = "; ".join(p["msg"] for p in problems) + " (nothing was saved)"
    return render(
        request, "error.html", {"status": 422, "message": message}, status_code=422
    )


# Starlette's own words for a body over the limit, replaced by ours.
MESSAGES = {413: TOO_LARGE}
SERVER_ERROR = (
    "Something went wrong in the app; what you sent may not have been saved. "
    "Check the History page before trying again."
)


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _allowed(request: Request) -> dict[str, str]:
    """405's Allow header listing every method of the path: Starlette names only
    those of the first route that matched it, and one path can have several."""
    routes = request.app.router.routes
    methods = [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL
            for route in routes
        )
    ]
    return {"Allow": ", ".join(methods)}


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    detail = MESSAGES.get(error.status_code, error.detail)
    headers = _allowed(request) if error.status_code == 405 else error.headers
    if _is_api(request):
        return JSONResponse(
            {"detail": detail}, status_code=error.status_code, headers=headers
        )
    message = "There is no such page." if error.status_code == 404 else str(detail)
    response = render(
        request,
        "error.html",
        {"status": error.status_code, "message": message},
        status_code=error.status_code,
    )
    response.headers.update(headers or {})
    return response


async def server_error(request: Request, error: Exception) -> Response:
    """An unexpected failure: a plain answer that shows nothing of the error (it
    may hold health data); the server logs it for whoever runs the app."""
    if _is_api(request):
        return JSONResponse({"detail": SERVER_ERROR}, status_code=500)
    try:
        return render(
            request,
            "error.html",
            {"status": 500, "message": SERVER_ERROR},
            status_code=500,
        )
    except Exception:  # the page itself cannot be drawn: plain text will do
        return Response(SERVER_ERROR, status_code=500, media_type="text/plain")


def install(app: FastAPI) -> None:
    app.add_exception_handler(Exception, server_error)
    app.add_exception_handler(JournalError, journal_error)
    app.add_exception_handler(RequestValidationError, request_invalid)
    app.add_exception_handler(HTTPException, http_error)
