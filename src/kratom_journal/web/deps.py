"""What a route needs: the journal and the clock, read once per request."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from kratom_journal.services.journal import Journal


def get_journal(request: Request) -> Journal:
    journal: Journal = request.app.state.journal
    return journal


def get_now(request: Request) -> datetime:
    now: datetime = request.app.state.clock()
    return now


JournalDep = Annotated[Journal, Depends(get_journal)]
NowDep = Annotated[datetime, Depends(get_now)]
