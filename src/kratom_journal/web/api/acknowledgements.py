"""Standing findings acknowledged once: GET/POST /acknowledgements,
POST /acknowledgements/withdraw."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from kratom_journal.services.acknowledgements import acknowledge, standing, withdraw
from kratom_journal.services.entries import MAX_NOTE
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.schemas import ERRORS, FindingOut, Flag

router = APIRouter(tags=["safety"], responses=ERRORS)

RuleId = Annotated[str, Field(max_length=120)]


class AcknowledgementOut(BaseModel):
    id: str
    note: str | None
    created_at: datetime


class StandingOut(BaseModel):
    finding: FindingOut
    acknowledgement: AcknowledgementOut | None = Field(
        description="Set while the acknowledgement holds: the medication or "
        "condition unchanged since."
    )

    @classmethod
    def of(cls, item: Any) -> StandingOut:
        ack = item.acknowledgement
        return cls(
            finding=FindingOut.of(item.finding),
            acknowledgement=None
            if ack is None
            else AcknowledgementOut(
                id=str(ack.id), note=ack.note, created_at=ack.created_at
            ),
        )


class StandingListOut(BaseModel):
    standing: list[StandingOut]


@router.get("/acknowledgements", response_model=StandingListOut)
def get_standing(journal: JournalDep, now: NowDep) -> StandingListOut:
    """The findings from medications and conditions, each acknowledged or not."""
    return StandingListOut(
        standing=[StandingOut.of(item) for item in standing(journal, now=now)]
    )


class AcknowledgeIn(BaseModel):
    rules: list[RuleId] = Field(default=[], max_length=50)
    note: Annotated[str | None, Field(max_length=MAX_NOTE)] = None
    all: Flag = Field(False, description="Every standing finding not yet acknowledged.")


@router.post("/acknowledgements", response_model=StandingListOut, status_code=201)
def post_acknowledgements(
    body: AcknowledgeIn, journal: JournalDep, now: NowDep
) -> StandingListOut:
    """Acknowledge standing findings by rule id: doses then need no confirmation for
    them, and list them in `acknowledged_findings`, until the medication or
    condition changes. Other rules answer 422."""
    done = acknowledge(journal, body.rules, note=body.note, now=now, every=body.all)
    return StandingListOut(standing=[StandingOut.of(item) for item in done])


class WithdrawIn(BaseModel):
    rules: list[RuleId] = Field(min_length=1, max_length=50)


class WithdrawnOut(BaseModel):
    withdrawn: int


@router.post("/acknowledgements/withdraw", response_model=WithdrawnOut)
def post_withdraw(body: WithdrawIn, journal: JournalDep, now: NowDep) -> WithdrawnOut:
    """Show these findings in full again (and ask for confirmation at avoid level)."""
    return WithdrawnOut(withdrawn=withdraw(journal, body.rules, now=now))
