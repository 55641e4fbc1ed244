"""The app factory: one journal, a clock, security middleware, pages and the JSON API."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kratom_journal.web import api, errors, pages
from kratom_journal.web.security import SecurityMiddleware

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from kratom_journal.services.journal import Journal

STATIC = Path(__file__).parent / "static"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def system_clock() -> datetime:
    return datetime.now(UTC)


def create_app(
    journal: Journal,
    *,
    clock: Callable[[], datetime] = system_clock,
    allowed_hosts: Sequence[str] = LOCAL_HOSTS,
) -> FastAPI:
    """The whole app for one person's journal. `clock` is read once per request."""
    app = FastAPI(
        title="Kratom Journal API",
        version="1",
        summary="Doses, check-ins, protocols and safety checks of one local journal.",
        openapi_url="/api/v1/openapi.json",
        # The interactive docs load scripts from a CDN: not in a local-first app.
        docs_url=None,
        redoc_url=None,
    )
    app.state.journal = journal
    app.state.clock = clock
    app.add_middleware(SecurityMiddleware, allowed_hosts=tuple(allowed_hosts))
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in api.ROUTERS:
        app.include_router(router, prefix="/api/v1")
    for router in pages.ROUTERS:
        app.include_router(router)
    return app
