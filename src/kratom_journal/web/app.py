"""The app factory: one journal, a clock, security middleware, pages and the JSON API."""

from __future__ import annotations

import secrets
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import anyio.to_thread
from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from kratom_journal.web import api, errors, pages
from kratom_journal.web.change_ids import ChangeIdMiddleware
from kratom_journal.web.idempotency import IdempotencyMiddleware
from kratom_journal.web.limits import BODY_LIMIT, READ_TIMEOUT, ReadTimeoutMiddleware
from kratom_journal.web.security import ASGIApp, SecurityMiddleware
from kratom_journal.web.view_cache import ViewCache

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Sequence

    from kratom_journal.services.journal import Journal

STATIC = Path(__file__).parent / "static"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
# The routes are plain functions, run in AnyIO's thread pool (40 threads by
# default). A request is mostly Python holding the GIL, so 40 threads on a few
# cores only take turns with it: under 50 concurrent requests each one cost about
# twice the CPU time and its latency spread widely. A few threads keep the cores
# busy (SQLite releases the GIL while it works) and the others queue in order.
REQUEST_THREADS = 4


def system_clock() -> datetime:
    return datetime.now(UTC)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
    yield
    app.state.view_cache.close()


class JournalApp(FastAPI):
    """FastAPI with the security middleware outermost, around even the handler of
    unexpected errors, so a 500 (and a refused oversized body) carries the same
    headers as every other response."""

    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityMiddleware(
            super().build_middleware_stack(), allowed_hosts=self.allowed_hosts
        )


def create_app(
    journal: Journal,
    *,
    clock: Callable[[], datetime] = system_clock,
    allowed_hosts: Sequence[str] = LOCAL_HOSTS,
    read_timeout: float = READ_TIMEOUT,
    csrf_secret: bytes | None = None,
) -> FastAPI:
    """The whole app for one person's journal. `clock` is read once per request;
    `csrf_secret` signs the CSRF cookies (a new random one by default)."""
    app = JournalApp(
        title="Kratom Journal API",
        version="1",
        summary="Doses, check-ins, protocols and safety checks of one local journal.",
        openapi_url="/api/v1/openapi.json",
        # The interactive docs load scripts from a CDN: not in a local-first app.
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
        # Counted as the bytes arrive, before anything parses them; the import
        # routes allow more (web/limits.py).
        max_body_size=BODY_LIMIT,
    )
    app.allowed_hosts = tuple(allowed_hosts)
    app.state.journal = journal
    app.state.clock = clock
    app.state.view_cache = ViewCache(journal.database.sqlite_path)
    app.state.csrf_secret = csrf_secret or secrets.token_bytes(32)
    # The last added runs first (the security checks wrap them all, see
    # JournalApp): the body's time limit covers every read of it, and a kept
    # answer keeps the Kratom-Change header of the change it made.
    app.add_middleware(ChangeIdMiddleware)
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(ReadTimeoutMiddleware, seconds=read_timeout)
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        # Browsers ask for it on every non-HTML page; answer with our icon.
        return FileResponse(STATIC / "icon.svg", media_type="image/svg+xml")

    for router in api.ROUTERS:
        app.include_router(router, prefix="/api/v1")
    for router in pages.ROUTERS:
        app.include_router(router)
    return app
