"""The JSON API under /api/v1: one router per area, on the same services as the CLI."""

from __future__ import annotations

from fastapi import APIRouter

from kratom_journal.web.api import (
    acknowledgements,
    entries,
    insights,
    knowledge,
    products,
    protocols,
    safety,
    settings,
    today,
)

ROUTERS: list[APIRouter] = [
    today.router,
    entries.router,
    protocols.router,
    insights.router,
    safety.router,
    acknowledgements.router,
    products.router,
    knowledge.router,
    settings.router,
]
