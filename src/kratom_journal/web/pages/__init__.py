"""The server-rendered pages: one router per page; every form works without JavaScript."""

from __future__ import annotations

from fastapi import APIRouter

from kratom_journal.web.pages import (
    checkin,
    history,
    insights,
    learn,
    products,
    protocols,
    report,
    safety,
    settings,
    today,
)

ROUTERS: list[APIRouter] = [
    today.router,
    checkin.router,
    history.router,
    protocols.router,
    insights.router,
    report.router,
    safety.router,
    products.router,
    learn.router,
    settings.router,
]
