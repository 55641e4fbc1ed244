"""What a route needs: the journal and the clock, read once per request.

Both are `async def`: FastAPI runs a plain function dependency in the thread pool,
two thread hops per request for reading an attribute.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from kratom_journal.services.journal import Journal


async def get_journal(request: Request) -> Journal:
    journal: Journal = request.app.state.journal
    return journal


async def get_now(request: Request) -> datetime:
    now: datetime = request.app.state.clock()
    return now


JournalDep = Annotated[Journal, Depends(get_journal)]
NowDep = Annotated[datetime, Depends(get_now)]
